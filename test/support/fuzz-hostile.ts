// Hostile extracts for the import fuzz: each meets one limit (src/import/limits.ts) and must be
// refused with that limit's code, or stays just inside it and must import exactly. The cheap
// ones meet a small limit set for the case (or a default one with a small file); `heavyCases`
// meet the defaults at full scale — a 100 MB line, a million columns, zip bombs that declare
// gigabytes or inflate to them, a 100 MB cell, a shared-strings table past its limits — and are
// written to disk in pieces, never held whole.

import { closeSync, openSync, writeSync } from 'node:fs';
import { constants, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../src/import/limits.js';
import type { Example, FuzzCase, FuzzFixtures } from './fuzz-fixtures.js';
import { quoteField, splitCsvLine } from './fuzz-mutate.js';
import { columnLetters, unzipParts, workbookParts, xlsxOf, zipParts, type ZipPart } from './fuzz-zip.js';

const MB = 1024 * 1024;

function csvText(example: Example): { lines: string[]; encoding: BufferEncoding } {
  const encoding: BufferEncoding = example.ledger === 'scc' ? 'latin1' : 'utf8';
  return { lines: example.bytes.toString(encoding).split('\r\n'), encoding };
}

const same = (e: Example) => ({ kind: 'import' as const, lines: e.baseline.lines, totalPence: e.baseline.totalPence });
const reject = (...codes: string[]) => ({ kind: 'reject' as const, codes });

/** Cases that meet (or just stay inside) a limit, cheaply. */
export function limitCases(fixtures: FuzzFixtures): fc.Arbitrary<FuzzCase>[] {
  const all = fc.constantFrom(...fixtures.examples);
  const csv = fc.constantFrom(...fixtures.examples.filter((e) => e.ext === 'csv'));
  const of = (generator: string, e: Example, bytes: Uint8Array, expect: FuzzCase['expect'], limits?: FuzzCase['limits']): FuzzCase => ({
    generator,
    ledger: e.ledger,
    ext: e.ext,
    bytes,
    expect,
    ...(limits ? { limits } : {}),
  });

  const fileSize = fc.tuple(all, fc.integer({ min: -2, max: 2 })).map(([e, delta]) => {
    const limits = { maxFileBytes: e.bytes.length + delta };
    return of('limit-file-size', e, e.bytes, delta < 0 ? reject('FILE_TOO_LARGE') : same(e), limits);
  });
  const lines = fc.tuple(all, fc.integer({ min: 1, max: 30 })).map(([e, maxLines]) =>
    of('limit-lines', e, e.bytes, maxLines < e.baseline.lines ? reject('TOO_MANY_LINES') : same(e), { maxLines }),
  );
  const lineLength = fc.tuple(csv, fc.integer({ min: 20, max: 200 })).map(([e, maxLineChars]) => {
    const longest = Math.max(...csvText(e).lines.map((line) => line.replace(/^\uFEFF/, '').length));
    return of('limit-line-length', e, e.bytes, longest > maxLineChars ? reject('LINE_TOO_LONG') : same(e), { maxLineChars });
  });
  const cell = fc.tuple(all, fc.integer({ min: 5, max: 80 })).map(([e, maxCellChars]) => {
    const longest = Math.max(...e.baseline.rows.flatMap((row) => row.raw.map((field) => field.length)), ...e.baseline.header.map((name) => name.length));
    return of('limit-cell', e, e.bytes, longest > maxCellChars ? reject('CELL_TOO_LONG') : same(e), { maxCellChars });
  });
  const columns = fc.tuple(all, fc.integer({ min: 1, max: 12 })).map(([e, maxColumns]) =>
    of('limit-columns', e, e.bytes, e.baseline.header.length > maxColumns ? reject('TOO_MANY_COLUMNS') : same(e), { maxColumns }),
  );
  const xlsx = fc.constantFrom(...fixtures.examples.filter((e) => e.ext === 'xlsx'));
  const xlsxSize = fc.tuple(xlsx, fc.integer({ min: 1_000, max: 40_000 })).map(([e, maxXlsxBytes]) => {
    const read = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml'];
    const { entries } = inflatedSizes(e.bytes);
    const declared = read.reduce((sum, name) => sum + (entries.get(name) ?? 0), 0);
    return of('limit-xlsx-size', e, e.bytes, declared > maxXlsxBytes ? reject('XLSX_TOO_LARGE') : same(e), { maxXlsxBytes });
  });
  const strings = fc.tuple(xlsx, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 100, max: 2_000 })).map(([e, maxSharedStrings, maxSharedStringChars]) => {
    const { count, chars } = sharedStringsOf(e.bytes);
    const over = count > maxSharedStrings || chars > maxSharedStringChars;
    return of('limit-shared-strings', e, e.bytes, over ? reject('XLSX_TOO_MANY_STRINGS') : same(e), { maxSharedStrings, maxSharedStringChars });
  });

  // at the default limits, with small files: a cell one past Excel's limit, a header one past
  // its column count, a line of 20,000 fields
  const longCell = fc.tuple(csv, fc.nat(), fc.integer({ min: 0, max: 2_000 })).map(([e, pick, extra]) => {
    const { lines, encoding } = csvText(e);
    const k = e.baseline.rows[pick % e.baseline.rows.length]!.lineNo - 1;
    const fields = splitCsvLine(lines[k]!);
    fields[e.baseline.header.indexOf('Description')] = 'x'.repeat(DEFAULT_LIMITS.maxCellChars + 1 + extra);
    lines[k] = fields.map(quoteField).join(',');
    return of('long-cell', e, Buffer.from(lines.join('\r\n'), encoding), reject('CELL_TOO_LONG'));
  });
  const wideHeader = fc.tuple(csv, fc.integer({ min: 1, max: 100 })).map(([e, extra]) => {
    const { lines, encoding } = csvText(e);
    const k = e.ledger === 'scc' ? 1 : 0;
    lines[k] += Array.from({ length: DEFAULT_LIMITS.maxColumns - e.baseline.header.length + extra }, (_, i) => `,Extra ${i}`).join('');
    return of('wide-header', e, Buffer.from(lines.join('\r\n'), encoding), reject('TOO_MANY_COLUMNS'));
  });
  const wideLine = fc.tuple(csv, fc.nat()).map(([e, pick]) => {
    const { lines, encoding } = csvText(e);
    const k = e.baseline.rows[pick % e.baseline.rows.length]!.lineNo - 1;
    lines[k] += ','.repeat(20_000);
    return of('wide-line', e, Buffer.from(lines.join('\r\n'), encoding), reject('FIELD_COUNT'));
  });
  return [fileSize, lines, lineLength, cell, columns, xlsxSize, strings, longCell, wideHeader, wideLine];
}

