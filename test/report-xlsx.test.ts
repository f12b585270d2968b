// The XLSX report (src/report/xlsx.ts): the Sheffield June 2025 close plus a few hand-made ledger
// line batches rendered once, then read back with exceljs's ordinary (non-streaming) reader for
// structure (sheets, frozen panes, autofilters, £ formats, formulas rather than constants) and
// recalculated by headless LibreOffice (test/support/libreoffice.ts) to prove every live formula
// gives Tandem's figure to the penny. Amounts are compared as pence parsed exactly from text
// (parseAmount), never with parseFloat. LibreOffice runs three times in all: once on the rendered
// file, once on a copy whose every cached result is poisoned, which it must correct, and once on a
// workbook of hostile text and awkward amounts in the Lines rows, which the report writes as XML
// itself (xlsx-line-rows.ts, xlsx-xml.ts); that XML is also read raw from the zip and checked.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { Cell, Worksheet } from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvariantError, parseAmount, type Pence } from '../src/domain/money.js';
import { guardCell } from '../src/report/cell-guard.js';
import type { AppContext } from '../src/app/context.js';
import { reportLines } from '../src/app/report.js';
import type { ReportData, ReportFigures, ReportLine, ReportLineBatch } from '../src/report/report-data.js';
import type { MemorandumReturn } from '../src/report/returns-data.js';
import { renderReportXlsx } from '../src/report/xlsx.js';
import { POUNDS_FORMAT } from '../src/report/xlsx-layout.js';
import { sheetBacklog } from '../src/report/xlsx-lines.js';
import { cellText, poundsText, xmlSafe, xmlText } from '../src/report/xlsx-xml.js';
import { recalculate } from './support/libreoffice.js';
import { sheffieldYearReports } from './support/sheffield-year.js';
import { storeFactories, type TestStore } from './support/stores.js';

