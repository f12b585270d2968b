// Close a month (domain.md §§4–8): read the live totals (aggregates, never a scan of lines), the
// leads' forecasts and earlier closes; compute in the pure core; store the result as an immutable
// snapshot, lock the period, and audit it. Everything happens in one transaction under the fund's
// lock, so only one close (or import) of a fund runs at a time, on SQLite and on PostgreSQL.

import { createHash } from 'node:crypto';
import type { Agreement } from '../domain/agreement.js';
import type { Change } from '../domain/agreement-diff.js';
import type { RechargeSource } from '../domain/close-journals.js';
import { JournalSetupError } from '../domain/close-journals.js';
import { closeChanges } from '../domain/close-diff.js';
import { computeClose, type CloseComputation, type UnmappedRow } from '../domain/close.js';
import type { Journal } from '../domain/journal.js';
import { formatPounds, InvariantError, type Pence } from '../domain/money.js';
import { formatPeriod, formatYear, monthOf, periodKey, yearOf, type PeriodKey } from '../domain/period.js';
import { SharingError } from '../domain/sharing.js';
import type { CloseRecord, Store } from '../store/types.js';
import { agreementForPeriod, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';
import { assertFundOpen } from './fund-state.js';
import { assertYearNotFinal, periodStates } from './periods.js';

export interface CloseDocument extends CloseComputation {
  closeVersion: number;
  agreementVersion: number;
  closedAt: string;
  closedBy: string;
  /** The data the close read: live batches of the year to date, and forecast batches used. */
  sources: { batches: { id: number; ledger: string; file: string; sha256: string; periods: string[] }[]; forecastBatches: number[] };
  /** The version this one replaces after a reopen, and what changed against it. */
  previousVersion: number | null;
  changes: Change[];
}

export interface CloseRequest {
  fundId?: string;
  period: PeriodKey;
  allowUnmapped?: boolean;
}

export interface CloseResult {
  document: CloseDocument;
  sha256: string;
  seconds: number;
}

export async function closePeriod(ctx: AppContext, request: CloseRequest): Promise<CloseResult> {
  const started = process.hrtime.bigint();
  const fundId = await resolveFund(ctx, request.fundId);
  const { period } = request;
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, `the close of ${formatPeriod(period)}`);
    const { agreement, record } = await agreementForPeriod({ ...ctx, store: tx }, fundId, period);
    const year = yearOf(period);
    const month = monthOf(period);
    if (!agreement.years.includes(year)) {
      throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${formatPeriod(period)} is outside the agreement of fund ${fundId} (version ${record.version}), which covers ${agreement.years.map(formatYear).join(', ')}`);
    }
    await checkPeriodStates(tx, fundId, period);
    await checkDataPresent(tx, fundId, agreement, period);
    const inputs = await readInputs(tx, fundId, agreement, period);
    if (inputs.unmapped.length > 0 && !request.allowUnmapped) throw unmappedError(inputs.unmapped, period);

    const computation = compute(() =>
      computeClose({ agreement, year, month, actuals: inputs.actuals, leadForecasts: inputs.leadForecasts, recharges: inputs.recharges, ...inputs.history, unmapped: inputs.unmapped }),
    );
    const previous = await tx.getClose(fundId, period);
    const document: CloseDocument = {
      ...computation,
      closeVersion: (previous?.version ?? 0) + 1,
      agreementVersion: record.version,
      closedAt: isoNow(ctx),
      closedBy: ctx.actor,
      sources: { batches: inputs.batches, forecastBatches: inputs.forecastBatches },
      previousVersion: previous?.version ?? null,
      changes: previous ? closeChanges(JSON.parse(previous.documentJson) as CloseComputation, computation) : [],
    };
    const json = JSON.stringify(document);
    const sha256 = createHash('sha256').update(json).digest('hex');
    const stored = await tx.insertClose({ fundId, period, agreementVersion: record.version, closedAt: document.closedAt, closedBy: ctx.actor, documentJson: json, documentSha256: sha256 });
    if (stored.version !== document.closeVersion) throw new InvariantError(`close version ${stored.version} stored, ${document.closeVersion} expected`);
    await tx.appendPeriodEvent({ fundId, period, action: 'close', closeId: stored.id, reason: null, at: document.closedAt, actor: ctx.actor });
    await tx.appendAudit({
      fundId,
      actor: ctx.actor,
      action: 'close',
      subject: `close:${formatPeriod(period)}:v${stored.version}`,
      details: {
        period: document.period,
        version: stored.version,
        agreementVersion: record.version,
        fundFotVariancePence: computation.totals.fund.fotVariancePence,
        journals: computation.journals.length,
        unmappedLines: inputs.unmapped.reduce((n, u) => n + u.lines, 0),
        changes: document.changes.length,
      },
      inputSha256: sha256,
      at: document.closedAt,
    });
    return { document, sha256, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  });
}

/** Domain refusals become clear errors; nothing has been written yet when they are thrown. */
function compute(fn: () => CloseComputation): CloseComputation {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SharingError) throw new TandemError('RISK_SHARE_UNSETTLED', `the risk share cannot settle: ${e.message}; nothing was closed`);
    if (e instanceof JournalSetupError) throw new TandemError('CODING_INCOMPLETE', `journals cannot be written: ${e.message}; nothing was closed`);
    if (e instanceof InvariantError) throw new TandemError('CLOSE_INVARIANT', `the close failed a check and was not stored: ${e.message}`);
    throw e;
  }
}

async function checkPeriodStates(tx: Store, fundId: string, period: PeriodKey): Promise<void> {
  const states = await periodStates(tx, fundId);
  const own = states.get(period);
  if (own?.action === 'close') {
    throw new TandemError('PERIOD_LOCKED', `${formatPeriod(period)} is already closed; to close it again, reopen it first: tandem reopen ${formatPeriod(period)} --reason "…"`);
  }
  const later = [...states.values()].filter((e) => e.action === 'close' && e.period > period && yearOf(e.period) === yearOf(period));
  if (later.length > 0) {
    throw new TandemError('LATER_PERIOD_CLOSED', `${later.map((e) => formatPeriod(e.period)).join(', ')} ${later.length === 1 ? 'is' : 'are'} already closed; months close in order, so reopen ${later.length === 1 ? 'it' : 'them'} before closing ${formatPeriod(period)}`);
  }
  const reopened = [...states.values()].filter((e) => e.action === 'reopen' && e.period < period && yearOf(e.period) === yearOf(period));
  if (reopened.length > 0) {
    const names = reopened.map((e) => formatPeriod(e.period)).join(', ');
    throw new TandemError('EARLIER_PERIOD_OPEN', `${names} ${reopened.length === 1 ? 'was' : 'were'} reopened and not closed again; close ${reopened.length === 1 ? 'it' : 'them'} before ${formatPeriod(period)}`);
  }
}

async function checkDataPresent(tx: Store, fundId: string, agreement: Agreement, period: PeriodKey): Promise<void> {
  const rows = await tx.liveTotals({ fundId, fromPeriod: period, toPeriod: period }, ['ledger']);
  const present = new Set(rows.map((r) => r.ledgerId));
  const missing = agreement.ledgers.filter((l) => !present.has(l.id));
  if (missing.length === 0) return;
  throw new TandemError(
    'CLOSE_NO_DATA',
    `${formatPeriod(period)} cannot be closed before the data: no extract for it has been imported from ${missing.map((l) => `ledger ${l.id}`).join(', ')}`,
    missing.map((l) => ({ code: 'CLOSE_NO_DATA', message: `ledger ${l.id} (${l.name}) has no lines for ${formatPeriod(period)}` })),
  );
}

function unmappedError(unmapped: UnmappedRow[], period: PeriodKey): TandemError {
  const lines = unmapped.reduce((n, u) => n + u.lines, 0);
  return new TandemError(
    'CLOSE_UNMAPPED',
    `${lines} line(s) up to ${formatPeriod(period)} are unmapped (held in suspense); map them (tandem unmapped, then fix the rules and tandem remap) or close with --allow-unmapped to report them prominently`,
    unmapped.map((u) => ({ code: 'CLOSE_UNMAPPED', message: `ledger ${u.ledger}: ${u.lines} unmapped line(s), £${formatPounds(u.amountPence)}` })),
  );
}

async function readInputs(tx: Store, fundId: string, agreement: Agreement, period: PeriodKey) {
  const year = yearOf(period);
  const month = monthOf(period);
  const ytd = { fundId, fromPeriod: periodKey(year, 1), toPeriod: period };
  const partnerOf = new Map(agreement.ledgers.map((l) => [l.id, l.partner]));

  const actuals: Record<string, Record<string, Pence[]>> = {};
  for (const row of await tx.liveTotals({ ...ytd, status: 'mapped' }, ['ledger', 'period', 'scheme'])) {
    const partner = partnerOf.get(row.ledgerId);
    if (partner === undefined || row.schemeId === null) continue; // a ledger no longer in the agreement
    const months = ((actuals[row.schemeId] ??= {})[partner] ??= Array.from({ length: 12 }, () => 0));
    months[monthOf(row.period) - 1]! += row.amountPence;
  }
  const unmapped = (await tx.liveTotals({ ...ytd, status: 'unmapped' }, ['ledger'])).map((r) => ({ ledger: r.ledgerId, lines: r.lineCount, amountPence: r.amountPence }));
  const recharges: RechargeSource[] = (await tx.liveTotals({ fundId, fromPeriod: period, toPeriod: period, status: 'mapped' }, ['ledger', 'scheme', 'codes']))
    .filter((r) => r.schemeId !== null)
    .map((r) => ({ ledger: r.ledgerId, scheme: r.schemeId!, codes: JSON.parse(r.codes) as string[], amountPence: r.amountPence }));

  const forecasts = await tx.leadForecasts(fundId, period);
  const unknown = forecasts.filter((f) => !agreement.schemes.some((s) => s.id === f.schemeId));
  if (unknown.length > 0) throw new TandemError('FORECAST_SCHEME_UNKNOWN', `forecasts for ${formatPeriod(period)} name scheme(s) no longer in the agreement: ${unknown.map((f) => f.schemeId).join(', ')}`);

  const history = { previousJournals: [] as Journal[], earlierJournals: [] as Journal[] };
  for (let m = 1; m < month; m++) {
    const earlier = await tx.getClose(fundId, periodKey(year, m));
    if (!earlier) continue;
    const journals = (JSON.parse(earlier.documentJson) as CloseComputation).journals;
    history.earlierJournals.push(...journals);
    if (m === month - 1) history.previousJournals = journals;
  }

  // Each batch with the periods it supplied to this close (live, within the year to date).
  const batches = (await tx.listBatches(fundId))
    .map((b) => ({ b, live: b.periods.filter((p) => p >= ytd.fromPeriod && p <= period && !(p in b.supersededPeriods)) }))
    .filter(({ live }) => live.length > 0)
    .map(({ b, live }) => ({ id: b.id, ledger: b.ledgerId, file: b.fileName, sha256: b.fileSha256, periods: live.map(formatPeriod) }));
  return {
    actuals,
    unmapped,
    recharges,
    leadForecasts: Object.fromEntries(forecasts.map((f) => [f.schemeId, f.amountPence])),
    forecastBatches: [...new Set(forecasts.map((f) => f.batchId))],
    history,
    batches,
  };
}

export async function reopenPeriod(ctx: AppContext, request: { fundId?: string; period: PeriodKey; reason: string }): Promise<{ fundId: string; period: string; closeVersion: number }> {
  const fundId = await resolveFund(ctx, request.fundId);
  const reason = request.reason.trim();
  if (reason === '') throw new TandemError('USAGE', 'a reopen needs a reason (--reason "…"): it goes in the audit trail', [], 2);
  const { period } = request;
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, `the reopening of ${formatPeriod(period)}`);
    const states = await periodStates(tx, fundId);
    const own = states.get(period);
    if (own?.action !== 'close') throw new TandemError('PERIOD_NOT_CLOSED', `${formatPeriod(period)} is not closed, so there is nothing to reopen`);
    await assertYearNotFinal(tx, fundId, period);
    const later = [...states.values()].filter((e) => e.action === 'close' && e.period > period && yearOf(e.period) === yearOf(period));
    if (later.length > 0) {
      throw new TandemError('LATER_PERIOD_CLOSED', `${later.map((e) => formatPeriod(e.period)).join(', ')} ${later.length === 1 ? 'is' : 'are'} closed, and ${later.length === 1 ? 'its close builds' : 'their closes build'} on ${formatPeriod(period)}; reopen the latest period first`);
    }
    const close = await tx.getClose(fundId, period);
    const at = isoNow(ctx);
    await tx.appendPeriodEvent({ fundId, period, action: 'reopen', closeId: null, reason, at, actor: ctx.actor });
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'reopen', subject: `close:${formatPeriod(period)}:v${close!.version}`, details: { period: formatPeriod(period), reason, closeVersion: close!.version }, inputSha256: null, at });
    return { fundId, period: formatPeriod(period), closeVersion: close!.version };
  });
}

/** The stored close of a period (the latest version unless one is asked for). */
export async function readClose(ctx: AppContext, request: { fundId?: string; period: PeriodKey; version?: number }): Promise<CloseDocument> {
  return (await readCloseRecord(ctx, request)).document;
}

/** The stored close with its record (version, hash, who and when), its SHA-256 checked. */
export async function readCloseRecord(ctx: AppContext, request: { fundId?: string; period: PeriodKey; version?: number }): Promise<{ document: CloseDocument; record: CloseRecord }> {
  const fundId = await resolveFund(ctx, request.fundId);
  const record = await ctx.store.getClose(fundId, request.period, request.version);
  if (!record) {
    const which = request.version === undefined ? '' : ` version ${request.version}`;
    throw new TandemError('CLOSE_NOT_FOUND', `${formatPeriod(request.period)}${which} has not been closed for fund ${fundId}: run tandem close ${formatPeriod(request.period)} first`);
  }
  const sha = createHash('sha256').update(record.documentJson).digest('hex');
  if (sha !== record.documentSha256) throw new TandemError('CLOSE_CORRUPT', `the stored close of ${formatPeriod(request.period)} version ${record.version} does not match its SHA-256; the database has been altered`);
  return { document: JSON.parse(record.documentJson) as CloseDocument, record };
}