/** Declared inflated size of each part of a zip, from its central directory. */
function inflatedSizes(zip: Buffer): { entries: Map<string, number> } {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end--;
  const entries = new Map<string, number>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.set(zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt32LE(at + 24));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { entries };
}

/** Count and total length of a workbook's shared strings (its `<t>` texts). */
function sharedStringsOf(zip: Buffer): { count: number; chars: number } {
  const part = xlsxPart(zip, 'xl/sharedStrings.xml');
  const items = part.split('</si>').length - 1;
  const texts = [...part.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>/g)].map((m) => decodeXml(m[1]!));
  return { count: items, chars: texts.reduce((sum, t) => sum + t.length, 0) };
}

function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
}

function xlsxPart(zip: Buffer, name: string): string {
  return unzipParts(zip).find((p) => p.name === name)?.data.toString('utf8') ?? '';
}

/**
 * `count` copies of a block of `unit`, as raw deflate made of independent pieces (each a
 * deflate of the block, sync-flushed), then an empty final block: gigabytes of output from a
 * few hundred KB, built without ever holding the inflated text.
 */
export function deflatedRepeat(unit: Buffer, count: number): Buffer {
  const piece = deflateRawSync(unit, { finishFlush: constants.Z_SYNC_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: count }, () => piece), last]);
}

/** Write `head`, then `body` `times` times, then `tail`, in pieces. */
function writePieces(path: string, head: Buffer, body: Buffer, times: number, tail: Buffer): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    for (let i = 0; i < times; i++) writeSync(fd, body);
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

