// Dissolving the fund (docs/dissolution.md): the statement the section 75 framework's dissolution
// arrangements require, computed in the pure core (src/domain/dissolution.ts) from the agreement
// in force and the stored close of the month that ends on the date, its spend checked against the
// live ledger totals. `tandem dissolve` only previews it: dissolving is a decision of the joint
// committee (issue 9 §4), so the statement is recorded when a `dissolution` decision takes effect
// (src/app/dissolution-decision.ts calls prepareDissolution and recordDissolution in the approval's
// transaction). The record is the audit event `fund.dissolve`, naming the decision and holding the
// statement with its SHA-256; from then on imports, closes, reopens and decisions are refused with
// FUND_DISSOLVED (fund-state.ts). Everything runs under the fund's lock: a refusal writes nothing.

import { createHash } from 'node:crypto';
import { JournalSetupError } from '../domain/close-journals.js';
import { dissolutionStatement, type DissolutionStatement } from '../domain/dissolution.js';
import { InvariantError } from '../domain/money.js';
import { formatPeriod, formatYear, periodEndDate, periodKey, periodOfDate, yearOf, monthOf, type PeriodKey } from '../domain/period.js';
import { SharingError } from '../domain/sharing.js';
import type { Store } from '../store/types.js';
import { agreementForPeriod, resolveFund } from './agreements.js';
import { readCloseRecord } from './close.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';
import { assertFundOpen, DISSOLVE_ACTION } from './fund-state.js';
import { periodStates } from './periods.js';

export interface DissolutionDocument extends DissolutionStatement {
  closeVersion: number;
  agreementVersion: number;
  preparedAt: string;
  preparedBy: string;
  /** The resolution the dissolution rests on: the dissolution decision's text (a preview's --text). */
  text: string | null;
}

export interface DissolveResult {
  document: DissolutionDocument;
  sha256: string;
  /** Always true: dissolveFund only previews (the real record is made by the decision). */
  preview: boolean;
  /** Always null for a preview (kept so the --json shape stays as documented). */
  auditEvent: number | null;
}

export interface DissolveRequest {
  fundId?: string;
  /** YYYY-MM-DD: the last day of a closed month. */
  date: string;
  preview?: boolean;
  text?: string;
}

/** The month a dissolution date ends, or a clear refusal. */
export function dissolutionPeriod(date: string): PeriodKey {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) throw new TandemError('DISSOLUTION_DATE_INVALID', `"${date}" is not a date: write it YYYY-MM-DD, the last day of a closed month (e.g. 2026-09-30); nothing was written`, [], 2);
  const period = periodOfDate(Number(m[1]), month);
  const end = periodEndDate(period);
  if (end !== date.trim()) throw new TandemError('DISSOLUTION_DATE_INVALID', `${date} is not a month end: a fund is dissolved at the end of a closed month (${formatPeriod(period)} ends ${end}); nothing was written`);
  return period;
}

async function checkPeriods(tx: Store, fundId: string, period: PeriodKey): Promise<void> {
  const states = await periodStates(tx, fundId);
  if (states.get(period)?.action !== 'close') {
    throw new TandemError('DISSOLUTION_PERIOD_NOT_CLOSED', `${formatPeriod(period)} is not closed: close it first (tandem close ${formatPeriod(period)}), so the statement rests on a stored close; nothing was written`);
  }
  const later = [...states.values()].filter((e) => e.action === 'close' && e.period > period).map((e) => formatPeriod(e.period));
  if (later.length > 0) {
    throw new TandemError('LATER_PERIOD_CLOSED', `${later.join(', ')} ${later.length === 1 ? 'is' : 'are'} closed after ${formatPeriod(period)}: the fund cannot be dissolved at a date it has already closed past; reopen ${later.length === 1 ? 'it' : 'them'} first or choose a later date; nothing was written`);
  }
}

/** The close's spend must still be what the ledgers hold for the year to date. */
async function checkLiveSpend(tx: Store, fundId: string, period: PeriodKey, schemes: readonly { id: string; ytdActualPence: number }[]): Promise<void> {
  const live = new Map<string, number>();
  for (const row of await tx.liveTotals({ fundId, fromPeriod: periodKey(yearOf(period), 1), toPeriod: period, status: 'mapped' }, ['scheme'])) {
    if (row.schemeId !== null) live.set(row.schemeId, (live.get(row.schemeId) ?? 0) + row.amountPence);
  }
  const differ = schemes.filter((s) => (live.get(s.id) ?? 0) !== s.ytdActualPence);
  if (differ.length === 0) return;
  throw new TandemError(
    'DISSOLUTION_STALE',
    `the ledgers now hold different spend to ${formatPeriod(period)} than its close used (an earlier month that was never closed has had extracts since): reopen and close ${formatPeriod(period)} again; nothing was written`,
    differ.map((s) => ({ code: 'DISSOLUTION_STALE', message: `scheme ${s.id}: close ${s.ytdActualPence} pence, ledgers ${live.get(s.id) ?? 0} pence` })),
  );
}

