// The XLSX report (src/report/xlsx.ts): the Sheffield June 2025 close plus a few hand-made ledger
// line batches rendered once, then read back with exceljs's ordinary (non-streaming) reader for
// structure (sheets, frozen panes, autofilters, £ formats, formulas rather than constants) and
// recalculated by headless LibreOffice (test/support/libreoffice.ts) to prove every live formula
// gives Tandem's figure to the penny. Amounts are compared as pence parsed exactly from text
// (parseAmount), never with parseFloat. LibreOffice runs twice in all: once on the rendered file,
// once on a copy whose every cached result is poisoned, which it must correct.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Cell, Worksheet } from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvariantError, parseAmount, type Pence } from '../src/domain/money.js';
import { guardCell } from '../src/report/cell-guard.js';
import type { ReportData, ReportFigures, ReportLine, ReportLineBatch } from '../src/report/report-data.js';
import { renderReportXlsx } from '../src/report/xlsx.js';
import { POUNDS_FORMAT } from '../src/report/xlsx-layout.js';
import { sheetBacklog } from '../src/report/xlsx-lines.js';
import { recalculate } from './support/libreoffice.js';

const SHEETS = ['Summary', 'Schemes', 'Risk share', 'Journals', 'Agreement of balances', 'Unmapped'];
const HYPERLINK = '=HYPERLINK("http://x","y")';
const FIGURES = ['annualBudgetPence', 'ytdBudgetPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const;

/** The fixture with hostile text where a ledger or a person supplies it. */
function fixture(): ReportData {
  const data = JSON.parse(readFileSync('test/fixtures/report/sheffield-m03.json', 'utf8')) as ReportData;
  data.pools[0]!.schemes[0]!.commentary = { text: '+44 7700 900123 rang about the overspend', by: 'lead', at: '2025-07-09T10:00:00Z' };
  const line = data.journals[0]!.journals[0]!.lines[0]!;
  line.description = '@SUM(A1:A9)';
  line.codes.Account = '-521900';
  return data;
}

/** 7 council lines (chunks of 3) and 5 CCG lines whose headers differ (a repeated name too). */
function batches(): ReportLineBatch[] {
  async function* chunks(lines: ReportLine[], size: number): AsyncGenerator<ReportLine[]> {
    for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size);
  }
  const scc = Array.from({ length: 7 }, (_, i): ReportLine => ({ lineNo: i + 2, period: '2025-26 M03', schemeId: 'lths', amountPence: 1_000_001 * (i + 1) - 7, raw: ['C4102', '5210', i === 2 ? HYPERLINK : `Care home ${i}`, `${i}.00`] }));
  const sccg = Array.from({ length: 5 }, (_, i): ReportLine => ({ lineNo: i + 2, period: '2025-26 M03', schemeId: 'nel', amountPence: -(i + 1) * 333, raw: ['03N', '703100', i === 0 ? '-521900' : '521900', 'Admissions', `${i}`, `second ${i}`] }));
  return [
    { batchId: 3, ledger: 'scc', file: 'scc/2025-26-M03.csv', header: ['Cost Centre', 'Subjective', 'Description', 'Amount'], lines: chunks(scc, 3) },
    { batchId: 6, ledger: 'sccg', file: '=cmd.xlsx', header: ['Entity', 'Cost Centre', 'Account', 'Narrative', 'Value', 'Narrative'], lines: chunks(sccg, 2) },
  ];
}

/** Pence of a number exceljs read back, exactly from its shortest decimal text. */
function pence(value: unknown): Pence {
  const text = typeof value === 'number' ? String(value) : String(value ?? '');
  const r = parseAmount(text);
  if (!r.ok) throw new Error(`not an amount to the penny: "${text}"`);
  return r.pence;
}

const formulaCells = (ws: Worksheet): Cell[] => {
  const out: Cell[] = [];
  ws.eachRow((row) => row.eachCell((cell) => void (cell.formula ? out.push(cell) : undefined)));
  return out;
};
const rowWhere = (ws: Worksheet, column: number, text: string): number => {
  let found = 0;
  ws.eachRow((row, n) => void (found === 0 && row.getCell(column).value === text ? (found = n) : undefined));
  expect(found, `row with "${text}" in ${ws.name}`).toBeGreaterThan(0);
  return found;
};
const frozen = (ws: Worksheet) => ws.views[0] as { state?: string; ySplit?: number };

