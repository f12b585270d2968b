// Tandem on one set of benchmark files, every step a `tandem … --json` child process timed from
// spawn to exit with its peak RSS (bench/cli.ts): load the bench agreement, import the council and
// the NHS extracts, close M12 (--allow-unmapped: the NHS 73xx cost centres map to no scheme), and
// optionally write the report of M12 (HTML + XLSX + CSV in one process, then the PDF).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTandem, type Measured } from './cli.js';

export const YEAR = '2025-26';
export const CLOSE_MONTH = 'M12';
const PERIOD = [YEAR, CLOSE_MONTH];

interface ImportOutput {
  lines: number;
  seconds: number;
}

export interface CloseOutput {
  seconds: number;
  closeVersion: number;
  schemes: { id: string; ytdActualPence: number }[];
  unmapped: { ledger: string; lines: number; amountPence: number }[];
  journals: { lines: unknown[] }[];
}

interface ReportOutput {
  files: { format: string; path: string; seconds: number }[];
  seconds: number;
}

export interface StepResult {
  wallS: number;
  inProcessS: number;
  peakRssMb: number;
}

export interface FundResult {
  agreementS: number;
  /**
   * The start-up floor: the fastest of three `tandem status --json` runs on the fund before any
   * import — Node's start, loading Tandem, opening and closing the store. Each import pays it
   * once, whatever the file's size.
   */
  startupS: number;
  imports: { ledger: 'council' | 'nhs'; lines: number; step: StepResult }[];
  close: StepResult & { output: CloseOutput };
  /** HTML + XLSX + CSV in one process; null when skipped. */
  report: (StepResult & { formats: Record<string, number> }) | null;
  /** The PDF (Chromium); null when skipped or Chromium is missing. */
  pdf: StepResult | null;
}

function step<T extends { seconds: number }>(m: Measured<T>): StepResult {
  return { wallS: m.wallSeconds, inProcessS: m.output.seconds, peakRssMb: m.peakRssMb };
}

export interface FundFiles {
  agreement: string;
  council: string;
  nhs: string;
}

export function chromiumAvailable(): boolean {
  return existsSync('/usr/bin/chromium') || existsSync('/usr/lib/chromium/chromium');
}

/** Runs the fund on `db` (a SQLite path or a postgres:// URL); `dir` is scratch space (RSS notes, the report). */
export function runFund(db: string, dir: string, files: FundFiles, options: { report: boolean; log: (text: string) => void }): FundResult {
  const agreement = runTandem<unknown>(['agreement', 'load', files.agreement, '--db', db], dir);
  const startupS = Math.min(...[1, 2, 3].map(() => runTandem<unknown>(['status', '--db', db], dir).wallSeconds));
  options.log(`  start-up floor (tandem status, fastest of 3): ${startupS.toFixed(2)} s`);
  const imports: FundResult['imports'] = [];
  for (const ledger of ['council', 'nhs'] as const) {
    const m = runTandem<ImportOutput>(['import', '--ledger', ledger, files[ledger], '--db', db], dir);
    options.log(`  import ${ledger}: ${m.output.lines.toLocaleString('en-GB')} lines in ${m.wallSeconds.toFixed(2)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB`);
    imports.push({ ledger, lines: m.output.lines, step: step(m) });
  }
  const closed = runTandem<CloseOutput>(['close', ...PERIOD, '--allow-unmapped', '--db', db], dir);
  options.log(`  close ${PERIOD.join(' ')}: ${closed.wallSeconds.toFixed(2)} s (in process ${closed.output.seconds.toFixed(2)} s), peak RSS ${closed.peakRssMb.toFixed(0)} MB`);
  if (closed.output.closeVersion !== 1) throw new Error(`close version ${closed.output.closeVersion}, expected 1 (a fresh fund)`);
  let report: FundResult['report'] = null;
  let pdf: FundResult['pdf'] = null;
  if (options.report) {
    const out = join(dir, 'report');
    const m = runTandem<ReportOutput>(['report', ...PERIOD, '--format', 'html,xlsx,csv', '--out', out, '--db', db], dir);
    report = { ...step(m), formats: Object.fromEntries(m.output.files.map((f) => [f.format, f.seconds])) };
    options.log(`  report HTML+XLSX+CSV: ${m.wallSeconds.toFixed(2)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB`);
    if (chromiumAvailable()) {
      const p = runTandem<ReportOutput>(['report', ...PERIOD, '--format', 'pdf', '--out', out, '--db', db], dir);
      pdf = step(p);
      options.log(`  report PDF: ${p.wallSeconds.toFixed(2)} s, peak RSS ${p.peakRssMb.toFixed(0)} MB`);
    } else {
      options.log('  report PDF: skipped (no Debian chromium; scripts/install-system-deps.sh)');
    }
  }
  return { agreementS: agreement.wallSeconds, startupS, imports, close: { ...step(closed), output: closed.output }, report, pdf };
}

/** Import (both ledgers) + close, wall-clock, every process's start included: what the peers are compared with. */
export function importAndCloseS(fund: FundResult): number {
  return fund.imports.reduce((s, i) => s + i.step.wallS, 0) + fund.close.wallS;
}

export function importS(fund: FundResult): number {
  return fund.imports.reduce((s, i) => s + i.step.wallS, 0);
}

/** The imports' wall time less one start-up floor each: the import's own work, as the storage limit measures its own. */
export function importNetS(fund: FundResult): number {
  return importS(fund) - fund.imports.length * fund.startupS;
}

export function importPeakRssMb(fund: FundResult): number {
  return Math.max(...fund.imports.map((i) => i.step.peakRssMb));
}
