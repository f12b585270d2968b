// What the monthly report shows next to the money (issue 10 §2, issue 9 §2): the contracts and
// metrics of the fund's register, and the multi-year view — all as they stood when the close was
// made, so a report regenerated later from the stored close shows the same figures:
//
// - the register is the latest version loaded at or before the close's time;
// - activity, outcomes and metrics are those of the measure batches imported by then (a later
//   correction file does not change an earlier month's report);
// - contract spend is summed from the line totals of the very batches and periods the close read
//   (its `sources`), not from the ledgers as they are now;
// - the multi-year view takes each year's latest close, agreement version and year-end made up to
//   this close (period events and closes by id, so the order is exact whatever the clock says).

import type { Agreement } from '../domain/agreement.js';
import type { CloseComputation } from '../domain/close.js';
import type { ContractRegister } from '../domain/contracts.js';
import { parsePeriodArg, periodKey, yearOf, type PeriodKey, type YearStart } from '../domain/period.js';
import { metricRows } from '../report/metrics.js';
import { multiYearView, type MultiYearView, type YearInput } from '../report/multi-year.js';
import type { ReportData } from '../report/report-data.js';
import type { CloseRecord, LiveTotalRow } from '../store/types.js';
import { agreementInForce } from './agreements.js';
import type { CloseDocument } from './close.js';
import type { AppContext } from './context.js';
import { contractRows } from './contract-report.js';
import type { YearEndDocument } from './year-end.js';

export type ReportPlanning = Pick<ReportData, 'contracts' | 'metrics' | 'multiYear'>;

async function registerAsAt(ctx: AppContext, fundId: string, at: string): Promise<{ version: number; register: ContractRegister } | null> {
  const version = (await ctx.store.listContractRegisters(fundId)).filter((r) => r.loadedAt <= at).at(-1)?.version;
  const record = version === undefined ? undefined : await ctx.store.getContractRegister(fundId, version);
  return record ? { version: record.version, register: JSON.parse(record.modelJson) as ContractRegister } : null;
}

/** Each contract's spend totals from the batches and periods the close read, per ledger. */
async function closeTotals(ctx: AppContext, close: CloseDocument, ledgers: ReadonlySet<string>): Promise<Map<string, Omit<LiveTotalRow, 'ledgerId'>[]>> {
  const byLedger = new Map<string, Omit<LiveTotalRow, 'ledgerId'>[]>();
  for (const batch of close.sources.batches) {
    if (!ledgers.has(batch.ledger)) continue;
    const rows = byLedger.get(batch.ledger) ?? [];
    for (const text of batch.periods) rows.push(...(await ctx.store.batchLineTotals(batch.id, parsePeriodArg(text)!)));
    byLedger.set(batch.ledger, rows);
  }
  return byLedger;
}

async function contractsAndMetrics(ctx: AppContext, fundId: string, close: CloseDocument, period: PeriodKey): Promise<Pick<ReportData, 'contracts' | 'metrics'>> {
  const found = await registerAsAt(ctx, fundId, close.closedAt);
  if (!found) return { contracts: null, metrics: null };
  const { register, version } = found;
  const lastBatch = (await ctx.store.listMeasureBatches(fundId)).filter((b) => b.importedAt <= close.closedAt).reduce((max, b) => Math.max(max, b.id), 0);
  const measures = (kind: 'activity' | 'outcomes' | 'metrics') => ctx.store.measuresInForce(fundId, kind, lastBatch);
  let contracts: ReportData['contracts'] = null;
  if (register.contracts.length > 0) {
    const { agreement } = await agreementInForce(ctx, fundId, close.agreementVersion);
    const totalsByLedger = await closeTotals(ctx, close, new Set(register.contracts.flatMap((c) => c.spend.map((s) => s.ledger))));
    const made = contractRows({ register, agreement, agreementVersion: close.agreementVersion, period, activity: await measures('activity'), outcomes: await measures('outcomes'), totalsByLedger });
    const rows = made.rows.map((r) => ({
      id: r.id,
      name: r.name,
      provider: r.provider.name,
      mechanism: r.mechanism,
      annualValuePence: r.annualValuePence,
      unitsYtd: r.unitsYtd,
      outcomesYtd: r.outcomesYtd,
      dueYtdPence: r.dueYtdPence,
      spendYtdPence: r.spendYtdPence,
      spendMinusDuePence: r.spendMinusDuePence,
      matchedOutsideSchemesPence: r.matchedOutsideSchemesPence,
    }));
    contracts = { registerVersion: version, rows, warnings: made.warnings };
  }
  const metrics = register.metrics.length > 0 ? { registerVersion: version, rows: metricRows(register.metrics, await measures('metrics'), period) } : null;
  return { contracts, metrics };
}

/** The multi-year view as it stood at this close (see the header). */
async function multiYearAsAt(ctx: AppContext, fundId: string, close: CloseDocument, record: CloseRecord): Promise<MultiYearView> {
  const versions = (await ctx.store.listAgreementVersions(fundId)).filter((v) => v.version <= close.agreementVersion || v.loadedAt <= close.closedAt);
  const agreements = new Map<number, Agreement>();
  const agreementFor = async (period: PeriodKey): Promise<Agreement> => {
    const version = (versions.filter((v) => (v.effectiveFrom ?? 0) <= period).at(-1) ?? versions.at(-1))!.version;
    if (!agreements.has(version)) agreements.set(version, (await agreementInForce(ctx, fundId, version)).agreement);
    return agreements.get(version)!;
  };
  const events = await ctx.store.listPeriodEvents(fundId);
  const own = events.find((e) => e.closeId === record.id);
  // The latest event of each period up to this close's own event: which periods were closed then.
  const state = new Map<PeriodKey, string>();
  for (const e of events) if (own === undefined || e.id <= own.id) state.set(e.period, e.action);
  const closes = (await ctx.store.listCloses(fundId)).filter((c) => c.id <= record.id);
  const yearEnds = new Map((await ctx.store.listYearEnds(fundId)).filter((y) => y.at <= close.closedAt).map((y) => [y.year, JSON.parse(y.documentJson) as YearEndDocument]));
  const inputs: YearInput[] = [];
  for (const year of (await agreementInForce(ctx, fundId, close.agreementVersion)).agreement.years as YearStart[]) {
    const closed = [...state].filter(([p, action]) => action === 'close' && yearOf(p) === year).map(([p]) => p);
    const lastClosed = closed.length > 0 ? Math.max(...closed) : null;
    let computation: CloseComputation | null = null;
    if (lastClosed === record.period) computation = close;
    else if (lastClosed !== null) {
      const version = closes.filter((c) => c.period === lastClosed).reduce((max, c) => Math.max(max, c.version), 0);
      const stored = version > 0 ? await ctx.store.getClose(fundId, lastClosed, version) : undefined;
      computation = stored ? (JSON.parse(stored.documentJson) as CloseComputation) : null;
    }
    const carriedIn = (yearEnds.get(year - 1)?.lines ?? []).filter((l) => l.kind === 'carry_forward' || l.kind === 'overspend_recovery');
    inputs.push({ year, original: await agreementFor(periodKey(year, 1)), current: await agreementFor(lastClosed ?? periodKey(year, 12)), close: computation, carriedIn, final: yearEnds.has(year) });
  }
  return multiYearView(inputs);
}

export async function reportPlanning(ctx: AppContext, fundId: string, close: CloseDocument, record: CloseRecord, period: PeriodKey): Promise<ReportPlanning> {
  return { ...(await contractsAndMetrics(ctx, fundId, close, period)), multiYear: await multiYearAsAt(ctx, fundId, close, record) };
}
