// What the drill-down and download pages share: a close as the report data (the same
// src/app/report.ts the published report uses), the agreement it was closed under, and what the
// signed-in user may do with each ledger under the one access policy (src/domain/access.ts).
//
// A stored close never changes (a re-close is a new version with a new SHA-256), so its report
// data is kept in a small cache keyed by database, fund, period, version and SHA-256: building
// it means reading, hashing and parsing the close document (2.5 MB, 18 ms, at 1M lines), which
// would otherwise dominate every page. The cached data's commentary and generation stamps are
// those of the first build: these pages show neither (the published report builds afresh).

import { agreementInForce, resolveFund } from '../../app/agreements.js';
import type { AppContext } from '../../app/context.js';
import type { SessionInfo } from '../../app/users.js';
import { buildReport, type BuiltReport } from '../../app/report.js';
import { authorise, type Action, type Decision } from '../../domain/access.js';
import type { Agreement, Ledger } from '../../domain/agreement.js';
import { periodKey, yearOf, type PeriodKey } from '../../domain/period.js';
import { reportCsvTables } from '../../report/csv.js';
import type { ReportScheme } from '../../report/report-data.js';
import type { CloseRecord } from '../../store/types.js';

export interface ClosedMonth {
  fundId: string;
  period: PeriodKey;
  /** M01 of the close's financial year: the year to date runs from here to `period`. */
  yearStart: PeriodKey;
  report: BuiltReport;
  /** The agreement the close was made under. */
  agreement: Agreement;
  /** Names of the report's CSV tables (src/report/csv.ts), as the download links need them. */
  csvTables: () => string[];
}

/** The latest close, as the dashboard shows it. */
export type LatestClose = ClosedMonth;

const CACHE_ENTRIES = 16;
const cache = new Map<string, Promise<ClosedMonth>>();

async function build(ctx: AppContext, fundId: string, record: Omit<CloseRecord, 'documentJson'>): Promise<ClosedMonth> {
  const report = await buildReport(ctx, { fundId, period: record.period, version: record.version });
  const { agreement } = await agreementInForce(ctx, fundId, report.close.agreementVersion);
  let tables: string[] | undefined;
  const csvTables = () => (tables ??= reportCsvTables(report.data).map((t) => t.name));
  return { fundId, period: record.period, yearStart: periodKey(yearOf(record.period), 1), report, agreement, csvTables };
}

/** A stored close (by its summary record) as report data, from the cache when it is there. */
export function closedMonth(ctx: AppContext, fundId: string, record: Omit<CloseRecord, 'documentJson'>): Promise<ClosedMonth> {
  const key = [ctx.store.location, fundId, record.period, record.version, record.documentSha256].join('\u0000');
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key); // most recently used last
    cache.set(key, entry);
  } else {
    entry = build(ctx, fundId, record);
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return entry;
}

/** The latest close of the fund (by period, then version, as the dashboard shows it), or null. */
export async function latestClose(ctx: AppContext): Promise<LatestClose | null> {
  const fundId = await resolveFund(ctx);
  const latest = (await ctx.store.listCloses(fundId)).at(-1);
  return latest ? closedMonth(ctx, fundId, latest) : null;
}

/** The latest version of one period's close, or null when the period has never been closed. */
export async function closeOfPeriod(ctx: AppContext, fundId: string, period: PeriodKey): Promise<ClosedMonth | null> {
  const record = (await ctx.store.listCloses(fundId)).filter((c) => c.period === period).at(-1);
  return record ? closedMonth(ctx, fundId, record) : null;
}

export function schemesOf(close: ClosedMonth): ReportScheme[] {
  return close.report.data.pools.flatMap((p) => p.schemes);
}


/** The policy's decision on a ledger action for each ledger of the agreement. */
export function ledgerDecisions(session: SessionInfo, agreement: Agreement, action: Action): Map<string, { ledger: Ledger; decision: Decision }> {
  // agreementInForce reads versions stored before the setting existed as not shared.
  const shared = agreement.lineDetailSharedAcrossPartners;
  return new Map(
    agreement.ledgers.map((ledger) => [ledger.id, { ledger, decision: authorise(session.actor, action, { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: shared }) }]),
  );
}
