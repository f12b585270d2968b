// The Lines sheets of the XLSX report: every mapped ledger line behind the figures. Columns:
// Ledger, Batch, File, Line, Period, Scheme, Amount £, then the extract's original columns.
// Batches from different ledgers have different headers; the sheet has ONE header, the union of
// every batch's column names in first-seen order (a name repeated within a header becomes
// `Name (2)`), so a single autofilter covers every line and each original value sits under its
// own name; a value beyond its batch's header spills into unnamed columns to the right. A sheet
// holds at most `maxRowsPerSheet` rows, header included (Excel's limit by default); beyond it the
// lines go on in "Lines 2", "Lines 3"… with the same header.
//
// Speed: exceljs's streaming writer still makes each Lines sheet — its zip entry, its place in
// the workbook, rels and content types, column widths, frozen header, autofilter, page setup and
// the bold header row — but the line rows bypass its per-cell model (about 28,000 rows a second).
// They are built as XML text (xlsx-line-rows.ts) and written here, in chunks of a few tens of KB,
// to the sheet's own stream between the header row and the sheet's commit, which is exactly where
// exceljs would have put them. Two exceljs internals serve this, both checked (`sheetStream`,
// `amountStyle`): the worksheet writer's `stream`, and the workbook's style table, asked for the
// style index of a £ number cell (the same index exceljs gives its own £ cells).
//
// Back-pressure: exceljs hands each sheet's XML to the zip archiver without waiting for it (its
// StreamBuf ignores `write()`'s return value), and an async generator whose chunks are ready
// never yields to the event loop, so deflate and the file never catch up. After every chunk the
// writer measures what is waiting in front of the archiver (exceljs internals, typed below) and
// sleeps while more than BACKLOG_LIMIT bytes are queued; otherwise it still yields once, so
// deflate, which runs on libuv's thread pool, works on one chunk while the next is built.

import type { Worksheet } from 'exceljs';
import { invariant } from '../domain/money.js';
import type { ReportLineBatch } from './report-data.js';
import { guardCell } from './cell-guard.js';
import { addSheet, col, POUNDS_FORMAT, type WorkbookWriter } from './xlsx-layout.js';
import type { LinesWritten } from './xlsx-summary.js';
import { LineRowXml } from './xlsx-line-rows.js';
import { xmlSafe } from './xlsx-xml.js';

export const FIXED_LINE_COLUMNS = ['Ledger', 'Batch', 'File', 'Line', 'Period', 'Scheme', 'Amount £'];
const FIXED_WIDTHS = [10, 7, 30, 8, 12, 10, 16];
const AMOUNT_COLUMN = 7;
/**
 * Rows are encoded into a chunk of CHUNK_BYTES and sent once it holds FLUSH_BYTES; each send
 * yields to the event loop, which lets deflate (on the thread pool, fed in exceljs's 64 KB
 * pieces) work while the next rows are built. Measured at 1M lines on 2 cores: 3.0 s with 32 KB
 * sends, 3.4 s with 64 KB ones.
 */
const CHUNK_BYTES = 64 * 1024;
const FLUSH_BYTES = 32 * 1024;
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

/** The parts of exceljs's streaming writer used here (not in its typings). */
interface BufferedStream {
  _writableState?: { length?: number };
  _readableState?: { length?: number };
}
interface SheetInternals {
  stream?: { pipes?: BufferedStream[]; write?: unknown };
}
interface WorkbookInternals {
  styles?: { addStyleModel?: unknown };
}
/** exceljs's `Enums.ValueType.Number`. */
const NUMBER_CELL = 2;

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

/** The sheet's part of the zip: bytes written here follow what exceljs has written so far. */
function sheetStream(sheet: Worksheet): (chunk: Buffer) => void {
  const stream = (sheet as unknown as SheetInternals).stream;
  const write = stream?.write;
  invariant(typeof write === 'function', 'exceljs WorksheetWriter no longer has a writable `stream`: cannot stream the Lines rows');
  return (chunk) => void (write as (chunk: Buffer) => unknown).call(stream, chunk);
}

