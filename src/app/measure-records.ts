// The rows of an activity, outcomes or metrics file, read by the same readers as a ledger
// extract (src/import): CSV as UTF-8 (a byte-order mark allowed), or the first sheet of an XLSX
// by its extension. Each row keeps its physical line (or sheet row) number, so a problem names
// the line the user sees even after blank lines or a quoted line break; blank rows are left out;
// a reader that cannot go on (broken quotes, bad bytes, a damaged workbook, a limit) is one
// problem saying where.

import { extname } from 'node:path';
import type { FileSettings } from '../domain/agreement.js';
import { csvRecords } from '../import/csv-source.js';
import { importLimits } from '../import/limits.js';
import { FileBytes, isBlankRecord, type RecordSource } from '../import/record-source.js';
import type { Problem } from './errors.js';

export interface MeasureRow {
  fields: string[];
  lineNo: number;
}

function settingsFor(format: 'csv' | 'xlsx'): FileSettings {
  return {
    format,
    encoding: 'utf-8',
    delimiter: ',',
    sheet: null,
    skipTop: 0,
    skipBottom: 0,
    columns: { date: null, period: null, year: null, amount: null, debit: null, credit: null, description: null, id: null, codes: [] },
    dateFormat: 'auto',
    decimalComma: false,
    period13: 'M12',
  };
}

export function isXlsxName(name: string): boolean {
  return extname(name).toLowerCase() === '.xlsx';
}

/** Every non-blank row of the file at `path` (`size` bytes), named `file` in problems. */
export async function measureRows(path: string, size: number, file: string): Promise<{ rows: MeasureRow[]; problems: Problem[] }> {
  const format = isXlsxName(path) || isXlsxName(file) ? 'xlsx' : 'csv';
  const settings = settingsFor(format);
  const limits = importLimits(settings);
  const bytes = new FileBytes(path, size);
  // exceljs is loaded only for a workbook, as for ledger extracts.
  const source: RecordSource = format === 'xlsx' ? (await import('../import/xlsx-source.js')).xlsxRecords(bytes, settings, limits) : csvRecords(bytes, settings, limits);
  const rows: MeasureRow[] = [];
  for await (const item of source) {
    if (item.kind === 'failure') return { rows, problems: [{ code: item.code, message: item.reason, file, line: item.line, column: null }] };
    item.records.forEach((fields, i) => {
      if (!isBlankRecord(fields)) rows.push({ fields, lineNo: item.lineNos[i]! });
    });
  }
  return { rows, problems: [] };
}
