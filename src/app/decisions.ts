// Use cases for decisions (docs/governance.md): propose, approve (delegated, one approver at a
// time, or at a meeting with votes), reject, show, list. The rules are the pure core's
// (src/domain/governance.ts, decisions.ts); here they run inside one transaction under the fund's
// lock, so a refusal writes nothing and two approvers cannot both make a decision take effect.
// When the approvals meet the rule, the decision takes effect: its change applied to the
// agreement in force becomes a new agreement version, in force from the decision's period on —
// except a dissolution, which records the dissolution statement and locks the fund instead
// (dissolution-decision.ts), in the same transaction as the meeting's approval.

import { createHash } from 'node:crypto';
import type { Agreement } from '../domain/agreement.js';
import { applyDecision, DecisionError, decisionFacts, type DecisionChange } from '../domain/decisions.js';
import { authorisedApproval, delegatedOutcome, governanceOf, meetingApproval, type Approval, type Vote, type VoteChoice } from '../domain/governance.js';
import { formatPeriod, type PeriodKey, type YearStart } from '../domain/period.js';
import { budgetReconciliation, type ReconciliationRow, type ReconciliationVersion } from '../report/budget-reconciliation.js';
import type { DecisionWithEvents } from '../store/decision-types.js';
import type { AgreementVersionRecord, Store } from '../store/types.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { readRiskShare, readScheme } from './decision-input.js';
import { dissolutionEffectiveFrom, dissolveByDecision, prepareDecidedDissolution } from './dissolution-decision.js';
import { TandemError } from './errors.js';
import { assertFundOpen } from './fund-state.js';
import { periodStates } from './periods.js';

/** A change as asked for: risk shares and new schemes come as agreement YAML (decision-input.ts). */
export type ChangeRequest =
  | Exclude<DecisionChange, { type: 'risk_share_change' } | { type: 'agreement_variation' }>
  | { type: 'risk_share_change'; pool: string; scheme: string | null; riskShareYaml: string }
  | { type: 'agreement_variation'; addSchemeYaml: string | null; removeScheme: string | null };

export type DecisionStatus = 'pending' | 'effective' | 'rejected';

export interface DecisionView {
  id: number;
  fundId: string;
  type: DecisionChange['type'];
  title: string;
  change: DecisionChange;
  effectiveFrom: string;
  status: DecisionStatus;
  proposedAt: string;
  proposedBy: string;
  /** Delegated approvals so far, in order. */
  approvals: (Approval & { on: string | null })[];
  /** Meetings that approved it, with their votes. */
  meetings: { on: string | null; votes: Vote[]; for: number; against: number; abstain: number }[];
  /** The agreement version it made (effective only). */
  agreementVersion: number | null;
  /** A dissolution that took effect: the audit event `fund.dissolve` that records its statement. */
  dissolution: { date: string; period: string; auditEvent: number; sha256: string } | null;
  rejected: { by: string; on: string | null; reason: string | null } | null;
}

/** Domain refusals become clear errors; nothing has been written when they are thrown. */
async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DecisionError) throw new TandemError(e.code, `${e.message}; nothing was written`);
    throw e;
  }
}

function changeOf(agreement: Agreement, request: ChangeRequest): DecisionChange {
  if (request.type === 'risk_share_change') return { type: request.type, pool: request.pool, scheme: request.scheme, riskShare: readRiskShare(agreement, request.riskShareYaml) };
  if (request.type === 'agreement_variation') {
    const addScheme = request.addSchemeYaml === null ? null : readScheme(agreement, request.addSchemeYaml);
    return { type: request.type, addScheme, removeScheme: request.removeScheme };
  }
  return request;
}

/**
 * A version made by a decision must come after every version in force so far, and before any
 * close it would change: the closes of earlier periods keep the version they used.
 */
