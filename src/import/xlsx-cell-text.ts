// A spreadsheet cell as the text a finance officer sees in it, so XLSX lines carry the same kind
// of raw text as CSV lines and go through the same amount, date and period readers.

import type { CellValue } from 'exceljs';
import { isoOfDay } from './calendar.js';
import { dayOfExcelSerial, excelSerialOfJsDate } from './excel-serial.js';

/** Significant digits Excel shows: more than this is binary noise (0.1 + 0.2 = 0.30000000000000004). */
const EXCEL_DIGITS = 15;

/**
 * The text of a cell. `asDate`: the cell is in the ledger's date column, where a number is an
 * Excel date serial (a date cell whose date format was lost) and becomes an ISO date.
 */
export function cellText(value: CellValue, asDate: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return asDate ? serialText(value) : numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return formulaText(value.result, asDate);
  if ('text' in value) return String(value.text); // a hyperlink: its shown text
  return '';
}

/** A formula cell shows its cached result (a result Excel never computed shows as empty). */
function formulaText(result: CellValue, asDate: boolean): string {
  if (typeof result === 'number' && Number.isNaN(result)) return ''; // an error result, read as NaN by exceljs
  return cellText(result, asDate);
}

/** `1234.56` stays `1234.56`; `0.30000000000000004` becomes `0.3`, as Excel displays it. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  const shown = Number(value.toPrecision(EXCEL_DIGITS));
  return String(shown === 0 ? 0 : shown); // no "-0"
}

function serialText(value: number): string {
  const day = Number.isFinite(value) && value >= 1 ? dayOfExcelSerial(Math.floor(value)) : null;
  return day === null ? numberText(value) : isoOfDay(day);
}

function dateText(value: Date): string {
  const day = dayOfExcelSerial(excelSerialOfJsDate(value));
  return day === null ? '' : isoOfDay(day);
}
