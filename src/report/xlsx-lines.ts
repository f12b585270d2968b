// The Lines sheets of the XLSX report: every mapped ledger line behind the figures, streamed row
// by row into exceljs's streaming workbook and committed as it goes, so memory stays bounded at a
// million lines. Columns: Ledger, Batch, File, Line, Period, Scheme, Amount £, then the extract's
// original columns. Batches from different ledgers have different headers; the sheet has ONE
// header, the union of every batch's column names in first-seen order (a name repeated within a
// header becomes `Name (2)`), so a single autofilter covers every line and each original value
// sits under its own name; a value beyond its batch's header spills into unnamed columns to the
// right. A sheet holds at most `maxRowsPerSheet` rows, header included (Excel's limit by
// default); beyond it the lines go on in "Lines 2", "Lines 3"… with the same header.
//
// Back-pressure: exceljs hands each sheet's XML to the zip archiver without waiting for it (its
// StreamBuf ignores `write()`'s return value), and an async generator whose chunks are ready
// never yields to the event loop, so deflate and the file never catch up. Every LINES_PER_CHECK
// rows the writer measures what is waiting in front of the archiver (exceljs internals, typed
// below) and sleeps while more than BACKLOG_LIMIT bytes are queued.

import type { Worksheet } from 'exceljs';
import type { ReportLineBatch } from './report-data.js';
import { guardCell } from './cell-guard.js';
import { addSheet, col, POUNDS_FORMAT, pounds, type WorkbookWriter } from './xlsx-layout.js';
import type { LinesWritten } from './xlsx-summary.js';

export const FIXED_LINE_COLUMNS = ['Ledger', 'Batch', 'File', 'Line', 'Period', 'Scheme', 'Amount £'];
const FIXED_WIDTHS = [10, 7, 30, 8, 12, 10, 16];
const AMOUNT_COLUMN = 7;
const LINES_PER_CHECK = 1_000;
const BACKLOG_LIMIT = 4 * 1024 * 1024;

/** The union header, and where each batch's columns go in it (0-based, after the fixed ones). */
export function unionHeader(batches: readonly ReportLineBatch[]): { names: string[]; positions: number[][] } {
  const names: string[] = [];
  const positions = batches.map((batch) => {
    const seen = new Map<string, number>();
    return batch.header.map((raw, i) => {
      const base = raw.trim() === '' ? `Column ${i + 1}` : raw;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const name = n === 1 ? base : `${base} (${n})`;
      let at = names.indexOf(name);
      if (at < 0) at = names.push(name) - 1;
      return at;
    });
  });
  return { names, positions };
}

/** The parts of exceljs's streaming writer the back-pressure reads (not in its typings). */
interface BufferedStream {
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}
interface SheetInternals {
  stream?: { pipes?: BufferedStream[] };
}

/** Bytes of this sheet's XML queued in front of the archiver, or null if exceljs hides them. */
export function sheetBacklog(sheet: Worksheet): number | null {
  const pipes = (sheet as unknown as SheetInternals).stream?.pipes;
  if (!Array.isArray(pipes) || pipes.length === 0) return null;
  let bytes = 0;
  for (const p of pipes) {
    const w = p._writableState?.length;
    const r = p._readableState?.length;
    if (typeof w !== 'number' || typeof r !== 'number') return null;
    bytes += w + r;
  }
  return bytes;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wait while the archiver is behind; `failed` reports an output error (which ends the wait). */
async function drain(sheet: Worksheet, failed: () => Error | null): Promise<void> {
  for (;;) {
    const error = failed();
    if (error) throw error;
    const backlog = sheetBacklog(sheet);
    if (backlog === null) return yieldOnce();
    if (backlog <= BACKLOG_LIMIT) return;
    await sleep(2);
  }
}

export async function writeLineSheets(workbook: WorkbookWriter, batches: readonly ReportLineBatch[], maxRowsPerSheet: number, failed: () => Error | null): Promise<LinesWritten> {
  const { names, positions } = unionHeader(batches);
  const width = FIXED_LINE_COLUMNS.length + names.length;
  const sheets: string[] = [];
  let sheet: Worksheet | null = null;
  let rowsInSheet = 0;
  let rows = 0;

  const open = (): Worksheet => {
    const name = sheets.length === 0 ? 'Lines' : `Lines ${sheets.length + 1}`;
    sheets.push(name);
    const ws = addSheet(workbook, name, 1);
    [...FIXED_WIDTHS, ...names.map((n) => Math.min(30, Math.max(10, n.length + 3)))].forEach((w, i) => {
      ws.getColumn(i + 1).width = w;
    });
    ws.getColumn(AMOUNT_COLUMN).numFmt = POUNDS_FORMAT;
    const header = ws.addRow([...FIXED_LINE_COLUMNS, ...names.map(guardCell)]);
    header.eachCell((cell) => {
      cell.font = { bold: true };
    });
    header.commit();
    rowsInSheet = 1;
    return ws;
  };
  const close = (ws: Worksheet) => {
    ws.autoFilter = `A1:${col(width)}${rowsInSheet}`;
    ws.commit();
  };

  sheet = open();
  for (const [b, batch] of batches.entries()) {
    const at = positions[b] ?? [];
    const file = guardCell(batch.file);
    const ledger = guardCell(batch.ledger);
    for await (const chunk of batch.lines) {
      for (const line of chunk) {
        if (rowsInSheet >= maxRowsPerSheet) {
          close(sheet);
          sheet = open();
        }
        const values: (string | number | null)[] = [ledger, batch.batchId, file, line.lineNo, guardCell(line.period), guardCell(line.schemeId), pounds(line.amountPence)];
        line.raw.forEach((value, i) => {
          values[FIXED_LINE_COLUMNS.length + (i < at.length ? at[i]! : names.length + i - at.length)] = guardCell(value);
        });
        sheet.addRow(values).commit();
        rowsInSheet++;
        rows++;
        if (rows % LINES_PER_CHECK === 0) await drain(sheet, failed);
      }
    }
  }
  close(sheet);
  return { sheets, rows, maxRowsPerSheet };
}