async function checkEffectivePeriod(tx: Store, fundId: string, effectiveFrom: PeriodKey, latest: AgreementVersionRecord): Promise<void> {
  if (latest.effectiveFrom !== null && effectiveFrom < latest.effectiveFrom) {
    throw new TandemError('DECISION_PERIOD_CLOSED', `agreement version ${latest.version} is already in force from ${formatPeriod(latest.effectiveFrom)}; a decision cannot take effect before it (from ${formatPeriod(effectiveFrom)}): propose it from ${formatPeriod(latest.effectiveFrom)} or later`);
  }
  const closed = [...(await periodStates(tx, fundId)).values()].filter((e) => e.action === 'close' && e.period >= effectiveFrom).map((e) => formatPeriod(e.period));
  if (closed.length > 0) {
    throw new TandemError('DECISION_PERIOD_CLOSED', `${closed.join(', ')} ${closed.length === 1 ? 'is' : 'are'} already closed, so the decision cannot take effect from ${formatPeriod(effectiveFrom)}: reopen ${closed.length === 1 ? 'it' : 'them'} first, or make it effective from a later period`);
  }
}

/** `effectiveFrom` is needed by every type but a dissolution, which takes effect in the month its date ends. */
export async function proposeDecision(ctx: AppContext, request: { fundId?: string; title: string; effectiveFrom?: PeriodKey; change: ChangeRequest }): Promise<DecisionView> {
  const fundId = await resolveFund(ctx, request.fundId);
  const title = request.title.trim();
  if (title === '' || title.length > 2000) throw new TandemError('DECISION_INVALID', 'a decision needs its text (--text "…", at most 2,000 characters)');
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, 'a decision');
    const { agreement, record } = await agreementInForce({ ...ctx, store: tx }, fundId);
    const change = await refusing(async () => {
      governanceOf(agreement);
      return changeOf(agreement, request.change);
    });
    let effectiveFrom: PeriodKey;
    if (change.type === 'dissolution') effectiveFrom = dissolutionEffectiveFrom(agreement, change.date, request.effectiveFrom);
    else {
      if (request.effectiveFrom === undefined) throw new TandemError('DECISION_INVALID', `a ${change.type.replace(/_/g, ' ')} needs the period it takes effect from (--effective "2025-26 M07"); nothing was written`);
      effectiveFrom = request.effectiveFrom;
      await refusing(async () => applyDecision(agreement, change, effectiveFrom)); // refuses now what could never take effect
      await checkEffectivePeriod(tx, fundId, effectiveFrom, record);
    }
    const at = isoNow(ctx);
    const changeJson = JSON.stringify(change);
    const id = await tx.insertDecision({ fundId, type: change.type, title, changeJson, effectiveFrom, baseVersion: record.version, proposedAt: at, proposedBy: ctx.actor });
    const weight = decisionFacts(agreement, change).weightPence;
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'decision.propose', subject: `decision:${id}`, details: { type: change.type, title, effectiveFrom: formatPeriod(effectiveFrom), weightPence: weight, baseVersion: record.version }, inputSha256: sha256(changeJson), at });
    return view((await tx.getDecision(fundId, id))!);
  });
}

export type ApproveRequest = { fundId?: string; id: number; on: string | null; text?: string } & (
  | { route: 'delegated'; by: string; partner?: string }
  | { route: 'meeting'; votes: { member: string; vote: VoteChoice }[] }
);

