// The demo: a whole year of the Sheffield-scale example fund, end to end. The hand-checked M01–M03
// extracts (examples/sheffield) are followed by a deterministic synthetic M04–M12 in the same two
// ledger shapes (src/demo); the Long Term High Support lead's forecasts and a few commentaries are
// added; every month is closed; the M06 and M12 reports are written. Run again, it changes
// nothing: the same bytes are recognised, closed months are read back, commentary is not repeated.

import { join } from 'node:path';
import { writeLeadForecast, writeYearExtracts, DEFAULT_LINES_PER_MONTH } from '../demo/generate-year.js';
import { periodKey } from '../domain/period.js';
import { loadAgreement, type LoadResult } from './agreements.js';
import { closePeriod } from './close.js';
import { setCommentary } from './commentary.js';
import type { AppContext } from './context.js';
import { importForecasts } from './forecast-import.js';
import { importBatch, type ImportResult } from './import-batch.js';
import { periodStates } from './periods.js';
import { REPORT_FORMATS, writeReportFiles, type ReportFilesResult } from './report-files.js';
import { fundStatus, type FundStatus } from './status.js';

export interface DemoRequest {
  exampleDir: string;
  outDir: string;
  /** Synthetic lines in the whole year (both ledgers, M04–M12); default about 40 a month each. */
  lines?: number;
  /** Extract paths as the user should see them (relative to where they ran the command). */
  show?: (path: string) => string;
  onStep?: (message: string) => void;
}

export interface DemoResult {
  agreement: LoadResult;
  imports: ImportResult[];
  closed: { period: string; status: 'closed' | 'already closed'; seconds: number }[];
  reports: ReportFilesResult[];
  status: FundStatus;
}

const COMMENTARY: { scheme: string; month: number; text: string }[] = [
  { scheme: 'lths', month: 6, text: 'Care home fees rose 6.5% from July against 4% budgeted; the run rate points to an overspend of about £2.5m. The lead has submitted a forecast and a recovery plan goes to the September joint committee.' },
  { scheme: 'asr', month: 6, text: 'Virtual ward (ASR03) spend is held in suspense until the joint committee agrees it as fund spend.' },
  { scheme: 'lths', month: 12, text: 'Outturn overspend on long-term care, shared under the tiered risk share; settlement journals posted at M12.' },
  { scheme: 'nel', month: 12, text: 'Winter non-elective admissions peaked in January; the aligned budget is reported with the fund but stays with the ICB.' },
];

export async function runDemo(ctx: AppContext, request: DemoRequest, extracts: (dir: string) => { ledgerId: string; path: string }[]): Promise<DemoResult> {
  const show = request.show ?? ((p: string) => p);
  const step = request.onStep ?? (() => undefined);
  const agreement = await loadAgreement(ctx, show(join(request.exampleDir, 'agreement.yaml')));
  const fundId = agreement.fundId;
  const generatedDir = join(request.outDir, 'extracts');
  const linesPerMonth = request.lines === undefined ? DEFAULT_LINES_PER_MONTH : Math.max(1, Math.ceil(request.lines / 18));
  step(`writing synthetic extracts for M04–M12 (${linesPerMonth.toLocaleString('en-GB')} lines a month per ledger) to ${show(generatedDir)}`);
  await writeYearExtracts(generatedDir, { linesPerMonth });
  const forecast = writeLeadForecast(generatedDir);

  const imports: ImportResult[] = [];
  for (const e of [...extracts(request.exampleDir), ...extracts(generatedDir)]) {
    step(`importing ${show(e.path)}`);
    imports.push(await importBatch(ctx, { fundId, ledgerId: e.ledgerId, path: show(e.path) }));
  }
  await importForecasts(ctx, { fundId, path: show(forecast.path) });

  const closed: DemoResult['closed'] = [];
  for (let month = 1; month <= 12; month++) {
    const period = periodKey(2025, month);
    const state = (await periodStates(ctx.store, fundId)).get(period);
    if (state?.action === 'close') {
      closed.push({ period: `2025-26 M${String(month).padStart(2, '0')}`, status: 'already closed', seconds: 0 });
      continue;
    }
    for (const c of COMMENTARY.filter((x) => x.month === month)) {
      const existing = (await ctx.store.latestCommentary(fundId, period)).find((x) => x.schemeId === c.scheme);
      if (existing?.text !== c.text) await setCommentary(ctx, { fundId, schemeId: c.scheme, period, text: c.text });
    }
    step(`closing 2025-26 M${String(month).padStart(2, '0')}`);
    // The example keeps a few unmapped lines on purpose: the report shows them prominently.
    const result = await closePeriod(ctx, { fundId, period, allowUnmapped: true });
    closed.push({ period: result.document.period, status: 'closed', seconds: result.seconds });
  }

  const reports: ReportFilesResult[] = [];
  for (const month of [6, 12]) {
    step(`writing the 2025-26 M${String(month).padStart(2, '0')} report`);
    reports.push(await writeReportFiles(ctx, { fundId, period: periodKey(2025, month), formats: [...REPORT_FORMATS], outDir: join(request.outDir, 'reports') }));
  }
  return { agreement, imports, closed, reports, status: await fundStatus(ctx, { fundId, period: periodKey(2025, 12) }) };
}
