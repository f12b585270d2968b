// Dissolving the fund (docs/dissolution.md): the statement the section 75 framework's dissolution
// arrangements require, computed in the pure core (src/domain/dissolution.ts) from the agreement
// in force and the stored close of the month that ends on the date, its spend checked against the
// live ledger totals. A preview stops there. The real run records the statement in the audit trail
// (`fund.dissolve`, with its SHA-256) and so locks the fund: from then on imports, closes, reopens
// and decisions are refused with FUND_DISSOLVED (fund-state.ts). One transaction under the fund's
// lock: a refusal writes nothing.

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
  /** The resolution or notice the dissolution rests on, as given (--text). */
  text: string | null;
}

export interface DissolveResult {
  document: DissolutionDocument;
  sha256: string;
  /** True when nothing was recorded. */
  preview: boolean;
  /** The audit event that records the dissolution (null for a preview). */
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

export async function dissolveFund(ctx: AppContext, request: DissolveRequest): Promise<DissolveResult> {
  const fundId = await resolveFund(ctx, request.fundId);
  const period = dissolutionPeriod(request.date);
  const date = request.date.trim();
  const text = request.text?.trim() || null;
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
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
    const json = JSON.stringify(document);
    const sha256 = createHash('sha256').update(json).digest('hex');
    if (request.preview) return { document, sha256, preview: true, auditEvent: null };
    const event = await tx.appendAudit({
      fundId,
      actor: ctx.actor,
      action: DISSOLVE_ACTION,
      subject: `fund:${fundId}`,
      details: { date, period: document.period, closeVersion: document.closeVersion, agreementVersion: record.version, positionPence: document.totals.positionPence, journals: document.journals.length, text, statement: document },
      inputSha256: sha256,
      at: document.preparedAt,
    });
    return { document, sha256, preview: false, auditEvent: event.id };
  });
}