export async function approveDecision(ctx: AppContext, request: ApproveRequest): Promise<DecisionView> {
  const fundId = await resolveFund(ctx, request.fundId);
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, 'a decision');
    const decision = await pendingDecision(tx, fundId, request.id);
    const { agreement, record } = await agreementInForce({ ...ctx, store: tx }, fundId);
    const change = JSON.parse(decision.changeJson) as DecisionChange;
    const at = isoNow(ctx);
    const approval = await refusing(async () => {
      const facts = decisionFacts(agreement, change);
      if (request.route === 'meeting') {
        const outcome = meetingApproval(agreement, request.votes);
        return { detail: { votes: outcome.votes, for: outcome.for, against: outcome.against, abstain: outcome.abstain, presentByPartner: outcome.presentByPartner }, met: true };
      }
      const given = view(decision).approvals;
      const approval = authorisedApproval(governanceOf(agreement), facts, request.by, request.partner);
      if (given.some((a) => a.person === approval.person)) throw new DecisionError('DECISION_INVALID', `${approval.person} has already approved decision ${decision.id}`);
      const outcome = delegatedOutcome(agreement, facts, [...given, approval]);
      return { detail: { approval, waitingFor: outcome.waitingFor }, met: outcome.met };
    });
    // A dissolution's statement is made before anything is written, so one that cannot be made
    // (month not closed, a later one closed, stale figures…) refuses the approval itself.
    const dissolving = approval.met && change.type === 'dissolution' ? await prepareDecidedDissolution(ctx, tx, decision, change.date) : null;
    await tx.appendDecisionEvent({ decisionId: decision.id, fundId, action: 'approve', route: request.route, heldOn: request.on, text: request.text ?? null, detailJson: JSON.stringify(approval.detail), agreementVersion: null, at, actor: ctx.actor });
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'decision.approve', subject: `decision:${decision.id}`, details: { route: request.route, on: request.on, ...approval.detail }, inputSha256: null, at });
    if (dissolving !== null) await dissolveByDecision(ctx, tx, decision, dissolving);
    else if (approval.met) await takeEffect(ctx, tx, decision, change, agreement, record);
    return view((await tx.getDecision(fundId, decision.id))!);
  });
}

/** Applies the change to the agreement in force and stores the result as the next version. */
async function takeEffect(ctx: AppContext, tx: Store, decision: DecisionWithEvents, change: DecisionChange, agreement: Agreement, record: AgreementVersionRecord): Promise<void> {
  const { fundId, effectiveFrom } = decision;
  await checkEffectivePeriod(tx, fundId, effectiveFrom, record);
  const next = await refusing(async () => applyDecision(agreement, change, effectiveFrom));
  // The version's "source" is the decision itself: what made it, against which version.
  const sourceText = JSON.stringify({ decision: decision.id, type: decision.type, title: decision.title, baseVersion: record.version, effectiveFrom: formatPeriod(effectiveFrom), change });
  const sourceSha256 = sha256(sourceText);
  const at = isoNow(ctx);
  const version = await tx.insertAgreementVersion({
    fundId,
    fundName: next.fund.name,
    loadedAt: at,
    loadedBy: ctx.actor,
    sourceFile: `decision:${decision.id}`,
    sourceSha256,
    sourceText,
    modelJson: JSON.stringify(next),
    effectiveFrom,
    decisionId: decision.id,
  });
  const detail = { version, previousVersion: record.version, effectiveFrom: formatPeriod(effectiveFrom) };
  await tx.appendDecisionEvent({ decisionId: decision.id, fundId, action: 'effective', route: null, heldOn: null, text: null, detailJson: JSON.stringify(detail), agreementVersion: version, at, actor: ctx.actor });
  // Subject agreement:N, so `tandem verify` finds the event that records the version it made.
  await tx.appendAudit({ fundId, actor: ctx.actor, action: 'decision.effective', subject: `agreement:${version}`, details: { ...detail, decision: decision.id, type: decision.type }, inputSha256: sourceSha256, at });
}

export async function rejectDecision(ctx: AppContext, request: { fundId?: string; id: number; by: string; on: string | null; reason: string }): Promise<DecisionView> {
  const fundId = await resolveFund(ctx, request.fundId);
  const reason = request.reason.trim();
  if (reason === '') throw new TandemError('DECISION_INVALID', 'a rejection needs its reason (--text "…"): it goes in the record and the audit trail');
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, 'a decision');
    const decision = await pendingDecision(tx, fundId, request.id);
    const { agreement } = await agreementInForce({ ...ctx, store: tx }, fundId);
    const person = await refusing(async () => {
      const g = governanceOf(agreement);
      const found = [...g.committee.members, ...g.officers].find((p) => p.id === request.by);
      if (!found) throw new DecisionError('DECISION_PERSON_UNKNOWN', `"${request.by}" is not a committee member or officer named in the agreement's governance section`);
      return found;
    });
    const at = isoNow(ctx);
    const detail = { by: person.id, partner: person.partner, role: person.role };
    await tx.appendDecisionEvent({ decisionId: decision.id, fundId, action: 'reject', route: null, heldOn: request.on, text: reason, detailJson: JSON.stringify(detail), agreementVersion: null, at, actor: ctx.actor });
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'decision.reject', subject: `decision:${decision.id}`, details: { ...detail, on: request.on, reason }, inputSha256: null, at });
    return view((await tx.getDecision(fundId, decision.id))!);
  });
}