function compute(fn: () => DissolutionStatement): DissolutionStatement {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SharingError) throw new TandemError('RISK_SHARE_UNSETTLED', `the position cannot be shared: ${e.message}; nothing was written`);
    if (e instanceof JournalSetupError) throw new TandemError('CODING_INCOMPLETE', `the final settlement journals cannot be written: ${e.message}; nothing was written`);
    if (e instanceof InvariantError) throw new TandemError('DISSOLUTION_INVARIANT', `the dissolution statement failed a check and was not recorded: ${e.message}`);
    throw e;
  }
}

/** A statement ready to record: checked against the stored close and the live ledgers. */
export interface PreparedDissolution {
  document: DissolutionDocument;
  sha256: string;
}

/**
 * The statement for a dissolution at `date`, inside the caller's transaction (which holds the
 * fund's lock), or the refusal that says why it cannot be made. Writes nothing.
 */
export async function prepareDissolution(ctx: AppContext, tx: Store, fundId: string, date: string, text: string | null): Promise<PreparedDissolution> {
  const period = dissolutionPeriod(date);
  await assertFundOpen(tx, fundId, 'a second dissolution');
  const { agreement, record } = await agreementForPeriod({ ...ctx, store: tx }, fundId, period);
  const [year, month] = [yearOf(period), monthOf(period)];
  if (!agreement.years.includes(year)) {
    throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${date} (${formatPeriod(period)}) is outside the agreement of fund ${fundId} (version ${record.version}), which covers ${agreement.years.map(formatYear).join(', ')}; nothing was written`);
  }
  await checkPeriods(tx, fundId, period);
  const { document: close, record: closeRecord } = await readCloseRecord({ ...ctx, store: tx }, { fundId, period });
  await checkLiveSpend(tx, fundId, period, close.schemes);
  const statement = compute(() => dissolutionStatement({ agreement, year, month, date, close }));
  const document: DissolutionDocument = { ...statement, closeVersion: closeRecord.version, agreementVersion: record.version, preparedAt: isoNow(ctx), preparedBy: ctx.actor, text };
  return { document, sha256: createHash('sha256').update(JSON.stringify(document)).digest('hex') };
}

/** Records a prepared statement as the `fund.dissolve` audit event of the decision that dissolved the fund; returns the event's id. */
export async function recordDissolution(ctx: AppContext, tx: Store, fundId: string, prepared: PreparedDissolution, decisionId: number): Promise<number> {
  const { document, sha256 } = prepared;
  const event = await tx.appendAudit({
    fundId,
    actor: ctx.actor,
    action: DISSOLVE_ACTION,
    subject: `fund:${fundId}`,
    details: { date: document.date, period: document.period, decision: decisionId, closeVersion: document.closeVersion, agreementVersion: document.agreementVersion, positionPence: document.totals.positionPence, journals: document.journals.length, text: document.text, statement: document },
    inputSha256: sha256,
    at: document.preparedAt,
  });
  return event.id;
}

/** The statement as a preview. A real run is a committee decision (DISSOLUTION_NEEDS_DECISION). */
export async function dissolveFund(ctx: AppContext, request: DissolveRequest): Promise<DissolveResult> {
  const date = request.date.trim();
  dissolutionPeriod(date);
  if (!request.preview) {
    throw new TandemError(
      'DISSOLUTION_NEEDS_DECISION',
      `dissolving the fund is a decision of the joint committee: propose it (tandem decision propose dissolution --at ${date} --text "RESOLUTION") and approve it at a quorate meeting (tandem decision approve ID --votes member=for,… --on DATE); the statement is recorded and the fund locked when the meeting's approval is given. To see the statement first: tandem dissolve --at ${date} --preview. Nothing was written`,
    );
  }
  const fundId = await resolveFund(ctx, request.fundId);
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    const { document, sha256 } = await prepareDissolution(ctx, tx, fundId, date, request.text?.trim() || null);
    return { document, sha256, preview: true, auditEvent: null };
  });
}
