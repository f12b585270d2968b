// Dates as ledgers write them. Every accepted shape is read day-first or year-first, never
// month-first (a UK ledger's 05/06/2025 is 5 June), and must be a real calendar day.
// The readers are charCode scanners rather than regular expressions: a million-line extract
// calls them a million times.

import type { DateFormat } from '../domain/agreement.js';
import { isCalendarDay, isoOfDay, packDay } from './calendar.js';
import { EXCEL_FAKE_LEAP_DAY, dayOfExcelSerial } from './excel-serial.js';

export type DateResult = { ok: true; iso: string } | { ok: false; code: 'DATE_INVALID'; reason: string };

/** `readDay` results that are not a day: the text has none of the accepted shapes... */
export const NOT_A_DATE = 0;
/** ...or it has one, but names a day that does not exist (31/02/2025, Excel serial 60). */
export const NO_SUCH_DAY = -1;

/** Read a date in the given format: a PackedDay (> 0), NOT_A_DATE or NO_SUCH_DAY. */
export function readDay(text: string, format: DateFormat): number {
  const scan = SCAN.reset(text);
  switch (format) {
    case 'DD/MM/YYYY':
      return readDayMonthYear(scan);
    case 'YYYY-MM-DD':
      return readYearMonthDay(scan);
    case 'DD-MMM-YY':
    case 'DD-MMM-YYYY':
      return readDayMonthNameYear(scan);
    case 'excel':
      return readExcelSerial(scan, true);
    case 'auto':
      return readAnyDay(scan);
  }
}

export function parseDate(text: string, format: DateFormat): DateResult {
  const day = readDay(text, format);
  if (day > 0) return { ok: true, iso: isoOfDay(day) };
  return { ok: false, code: 'DATE_INVALID', reason: dateProblem(text, format, day) };
}

export function dateProblem(text: string, format: DateFormat, result: number): string {
  const shown = `"${text.trim()}"`;
  if (result === NO_SUCH_DAY) {
    return format === 'excel' || isWholeNumber(text.trim())
      ? `${shown} is not a day Excel can show as a date (Excel serial numbers run from 1 to 2958465, and 60 is Excel's 29/02/1900, which never existed)`
      : `${shown} is not a real date (no such day or month)`;
  }
  return `${shown} is not a date (expected ${EXPECTED[format]})`;
}

const EXPECTED: Record<DateFormat, string> = {
  'DD/MM/YYYY': 'DD/MM/YYYY, e.g. 31/05/2025',
  'YYYY-MM-DD': 'YYYY-MM-DD, e.g. 2025-05-31',
  'DD-MMM-YY': 'DD-MMM-YY, e.g. 31-May-25',
  'DD-MMM-YYYY': 'DD-MMM-YYYY, e.g. 31-May-2025',
  excel: 'an Excel date serial number, e.g. 45808',
  auto: 'DD/MM/YYYY, YYYY-MM-DD, DD-MMM-YY or an Excel date serial number',
};

/** `auto`: the shapes in a fixed order; the first whose shape fits decides, valid or not. */
function readAnyDay(scan: Scan): number {
  for (const reader of AUTO_ORDER) {
    scan.restart();
    const day = reader(scan);
    if (day !== NOT_A_DATE) return day;
  }
  scan.restart();
  return readExcelSerial(scan, false);
}

/** `31/05/2025`, `1/6/2025`, optionally followed by a time of day. */
const AUTO_ORDER = [readDayMonthYear, readYearMonthDay, readDayMonthNameYear];

function readDayMonthYear(scan: Scan): number {
  const day = scan.digits(1, 2);
  if (day < 0 || !scan.take(SLASH)) return NOT_A_DATE;
  const month = scan.digits(1, 2);
  if (month < 0 || !scan.take(SLASH)) return NOT_A_DATE;
  const year = scan.digits(4, 4);
  if (year < 0 || !scan.timeOfDayThenEnd(false)) return NOT_A_DATE;
  return dayOrNone(year, month, day);
}

/** `2025-05-31`, optionally followed by a time of day (`2025-05-31T00:00:00`). */
function readYearMonthDay(scan: Scan): number {
  const year = scan.digits(4, 4);
  if (year < 0 || !scan.take(DASH)) return NOT_A_DATE;
  const month = scan.digits(1, 2);
  if (month < 0 || !scan.take(DASH)) return NOT_A_DATE;
  const day = scan.digits(1, 2);
  if (day < 0 || !scan.timeOfDayThenEnd(true)) return NOT_A_DATE;
  return dayOrNone(year, month, day);
}

