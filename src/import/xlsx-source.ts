// An XLSX extract as a stream of records: the chosen sheet's rows, pulled one sax batch at a
// time, so memory holds the shared strings and a few rows, not the sheet. A damaged workbook
// (truncated, not a zip, not a spreadsheet, bad compressed data) ends the stream with
// FILE_UNREADABLE instead of an exception or a hang, and so does a sheet the settings name but
// the file lacks. Empty rows are not in the file at all, so row numbers may jump: they are the
// line numbers. A row whose number is not a positive whole number is taken as the one after the
// row before (exceljs refuses rows and cells without references today; this keeps a NaN out of
// the line numbers should it ever pass one on).
// A limit met while reading (limits.ts) ends the stream with its own code.

import type { Row, CellValue } from 'exceljs';
import type { FileSettings } from '../domain/agreement.js';
import { LimitError, limitText, type ImportLimits } from './limits.js';
import { groupDigits } from './problems.js';
import { isBlankRecord, type FileBytes, type RecordBatch, type RecordSource, type SourceFailure } from './record-source.js';
import { cellText } from './xlsx-cell-text.js';
import { XlsxWorkbook } from './xlsx-workbook.js';
import { ZipArchive, ZipError } from './zip-archive.js';

/** Rows per batch handed on. */
const ROWS_PER_BATCH = 1000;

export async function* xlsxRecords(bytes: FileBytes, settings: FileSettings, limits: ImportLimits): RecordSource {
  let sheetRows: { rows: AsyncIterable<Row>; close(): void };
  try {
    const workbook = await XlsxWorkbook.open(await ZipArchive.open(bytes.path, bytes.size), limits);
    const sheet = workbook.findSheet(settings.sheet);
    if (sheet === null) {
      yield unreadable(missingSheetReason(settings.sheet, workbook.sheetNames()));
      return;
    }
    sheetRows = await workbook.rows(sheet, (position) => bytes.reached(position));
  } catch (error) {
    yield failureOf(error);
    return;
  }
  try {
    yield* sheetRecords(sheetRows.rows, settings, limits);
  } catch (error) {
    yield failureOf(error);
  } finally {
    sheetRows.close();
  }
}

async function* sheetRecords(rows: AsyncIterable<Row>, settings: FileSettings, limits: ImportLimits): AsyncGenerator<RecordBatch | SourceFailure, void, undefined> {
  let width = -1; // the header's width, once the header row is seen
  let dateIndex = -1;
  let records: string[][] = [];
  let lineNos: number[] = [];
  let previous = 0;
  for await (const row of rows) {
    const number = Number.isSafeInteger(row.number) && row.number > 0 ? row.number : previous + 1;
    if (number <= previous) {
      // rows come in order, each once (ECMA-376); a repeated row would be imported twice under
      // one line number, which the store refuses (found by the import fuzz, end to end)
      if (records.length > 0) yield { kind: 'records', records, lineNos };
      yield { kind: 'failure', code: 'FILE_UNREADABLE', line: number, fieldIndex: null, reason: `row ${number} comes after row ${previous}: a sheet's rows must be in order, each once, so the workbook is damaged` };
      return;
    }
    previous = number;
    if (number <= settings.skipTop) continue;
    const fields = rowFields(row, dateIndex, width, limits.maxColumns);
    if (fields === null) {
      if (records.length > 0) yield { kind: 'records', records, lineNos };
      const reason = `this row has a value beyond column ${groupDigits(limits.maxColumns)}, ${limitText(limits, 'maxColumns', 'columns')}; the rest of the sheet was not read`;
      yield { kind: 'failure', code: 'TOO_MANY_COLUMNS', line: number, fieldIndex: null, reason };
      return;
    }
    if (width < 0 && !isBlankRecord(fields)) {
      width = fields.length;
      const dateColumn = settings.columns.date?.trim();
      dateIndex = dateColumn === undefined ? -1 : fields.findIndex((name) => name.trim() === dateColumn);
    }
    records.push(fields);
    lineNos.push(number);
    if (records.length >= ROWS_PER_BATCH) {
      yield { kind: 'records', records, lineNos };
      records = [];
      lineNos = [];
    }
  }
  if (records.length > 0) yield { kind: 'records', records, lineNos };
}

/**
 * A row's cells as text: as wide as the header (missing cells are empty), wider only if a cell
 * past the header holds something, which the caller reports as a field-count problem. Null if a
 * cell past the column limit holds something.
 */
function rowFields(row: Row, dateIndex: number, width: number, maxColumns: number): string[] | null {
  const values: CellValue[] = Array.isArray(row.values) ? row.values : [];
  let last = values.length - 1; // values[0] is always empty: columns count from 1
  if (last > maxColumns) {
    // the array may be sparse (one cell far to the right): visit only the cells it holds
    let filled = 0;
    values.forEach((value, column) => {
      if (cellText(value, false) !== '') filled = column;
    });
    if (filled > maxColumns) return null;
    last = filled;
  }
  while (last >= 1 && cellText(values[last], false) === '') last--;
  const fields = new Array<string>(Math.max(last, width, 0));
  for (let i = 0; i < fields.length; i++) fields[i] = cellText(values[i + 1], i === dateIndex);
  return fields;
}

function missingSheetReason(wanted: string | null, names: string[]): string {
  if (wanted === null || names.length === 0) return 'the workbook has no worksheets';
  return `the workbook has no sheet named "${wanted}"; its sheets are ${names.map((name) => `"${name}"`).join(', ')}`;
}

function unreadable(reason: string): SourceFailure {
  return { kind: 'failure', code: 'FILE_UNREADABLE', line: null, fieldIndex: null, reason };
}

function failureOf(error: unknown): SourceFailure {
  if (error instanceof LimitError) return { kind: 'failure', code: error.code, line: null, fieldIndex: null, reason: error.message };
  return unreadable(reasonOf(error));
}

function reasonOf(error: unknown): string {
  if (error instanceof ZipError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `the file cannot be read as an XLSX workbook: it is damaged (${message})`;
}
