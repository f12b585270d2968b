// An XLSX workbook read part by part: our zip layer (zip-archive.ts) finds and checks the parts,
// and exceljs's streaming reader parses them — its relationship, workbook, style and shared-string
// parsers, and its worksheet reader, which turns sheet XML into typed cells (dates by their
// number format, shared strings, formula results). These are the same steps exceljs's own
// `WorkbookReader.parse()` takes; only its unzipping is replaced (see zip-archive.ts for why).
// The parts are handed over as UTF-8 text decoded across chunk boundaries: exceljs decodes each
// chunk on its own, which turns a character split between chunks (a `£` or an `é`) into U+FFFD.

import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Row } from 'exceljs';
import { ZipError, type ZipArchive, type ZipEntry } from './zip-archive.js';

/** The parts of exceljs's WorkbookReader this file uses (underscored: not in its typings). */
interface ExceljsReader {
  model?: { sheets?: { name?: string; rId?: string }[] };
  workbookRels?: { Id?: string; Target?: string }[];
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
  ) {}

  /** Read the workbook's own parts (sheet list, styles, shared strings); the sheets wait. */
  static async open(archive: ZipArchive): Promise<XlsxWorkbook> {
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
    const parse = async (entry: ZipEntry | undefined, parser: (stream: Readable) => Promise<void>): Promise<void> => {
      if (entry === undefined) return;
      const stream = await text(archive, entry);
      try {
        await parser(stream);
      } finally {
        stream.destroy(); // already ended, unless the parser gave up part way
      }
    };
    await parse(rels, (stream) => reader._parseRels(stream));
    await parse(workbook, (stream) => reader._parseWorkbook(stream));
    await parse(part(STYLES), (stream) => reader._parseStyles(stream));
    await parse(part(SHARED_STRINGS), async (stream) => {
      for await (const item of reader._parseSharedStrings(stream)) void item; // 'cache' mode: fills reader.sharedStrings
    });
    return new XlsxWorkbook(archive, reader);
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
    const stream = await text(this.archive, sheet.entry, onRead);
    const reading = this.reader._parseWorksheet(stream as AsyncIterable<string>, sheet.name).next();
    if (reading.done) throw new Error('exceljs did not open the worksheet');
    return { rows: reading.value.value, close: () => stream.destroy() };
  }
}

async function text(archive: ZipArchive, entry: ZipEntry, onRead?: (position: number) => void): Promise<Readable> {
  const stream = await archive.openEntry(entry, onRead);
  stream.setEncoding('utf8'); // decodes across chunk boundaries
  return stream;
}

/** A relationship target (`worksheets/sheet1.xml`, or absolute `/xl/worksheets/sheet1.xml`) as a part name. */
function partPath(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return `xl/${target.replace(/^\.\//, '')}`;
}