let dir = '';
let file = '';
let data: ReportData;
let book: ExcelJS.Workbook;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tandem-xlsx-'));
  file = path.join(dir, 'report.xlsx');
  data = fixture();
  const result = await renderReportXlsx(data, batches(), file);
  expect(result).toEqual({ sheets: [...SHEETS, 'Lines'], lineRows: 12 });
  book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Where each figure row is: [sheet, row, first figure column]. */
function figureRows(): { what: string; sheet: string; row: number; first: number; figures: ReportFigures }[] {
  const schemes = book.getWorksheet('Schemes')!;
  const summary = book.getWorksheet('Summary')!;
  return [
    ...data.pools.flatMap((p) => [
      ...p.schemes.map((s) => ({ what: `scheme ${s.id}`, sheet: 'Schemes', row: rowWhere(schemes, 2, s.id), first: 7, figures: s as ReportFigures })),
      { what: `pool ${p.id}`, sheet: 'Schemes', row: rowWhere(schemes, 3, `Total: ${p.name}`), first: 7, figures: p as ReportFigures },
    ]),
    ...data.summary.map((s) => ({ what: s.id, sheet: 'Summary', row: rowWhere(summary, 1, s.label), first: 2, figures: s as ReportFigures })),
  ];
}

describe('XLSX report: structure read back with exceljs', () => {
  it('has the sheets in order, titles, frozen headers, autofilters and provenance', () => {
    expect(book.worksheets.map((w) => w.name)).toEqual([...SHEETS, 'Lines']);
    for (const name of SHEETS) {
      const ws = book.getWorksheet(name)!;
      expect([ws.getCell('A1').value, ws.getCell('A3').value], name).toEqual([data.fund.name, 'OFFICIAL']);
      expect(String(ws.getCell('A2').value)).toContain('2025-26 M03 (June 2025)');
      expect(String(ws.getCell('A4').value)).toMatch(/^Close version 1 of agreement version 1/);
      expect(frozen(ws), name).toMatchObject({ state: 'frozen', ySplit: 6 });
      expect(ws.autoFilter, name).toMatch(/^A6:[A-Z]+\d+$/);
      expect(ws.getRow(6).getCell(1).font?.bold, name).toBe(true);
    }
    expect(book.getWorksheet('Schemes')!.getColumn(3).width).toBeGreaterThanOrEqual('Independent Living Solutions'.length);
    expect(book.getWorksheet('Schemes')!.autoFilter).toBe('A6:P13');
    const summary = book.getWorksheet('Summary')!;
    const text = summary.getSheetValues().flat().map(String).join('\n');
    for (const fact of [data.provenance.closeSha256, data.provenance.closedAt, ...data.provenance.batches.map((b) => b.file)]) expect(text).toContain(fact);
    expect(text).toContain('are on the sheet "Lines"');
  });

  it('writes subtotals, totals and variances as formulas cached with Tandem’s figures, amounts in £', () => {
    const rows = figureRows();
    expect(rows).toHaveLength(5 + 2 + 3);
    for (const { what, sheet, row, first, figures } of rows) {
      const ws = book.getWorksheet(sheet)!;
      FIGURES.forEach((key, i) => {
        const cell = ws.getRow(row).getCell(first + i);
        expect(cell.numFmt, `${what} ${key}`).toBe(POUNDS_FORMAT);
        const live = key.endsWith('VariancePence') || !what.startsWith('scheme');
        expect(Boolean(cell.formula), `${what} ${key} is a formula`).toBe(live);
        expect(pence(live ? cell.result : cell.value), `${what} ${key}`).toBe(figures[key]);
      });
      expect(ws.getRow(row).getCell(first + 6).value).toBe(figures.rag.charAt(0).toUpperCase() + figures.rag.slice(1));
    }
    const schemes = book.getWorksheet('Schemes')!;
    const pkw = rowWhere(schemes, 2, 'pkw');
    expect(schemes.getRow(pkw).getCell(10).formula).toBe(`ROUND(I${pkw}-H${pkw},2)`);
    expect(schemes.getRow(rowWhere(schemes, 3, 'Total: Better Care Fund pool')).getCell(7).formula).toBe('ROUND(SUM(G7:G10),2)');
    const summary = book.getWorksheet('Summary')!;
    expect(summary.getCell('B7').formula).toBe('ROUND(SUMIFS(Schemes!G$7:G$13,Schemes!$D$7:$D$13,"pooled"),2)');
    expect(summary.getCell('B9').formula).toBe('ROUND(B7+B8,2)');
    for (const ws of book.worksheets) for (const cell of formulaCells(ws)) expect(typeof cell.result, `${ws.name}!${cell.address}`).toBe('number');
    expect(formulaCells(book.getWorksheet('Agreement of balances')!).map((c) => c.formula)).toContain('ROUND((C7-D7)+(C8-D8),2)');
  });

  it('streams the lines under one union header with every original column', () => {
    const ws = book.getWorksheet('Lines')!;
    expect(frozen(ws)).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = ['Ledger', 'Batch', 'File', 'Line', 'Period', 'Scheme', 'Amount £', 'Cost Centre', 'Subjective', 'Description', 'Amount', 'Entity', 'Account', 'Narrative', 'Value', 'Narrative (2)'];
    expect(ws.getRow(1).values).toEqual([undefined, ...header]);
    expect(ws.autoFilter).toBe('A1:P13');
    expect(ws.rowCount).toBe(13);
    const first = ws.getRow(2);
    expect([first.getCell(1).value, first.getCell(2).value, first.getCell(4).value, first.getCell(6).value, pence(first.getCell(7).value)]).toEqual(['scc', 3, 2, 'lths', 999_994]);
    expect(first.getCell(7).numFmt).toBe(POUNDS_FORMAT);
    const ccg = ws.getRow(9);
    expect(ccg.values).toEqual([undefined, 'sccg', 6, "'=cmd.xlsx", 2, '2025-26 M03', 'nel', -3.33, '703100', undefined, undefined, undefined, '03N', '-521900', 'Admissions', '0', 'second 0']);
  });

  it('guards text a ledger or a person supplied, leaving plain signed numbers alone', () => {
    const lines = book.getWorksheet('Lines')!;
    const hostile = lines.getRow(4).getCell(10);
    expect(hostile.value).toBe(`'${HYPERLINK}`);
    expect(hostile.formula).toBeUndefined();
    const schemes = book.getWorksheet('Schemes')!;
    expect(schemes.getRow(rowWhere(schemes, 2, 'pkw')).getCell(14).value).toBe("'+44 7700 900123 rang about the overspend");
    const journals = book.getWorksheet('Journals')!;
    expect(journals.getRow(7).getCell(18).value).toBe("'@SUM(A1:A9)");
    expect(journals.getRow(7).getCell(13).value).toBe('-521900');
    expect([guardCell('=1+1'), guardCell('\tx'), guardCell('\rx'), guardCell('-12.5'), guardCell('-12 x'), guardCell('Care')]).toEqual(["'=1+1", "'\tx", "'\rx", '-12.5', "'-12 x", 'Care']);
  });
});

