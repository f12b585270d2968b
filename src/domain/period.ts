// UK financial year: 1 April to 31 March, named `2025-26`; months M01 (April) .. M12 (March).
// A period is stored as one integer key, startYear * 100 + month (2025-26 M03 → 202503),
// so periods sort and range-compare as numbers in SQL and in code.

export type PeriodKey = number;

/** A financial year is identified by the calendar year it starts in: `2025-26` → 2025. */
export type YearStart = number;

export function periodKey(yearStart: YearStart, month: number): PeriodKey {
  if (!Number.isInteger(yearStart) || yearStart < 1900 || yearStart > 2999) throw new RangeError(`bad financial year ${yearStart}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`bad month ${month}`);
  return yearStart * 100 + month;
}

export function yearOf(key: PeriodKey): YearStart {
  return Math.floor(key / 100);
}

export function monthOf(key: PeriodKey): number {
  return key % 100;
}

export function formatYear(yearStart: YearStart): string {
  return `${yearStart}-${String((yearStart + 1) % 100).padStart(2, '0')}`;
}

export function formatPeriod(key: PeriodKey): string {
  return `${formatYear(yearOf(key))} M${String(monthOf(key)).padStart(2, '0')}`;
}

/** `2025-26` → 2025; the second part must be the next year. */
export function parseYear(text: string): YearStart | undefined {
  const m = /^(\d{4})[-/](\d{2}|\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const expected = m[2]!.length === 2 ? (start + 1) % 100 : start + 1;
  return end === expected ? start : undefined;
}

/** Financial period of a calendar date: April is M01 of the year starting that April. */
export function periodOfDate(year: number, month: number): PeriodKey {
  return month >= 4 ? periodKey(year, month - 3) : periodKey(year - 1, month + 9);
}

/** Calendar (year, month) of a financial period: 2025-26 M10 → 2026-01. */
export function calendarMonthOf(key: PeriodKey): { year: number; month: number } {
  const m = monthOf(key);
  return m <= 9 ? { year: yearOf(key), month: m + 3 } : { year: yearOf(key) + 1, month: m - 9 };
}

/** The last calendar day of a financial period, as `YYYY-MM-DD`. */
export function periodEndDate(key: PeriodKey): string {
  const { year, month } = calendarMonthOf(key);
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A period as a person types it on the command line: `2025-26 M03`, `2025-26-M03`, `2025-26/3`
 * or a calendar month `2025-06`.
 */
export function parsePeriodArg(text: string): PeriodKey | undefined {
  const t = text.trim();
  const fy = /^(\d{4}-\d{2})[ /_-]*M?(\d{1,2})$/i.exec(t);
  if (fy) {
    const year = parseYear(fy[1]!);
    const month = Number(fy[2]);
    if (year === undefined || month < 1 || month > 12) return undefined;
    return periodKey(year, month);
  }
  const cal = /^(\d{4})-(\d{2})$/.exec(t);
  if (cal) {
    const month = Number(cal[2]);
    if (month < 1 || month > 12) return undefined;
    return periodOfDate(Number(cal[1]), month);
  }
  return undefined;
}

/** Every period of a financial year, M01..M12. */
export function periodsOfYear(yearStart: YearStart): PeriodKey[] {
  return Array.from({ length: 12 }, (_, i) => periodKey(yearStart, i + 1));
}
