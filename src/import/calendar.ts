// Calendar arithmetic for reading dates out of ledger files, without Date objects in the hot
// path. A calendar date travels as one integer, year * 10000 + month * 100 + day (20250531),
// so it is cheap to pass around and compare; `isoOfDay` turns it into `2025-05-31`.

export type PackedDay = number;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Years a ledger date may carry: Excel's own range, and wide enough for any real extract. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 9999;

export function isCalendarDay(year: number, month: number, day: number): boolean {
  return (
    year >= FIRST_YEAR && year <= LAST_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

export function packDay(year: number, month: number, day: number): PackedDay {
  return year * 10000 + month * 100 + day;
}

export function yearOfDay(day: PackedDay): number {
  return Math.floor(day / 10000);
}

export function monthOfDay(day: PackedDay): number {
  return Math.floor(day / 100) % 100;
}

export function isoOfDay(day: PackedDay): string {
  const month = monthOfDay(day);
  const dayOfMonth = day % 100;
  return `${yearOfDay(day)}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`;
}

/**
 * The calendar date `days` days after 1970-01-01 (negative before it). Howard Hinnant's
 * civil_from_days: exact integer arithmetic, valid far beyond the years a ledger uses.
 */
export function dayFromEpochDays(days: number): PackedDay {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return packDay(year, month, day);
}
