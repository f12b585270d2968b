// The monthly joint finance report's data (domain.md §9), built once from a stored close — never
// recomputed, so every format shows exactly what was closed — plus the scheme commentary and the
// provenance. Renderers in src/report/ turn it into HTML, PDF, XLSX and CSV.

import type { Agreement } from '../domain/agreement.js';
import type { Figures } from '../domain/close-figures.js';
import type { SchemeResult } from '../domain/close.js';
import { sumPence } from '../domain/money.js';
import { calendarMonthOf, formatPeriod, parsePeriodArg, yearOf, type PeriodKey } from '../domain/period.js';
import type { ReportData, ReportFigures, ReportLine, ReportLineBatch, ReportScheme, ReportSeries } from '../report/report-data.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { readCloseRecord, type CloseDocument } from './close.js';
import { isoNow, type AppContext } from './context.js';
import { budgetReconciliationFor } from './decisions.js';
import { codeColumnsOf } from './journal-export.js';
import { reportPlanning } from './report-planning.js';
import { memorandumOfClose } from './returns.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function figures(f: Figures): ReportFigures {
  const { annualBudgetPence, ytdBudgetPence, ytdActualPence, ytdVariancePence, fotPence, fotVariancePence, rag } = f;
  return { annualBudgetPence, ytdBudgetPence, ytdActualPence, ytdVariancePence, fotPence, fotVariancePence, rag };
}

function series(id: string, label: string, schemes: readonly SchemeResult[], month: number): ReportSeries {
  return {
    id,
    label,
    monthlyBudgetPence: Array.from({ length: 12 }, (_, i) => sumPence(schemes.map((s) => s.monthlyBudgetPence[i] ?? 0))),
    monthlyActualPence: Array.from({ length: month }, (_, i) => sumPence(schemes.map((s) => s.monthlyActualPence[i] ?? 0))),
    fotPence: sumPence(schemes.map((s) => s.fotPence)),
  };
}

function unitLabel(agreement: Agreement, unit: string): string {
  const [kind, id] = unit.split(':') as [string, string];
  if (kind === 'pool') return `${agreement.pools.find((p) => p.id === id)?.name ?? id} (netted)`;
  return `Scheme ${id} — ${agreement.schemes.find((s) => s.id === id)?.name ?? id}`;
}

export interface BuiltReport {
  data: ReportData;
  close: CloseDocument;
  period: PeriodKey;
}

