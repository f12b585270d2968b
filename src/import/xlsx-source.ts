// An XLSX extract as a stream of records: the chosen sheet's rows, pulled one sax batch at a
// time, so memory holds the shared strings and a few rows, not the sheet. A damaged workbook
// (truncated, not a zip, not a spreadsheet, bad compressed data) ends the stream with
// FILE_UNREADABLE instead of an exception or a hang, and so does a sheet the settings name but
// the file lacks. Empty rows are not in the file at all, so row numbers may jump: they are the
// line numbers.

import type { Row, CellValue } from 'exceljs';
import type { FileSettings } from '../domain/agreement.js';
import { isBlankRecord, type FileBytes, type RecordBatch, type RecordSource, type SourceFailure } from './record-source.js';
import { cellText } from './xlsx-cell-text.js';
import { XlsxWorkbook } from './xlsx-workbook.js';
import { ZipArchive, ZipError } from './zip-archive.js';

/** Rows per batch handed on. */
const ROWS_PER_BATCH = 1000;

export async function* xlsxRecords(bytes: FileBytes, settings: FileSettings): RecordSource {
  let sheetRows: { rows: AsyncIterable<Row>; close(): void };
  try {
    const workbook = await XlsxWorkbook.open(await ZipArchive.open(bytes.path, bytes.size));
    const sheet = workbook.findSheet(settings.sheet);
    if (sheet === null) {
      yield unreadable(missingSheetReason(settings.sheet, workbook.sheetNames()));
      return;
    }
    sheetRows = await workbook.rows(sheet, (position) => bytes.reached(position));
  } catch (error) {
    yield unreadable(reasonOf(error));
    return;
  }
  try {
    yield* sheetRecords(sheetRows.rows, settings);
  } catch (error) {
    yield unreadable(reasonOf(error));
  } finally {
    sheetRows.close();
  }
}

async function* sheetRecords(rows: AsyncIterable<Row>, settings: FileSettings): AsyncGenerator<RecordBatch, void, undefined> {
  let width = -1; // the header's width, once the header row is seen
  let dateIndex = -1;
  let records: string[][] = [];
  let lineNos: number[] = [];
  for await (const row of rows) {
    if (row.number <= settings.skipTop) continue;
    const fields = rowFields(row, dateIndex, width);
    if (width < 0 && !isBlankRecord(fields)) {
      width = fields.length;
      const dateColumn = settings.columns.date?.trim();
      dateIndex = dateColumn === undefined ? -1 : fields.findIndex((name) => name.trim() === dateColumn);
    }
    records.push(fields);
    lineNos.push(row.number);
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
 * past the header holds something, which the caller reports as a field-count problem.
 */
function rowFields(row: Row, dateIndex: number, width: number): string[] {
  const values: CellValue[] = Array.isArray(row.values) ? row.values : [];
  let last = values.length - 1; // values[0] is always empty: columns count from 1
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

function reasonOf(error: unknown): string {
  if (error instanceof ZipError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `the file cannot be read as an XLSX workbook: it is damaged (${message})`;
}
