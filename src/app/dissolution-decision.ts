// A `dissolution` decision (docs/governance.md, docs/dissolution.md): the joint committee's
// decision to dissolve the fund at a month end. Unlike the other types it makes no agreement
// version. It is proposed with its date, approved only at a quorate meeting with a majority for
// (src/domain/governance.ts refuses a delegated approval), and when that approval is given the
// dissolution runs in the same transaction: the statement as `tandem dissolve --preview` computes
// it, recorded as the audit event `fund.dissolve` naming the decision, which locks the fund.

import type { Agreement } from '../domain/agreement.js';
import { formatPeriod, formatYear, yearOf, type PeriodKey } from '../domain/period.js';
import type { DecisionWithEvents } from '../store/decision-types.js';
import type { Store } from '../store/types.js';
import type { AppContext } from './context.js';
import { dissolutionPeriod, prepareDissolution, recordDissolution, type PreparedDissolution } from './dissolve.js';
import { TandemError } from './errors.js';

/**
 * The period a dissolution at `date` takes effect in: the month ending on the date, which must be
 * a month of the agreement. Whether that month is closed is asked when the decision is approved,
 * not now: a committee may propose to dissolve at the end of a month it has yet to close.
 */
export function dissolutionEffectiveFrom(agreement: Agreement, date: string, asked: PeriodKey | undefined): PeriodKey {
  const period = dissolutionPeriod(date);
  if (!agreement.years.includes(yearOf(period))) {
    throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${date} (${formatPeriod(period)}) is outside the agreement of fund ${agreement.fund.id}, which covers ${agreement.years.map(formatYear).join(', ')}; nothing was written`);
  }
  if (asked !== undefined && asked !== period) {
    throw new TandemError('DECISION_INVALID', `a dissolution at ${date} takes effect in ${formatPeriod(period)}, the month ending on its date, not ${formatPeriod(asked)}: leave out --effective; nothing was written`);
  }
  return period;
}

/**
 * The statement the approval would record, made before anything is written: if it cannot be made
 * (the month not closed, a later one closed, stale figures…) the approval is refused with why.
 */
export function prepareDecidedDissolution(ctx: AppContext, tx: Store, decision: DecisionWithEvents, date: string): Promise<PreparedDissolution> {
  return prepareDissolution(ctx, tx, decision.fundId, date, decision.title);
}

/** The decision takes effect: the statement recorded (`fund.dissolve`, naming the decision) and the decision's `effective` event. */
export async function dissolveByDecision(ctx: AppContext, tx: Store, decision: DecisionWithEvents, prepared: PreparedDissolution): Promise<void> {
  const auditEvent = await recordDissolution(ctx, tx, decision.fundId, prepared, decision.id);
  // The fund.dissolve event is the audit record of this effect too: a `decision.effective`
  // event would name an agreement version, and a dissolution makes none.
  const detail = { dissolution: { date: prepared.document.date, period: prepared.document.period, auditEvent, sha256: prepared.sha256 } };
  await tx.appendDecisionEvent({ decisionId: decision.id, fundId: decision.fundId, action: 'effective', route: null, heldOn: null, text: null, detailJson: JSON.stringify(detail), agreementVersion: null, at: prepared.document.preparedAt, actor: ctx.actor });
}