async function pendingDecision(tx: Store, fundId: string, id: number): Promise<DecisionWithEvents> {
  const decision = await tx.getDecision(fundId, id);
  if (!decision) throw new TandemError('DECISION_UNKNOWN', `fund ${fundId} has no decision ${id} (tandem decision list shows them)`);
  const status = view(decision).status;
  if (status !== 'pending') throw new TandemError('DECISION_NOT_PENDING', `decision ${id} is already ${status}; nothing was written`);
  return decision;
}

export async function showDecision(ctx: AppContext, request: { fundId?: string; id: number }): Promise<DecisionView> {
  const fundId = await resolveFund(ctx, request.fundId);
  const decision = await ctx.store.getDecision(fundId, request.id);
  if (!decision) throw new TandemError('DECISION_UNKNOWN', `fund ${fundId} has no decision ${request.id} (tandem decision list shows them)`);
  return view(decision);
}

export async function listDecisions(ctx: AppContext, request: { fundId?: string } = {}): Promise<DecisionView[]> {
  const fundId = await resolveFund(ctx, request.fundId);
  return (await ctx.store.listDecisions(fundId)).map(view);
}

export function view(d: DecisionWithEvents): DecisionView {
  const out: DecisionView = {
    id: d.id,
    fundId: d.fundId,
    type: d.type,
    title: d.title,
    change: JSON.parse(d.changeJson) as DecisionChange,
    effectiveFrom: formatPeriod(d.effectiveFrom),
    status: 'pending',
    proposedAt: d.proposedAt,
    proposedBy: d.proposedBy,
    approvals: [],
    meetings: [],
    agreementVersion: null,
    dissolution: null,
    rejected: null,
  };
  for (const e of d.events) {
    const detail = JSON.parse(e.detailJson) as Record<string, unknown>;
    if (e.action === 'approve' && e.route === 'delegated') out.approvals.push({ ...(detail.approval as Approval), on: e.heldOn });
    if (e.action === 'approve' && e.route === 'meeting') out.meetings.push({ on: e.heldOn, votes: detail.votes as Vote[], for: Number(detail.for), against: Number(detail.against), abstain: Number(detail.abstain) });
    if (e.action === 'effective') [out.status, out.agreementVersion, out.dissolution] = ['effective', e.agreementVersion, (detail.dissolution as DecisionView['dissolution']) ?? null];
    if (e.action === 'reject') [out.status, out.rejected] = ['rejected', { by: String(detail.by), on: e.heldOn, reason: e.text }];
  }
  return out;
}

/**
 * The budget reconciliation of a year (src/report/budget-reconciliation.ts) over the fund's
 * agreement versions — up to `upToVersion` when given (a report shows it as at its close's version).
 */
export async function budgetReconciliationFor(ctx: AppContext, request: { fundId?: string; year: YearStart; upToVersion?: number }): Promise<ReconciliationRow[]> {
  const fundId = await resolveFund(ctx, request.fundId);
  const versions: ReconciliationVersion[] = [];
  for (const v of await ctx.store.listAgreementVersions(fundId)) {
    if (request.upToVersion !== undefined && v.version > request.upToVersion) continue;
    versions.push({ version: v.version, decisionId: v.decisionId, agreement: (await agreementInForce(ctx, fundId, v.version)).agreement });
  }
  return budgetReconciliation(versions, request.year);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
