// What an agreement says about its own dissolution (the optional `dissolution:` section,
// docs/dissolution.md): how the fund's position at the dissolution date is shared, and the
// contracts that may run past that date with who carries them. Absent: the agreement's
// risk-share rules share the position and no commitments are listed.

import type { Pence } from './money.js';

export type DissolutionRule =
  /** The pools' and schemes' own risk-share rules; a `retain` underspend is shared in proportion to contributions. */
  | { kind: 'risk_share' }
  | { kind: 'proportional' }
  | { kind: 'fixed'; percent: Record<string, number> }
  | { kind: 'lead'; partner: string };

export interface Commitment {
  name: string;
  scheme: string;
  /** The partner holding the contract; null: the scheme's lead commissioner. */
  leadCommissioner: string | null;
  /** The commitment's last day, YYYY-MM-DD. */
  ends: string;
  /** Exactly one of these is set: a monthly cost, or the amount agreed to remain after the date. */
  monthlyPence: Pence | null;
  remainingPence: Pence | null;
  /** A partner id, or 'shared' (in proportion to contributions to the scheme); null: the lead commissioner. */
  carriedBy: string | null;
}

export interface DissolutionTerms {
  rule: DissolutionRule;
  commitments: Commitment[];
}
