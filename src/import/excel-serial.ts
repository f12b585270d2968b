// Excel keeps a date as a day number (a "serial") in its 1900 date system: serial 1 is
// 1900-01-01. For compatibility with Lotus 1-2-3 it also counts 29 February 1900, a day that
// never existed, as serial 60; so serial 61 is 1900-03-01 and every later serial is one more
// than the true count of days since 1899-12-31.

import { dayFromEpochDays, type PackedDay } from './calendar.js';

/** Excel's fictitious 1900-02-29. */
export const EXCEL_FAKE_LEAP_DAY = 60;
/** 9999-12-31, the last day Excel can show. */
export const MAX_EXCEL_SERIAL = 2958465;

/** Days from 1899-12-31 (serial 0) back to 1970-01-01. */
const SERIAL_ZERO_EPOCH_DAYS = -25568;
/** Excel's serial for 1970-01-01 (day 0 of JavaScript time). */
const SERIAL_OF_EPOCH = 25569;
const MS_PER_DAY = 86_400_000;

/** The calendar day of a whole serial, or null for 0, 60, negatives, fractions and serials past 9999. */
export function dayOfExcelSerial(serial: number): PackedDay | null {
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_EXCEL_SERIAL || serial === EXCEL_FAKE_LEAP_DAY) return null;
  const trueDays = serial < EXCEL_FAKE_LEAP_DAY ? serial : serial - 1;
  return dayFromEpochDays(SERIAL_ZERO_EPOCH_DAYS + trueDays);
}

/**
 * The serial of a Date that exceljs made from a date cell. exceljs converts with
 * `(serial - 25569)` days from 1970 (ignoring the fake leap day), so converting back the same
 * way recovers the serial Excel stored; the time of day is dropped.
 */
export function excelSerialOfJsDate(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY) + SERIAL_OF_EPOCH;
}
