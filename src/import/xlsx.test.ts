import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { CellValue } from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { periodKey } from '../domain/period.js';
import { fileSettings, readAll, readOptions, tempFile, type SettingsOverrides } from '../../test/fixtures/import/helpers.js';
import { sheetFirstPartsLastXlsx } from '../../test/fixtures/import/zip.js';

const HEADER = ['Cost Centre', 'Subjective', 'Description', 'Date', 'Amount'];
const may31 = new Date(Date.UTC(2025, 4, 31));

/** Rows of a ledger sheet: numbers, strings, a date cell, rich text, a formula and float noise. */
const LEDGER_ROWS: CellValue[][] = [
  HEADER,
  ['C100', 5000, 'Home care', may31, 1234.56],
  ['C101', 5001, { richText: [{ text: 'Day ' }, { text: 'care', font: { bold: true } }] }, 45809, -250],
  ['C102', 5002, 'Formula', '02/06/2025', { formula: 'E2*2', result: 2469.12 }],
  ['C103', 5003, 'Float noise', may31, 0.1 + 0.2],
];

async function writeWorkbook(name: string, sheets: Record<string, CellValue[][]>, streaming = true): Promise<string> {
  const path = tempFile(name, '');
  if (streaming) {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true });
    for (const [sheetName, rows] of Object.entries(sheets)) {
      const sheet = workbook.addWorksheet(sheetName);
      rows.forEach((row) => sheet.addRow(row).commit());
      sheet.commit();
    }
    await workbook.commit();
  } else {
    const workbook = new ExcelJS.Workbook();
    for (const [sheetName, rows] of Object.entries(sheets)) workbook.addWorksheet(sheetName).addRows(rows);
    await workbook.xlsx.writeFile(path);
  }
  return path;
}

const read = (path: string, settings: SettingsOverrides = {}) => readAll(path, readOptions(fileSettings(settings), { fileName: 'ledger.xlsx' }));