describe('XLSX report: recalculated by LibreOffice', () => {
  const amountAt = (sheets: Map<string, string[][]>, sheet: string, row: number, column: number) => pence(sheets.get(sheet)?.[row - 1]?.[column - 1]);

  it('gives Tandem’s figure to the penny in every formula cell, scheme, pool, pooled, aligned and integrated row', { timeout: 120_000 }, async () => {
    const sheets = await recalculate(file);
    expect([...sheets.keys()].sort()).toEqual([...SHEETS, 'Lines'].sort());
    let checked = 0;
    for (const ws of book.worksheets) {
      for (const cell of formulaCells(ws)) {
        expect(amountAt(sheets, ws.name, Number(cell.row), Number(cell.col)), `${ws.name}!${cell.address} ${cell.formula}`).toBe(pence(cell.result));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    for (const { what, sheet, row, first, figures } of figureRows()) {
      FIGURES.forEach((key, i) => expect(amountAt(sheets, sheet, row, first + i), `${what} ${key}`).toBe(figures[key]));
    }
    // Injected text comes back as text: nothing evaluated to "y", the guard's apostrophe kept.
    const lines = sheets.get('Lines')!;
    expect(lines[3]![9]).toBe(`'${HYPERLINK}`);
    expect(lines.flat()).not.toContain('y');
    expect(sheets.get('Journals')![6]![17]).toBe("'@SUM(A1:A9)");
    expect(sheets.get('Schemes')!.flat()).toContain("'+44 7700 900123 rang about the overspend");
  });

  it('recalculates rather than trusting cached results: a poisoned copy comes back right', { timeout: 120_000 }, async () => {
    const poisoned = new ExcelJS.Workbook();
    await poisoned.xlsx.readFile(file);
    const truth = new Map<string, Pence>();
    for (const ws of poisoned.worksheets) {
      for (const cell of formulaCells(ws)) {
        truth.set(`${ws.name}!${cell.address}`, pence(cell.result));
        cell.value = { formula: cell.formula, result: 999 };
      }
    }
    const copy = path.join(dir, 'poisoned.xlsx');
    await poisoned.xlsx.writeFile(copy);
    const check = new ExcelJS.Workbook();
    await check.xlsx.readFile(copy);
    expect(check.getWorksheet('Summary')!.getCell('B9').result).toBe(999);
    const sheets = await recalculate(copy);
    expect(truth.size).toBeGreaterThan(40);
    for (const [at, expected] of truth) {
      const [sheet, address] = at.split('!') as [string, string];
      const cell = check.getWorksheet(sheet)!.getCell(address);
      expect(amountAt(sheets, sheet, Number(cell.row), Number(cell.col)), at).toBe(expected);
    }
  });
});

describe('XLSX report: lines split across sheets, and failures', () => {
  it('splits 12 lines over three sheets of at most 5 rows and says so on the Summary', async () => {
    const out = path.join(dir, 'split.xlsx');
    const result = await renderReportXlsx(fixture(), batches(), out, { maxRowsPerSheet: 5 });
    expect(result).toEqual({ sheets: [...SHEETS, 'Lines', 'Lines 2', 'Lines 3'], lineRows: 12 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(result.sheets);
    const seen: string[] = [];
    for (const name of ['Lines', 'Lines 2', 'Lines 3']) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.rowCount, name).toBe(5);
      expect(ws.getCell('A1').value).toBe('Ledger');
      expect(ws.autoFilter).toBe('A1:P5');
      for (let r = 2; r <= 5; r++) seen.push(`${String(ws.getCell(`B${r}`).value)}:${String(ws.getCell(`D${r}`).value)}`);
    }
    expect(seen).toEqual([...[2, 3, 4, 5, 6, 7, 8].map((n) => `3:${n}`), ...[2, 3, 4, 5, 6].map((n) => `6:${n}`)]);
    const note = wb.getWorksheet('Summary')!.getSheetValues().flat().map(String).find((t) => t.includes('split across'));
    expect(note).toContain('split across 3 sheets: "Lines", "Lines 2", "Lines 3"');
    expect(note).toContain('12 mapped ledger lines');
  });

  it('refuses a figure its formula would not reproduce, and leaves no file', async () => {
    const bad = fixture();
    bad.pools[0]!.schemes[1]!.ytdVariancePence += 1;
    const out = path.join(dir, 'bad.xlsx');
    await expect(renderReportXlsx(bad, [], out)).rejects.toThrow(InvariantError);
    expect(existsSync(out)).toBe(false);
  });

  it('removes the partial file when the lines fail mid-stream', async () => {
    async function* failing(): AsyncGenerator<ReportLine[]> {
      yield [{ lineNo: 2, period: '2025-26 M03', schemeId: 'pkw', amountPence: 1, raw: [] }];
      throw new Error('database went away');
    }
    const out = path.join(dir, 'failed.xlsx');
    await expect(renderReportXlsx(fixture(), [{ batchId: 1, ledger: 'scc', file: 'f.csv', header: [], lines: failing() }], out)).rejects.toThrow('database went away');
    expect(existsSync(out)).toBe(false);
  });

  it('rejects, rather than hanging, when the file cannot be written', async () => {
    await expect(renderReportXlsx(fixture(), batches(), path.join(dir, 'missing', 'r.xlsx'))).rejects.toThrow(/ENOENT/);
  });

  it('finds exceljs’s stream buffers, so back-pressure is applied', () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ useStyles: true });
    const ws = wb.addWorksheet('x');
    ws.addRow(['a']).commit();
    expect(sheetBacklog(ws)).toEqual(expect.any(Number));
  });
});