export async function buildReport(ctx: AppContext, request: { fundId?: string; period: PeriodKey; version?: number }): Promise<BuiltReport> {
  const fundId = await resolveFund(ctx, request.fundId);
  const { document: close, record } = await readCloseRecord(ctx, { fundId, period: request.period, version: request.version });
  const { agreement } = await agreementInForce(ctx, fundId, close.agreementVersion);
  const commentary = new Map((await ctx.store.latestCommentary(fundId, request.period)).map((c) => [c.schemeId, { text: c.text, by: c.writtenBy, at: c.writtenAt }]));
  const month = Number(close.month.slice(1));
  const scheme = (s: SchemeResult): ReportScheme => ({
    ...figures(s),
    id: s.id,
    name: s.name,
    pool: s.pool,
    type: s.type,
    fotBasis: s.fotBasis,
    leadCommissioner: agreement.schemes.find((x) => x.id === s.id)?.leadCommissioner ?? null,
    commentary: commentary.get(s.id) ?? null,
  });
  const partners = agreement.partners.map((p) => ({ id: p.id, name: p.name }));
  const exposure = partners.map((p) => ({ partner: p.id, name: p.name, sharePence: sumPence(close.units.map((u) => u.sharesPence[p.id] ?? 0)) }));
  const { year: calYear, month: calMonth } = calendarMonthOf(request.period);
  const data: ReportData = {
    fund: { id: close.fund, name: close.fundName },
    period: close.period,
    year: close.year,
    month,
    monthName: `${MONTHS[calMonth - 1]} ${calYear}`,
    classification: 'OFFICIAL',
    partners,
    summary: [
      { id: 'pooled', label: 'Pooled', ...figures(close.totals.pooled) },
      { id: 'aligned', label: 'Aligned', ...figures(close.totals.aligned) },
      { id: 'integrated', label: 'Integrated fund (pooled + aligned)', ...figures(close.totals.fund) },
    ],
    pools: close.pools.map((p) => ({ id: p.id, name: p.name, host: p.host, netting: p.netting, ...figures(p.figures), schemes: close.schemes.filter((s) => s.pool === p.id).map(scheme) })),
    shares: close.units.map((u) => ({
      unit: u.id,
      label: unitLabel(agreement, u.id),
      pool: u.pool,
      variancePence: u.variancePence,
      sharesPence: Object.fromEntries(partners.map((p) => [p.id, u.sharesPence[p.id] ?? 0])),
      retainedPence: u.retainedPence,
      reasons: u.reasons.map((r) => r.text),
    })),
    exposure,
    series: [series('fund', 'Integrated fund', close.schemes, month), ...close.pools.map((p) => series(p.id, p.name, close.schemes.filter((s) => s.pool === p.id), month))],
    journals: [...new Set(close.journals.map((j) => j.ledger))].map((ledger) => {
      const l = agreement.ledgers.find((x) => x.id === ledger);
      return { ledger, ledgerName: l?.name ?? ledger, partner: l?.partner ?? '', codeColumns: codeColumnsOf(agreement, ledger), journals: close.journals.filter((j) => j.ledger === ledger) };
    }),
    balances: close.agreementOfBalances,
    unmapped: close.unmapped,
    budgetReconciliation: await budgetReconciliationFor(ctx, { fundId, year: yearOf(request.period), upToVersion: close.agreementVersion }),
    ...(await reportPlanning(ctx, fundId, close, record, request.period)),
    // From this close and its agreement version, whichever close version is reported, so a report
    // regenerated later (or of an earlier version) shows the account that close gave.
    memorandum: close.month === 'M12' ? memorandumOfClose(close, agreement) : null,
    provenance: {
      agreementVersion: close.agreementVersion,
      closeVersion: close.closeVersion,
      closedAt: close.closedAt,
      closedBy: close.closedBy,
      closeSha256: record.documentSha256,
      generatedAt: isoNow(ctx),
      generatedBy: ctx.actor,
      batches: close.sources.batches,
      forecastBatches: close.sources.forecastBatches,
    },
  };
  return { data, close, period: request.period };
}

/**
 * The mapped lines behind the report's figures: each source batch's lines in the periods it
 * supplied to the close, read chunk by chunk as the renderer asks (memory stays bounded).
 */
/**
 * Lines read per chunk. Small on purpose: a chunk's parsed lines live across the XLSX writer's
 * awaits, and at 5,000 they were promoted to V8's old space and the heap grew lazily — the 1M-line
 * report peaked at 310 MB; at 1,000 at 245–264 MB, in the same time (two runs each, same machine).
 */
const REPORT_LINES_PER_CHUNK = 1_000;

export async function reportLines(ctx: AppContext, report: BuiltReport, chunkSize = REPORT_LINES_PER_CHUNK): Promise<ReportLineBatch[]> {
  const batches: ReportLineBatch[] = [];
  for (const b of report.data.provenance.batches) {
    const stored = await ctx.store.getBatch(b.id);
    const periods = new Set(b.periods.map((p) => parsePeriodArg(p)!));
    const store = ctx.store;
    batches.push({
      batchId: b.id,
      ledger: b.ledger,
      file: b.file,
      header: JSON.parse(stored?.headerJson ?? '[]') as string[],
      lines: (async function* () {
        for await (const chunk of store.iterateBatchLines(b.id, chunkSize)) {
          const out: ReportLine[] = [];
          for (const l of chunk) {
            if (l.status !== 'mapped' || l.schemeId === null || !periods.has(l.period)) continue;
            out.push({ lineNo: l.lineNo, period: formatPeriod(l.period), schemeId: l.schemeId, amountPence: l.amountPence, raw: JSON.parse(l.raw) as string[] });
          }
          if (out.length > 0) yield out;
        }
      })(),
    });
  }
  return batches;
}