describe('XLSX extracts', () => {
  let ledger: string;
  beforeAll(async () => {
    ledger = await writeWorkbook('ledger.xlsx', { Ledger: LEDGER_ROWS, Notes: [['Note'], ['not data']] });
  });

  for (const streaming of [true, false]) {
    it(`reads numbers, strings, dates, rich text and formula results (${streaming ? 'streaming' : 'plain'} writer)`, async () => {
      const path = streaming ? ledger : await writeWorkbook('plain.xlsx', { Ledger: LEDGER_ROWS }, false);
      const result = await read(path);
      expect(result.problems).toEqual([]);
      expect(result.header).toEqual(HEADER);
      expect(result.lines.map((l) => [l.lineNo, l.raw, l.amountPence, l.date, l.period, l.codes])).toEqual([
        [2, ['C100', '5000', 'Home care', '2025-05-31', '1234.56'], 123456, '2025-05-31', periodKey(2025, 2), ['C100', '5000']],
        [3, ['C101', '5001', 'Day care', '2025-06-01', '-250'], -25000, '2025-06-01', periodKey(2025, 3), ['C101', '5001']],
        [4, ['C102', '5002', 'Formula', '02/06/2025', '2469.12'], 246912, '2025-06-02', periodKey(2025, 3), ['C102', '5002']],
        [5, ['C103', '5003', 'Float noise', '2025-05-31', '0.3'], 30, '2025-05-31', periodKey(2025, 2), ['C103', '5003']],
      ]);
      expect(result.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    });
  }

  it('reads the sheet the settings name, in any case', async () => {
    const settings = fileSettings({ sheet: 'notes', columns: { date: null, amount: 'Note', description: null, codes: [] } });
    const result = await readAll(ledger, readOptions(settings, { period: periodKey(2025, 3) }));
    expect(result.header).toEqual(['Note']);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'AMOUNT_INVALID', line: 2, column: 'Note' })]);
  });

  it('reports a sheet the workbook lacks, naming the sheets it has', async () => {
    const result = await read(ledger, { sheet: 'Ledger 2025' });
    expect(result.problems).toEqual([
      {
        code: 'FILE_UNREADABLE',
        file: 'ledger.xlsx',
        line: null,
        column: null,
        reason: 'the workbook has no sheet named "Ledger 2025"; its sheets are "Ledger", "Notes"',
      },
    ]);
  });

  it('reports a truncated workbook as FILE_UNREADABLE, wherever it is cut', async () => {
    const bytes = readFileSync(ledger);
    const half = tempFile('half.xlsx', bytes.subarray(0, bytes.length >> 1));
    const result = await read(half);
    expect(result.problems).toEqual([
      {
        code: 'FILE_UNREADABLE',
        file: 'ledger.xlsx',
        line: null,
        column: null,
        reason: 'the file cannot be read as an XLSX workbook: it is truncated or damaged (its zip directory is missing)',
      },
    ]);
    for (const fraction of [0.1, 0.3, 0.7, 0.9, 0.99]) {
      const cut = tempFile(`cut-${fraction}.xlsx`, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      const problems = (await read(cut)).problems.map((p) => p.code);
      expect(problems, `cut at ${fraction}`).toEqual(['FILE_UNREADABLE']);
    }
  });

  it('reports a file that is not a workbook at all', async () => {
    const result = await read(tempFile('not-a-workbook.xlsx', 'Cost Centre,Amount\nC1,5\n'));
    expect(result.problems.map((p) => [p.code, p.reason])).toEqual([['FILE_UNREADABLE', 'the file is not an XLSX workbook (it is not a zip archive)']]);
    const xls = await read(tempFile('old.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])));
    expect(xls.problems.map((p) => p.reason)).toEqual([
      'the file is an Excel 97-2003 (.xls) workbook or a password-protected one; save it as an unprotected .xlsx',
    ]);
  });

  it('reports a workbook cut inside a sheet that streams straight from the zip', async () => {
    // Sheets stream straight through only when shared strings and the workbook's parts come
    // first; there, exceljs alone would wait forever for the rest of a truncated sheet.
    const rows = Array.from({ length: 3000 }, (_, i) => (i === 0 ? HEADER : [`C${i}`, 5000 + i, `line ${i}`, 45808, 12.5 + i]));
    const bytes = sheetFirstPartsLastXlsx(rows);
    expect((await read(tempFile('direct.xlsx', bytes))).lines).toHaveLength(2999);
    // without the zip check, cuts in the last kilobytes of the sheet's data hung here
    for (let cutAt = 1000; cutAt < bytes.length; cutAt += 211) {
      const cut = tempFile(`direct-cut-${cutAt}.xlsx`, bytes.subarray(0, cutAt));
      expect((await read(cut)).problems.map((p) => p.code), `cut at byte ${cutAt}`).toEqual(['FILE_UNREADABLE']);
    }
  });

  it('skips rows at the top and totals at the bottom, and keeps row numbers across empty rows', async () => {
    const rows: CellValue[][] = [
      ['Council ledger', null, null, null, null],
      [],
      HEADER,
      ['C100', 5000, 'a', may31, 10],
      [],
      [],
      ['C101', 5000, 'b', may31, 20],
      [null, null, 'Total', null, 30],
    ];
    const path = await writeWorkbook('totals.xlsx', { Ledger: rows });
    const result = await read(path, { skipTop: 1, skipBottom: 1 });
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => [l.lineNo, l.amountPence])).toEqual([
      [4, 1000],
      [7, 2000],
    ]);
  });

  it('reports a value in a column with no header as a field-count problem', async () => {
    const path = await writeWorkbook('wide.xlsx', { Ledger: [HEADER, ['C100', 5000, 'a', may31, 10, 'stray']] });
    const result = await read(path);
    expect(result.problems).toEqual([
      { code: 'FIELD_COUNT', file: 'ledger.xlsx', line: 2, column: null, reason: 'this line has 6 fields, but the header has 5' },
    ]);
  });

  it('reports a workbook with garbled bytes inside it, instead of waiting forever', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => (i === 0 ? HEADER : [`C${i}`, 5000 + i, `line ${i}`, 45808, 12.5 + i]));
    const bytes = sheetFirstPartsLastXlsx(rows);
    let unreadable = 0;
    for (let at = 100; at < bytes.length - 200; at += 397) {
      const garbled = Buffer.from(bytes);
      for (let i = at; i < at + 64; i++) garbled[i] = (garbled[i]! * 7 + 13) & 0xff;
      const { problems } = await read(tempFile(`garbled-${at}.xlsx`, garbled));
      // a damaged part is FILE_UNREADABLE; damage that still parses can only spoil single lines
      expect(problems.every((p) => p.code === 'FILE_UNREADABLE' || p.line !== null), `garbled at byte ${at}`).toBe(true);
      if (problems.some((p) => p.code === 'FILE_UNREADABLE')) unreadable++;
    }
    expect(unreadable).toBeGreaterThan(100);
  });

  it('keeps accented names and £ intact however the sheet and shared strings are cut into chunks', async () => {
    const names = Array.from({ length: 4000 }, (_, i) => `Zoë Brontë-Dupré £${i} café ${'é'.repeat(i % 7)}`);
    const path = await writeWorkbook('accents.xlsx', { Ledger: [HEADER, ...names.map((name, i) => [`C${i}`, 5000, name, may31, i])] });
    const result = await read(path);
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => l.raw[2])).toEqual(names);
  });

  it('reads the same workbook the same way every time', async () => {
    // exceljs's own streaming unzip loses trailing parts now and then on Node 20 (its issue #3064)
    const outcomes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const result = await read(ledger);
      outcomes.add(JSON.stringify([result.problems, result.lines.length]));
    }
    expect([...outcomes]).toEqual([JSON.stringify([[], 4])]);
  });

  it('reports a sheet with a header and no rows', async () => {
    const path = await writeWorkbook('header-only.xlsx', { Ledger: [HEADER] });
    expect((await read(path)).problems.map((p) => p.code)).toEqual(['FILE_HEADER_ONLY']);
  });

  it('chooses the reader by extension, whatever its case', async () => {
    const upper = tempFile('LEDGER.XLSX', readFileSync(ledger));
    expect((await read(upper)).lines).toHaveLength(4);
  });
});

describe('a date column holding numbers', () => {
  it('reads them as Excel serials, fake 1900 leap day included', async () => {
    const path = tempFile('serials.xlsx', '');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
    const sheet = workbook.addWorksheet('Ledger');
    for (const row of [HEADER, ['C1', 1, 'a', 45808, 1], ['C1', 1, 'b', 61, 1], ['C1', 1, 'c', 60, 1]]) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
    const result = await readAll(path, readOptions(fileSettings(), { years: [2025], fileName: 'serials.xlsx' }));
    expect(result.lines.map((l) => [l.lineNo, l.date])).toEqual([[2, '2025-05-31']]);
    expect(result.problems.map((p) => [p.code, p.line, p.reason])).toEqual([
      ['PERIOD_OUTSIDE_AGREEMENT', 3, '"1900-03-01" is in 1899-00 M12, outside the agreement\'s financial years (2025-26)'],
      ['DATE_INVALID', 4, '"60" is not a day Excel can show as a date (Excel serial numbers run from 1 to 2958465, and 60 is Excel\'s 29/02/1900, which never existed)'],
    ]);
  });
});
