// Faults the import fuzz (test/fuzz-import.test.ts) and its review found in the readers, each
// kept here as the smallest file that showed it, with what must happen instead.

import { describe, expect, it } from 'vitest';
import { fileSettings, readAll, readCsv, readOptions, tempFile } from '../../test/fixtures/import/helpers.js';
import { unzipParts, workbookParts, xlsxOf, zipParts } from '../../test/support/fuzz-zip.js';
import { CsvSplitter } from './csv-splitter.js';
import type { SourceItem } from './record-source.js';

const HEADER = ['Cost Centre', 'Subjective', 'Description', 'Date', 'Amount'];

const readXlsx = (bytes: Buffer) => readAll(tempFile(`h${Math.random().toString(36).slice(2)}.xlsx`, bytes), readOptions(fileSettings(), { fileName: 'ledger.xlsx' }));

describe('CSV faults', () => {
  it('finds the line end after a title line with a stray quote (it was taken from a quoted CR further on)', () => {
    const splitter = new CsvSplitter(',', 1);
    const items: SourceItem[] = splitter.push('Report "Q1\r\nA,B\r\n1,"\r"\r\n2,x\r\n', true);
    expect(items).toEqual([{ kind: 'records', records: [['A', 'B'], ['1', '\r'], ['2', 'x']], lineNos: [2, 3, 4] }]);
  });

  it('puts a bad byte in the first piece of an old Mac (CR) file on its own line (it was line 1)', async () => {
    const result = await readCsv(Buffer.from(`${HEADER.join(',')}\rC1,5000,a,31/05/2025,1\rC2,5000,\u0000,31/05/2025,2\r`, 'latin1'));
    expect(result.problems.map((p) => [p.code, p.line])).toEqual([['FILE_ENCODING', 3]]);
  });

  it('refuses a NUL byte (PostgreSQL cannot store one; a UTF-16 file is full of them)', async () => {
    const utf16 = Buffer.from(`${HEADER.join(',')}\nC1,5000,a,31/05/2025,1\n`, 'utf16le');
    const result = await readCsv(utf16);
    expect(result.problems.map((p) => [p.code, p.line, p.reason])).toEqual([['FILE_ENCODING', 1, expect.stringContaining('UTF-16')]]);
  });

  it('reports a year column holding a year no period can have (0025/26) instead of throwing', async () => {
    const rows = 'Cost Centre,Subjective,Description,Period,Year,Amount\nC1,5000,a,3,0025/26,1\nC2,5000,b,3,2025/26,2\n';
    const result = await readCsv(rows, { columns: { date: null, period: 'Period', year: 'Year' } });
    expect(result.problems.map((p) => [p.code, p.line, p.column])).toEqual([['PERIOD_INVALID', 2, 'Year']]);
  });
});

describe('XLSX faults', () => {
  it('keeps entity-like text in inline-string and formula cells as written (exceljs decoded it twice)', async () => {
    const text = 'Fees &amp; charges &lt;b&gt;';
    const formula = (r: number, c: number, ref: string) => (r === 3 && c === 3 ? `<c r="${ref}" t="str"><f>A1</f><v>R&amp;amp;D</v></c>` : null);
    const result = await readXlsx(xlsxOf([HEADER, ['C1', '5000', text, '31/05/2025', '1'], ['C2', '5000', '', '31/05/2025', '2']], { cell: formula }));
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => l.description)).toEqual([text, 'R&amp;D']);
  });

  it('refuses a part that is not UTF-8 (it was read with U+FFFD in place of the bad bytes)', async () => {
    const sheet = Buffer.from('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>caf\xe9</t></is></c></row></sheetData></worksheet>', 'latin1');
    const result = await readXlsx(zipParts([...workbookParts(false), { name: 'xl/worksheets/sheet1.xml', data: sheet, stored: true }]));
    expect(result.problems.map((p) => [p.code, p.reason])).toEqual([['FILE_UNREADABLE', expect.stringContaining('xl/worksheets/sheet1.xml is not UTF-8 text')]]);
  });

  it('reads a workbook with an empty stored part (a file stream cannot be asked for no bytes)', async () => {
    const sheet = unzipParts(xlsxOf([HEADER, ['C1', '5000', 'a', '31/05/2025', '1']])).find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    const result = await readXlsx(zipParts([...workbookParts(false), { name: 'xl/styles.xml', data: Buffer.alloc(0), stored: true }, sheet]));
    expect(result.problems).toEqual([]);
    expect(result.lines).toHaveLength(1);
  });

  it('refuses a sheet that repeats a row (its lines reached the store under one number, an internal error)', async () => {
    const row = (r: number, values: string[]) => `<row r="${r}">${values.map((v, c) => `<c r="${'ABCDE'[c]}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
    const line = ['C1', '5000', 'a', '31/05/2025', '1'];
    const xml = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row(1, HEADER)}${row(2, line)}${row(3, line)}${row(3, line)}${row(4, line)}</sheetData></worksheet>`;
    const result = await readXlsx(zipParts([...workbookParts(false), { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(xml) }]));
    expect(result.problems.map((p) => [p.code, p.line, p.reason])).toEqual([['FILE_UNREADABLE', 3, expect.stringContaining('row 3 comes after row 3')]]);
  });

  it('refuses, clearly, a sheet whose rows or cells lack their references (exceljs cannot place them)', async () => {
    const row = (r: string, values: string[], named: boolean) =>
      `<row${r}>${values.map((v, c) => `<c${named || c === 0 ? ` r="${'ABCDE'[c]}2"` : ''} t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
    const header = `<row r="1">${HEADER.map((v, c) => `<c r="${'ABCDE'[c]}1" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
    for (const body of [row('', ['C1', '5000', 'a', '31/05/2025', '1'], true), row(' r="2"', ['C1', '5000', 'a', '31/05/2025', '1'], false)]) {
      const xml = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}${body}</sheetData></worksheet>`;
      const result = await readXlsx(zipParts([...workbookParts(false), { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(xml) }]));
      expect(result.problems.map((p) => [p.code, p.line])).toEqual([['FILE_UNREADABLE', null]]);
    }
  });
});
