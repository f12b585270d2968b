// An XLSX workbook read part by part: our zip layer (zip-archive.ts) finds and checks the parts,
// and exceljs's streaming reader parses them — its relationship, workbook, style and shared-string
// parsers, and its worksheet reader, which turns sheet XML into typed cells (dates by their
// number format, shared strings, formula results). These are the same steps exceljs's own
// `WorkbookReader.parse()` takes; only its unzipping is replaced (see zip-archive.ts for why).
// The parts are handed over as UTF-8 text decoded across chunk boundaries: exceljs decodes each
// chunk on its own, which turns a character split between chunks (a `£` or an `é`) into U+FFFD.
// Limits (limits.ts): the declared inflated sizes of the parts read add up to at most the
// ledger's `max_xlsx_mb` before any is opened (and no part inflates past its declared size, see
// zip-archive.ts); shared strings and a sheet's cell text are guarded as they stream
// (xlsx-part-text.ts).

import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Row } from 'exceljs';
import { LimitError, limitText, type ImportLimits } from './limits.js';
import { groupDigits } from './problems.js';
import { PartText, SharedStringsGuard, SheetTextGuard, type TextGuard } from './xlsx-part-text.js';
import { ZipError, type ZipArchive, type ZipEntry } from './zip-archive.js';

/**
 * exceljs's stream reader decodes the XML entities of inline-string and formula-result text a
 * second time (`utils.xmlDecode`, after saxes has decoded them), so a cell that reads
 * `Fees &amp; charges` was imported as `Fees & charges` — found by the import fuzz. Every text
 * exceljs parses comes through saxes, so that second decode is always wrong (in its other
 * readers too): it is made a no-op for the process. exceljs is pinned to 4.4.x for such
 * internals; src/import/hostile.test.ts fails if an upgrade moves this one.
 */
const exceljsUtils = createRequire(import.meta.url)('exceljs/lib/utils/utils.js') as { xmlDecode(text: string): string };
exceljsUtils.xmlDecode = (text) => text;

/** The parts of exceljs's WorkbookReader this file uses (underscored: not in its typings). */
interface ExceljsReader {
  model?: { sheets?: { name?: string; rId?: string }[] };
  workbookRels?: { Id?: string; Target?: string }[];
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown, void, undefined>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<Row> }, void, undefined>;
}

export interface SheetPart {
  name: string;
  entry: ZipEntry;
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
const STYLES = 'xl/styles.xml';
const SHARED_STRINGS = 'xl/sharedStrings.xml';

export class XlsxWorkbook {
  private constructor(
    private readonly archive: ZipArchive,
    private readonly reader: ExceljsReader,
    private readonly budget: InflateBudget,
  ) {}

  /** Read the workbook's own parts (sheet list, styles, shared strings); the sheets wait. */
  static async open(archive: ZipArchive, limits: ImportLimits): Promise<XlsxWorkbook> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(archive.path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache', // number formats tell date cells from numbers
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as ExceljsReader;
    const part = (name: string): ZipEntry | undefined => archive.entries.get(name);
    const workbook = part(WORKBOOK);
    const rels = part(WORKBOOK_RELS);
    if (workbook === undefined || rels === undefined) throw new ZipError('the file is a zip archive but not an XLSX workbook (it has no workbook part)');
    const budget = new InflateBudget(limits);
    const parse = async (entry: ZipEntry | undefined, parser: (stream: Readable) => Promise<void>, guard?: TextGuard): Promise<void> => {
      if (entry === undefined) return;
      budget.take(entry);
      const stream = await text(archive, entry, undefined, guard);
      try {
        await parser(stream);
      } finally {
        stream.destroy(); // already ended, unless the parser gave up part way
      }
    };
    await parse(rels, (stream) => reader._parseRels(stream));
    await parse(workbook, (stream) => reader._parseWorkbook(stream));
    await parse(part(STYLES), (stream) => reader._parseStyles(stream));
    const strings = new SharedStringsGuard(() => reader.sharedStrings, limits);
    const sharedStrings = part(SHARED_STRINGS);
    await parse(
      sharedStrings,
      async (stream) => {
        for await (const item of reader._parseSharedStrings(stream)) void item; // 'cache' mode: fills reader.sharedStrings
      },
      strings,
    );
    const breach = sharedStrings === undefined ? null : strings.check();
    if (breach !== null) throw breach;
    return new XlsxWorkbook(archive, reader, budget);
  }

  /** Sheet names in the workbook's own (tab) order. */
  sheetNames(): string[] {
    return (this.reader.model?.sheets ?? []).map((sheet) => sheet.name ?? '');
  }

  /** The named sheet (Excel ignores case in sheet names), or the first; null if there is none. */
  findSheet(wanted: string | null): SheetPart | null {
    const sheets = this.reader.model?.sheets ?? [];
    const sheet = wanted === null ? sheets[0] : sheets.find((s) => (s.name ?? '').trim().toLowerCase() === wanted.trim().toLowerCase());
    if (sheet === undefined) return null;
    const target = this.reader.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target;
    const entry = target === undefined ? undefined : this.archive.entries.get(partPath(target));
    if (entry === undefined) throw new ZipError(`the workbook lists sheet "${sheet.name ?? ''}" but the file does not hold it`);
    return { name: sheet.name ?? '', entry };
  }

  /**
   * The sheet's rows, streamed; `onRead` follows the position reached in the file. `close`
   * releases the file if the rows are not read to the end.
   */
  async rows(sheet: SheetPart, onRead: (position: number) => void): Promise<{ rows: AsyncIterable<Row>; close(): void }> {
    this.budget.take(sheet.entry);
    const stream = await text(this.archive, sheet.entry, onRead, new SheetTextGuard(this.budget.limits));
    const reading = this.reader._parseWorksheet(stream as AsyncIterable<string>, sheet.name).next();
    if (reading.done) throw new Error('exceljs did not open the worksheet');
    return { rows: reading.value.value, close: () => stream.destroy() };
  }
}

/** The inflated sizes the directory declares for the parts read, held to the ledger's limit. */
class InflateBudget {
  private declared = 0;

  constructor(readonly limits: ImportLimits) {}

  take(entry: ZipEntry): void {
    this.declared += entry.size;
    if (this.declared <= this.limits.maxXlsxBytes) return;
    const reason = `the workbook's parts inflate to more than ${groupDigits(Math.floor(this.limits.maxXlsxBytes / (1024 * 1024)))} MB (part ${entry.name} alone declares ${groupDigits(entry.size)} bytes), ${limitText(this.limits, 'maxXlsxBytes', '')}; nothing more was inflated`;
    throw new LimitError('XLSX_TOO_LARGE', reason);
  }
}

/** A part as strict UTF-8 text (decoded across chunk boundaries), checked by `guard` if given. */
async function text(archive: ZipArchive, entry: ZipEntry, onRead?: (position: number) => void, guard?: TextGuard): Promise<Readable> {
  const bytes = await archive.openEntry(entry, onRead);
  const decoded = bytes.pipe(new PartText(entry.name, guard ?? null));
  // pipe() does not pass errors on: forward them, so whoever reads the text sees them
  bytes.on('error', (error: Error) => decoded.destroy(error));
  decoded.on('close', () => bytes.destroy()); // a reader that gives up early releases the file
  return decoded;
}

/** A relationship target (`worksheets/sheet1.xml`, or absolute `/xl/worksheets/sheet1.xml`) as a part name. */
function partPath(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return `xl/${target.replace(/^\.\//, '')}`;
}
