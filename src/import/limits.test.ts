// Each limit on an extract (limits.ts), met with a small limit so the file stays small: the
// code, where it is reported, and that an extract just inside the limit still reads in full.

import { deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fileSettings, readAll, readCsv, readOptions, tempFile, type SettingsOverrides } from '../../test/fixtures/import/helpers.js';
import { workbookParts, xlsxOf, zipParts } from '../../test/support/fuzz-zip.js';
import { DEFAULT_LIMITS, importLimits } from './limits.js';

const HEADER = 'Cost Centre,Subjective,Description,Date,Amount';
const line = (i: number, description = 'care') => `C${i},5000,${description},31/05/2025,${i}.00`;
const csv = (lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;
const codesAndLines = (result: { problems: { code: string; line: number | null }[] }) => result.problems.map((p) => [p.code, p.line]);

describe('import limits', () => {
  it('default far above any real extract, and a ledger may set its own', () => {
    expect(importLimits(fileSettings())).toEqual(DEFAULT_LIMITS);
    expect(importLimits(fileSettings({ limits: { maxLines: 10, maxCellChars: undefined } }))).toEqual({ ...DEFAULT_LIMITS, maxLines: 10 });
  });

  it('refuse a file over the size limit before reading it', async () => {
    const text = csv([line(1)]);
    expect(codesAndLines(await readCsv(text, { limits: { maxFileBytes: text.length - 1 } }))).toEqual([['FILE_TOO_LARGE', null]]);
    expect((await readCsv(text, { limits: { maxFileBytes: text.length } })).lines).toHaveLength(1);
  });

  it('refuse a physical line over the line limit, on its line, inside a piece or across pieces', async () => {
    const limits = { maxLineChars: 50 };
    expect(codesAndLines(await readCsv(csv([line(1), line(2, 'x'.repeat(27)), line(3)]), { limits }))).toEqual([['LINE_TOO_LONG', 3]]);
    expect((await readCsv(csv([line(1), line(2, 'x'.repeat(26))]), { limits })).problems).toEqual([]); // 50 characters exactly
    // past 64 KiB, the long line starts in one piece and ends in the next
    const pad = Array.from({ length: 3000 }, (_, i) => line(i));
    const long = { limits: { maxLineChars: 50_000 } };
    const result = await readCsv(csv([...pad, line(9, 'y'.repeat(60_000)), line(10)]), long);
    expect(codesAndLines(result)).toEqual([['LINE_TOO_LONG', 3002]]);
    expect(result.problems[0]!.reason).toContain('extract.limits.max_line_chars');
  });

  it('refuse a file of one endless line after reading no more than the limit', async () => {
    const result = await readCsv(`${HEADER}\nC1,5000,${'z'.repeat(300_000)}`, { limits: { maxLineChars: 100_000 } });
    expect(codesAndLines(result)).toEqual([['LINE_TOO_LONG', 2]]);
  });

  it('refuse a header wider than the column limit, and names longer than the cell limit', async () => {
    expect(codesAndLines(await readCsv(csv([line(1)]), { limits: { maxColumns: 4 } }))).toEqual([['TOO_MANY_COLUMNS', 1]]);
    const named = await readCsv(`${HEADER},${'N'.repeat(50)}\n${line(1)},x\n`, { limits: { maxCellChars: 20 } });
    expect(named.problems.map((p) => [p.code, p.line, p.column])).toEqual([['CELL_TOO_LONG', 1, 'column 6']]);
  });

  it('stop at the line past the line limit', async () => {
    const result = await readCsv(csv([line(1), '', line(2), line(3), line(4)]), { limits: { maxLines: 2 } });
    expect(codesAndLines(result)).toEqual([['TOO_MANY_LINES', 5]]);
    expect((await readCsv(csv([line(1), line(2)]), { limits: { maxLines: 2 } })).lines).toHaveLength(2);
  });

  it('report every field over the cell limit, by line and column, and read the rest', async () => {
    const result = await readCsv(csv([line(1), line(2, 'd'.repeat(21)), line(3)]), { limits: { maxCellChars: 20 } });
    expect(result.problems.map((p) => [p.code, p.line, p.column])).toEqual([['CELL_TOO_LONG', 3, 'Description']]);
    expect(result.lines.map((l) => l.lineNo)).toEqual([2, 4]);
  });
});

const XLSX_HEADER = HEADER.split(',');
const row = (i: number, description = 'care') => [`C${i}`, '5000', description, '31/05/2025', `${i}.00`];
const readXlsx = (bytes: Buffer, settings: SettingsOverrides = {}) =>
  readAll(tempFile(`l${Math.random().toString(36).slice(2)}.xlsx`, bytes), readOptions(fileSettings(settings), { fileName: 'ledger.xlsx' }));

describe('workbook limits', () => {
  it('refuse parts that declare more than the inflated-size limit, before inflating them', async () => {
    const bytes = xlsxOf([XLSX_HEADER, row(1)]);
    expect(codesAndLines(await readXlsx(bytes, { limits: { maxXlsxBytes: 400 } }))).toEqual([['XLSX_TOO_LARGE', null]]);
    expect((await readXlsx(bytes, { limits: { maxXlsxBytes: 4000 } })).lines).toHaveLength(1);
  });

  it('stop inflating a part at the size it declares (a zip bomb), whatever the limit', async () => {
    const bomb = Buffer.concat([...Array.from({ length: 64 }, () => deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_SYNC_FLUSH })), deflateRawSync(Buffer.alloc(0))]);
    const bytes = zipParts([...workbookParts(false), { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: bomb, declaredSize: 1000, crc: 0 }]);
    const result = await readXlsx(bytes);
    expect(result.problems.map((p) => [p.code, p.reason])).toEqual([
      ['FILE_UNREADABLE', expect.stringContaining('inflates to more than the 1000 bytes its zip directory declares')],
    ]);
  });

  it('refuse more shared strings, or more of their text, than the limits', async () => {
    const bytes = xlsxOf([XLSX_HEADER, row(1, 'a'.repeat(30)), row(2, 'b'.repeat(30))], { sharedStrings: true });
    expect(codesAndLines(await readXlsx(bytes, { limits: { maxSharedStrings: 5 } }))).toEqual([['XLSX_TOO_MANY_STRINGS', null]]);
    expect(codesAndLines(await readXlsx(bytes, { limits: { maxSharedStringChars: 100 } }))).toEqual([['XLSX_TOO_MANY_STRINGS', null]]);
    expect((await readXlsx(bytes, { limits: { maxSharedStrings: 20, maxSharedStringChars: 200 } })).lines).toHaveLength(2);
  });

  it('refuse a row with a value past the column limit, on its row', async () => {
    const wide = (r: number, c: number) => (r === 3 && c === 5 ? `<c r="E3"><v>3</v></c><c r="J3" t="inlineStr"><is><t>far</t></is></c>` : null);
    const bytes = xlsxOf([XLSX_HEADER, row(1), row(3)], { cell: wide });
    expect(codesAndLines(await readXlsx(bytes, { limits: { maxColumns: 8 } }))).toEqual([['TOO_MANY_COLUMNS', 3]]);
  });

  it('refuse an over-long cell as a line problem, and a huge one before holding it', async () => {
    const bytes = xlsxOf([XLSX_HEADER, row(1, 'x'.repeat(300)), row(2)]);
    const located = await readXlsx(bytes, { limits: { maxCellChars: 100 } });
    expect(located.problems.map((p) => [p.code, p.line, p.column])).toEqual([['CELL_TOO_LONG', 2, 'Description']]);
    const huge = xlsxOf([XLSX_HEADER, row(1, 'x'.repeat(100_000)), row(2)]);
    expect(codesAndLines(await readXlsx(huge, { limits: { maxCellChars: 100 } }))).toEqual([['CELL_TOO_LONG', null]]);
  });
});