/** The style index (`s="…"`) exceljs gives a number cell in the £ format. */
export function amountStyle(workbook: WorkbookWriter): number {
  const styles = (workbook as unknown as WorkbookInternals).styles;
  const add = styles?.addStyleModel;
  invariant(typeof add === 'function', 'exceljs WorkbookWriter no longer has a style table: cannot style the Lines amounts');
  const id: unknown = (add as (model: object, type: number) => unknown).call(styles, { numFmt: POUNDS_FORMAT }, NUMBER_CELL);
  invariant(typeof id === 'number' && Number.isSafeInteger(id) && id > 0, `exceljs gave no style for the £ format (got ${String(id)}); is useStyles on?`);
  return id;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Wait while the archiver is behind; `failed` reports an output error (which ends the wait). */
async function drain(sheet: Worksheet, failed: () => Error | null): Promise<void> {
  for (;;) {
    const error = failed();
    if (error) throw error;
    const backlog = sheetBacklog(sheet);
    if (backlog === null || backlog <= BACKLOG_LIMIT) return yieldOnce();
    await sleep(2);
  }
}

export async function writeLineSheets(workbook: WorkbookWriter, batches: readonly ReportLineBatch[], maxRowsPerSheet: number, failed: () => Error | null): Promise<LinesWritten> {
  const { names, positions } = unionHeader(batches);
  const width = FIXED_LINE_COLUMNS.length + names.length;
  const rowXml = new LineRowXml(amountStyle(workbook));
  const sheets: string[] = [];
  let sheet: Worksheet;
  let write: (chunk: Buffer) => void;
  // Each row's text is encoded straight into the chunk: one long string of concatenated rows
  // would cost more to flatten and encode than building the rows did.
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let rowsInSheet = 0;
  let rows = 0;

  const open = () => {
    const name = sheets.length === 0 ? 'Lines' : `Lines ${sheets.length + 1}`;
    sheets.push(name);
    sheet = addSheet(workbook, name, 1);
    [...FIXED_WIDTHS, ...names.map((n) => Math.min(30, Math.max(10, n.length + 3)))].forEach((w, i) => {
      sheet.getColumn(i + 1).width = w;
    });
    sheet.getColumn(AMOUNT_COLUMN).numFmt = POUNDS_FORMAT;
    const header = sheet.addRow([...FIXED_LINE_COLUMNS, ...names.map((n) => guardCell(xmlSafe(n)))]);
    header.eachCell((cell) => {
      cell.font = { bold: true };
    });
    // Committing the header writes the columns, opens <sheetData> and writes row 1: the line rows follow.
    header.commit();
    write = sheetStream(sheet);
    rowsInSheet = 1;
  };
  const flush = async () => {
    if (used === 0) return;
    write(chunk.subarray(0, used));
    chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
    await drain(sheet, failed);
  };
  /** Add one row's text; true once the chunk is worth sending. */
  const add = (text: string): boolean => {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (text.length * 3 > chunk.length - used) {
      if (used > 0) write(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3));
      used = 0;
    }
    used += chunk.write(text, used, 'utf8');
    return used >= FLUSH_BYTES;
  };
  const close = async () => {
    await flush();
    sheet.autoFilter = `A1:${col(width)}${rowsInSheet}`;
    sheet.commit();
  };

  open();
  for (const [b, batch] of batches.entries()) {
    rowXml.startBatch(batch, positions[b] ?? [], names.length);
    for await (const lines of batch.lines) {
      for (const line of lines) {
        if (rowsInSheet >= maxRowsPerSheet) {
          await close();
          open();
        }
        rowsInSheet++;
        rows++;
        if (add(rowXml.row(rowsInSheet, line))) await flush();
      }
    }
  }
  await close();
  return { sheets, rows, maxRowsPerSheet };
}