const SHEETS = ['Summary', 'Schemes', 'Budget reconciliation', 'Contracts', 'Metrics', 'Risk share', 'Multi-year', 'Journals', 'Agreement of balances', 'Unmapped'];
const HYPERLINK = '=HYPERLINK("http://x","y")';
const FIGURES = ['annualBudgetPence', 'ytdBudgetPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const;

/** The fixture with hostile text where a ledger or a person supplies it. */
function fixture(): ReportData {
  const data = JSON.parse(readFileSync('test/fixtures/report/sheffield-m03.json', 'utf8')) as ReportData;
  data.pools[0]!.schemes[0]!.commentary = { text: '+44 7700 900123 rang about the overspend', by: 'lead', at: '2025-07-09T10:00:00Z' };
  const line = data.journals[0]!.journals[0]!.lines[0]!;
  line.description = '@SUM(A1:A9)';
  line.codes.Account = '-521900';
  // Two decisions changed pkw's budget: +£300,000 (decision 1, version 2), −£200,000 (decision 2, version 3).
  const pkw = data.budgetReconciliation.find((r) => r.scheme === 'pkw')!;
  pkw.changes = [{ decision: 1, version: 2, pence: 30_000_000 }, { decision: 2, version: 3, pence: -20_000_000 }];
  pkw.currentPence = pkw.originalPence + 10_000_000;
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

  it('reconciles the budget per scheme: original, approved changes, current as a live sum, and each change with its decision', () => {
    const ws = book.getWorksheet('Budget reconciliation')!;
    const pkw = rowWhere(ws, 1, 'pkw');
    const row = ws.getRow(pkw);
    expect([pence(row.getCell(3).value), pence(row.getCell(4).value), row.getCell(5).formula, pence(row.getCell(5).result), row.getCell(6).value]).toEqual([
      1_600_000_000,
      10_000_000,
      `ROUND(C${pkw}+D${pkw},2)`,
      1_610_000_000,
      'decision 1 (version 2), decision 2 (version 3)',
    ]);
    const total = ws.getRow(rowWhere(ws, 1, 'Total'));
    expect(pence(total.getCell(5).result)).toBe(data.budgetReconciliation.reduce((n, r) => n + r.currentPence, 0));
    const changes = rowWhere(ws, 1, 'Changes by decision');
    expect([2, 3].map((i) => ws.getRow(changes + i).values)).toEqual([
      [undefined, 'pkw', 1, 2, 300_000],
      [undefined, 'pkw', 2, 3, -200_000],
    ]);
  });

  it('lists each contract with value, due and spend, spend − due as a live formula, and totals', () => {
    const ws = book.getWorksheet('Contracts')!;
    const n = rowWhere(ws, 1, 'step-down-beds');
    const row = ws.getRow(n);
    expect([row.getCell(4).value, pence(row.getCell(5).value), row.getCell(6).value, pence(row.getCell(8).value), pence(row.getCell(9).value), row.getCell(10).formula, pence(row.getCell(10).result)]).toEqual([
      'cost and volume',
      432_000_000,
      5385,
      107_700_000,
      111_000_000,
      `ROUND(I${n}-H${n},2)`,
      3_300_000,
    ]);
    const total = ws.getRow(rowWhere(ws, 1, 'Total'));
    expect(pence(total.getCell(9).result)).toBe(data.contracts!.rows.reduce((sum, r) => sum + r.spendYtdPence, 0));
  });

  it('lists each metric month by month with plan, actual, actual − plan and RAG as a word', () => {
    const ws = book.getWorksheet('Metrics')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => void (row.getCell(1).value === 'nel-admissions' ? rows.push((row.values as unknown[]).slice(5)) : undefined));
    expect(rows).toEqual([
      ['2025-26 M01', 5450, 5380, -70, 'Green'],
      ['2025-26 M02', 5450, 5610, 160, 'Amber'],
      ['2025-26 M03', 5450, 5790, 340, 'Red'],
    ]);
  });

  it('leaves out the Contracts and Metrics sheets for a fund without them', async () => {
    const plain = fixture();
    plain.contracts = null;
    plain.metrics = null;
    const result = await renderReportXlsx(plain, [], path.join(dir, 'plain.xlsx'));
    expect(result.sheets).toEqual([...SHEETS.filter((s) => s !== 'Contracts' && s !== 'Metrics'), 'Lines']);
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

describe('XLSX report of an M12 close: the Memorandum sheet', () => {
  let store: TestStore;
  let m12File = '';
  let m12Sheets: string[] = [];
  let m11Sheets: string[] = [];
  let memorandum: MemorandumReturn;
  let ws: Worksheet;
  beforeAll(async () => {
    store = await storeFactories()[0]!.create();
    const ctx: AppContext = { store: store.store, actor: 'tester', now: () => new Date('2026-04-20T09:00:00Z') };
    const reports = await sheffieldYearReports(ctx);
    memorandum = reports.memorandum;
    m12File = path.join(dir, 'm12.xlsx');
    m12Sheets = (await renderReportXlsx(reports.m12.data, await reportLines(ctx, reports.m12), m12File)).sheets;
    m11Sheets = (await renderReportXlsx(reports.m11.data, [], path.join(dir, 'm11.xlsx'))).sheets;
    const m12Book = new ExcelJS.Workbook();
    await m12Book.xlsx.readFile(m12File);
    ws = m12Book.getWorksheet('Memorandum')!;
  }, 120_000);
  afterAll(() => store?.dispose());
  const cellAt = (label: string, column = 2) => ws.getRow(rowWhere(ws, 1, label)).getCell(column);

  it('comes after the Risk share sheet in the M12 report only', () => {
    expect(m12Sheets.slice(m12Sheets.indexOf('Risk share'), m12Sheets.indexOf('Risk share') + 2)).toEqual(['Risk share', 'Memorandum']);
    expect(m11Sheets).not.toContain('Memorandum');
    expect(m11Sheets).toContain('Risk share');
  });

  it('states the account as tandem returns memorandum does: numbers in £, totals and the surplus as live formulas', () => {
    const [pool] = memorandum.account.pools;
    expect([ws.getCell('A1').value, ws.getCell('A3').value]).toEqual([memorandum.account.fundName, 'OFFICIAL']);
    expect(String(ws.getCell('A2').value)).toContain('2025-26 M12 (March 2026): pooled budget memorandum account, financial year 2025-26');
    for (const i of pool!.income) {
      const cell = cellAt(`Contribution from ${i.name}`);
      expect([pence(cell.value), cell.numFmt]).toEqual([i.contributionPence, POUNDS_FORMAT]);
    }
    for (const e of pool!.expenditure) expect(pence(cellAt(`${e.name} (${e.scheme})`).value)).toBe(e.actualPence);
    const income = cellAt('Total income');
    expect([income.formula, pence(income.result), income.numFmt]).toEqual([expect.stringMatching(/^ROUND\(SUM\(B\d+:B\d+\),2\)$/), pool!.incomePence, POUNDS_FORMAT]);
    expect(pence(cellAt('Total expenditure').result)).toBe(pool!.expenditurePence);
    const surplus = cellAt(pool!.surplusPence >= 0 ? 'Surplus for the year' : 'Deficit for the year');
    expect([surplus.formula, pence(surplus.result)]).toEqual([expect.stringMatching(/^ROUND\(B\d+-B\d+,2\)$/), pool!.surplusPence]);
    expect(pence(cellAt('Total shared').result)).toBe(pool!.surplusPence);
    for (const x of pool!.shares) {
      const n = rowWhere(ws, 1, x.name);
      const row = ws.getRow(n);
      expect([pence(row.getCell(2).value), pence(row.getCell(3).value), row.getCell(4).formula, pence(row.getCell(4).result), row.getCell(5).value]).toEqual([x.contributionPence, x.shareOfSurplusPence, `ROUND(B${n}-C${n},2)`, x.netContributionPence, x.settlementRef ?? 'host: no journal']);
    }
    for (const r of pool!.reasons) expect(rowWhere(ws, 1, r)).toBeGreaterThan(0);
  });

  it('adds up in LibreOffice: every formula, its cached result poisoned, recalculates to Tandem’s figure', { timeout: 120_000 }, async () => {
    const poisoned = new ExcelJS.Workbook();
    await poisoned.xlsx.readFile(m12File);
    const sheet = poisoned.getWorksheet('Memorandum')!;
    const truth = new Map<string, { row: number; col: number; pence: Pence }>();
    for (const cell of formulaCells(sheet)) {
      truth.set(cell.address, { row: Number(cell.row), col: Number(cell.col), pence: pence(cell.result) });
      cell.value = { formula: cell.formula, result: 999 };
    }
    expect(truth.size).toBeGreaterThanOrEqual(4 + 2 * memorandum.account.pools[0]!.shares.length);
    const copy = path.join(dir, 'm12-poisoned.xlsx');
    await poisoned.xlsx.writeFile(copy);
    const sheets = await recalculate(copy);
    for (const [address, { row, col, pence: expected }] of truth) expect(pence(sheets.get('Memorandum')?.[row - 1]?.[col - 1]), address).toBe(expected);
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

/** One part of a zip file (an .xlsx), found through the central directory and inflated. */
function zipPart(file: string, name: string): string {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  let at = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength).replace(/^\//, '') === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error(`no ${name} in ${file}`);
}

/** The worksheet XML of the sheet called `sheet`, through workbook.xml and its relationships. */
function sheetXml(file: string, sheet: string): string {
  const id = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(zipPart(file, 'xl/workbook.xml'))?.[1];
  const target = new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(zipPart(file, 'xl/_rels/workbook.xml.rels'))?.[1];
  expect(target, `sheet ${sheet}`).toBeDefined();
  return zipPart(file, `xl/${target!}`);
}

/** Any character XML 1.0 cannot hold (an unpaired surrogate included). */
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Hostile text in, what a spreadsheet must read back: guarded, forbidden characters gone, the rest kept. */
const HOSTILE: [string, string][] = [
  ['a & b <c> "d" \'e\' ]]>', 'a & b <c> "d" \'e\' ]]>'],
  ['tab\there, line\nfeed', 'tab\there, line\nfeed'],
  ['carriage\r\nreturn', 'carriage\r\nreturn'],
  ['bell\u0007, nul\u0000 and escape\u001b go', 'bell, nul and escape go'],
  ['\u0001=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
  ['emoji 😀 and £ and ’ stay', 'emoji 😀 and £ and ’ stay'],
  ['lone \ud800 and \udc00 surrogates, \uffff \ufffe non-characters go', 'lone  and  surrogates,   non-characters go'],
  ['=1+1', "'=1+1"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['+44 7700 900123', "'+44 7700 900123"],
  ['-521900', '-521900'],
  ['-12.50', '-12.50'],
];
/** Awkward amounts in pence: zero, single pennies, round pounds, and 13-digit ones (LibreOffice prints 15 digits). */
const AMOUNTS = [0, 1, -1, 5, -5, 10, -10, 99, -99, 100, -100, 101, -101, 123_456, -987_654_321, 100_000_000_000, -123_456_789_012, 2 ** 40 + 7];

/** A batch of hostile lines: every HOSTILE text with every AMOUNT, empty values leaving gaps, spill past the header. */
function hostileBatch(): { batch: ReportLineBatch; lines: ReportLine[] } {
  const lines: ReportLine[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647); // MINSTD: exact in doubles
  for (let i = 0; i < 300; i++) {
    const amountPence = i < AMOUNTS.length ? AMOUNTS[i]! : (next() % 2_000_000_001) - 1_000_000_000;
    const [text] = HOSTILE[i % HOSTILE.length]!;
    lines.push({ lineNo: i + 2, period: '2025-26 M03', schemeId: 'lths', amountPence, raw: [text, i % 3 === 0 ? '' : `kept ${i}`, `after ${i}`, ...(i % 5 === 0 ? ['spilt'] : [])] });
  }
  async function* chunks(): AsyncGenerator<ReportLine[]> {
    for (let i = 0; i < lines.length; i += 64) yield lines.slice(i, i + 64);
  }
  return { batch: { batchId: 9, ledger: 'scc & <co>', file: '\u0002=file.csv', header: ['Text', 'Maybe\u0003', 'After'], lines: chunks() }, lines };
}

describe('XLSX report: the Lines rows the report writes as XML itself', () => {
  it('escapes text, removes what XML 1.0 forbids before the formula guard, and writes exact pounds', () => {
    for (const [text, expected] of HOSTILE) {
      expect(cellText(text), text).toBe(xmlText(expected));
      expect(NOT_XML.test(cellText(text)), text).toBe(false);
    }
    expect(xmlText('a & <b> \r c')).toBe('a &amp; &lt;b&gt; &#13; c');
    expect(xmlSafe('x\u0000y\ud83d\ude00')).toBe('xy😀');
    expect(['Care homes', '', '£5'].map(cellText)).toEqual(['Care homes', '', '£5']);
    const pounds = [0, 1, -1, 9, 10, -99, 100, -100, 12_345, -123_456_789_012, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER].map(poundsText);
    expect(pounds).toEqual(['0.00', '0.01', '-0.01', '0.09', '0.10', '-0.99', '1.00', '-1.00', '123.45', '-1234567890.12', '90071992547409.91', '-90071992547409.91']);
    for (const bad of [0.5, Number.NaN, 2 ** 53]) expect(() => poundsText(bad)).toThrow(InvariantError);
  });

  it('guards exactly the text cell-guard.ts guards, whatever the first character', () => {
    for (let c = 0; c <= 0xffff; c++) {
      for (const rest of ['', 'x', '1', '1.5', ' 1']) {
        const text = String.fromCharCode(c) + rest;
        const expected = xmlText(guardCell(xmlSafe(text)));
        if (cellText(text) !== expected) expect(cellText(text), `U+${c.toString(16)} + "${rest}"`).toBe(expected);
      }
    }
  });

  it('writes well-formed, compact rows: the first cell of each row and any cell after a gap named, the rest implied', () => {
    const xml = sheetXml(file, 'Lines');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
    expect(xml.match(/<sheetData>/g)).toHaveLength(1);
    expect(xml.match(/<\/sheetData>/g)).toHaveLength(1);
    expect(xml).toMatch(/<\/sheetData><autoFilter ref="A1:P13"\/>.*<pageSetup [^>]*orientation="landscape"[^>]*\/>.*<oddHeader>&amp;COFFICIAL<\/oddHeader>.*<\/worksheet>$/);
    expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    const rows = [...xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/g)];
    expect(rows.map((m) => Number(m[1]))).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    for (const [, r, cells] of rows.slice(1)) expect(cells!.startsWith(`<c r="A${r}" t="str">`), `row ${r}`).toBe(true);
    // The CCG row: H follows G unnamed; L comes after a gap, so it is named.
    expect(rows[8]![2]).toMatch(/^<c r="A9" t="str"><v>sccg<\/v><\/c><c><v>6<\/v><\/c><c t="str"><v>'=cmd\.xlsx<\/v><\/c>.*<c s="\d+"><v>-3\.33<\/v><\/c><c t="str"><v>703100<\/v><\/c><c r="L9" t="str"><v>03N<\/v><\/c>/);
    expect(NOT_XML.test(xml)).toBe(false);
  });

  it('reads back hostile text and awkward amounts to the penny, in exceljs and in LibreOffice', { timeout: 120_000 }, async () => {
    const out = path.join(dir, 'hostile.xlsx');
    const { batch, lines } = hostileBatch();
    expect(await renderReportXlsx(fixture(), [batch], out)).toEqual({ sheets: [...SHEETS, 'Lines'], lineRows: 300 });
    const xml = sheetXml(out, 'Lines');
    expect(NOT_XML.test(xml)).toBe(false);
    expect(xml).not.toMatch(/\r/); // written as &#13;, so XML end-of-line handling cannot turn it into \n

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Lines')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Ledger', 'Batch', 'File', 'Line', 'Period', 'Scheme', 'Amount £', 'Text', 'Maybe', 'After']);
    expect(ws.rowCount).toBe(301);
    expect(ws.autoFilter).toBe('A1:J301');
    lines.forEach((line, i) => {
      const row = ws.getRow(i + 2);
      const what = `row ${i + 2}`;
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value], what).toEqual(['scc & <co>', 9, "'=file.csv", line.lineNo]);
      expect(pence(row.getCell(7).value), what).toBe(line.amountPence);
      expect(row.getCell(7).numFmt, what).toBe(POUNDS_FORMAT);
      expect(row.getCell(8).value, what).toBe(HOSTILE[i % HOSTILE.length]![1]);
      expect(row.getCell(9).value ?? null, what).toBe(i % 3 === 0 ? null : `kept ${i}`);
      expect(row.getCell(10).value, what).toBe(`after ${i}`);
      expect(row.getCell(11).value ?? null, what).toBe(i % 5 === 0 ? 'spilt' : null);
    });

    const sheets = await recalculate(out);
    const back = sheets.get('Lines')!;
    expect(back).toHaveLength(301);
    lines.forEach((line, i) => {
      const row = back[i + 1]!;
      const what = `LibreOffice row ${i + 2}`;
      expect(pence(row[6]), what).toBe(line.amountPence);
      expect([row[0], row[1], row[2], row[3]], what).toEqual(['scc & <co>', '9', "'=file.csv", String(line.lineNo)]);
      expect(row[7], what).toBe(HOSTILE[i % HOSTILE.length]![1]);
      expect(row[8], what).toBe(i % 3 === 0 ? '' : `kept ${i}`);
      expect(row[10] ?? '', what).toBe(i % 5 === 0 ? 'spilt' : '');
    });
  });
});