/** `31-May-25` (20YY) or `31-May-2025`; a space may stand for the dash. */
function readDayMonthNameYear(scan: Scan): number {
  const day = scan.digits(1, 2);
  const separator = scan.peek();
  if (day < 0 || (separator !== DASH && separator !== SPACE)) return NOT_A_DATE;
  scan.skip();
  const month = scan.monthName();
  if (month < 0 || !scan.take(separator)) return NOT_A_DATE;
  const start = scan.position;
  let year = scan.digits(2, 4);
  const width = scan.position - start;
  if (year < 0 || width === 3 || !scan.timeOfDayThenEnd(false)) return NOT_A_DATE;
  if (width === 2) year += 2000;
  return dayOrNone(year, month, day);
}

/** A whole serial (`45808`); with `fraction`, also a time of day after the point (`45808.5`). */
function readExcelSerial(scan: Scan, fraction: boolean): number {
  const serial = scan.digits(1, 7);
  if (serial < 0) return NOT_A_DATE;
  if (fraction && scan.take(DOT) && scan.digits(0, 20) < 0) return NOT_A_DATE;
  if (!scan.atEnd()) return NOT_A_DATE;
  if (serial === EXCEL_FAKE_LEAP_DAY) return NO_SUCH_DAY;
  return dayOfExcelSerial(serial) ?? NO_SUCH_DAY;
}

function dayOrNone(year: number, month: number, day: number): number {
  return isCalendarDay(year, month, day) ? packDay(year, month, day) : NO_SUCH_DAY;
}

function isWholeNumber(text: string): boolean {
  return /^\d+(\.\d*)?$/.test(text);
}

const SPACE = 32;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const ZERO = 48;
const NINE = 57;
const T = 84;
const Z = 90;
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A cursor over the trimmed text; each reader consumes what it recognises. One instance is
 * reused (reading is synchronous), so reading a date allocates nothing.
 */
class Scan {
  position = 0;
  private text = '';
  private start = 0;
  private end = 0;

  reset(text: string): this {
    let start = 0;
    let end = text.length;
    while (start < end && text.charCodeAt(start) <= SPACE) start++;
    while (end > start && text.charCodeAt(end - 1) <= SPACE) end--;
    this.text = text;
    this.start = start;
    this.end = end;
    this.position = start;
    return this;
  }

  restart(): void {
    this.position = this.start;
  }

  atEnd(): boolean {
    return this.position === this.end;
  }

  peek(): number {
    return this.position < this.end ? this.text.charCodeAt(this.position) : -1;
  }

  skip(): void {
    this.position++;
  }

  take(code: number): boolean {
    if (this.peek() !== code) return false;
    this.position++;
    return true;
  }

  /** The value of `min`..`max` decimal digits, or -1 if there are fewer than `min`. */
  digits(min: number, max: number): number {
    let value = 0;
    let count = 0;
    while (count < max) {
      const code = this.peek();
      if (code < ZERO || code > NINE) break;
      value = value * 10 + (code - ZERO);
      count++;
      this.position++;
    }
    return count >= min ? value : -1;
  }

  /** A three-letter English month name, any case: its number, or -1. */
  monthName(): number {
    if (this.position + 3 > this.end) return -1;
    const name = this.text.slice(this.position, this.position + 3).toLowerCase();
    const index = MONTH_NAMES.indexOf(name);
    if (index >= 0) this.position += 3;
    return index >= 0 ? index + 1 : -1;
  }

  /**
   * Nothing more, or a time of day that spreadsheets append to dates (`00:00`, `00:00:00`,
   * `00:00:00.000`) after a space (or `T` in ISO dates). The time is ignored: ledgers post by day.
   */
  timeOfDayThenEnd(allowT: boolean): boolean {
    if (this.atEnd()) return true;
    const separator = this.peek();
    if (separator !== SPACE && !(allowT && separator === T)) return false;
    while (this.peek() === SPACE || (allowT && this.peek() === T)) this.position++;
    const hours = this.digits(1, 2);
    if (hours < 0 || hours > 23 || !this.take(COLON)) return false;
    const minutes = this.digits(2, 2);
    if (minutes < 0 || minutes > 59) return false;
    if (this.take(COLON)) {
      const seconds = this.digits(2, 2);
      if (seconds < 0 || seconds > 59) return false;
      if (this.take(DOT) && this.digits(1, 9) < 0) return false;
    }
    if (this.peek() === Z) this.position++; // a trailing Z (UTC) on ISO timestamps
    return this.atEnd();
  }
}

const SCAN = new Scan();
