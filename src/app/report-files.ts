// `tandem report`: build the report data once from the stored close, then write each format asked
// for. Every file is written beside its target and renamed into place, so a reader (or a failed
// run) never leaves half a report; each format's time is measured and returned.

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PeriodKey } from '../domain/period.js';
import { reportCsvTables } from '../report/csv.js';
import { buildReport, reportLines } from './report.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';

export const REPORT_FORMATS = ['html', 'pdf', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportFilesResult {
  fundId: string;
  period: string;
  closeVersion: number;
  files: { format: ReportFormat; path: string; seconds: number }[];
  seconds: number;
}

export function parseFormats(text: string): ReportFormat[] {
  const asked = text.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
  const unknown = asked.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || asked.length === 0) throw new TandemError('USAGE', `--format takes a comma-separated list of ${REPORT_FORMATS.join(', ')}; got "${text}"`, [], 2);
  return [...new Set(asked)] as ReportFormat[];
}

async function atomicWrite(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${file}.part`;
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function writeReportFiles(ctx: AppContext, request: { fundId?: string; period: PeriodKey; version?: number; formats: ReportFormat[]; outDir: string }): Promise<ReportFilesResult> {
  const started = process.hrtime.bigint();
  const report = await buildReport(ctx, request);
  const { data } = report;
  await mkdir(request.outDir, { recursive: true });
  const stem = path.join(request.outDir, `${data.fund.id}-${data.period.replace(' ', '-')}-report`);
  const files: ReportFilesResult['files'] = [];
  let html: string | null = null;
  const needHtml = request.formats.includes('html') || request.formats.includes('pdf');
  if (needHtml) {
    const t = process.hrtime.bigint();
    // Renderers load on demand: every tandem command starts without Chromium's driver or exceljs.
    const { renderReportHtml } = await import('../report/html.js');
    html = renderReportHtml(data);
    if (request.formats.includes('html')) {
      await atomicWrite(`${stem}.html`, (tmp) => writeFile(tmp, html!, 'utf8'));
      files.push({ format: 'html', path: `${stem}.html`, seconds: elapsed(t) });
    }
  }
  if (request.formats.includes('pdf')) {
    const t = process.hrtime.bigint();
    const { renderReportPdf } = await import('../report/pdf.js');
    await atomicWrite(`${stem}.pdf`, (tmp) => renderReportPdf(html!, tmp, data));
    files.push({ format: 'pdf', path: `${stem}.pdf`, seconds: elapsed(t) });
  }
  if (request.formats.includes('xlsx')) {
    const t = process.hrtime.bigint();
    const { renderReportXlsx } = await import('../report/xlsx.js');
    const lines = await reportLines(ctx, report);
    await atomicWrite(`${stem}.xlsx`, async (tmp) => void (await renderReportXlsx(data, lines, tmp)));
    files.push({ format: 'xlsx', path: `${stem}.xlsx`, seconds: elapsed(t) });
  }
  if (request.formats.includes('csv')) {
    const t = process.hrtime.bigint();
    const dir = `${stem}-csv`;
    await mkdir(dir, { recursive: true });
    for (const table of reportCsvTables(data)) {
      const file = path.join(dir, `${table.name}.csv`);
      await atomicWrite(file, (tmp) => writeFile(tmp, table.text, 'utf8'));
    }
    files.push({ format: 'csv', path: dir, seconds: elapsed(t) });
  }
  return { fundId: data.fund.id, period: data.period, closeVersion: data.provenance.closeVersion, files, seconds: elapsed(started) };
}