const NHS_HEADER = 'Entity,Cost Centre,Account,Analysis Code,Description,Year,Period,Debit,Credit';
const NHS_LINE = '03N,703100,521300,ASR01,"STH - intermediate care, April",2025/26,1,2500000.00,';
const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** Full-scale cases at the default limits; each says what it must end in. */
export function heavyCases(): FuzzCase[] {
  const csv = (generator: string, head: string, body: string, times: number, tail: string, codes: string[]): FuzzCase => ({
    generator,
    ledger: 'sccg',
    ext: 'csv',
    write: (path) => writePieces(path, Buffer.from(head), Buffer.from(body), times, Buffer.from(tail)),
    expect: { kind: 'reject', codes },
  });
  const sheet = (rows: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${SHEET_NS}"><sheetData>${rows}</sheetData></worksheet>`);
  const header = NHS_HEADER.split(',').map((name, c) => `<c r="${columnLetters(c + 1)}1" t="inlineStr"><is><t>${name}</t></is></c>`).join('');
  const xlsx = (generator: string, parts: ZipPart[], codes: string[], withStrings = false): FuzzCase => ({
    generator,
    ledger: 'sccg',
    ext: 'xlsx',
    bytes: zipParts([...workbookParts(withStrings), ...parts]),
    expect: { kind: 'reject', codes },
  });
  const open = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${SHEET_NS}"><sheetData><row r="1">${header}</row><row r="2"><c r="E2" t="inlineStr"><is><t>`;
  const close = '</t></is></c></row></sheetData></worksheet>';
  const block = Buffer.alloc(MB, 'a');
  return [
    // a 100 MB line: a description that never ends; then a quote never closed, over 100 MB of
    // short lines (one record held while waiting for its end)
    csv('line-100mb', `${NHS_HEADER}\r\n${NHS_LINE}\r\n03N,703100,521300,ASR01,`, 'a'.repeat(MB), 100, ',2025/26,1,1.00,\r\n', ['LINE_TOO_LONG']),
    csv('quote-100mb', `${NHS_HEADER}\r\n${NHS_LINE}\r\n03N,703100,521300,ASR01,"`, `${'a'.repeat(99)}\n`.repeat(10_486), 100, '",2025/26,1,1.00,\r\n', ['CSV_MALFORMED']),
    // a million columns: 999,001 (as many as fit the line limit) in a data line and in the
    // header; and 1,001,001, past the line limit
    csv('columns-999k-line', `${NHS_HEADER}\r\n${NHS_LINE}\r\n03N`, ','.repeat(999), 1000, '\r\n', ['FIELD_COUNT']),
    csv('columns-999k-header', 'Entity', ','.repeat(999), 1000, `\r\n${NHS_LINE}\r\n`, ['TOO_MANY_COLUMNS']),
    csv('columns-1m-long', `${NHS_HEADER}\r\n${NHS_LINE}\r\n03N`, ','.repeat(1000), 1001, '\r\n', ['LINE_TOO_LONG']),
    // zip bombs: a sheet that declares 4 GB; one that declares 10 KB and inflates to 1 GB of
    // zeros; one honest about 2 GB of text (refused before inflating)
    xlsx('zip-bomb-declared', [{ name: 'xl/worksheets/sheet1.xml', data: sheet(''), declaredSize: 0xfffffff0 }], ['XLSX_TOO_LARGE']),
    xlsx('zip-bomb-lying', [{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: deflatedRepeat(Buffer.alloc(MB), 1024), declaredSize: 10_000, crc: 0 }], ['FILE_UNREADABLE']),
    xlsx('zip-bomb-honest', [{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: deflatedRepeat(block, 2048), declaredSize: 2048 * MB, crc: 0 }], ['XLSX_TOO_LARGE']),
    // a 100 MB cell, as inline text and as one shared string
    xlsx('cell-100mb', [{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: Buffer.concat([deflateRawSync(Buffer.from(open), { finishFlush: constants.Z_SYNC_FLUSH }), deflatedRepeat(block, 100).subarray(0, -2), deflateRawSync(Buffer.from(close))]), declaredSize: 100 * MB + open.length + close.length, crc: 0 }], ['CELL_TOO_LONG']),
    xlsx(
      'shared-string-101m-chars',
      [
        { name: 'xl/worksheets/sheet1.xml', data: sheet(`<row r="1">${header}</row>`) },
        { name: 'xl/sharedStrings.xml', data: Buffer.alloc(0), deflated: Buffer.concat([deflateRawSync(Buffer.from(`<sst xmlns="${SHEET_NS}"><si><t>`), { finishFlush: constants.Z_SYNC_FLUSH }), deflatedRepeat(block, 101).subarray(0, -2), deflateRawSync(Buffer.from('</t></si></sst>'))]), declaredSize: 101 * MB + 200, crc: 0 },
      ],
      ['XLSX_TOO_MANY_STRINGS'],
      true,
    ),
    xlsx(
      'shared-strings-2m',
      [
        { name: 'xl/worksheets/sheet1.xml', data: sheet(`<row r="1">${header}</row>`) },
        { name: 'xl/sharedStrings.xml', data: Buffer.alloc(0), deflated: Buffer.concat([deflateRawSync(Buffer.from(`<sst xmlns="${SHEET_NS}">`), { finishFlush: constants.Z_SYNC_FLUSH }), deflatedRepeat(Buffer.from('<si><t>x</t></si>'.repeat(10_000)), 201).subarray(0, -2), deflateRawSync(Buffer.from('</sst>'))]), declaredSize: 201 * 10_000 * 17 + 200, crc: 0 },
      ],
      ['XLSX_TOO_MANY_STRINGS'],
      true,
    ),
    // a sheet of rows just inside the limits still imports (a row per 1,000 columns' worth)
    { generator: 'xlsx-wide-ok', ledger: 'sccg', ext: 'xlsx', bytes: xlsxOf([NHS_HEADER.split(','), ['03N', '703100', '521300', 'ASR01', 'ok', '2025/26', '1', '1.00', '']]), expect: { kind: 'import', lines: 1, totalPence: 100 } },
  ];
}
