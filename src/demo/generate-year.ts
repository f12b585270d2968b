// Synthetic ledger extracts for the rest of 2025-26 (M04–M12 by default) of the Sheffield example
// fund, so that `tandem demo` can run a whole year: the hand-made M01–M03 files
// (examples/sheffield/make-extracts.mjs) stay as they are and these continue them, one file per
// ledger and month in exactly the shape that ledger's settings read (lines.ts), with the same
// codes, so the same mapping rules place them (catalogue.ts). The story (plan.ts): each scheme
// spends about its budget a month, lths drifts to a £2–4m overspend as care-home costs grow,
// asr and pkw run a little under, ils on plan, nel peaks in winter; each month also holds the
// out-of-scope lines the rules take out, a few lines no rule maps yet, and some credit notes.
//
// Deterministic: the same seed gives byte-identical files, each month's file the same whichever
// months are generated with it, and each scheme's monthly total the same whatever linesPerMonth.
// Amounts are whole pence throughout.

import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPounds } from '../domain/money.js';
import { monthItems } from './catalogue.js';
import { csvField, lineCounts, writeLedgerMonth } from './lines.js';
import { leadForecastPence, monthCalendar, schemeTargets, type LedgerId } from './plan.js';
import { randomFor } from './random.js';

export interface YearExtractOptions {
  /** Lines per ledger per month (default 40); more spreads the same spend over more lines. */
  linesPerMonth?: number;
  /** Default 2025. */
  seed?: number;
  /** First and last month, 1..12 (default 4 and 12). */
  fromMonth?: number;
  toMonth?: number;
}

export interface WrittenExtract {
  ledger: LedgerId;
  month: number;
  path: string;
  /** Lines of data (the council's title, header and totals lines not counted). */
  lines: number;
  /** Their total: expenditure positive, income and credits negative. */
  totalPence: number;
}

export const DEFAULT_SEED = 2025;
export const DEFAULT_LINES_PER_MONTH = 40;
const LEDGERS: readonly LedgerId[] = ['scc', 'sccg'];

/** The path of a ledger's extract for a month: `ledgers/<ledger>/2025-26-Mnn.csv` under outDir. */
export function extractPath(outDir: string, ledger: LedgerId, month: number): string {
  return join(outDir, 'ledgers', ledger, `2025-26-M${String(month).padStart(2, '0')}.csv`);
}

export async function writeYearExtracts(outDir: string, options: YearExtractOptions = {}): Promise<WrittenExtract[]> {
  const linesPerMonth = options.linesPerMonth ?? DEFAULT_LINES_PER_MONTH;
  const seed = options.seed ?? DEFAULT_SEED;
  const fromMonth = options.fromMonth ?? 4;
  const toMonth = options.toMonth ?? 12;
  if (!Number.isSafeInteger(linesPerMonth) || linesPerMonth < 1) throw new RangeError(`linesPerMonth must be a whole number from 1, got ${linesPerMonth}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  if (!Number.isInteger(fromMonth) || !Number.isInteger(toMonth) || fromMonth < 1 || toMonth > 12 || fromMonth > toMonth) {
    throw new RangeError(`months must run within 1..12, got ${fromMonth}..${toMonth}`);
  }
  const written: WrittenExtract[] = [];
  for (const ledger of LEDGERS) await mkdir(join(outDir, 'ledgers', ledger), { recursive: true });
  for (let month = fromMonth; month <= toMonth; month++) {
    const cal = monthCalendar(month);
    const previous = month > 1 ? monthCalendar(month - 1) : null;
    const targets = schemeTargets(seed, month);
    for (const ledger of LEDGERS) {
      const items = monthItems(ledger, cal, previous, seed, targets);
      const path = extractPath(outDir, ledger, month);
      const random = randomFor(seed, ledger, month, 'lines');
      const { lines, totalPence } = await writeLedgerMonth(path, { ledger, cal, items, counts: lineCounts(items, linesPerMonth), random });
      written.push({ ledger, month, path, lines, totalPence });
    }
  }
  return written;
}

export interface LeadForecast {
  scheme: 'lths';
  month: number;
  amountPence: number;
  note: string;
}

const FORECAST_NOTES: Readonly<Record<number, string>> = {
  6: 'care home placements above plan; fee uplift backdated to April',
  9: 'nursing placements still rising; winter discharges expected to add to it',
  12: 'year-end outturn',
};

/**
 * The Long Term High Support lead's forecast outturn for a few months (default M06 and M09), as
 * `outDir/forecasts/lths-2025-26.csv` with the header `scheme,period,amount,note`.
 */
export function writeLeadForecast(outDir: string, options: { months?: readonly number[] } = {}): { path: string; forecasts: LeadForecast[] } {
  const months = options.months ?? [6, 9];
  for (const m of months) if (!Number.isInteger(m) || m < 1 || m > 12) throw new RangeError(`forecast month must be 1..12, got ${m}`);
  const forecasts = [...new Set(months)]
    .sort((a, b) => a - b)
    .map((month): LeadForecast => ({ scheme: 'lths', month, amountPence: leadForecastPence(month), note: FORECAST_NOTES[month] ?? 'run rate plus known placements' }));
  const rows = forecasts.map((f) => `${f.scheme},2025-26 M${String(f.month).padStart(2, '0')},${formatPounds(f.amountPence, { grouping: false })},${csvField(f.note)}`);
  const dir = join(outDir, 'forecasts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'lths-2025-26.csv');
  writeFileSync(path, ['scheme,period,amount,note', ...rows, ''].join('\n'), 'utf8');
  return { path, forecasts };
}
