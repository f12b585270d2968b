// The Store's part for decisions (src/store/decisions.ts, docs/governance.md): a decision as
// proposed, and the events that follow it. Kept out of types.ts, which Store extends with it.

import type { PeriodKey } from '../domain/period.js';

/** What a decision adds to an agreement version: from when it is in force, and which decision made it. */
export interface VersionEffect {
  /** The first period the version is in force; null for a loaded file, in force from the start. */
  effectiveFrom: PeriodKey | null;
  decisionId: number | null;
}

export type DecisionTypeName = 'virement' | 'budget_variation' | 'risk_share_change' | 'agreement_variation' | 'dissolution';

export interface DecisionRecord {
  id: number;
  fundId: string;
  type: DecisionTypeName;
  title: string;
  /** The change (src/domain/decisions.ts DecisionChange) as JSON. */
  changeJson: string;
  effectiveFrom: PeriodKey;
  /** The agreement version in force when it was proposed. */
  baseVersion: number;
  proposedAt: string;
  proposedBy: string;
}

export interface DecisionEventRecord {
  id: number;
  decisionId: number;
  fundId: string;
  action: 'approve' | 'reject' | 'effective';
  route: 'meeting' | 'delegated' | null;
  /** The date of the meeting or the approval, as given (YYYY-MM-DD). */
  heldOn: string | null;
  text: string | null;
  /** Approvals and votes (approve), who rejected (reject), the outcome (effective), as JSON. */
  detailJson: string;
  /** The agreement version the decision made (effective only; null for a dissolution, which makes none). */
  agreementVersion: number | null;
  at: string;
  actor: string;
}

export interface DecisionWithEvents extends DecisionRecord {
  events: DecisionEventRecord[];
}

export interface DecisionStore {
  /** Stores a proposed decision and returns its id. */
  insertDecision(record: Omit<DecisionRecord, 'id'>): Promise<number>;
  /** Appends an event; a second `reject` or `effective` for one decision is refused by the database. */
  appendDecisionEvent(event: Omit<DecisionEventRecord, 'id'>): Promise<number>;
  getDecision(fundId: string, id: number): Promise<DecisionWithEvents | undefined>;
  /** Every decision of the fund with its events, oldest first. */
  listDecisions(fundId: string): Promise<DecisionWithEvents[]>;
}
