// Periods as ledgers write them: a financial month with or without its year (`3`, `M03`, `P3`,
// `2025-26 M03`, `2025/26 P03`), a calendar month (`Jun-25`, `Jun-2025`, `2025-06`), and the
// period 13 / adjustment period that closes a ledger's year (`13`, `M13`, `P13`, `ADJ`).

import { parseYear, periodKey, periodOfDate, type PeriodKey, type YearStart } from '../domain/period.js';

export interface PeriodContext {
  /** The financial year of bare month numbers (`3`, `M03`); null if none is known. */
  year: YearStart | null;
  /** Where period 13 and adjustment periods go (domain.md §3: M12 unless settings say otherwise). */
  period13: 'M12' | 'reject';
}

export type PeriodResult =
  | { ok: true; period: PeriodKey }
  | { ok: false; code: 'PERIOD_INVALID' | 'PERIOD_MISSING'; reason: string };

const ADJUSTMENT_PERIOD = 13;
const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** Optional financial year, then M/P/Period and a number, or ADJ. */
const FINANCIAL_FORM = /^(?:(\d{4}[-/](?:\d{2}|\d{4}))\s*[-/_ ]?\s*)?(?:(?:M|P|PERIOD)\s*(\d{1,2})|(\d{1,2})|(ADJ))$/i;
/** `Jun-25`, `Jun-2025`, `June 2025`. */
const MONTH_NAME_FORM = /^([A-Z]{3,9})[-/ ]?(\d{2}|\d{4})$/i;
/** `2025-06`: a calendar month. */
const CALENDAR_FORM = /^(\d{4})-(\d{2})$/;

export function parsePeriod(text: string, context: PeriodContext): PeriodResult {
  const trimmed = text.trim();
  const financial = FINANCIAL_FORM.exec(trimmed);
  if (financial) return financialPeriod(trimmed, financial, context);
  const named = MONTH_NAME_FORM.exec(trimmed);
  if (named) return calendarPeriod(trimmed, monthNumber(named[1]!), named[2]!);
  const calendar = CALENDAR_FORM.exec(trimmed);
  if (calendar) return calendarPeriod(trimmed, Number(calendar[2]), calendar[1]!);
  return invalid(trimmed);
}

function financialPeriod(text: string, match: RegExpExecArray, context: PeriodContext): PeriodResult {
  const [, yearText, prefixedMonth, bareMonth, adjustment] = match;
  const month = adjustment ? ADJUSTMENT_PERIOD : Number(prefixedMonth ?? bareMonth);
  if (month < 1 || month > ADJUSTMENT_PERIOD) {
    return { ok: false, code: 'PERIOD_INVALID', reason: `"${text}" is not a period (periods run from 1 to 12, or 13 for adjustments)` };
  }
  let year = context.year;
  if (yearText !== undefined) {
    const given = parseYear(yearText);
    if (given === undefined || !isKeyYear(given)) return invalid(text);
    year = given;
  }
  if (year !== null && !isKeyYear(year)) return invalid(text);
  if (year === null) {
    return {
      ok: false,
      code: 'PERIOD_MISSING',
      reason: `period "${text}" does not say which financial year it is in, and neither a year column nor a year for the import was given`,
    };
  }
  if (month === ADJUSTMENT_PERIOD) {
    if (context.period13 === 'reject') {
      return { ok: false, code: 'PERIOD_INVALID', reason: `"${text}" is an adjustment period (period 13), which this ledger's settings do not accept` };
    }
    return { ok: true, period: periodKey(year, 12) };
  }
  return { ok: true, period: periodKey(year, month) };
}

function calendarPeriod(text: string, month: number, yearText: string): PeriodResult {
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const financialYear = month >= 4 ? year : year - 1;
  if (month < 1 || month > 12 || !isKeyYear(financialYear)) return invalid(text);
  return { ok: true, period: periodOfDate(year, month) };
}

/** `Jun` or `June` (and `Sept`) → 6; anything else → 0. */
function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = MONTH_NAMES.findIndex((full) => full === lower || full.slice(0, 3) === lower);
  return index >= 0 ? index + 1 : lower === 'sept' ? 9 : 0;
}

/** Years a PeriodKey can hold (period.ts). */
function isKeyYear(year: YearStart): boolean {
  return year >= 1900 && year <= 2999;
}

function invalid(text: string): PeriodResult {
  return {
    ok: false,
    code: 'PERIOD_INVALID',
    reason: `"${text}" is not a period (expected e.g. 3, M03, P3, 2025-26 M03, Jun-25 or ADJ)`,
  };
}
