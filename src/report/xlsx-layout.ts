// The small sheets of the XLSX report (everything but the streamed Lines) are laid out in memory
// first, as rows of cell specs, by the builders in xlsx-sheets.ts and xlsx-summary.ts, and then
// written here in one go: column widths come from the content, the table header is bold and
// frozen, the table gets an autofilter, every text cell goes through the formula guard, amounts
// carry the £ number format, and a live formula is written with Tandem's own figure as its cached
// result and wrapped in ROUND(…,2): pounds are binary doubles in a spreadsheet, so `actual −
// budget` can come out as 11095.9700000002; rounding to the penny keeps the live value equal to
// Tandem's exact figure.

import type { Cell, Row, stream, Worksheet } from 'exceljs';
import { formatPounds, type Pence } from '../domain/money.js';
import { guardCell } from './cell-guard.js';
import type { ReportData } from './report-data.js';
import { xmlSafe } from './xlsx-xml.js';

export type WorkbookWriter = stream.xlsx.WorkbookWriter;

/** Pounds, two decimals, negatives red with a minus sign (colour is never the only signal). */
export const POUNDS_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00';
/** Excel's row limit (2^20). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Printed on every page of every sheet (the classification is also a title row). */
export const HEADER_FOOTER = { oddHeader: '&COFFICIAL', oddFooter: '&L&A&RPage &P of &N' };

/**
 * An amount as the number a spreadsheet stores: the exact decimal text of the pence (`1234.56`)
 * read as the nearest double. Pence are integers below 2^53, so the double round-trips to the
 * penny (it is the same double as pence / 100, which IEEE division rounds correctly too).
 */
export function pounds(p: Pence): number {
  return Number(formatPounds(p, { grouping: false }));
}

/**
 * One cell: text (always guarded), a plain number (a count or an id), empty, an amount, or a live
 * formula (an amount or a count) with the figure Tandem computed as its cached result.
 */
export type CellSpec = string | number | null | { pence: Pence } | { formula: string; pence: Pence } | { formula: string; count: number };

export type RowStyle = 'title' | 'heading' | 'header' | 'subtotal' | 'total' | 'plain';

interface RowSpec {
  cells: CellSpec[];
  style: RowStyle;
  wrap: boolean;
}

/** Column letters of a 1-based column number: 1 → A, 28 → AB. */
export function col(n: number): string {
  let letters = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}

/** `Schemes!` or `'Risk share'!`: a sheet name as a formula reference prefix. */
export function sheetRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${name}!` : `'${name.replace(/'/g, "''")}'!`;
}

/** A sheet laid out in memory: rows in order; `add` returns the row's number. */
export class SheetBuilder {
  readonly rows: RowSpec[] = [];
  /** The first table's header row: rows up to it stay visible (frozen) when scrolling. */
  frozenRows = 0;
  filter: { top: number; bottom: number; columns: number } | null = null;

  constructor(readonly name: string) {}

  get nextRow(): number {
    return this.rows.length + 1;
  }

  add(cells: CellSpec[], style: RowStyle = 'plain', wrap = false): number {
    this.rows.push({ cells, style, wrap });
    return this.rows.length;
  }

  /** Title rows: fund, report and period, classification, close version; then a blank row. */
  title(data: ReportData, what: string): void {
    const p = data.provenance;
    this.add([data.fund.name], 'title');
    this.add([`Monthly joint finance report ${data.period} (${data.monthName}): ${what}`], 'heading');
    this.add([data.classification], 'heading');
    this.add([`Close version ${p.closeVersion} of agreement version ${p.agreementVersion}, closed ${p.closedAt} by ${p.closedBy}`]);
    this.add([]);
  }

  /** A table's header row; the sheet's first one is frozen with the title rows above it. */
  header(names: string[]): number {
    const row = this.add(names, 'header');
    if (this.frozenRows === 0) this.frozenRows = row;
    return row;
  }

  /** An autofilter over the table from its header row to `bottom`. */
  autoFilter(header: number, bottom: number, columns: number): void {
    this.filter = { top: header, bottom: Math.max(header, bottom), columns };
  }
}

function isAmount(cell: CellSpec): boolean {
  return typeof cell === 'object' && cell !== null && 'pence' in cell;
}

/** The width a cell needs, in characters. */
function cellWidth(cell: CellSpec): number {
  if (cell === null) return 0;
  if (typeof cell === 'string') return Math.max(...cell.split('\n').map((l) => l.length));
  if (typeof cell === 'number') return String(cell).length;
  if ('pence' in cell) return formatPounds(cell.pence, { symbol: true }).length + 2;
  return String(cell.count).length;
}

/** Widths from the table rows (titles and headings may overflow into empty cells), 8..60. */
function widths(builder: SheetBuilder): number[] {
  const out: number[] = [];
  for (const row of builder.rows) {
    if (row.style === 'title' || row.style === 'heading' || row.cells.length === 1) continue;
    row.cells.forEach((cell, i) => {
      out[i] = Math.max(out[i] ?? 0, cellWidth(cell) + (row.style === 'header' ? 3 : 1));
    });
  }
  return out.map((w) => Math.min(60, Math.max(8, w ?? 8)));
}

/** Set one cell's value from its spec. */
export function setCell(cell: Cell, spec: CellSpec): void {
  if (spec === null) return;
  if (typeof spec === 'string') cell.value = guardCell(xmlSafe(spec)); // stripped first: see xlsx-xml.ts
  else if (typeof spec === 'number') cell.value = spec;
  else if (!('formula' in spec)) cell.value = pounds(spec.pence);
  else if ('pence' in spec) cell.value = { formula: `ROUND(${spec.formula},2)`, result: pounds(spec.pence) };
  else cell.value = { formula: spec.formula, result: spec.count };
  if (isAmount(spec)) cell.numFmt = POUNDS_FORMAT;
}

function styleRow(row: Row, style: RowStyle, wrap: boolean, columns: number): void {
  const bold = style !== 'plain';
  for (let c = 1; c <= columns; c++) {
    const cell = row.getCell(c);
    if (style === 'title') cell.font = { bold: true, size: 14 };
    else if (bold) cell.font = { bold: true };
    if (style === 'total') cell.border = { top: { style: 'thin' } };
    if (style === 'header' || wrap) cell.alignment = { vertical: 'top', wrapText: true };
  }
}

/** Open a worksheet in the streaming workbook, frozen below `frozenRows` and marked OFFICIAL. */
export function addSheet(workbook: WorkbookWriter, name: string, frozenRows: number): Worksheet {
  const views = frozenRows > 0 ? [{ state: 'frozen' as const, xSplit: 0, ySplit: frozenRows, topLeftCell: `A${frozenRows + 1}` }] : [];
  return workbook.addWorksheet(name, { views, headerFooter: HEADER_FOOTER, pageSetup: { orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 } });
}

/** Write a laid-out sheet to the streaming workbook and commit it (it leaves memory). */
export function writeSheet(workbook: WorkbookWriter, builder: SheetBuilder): void {
  const sheet = addSheet(workbook, builder.name, builder.frozenRows);
  widths(builder).forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });
  for (const spec of builder.rows) {
    const row = sheet.addRow([]);
    spec.cells.forEach((cell, i) => setCell(row.getCell(i + 1), cell));
    styleRow(row, spec.style, spec.wrap, spec.cells.length);
    row.commit();
  }
  if (builder.filter) {
    const f = builder.filter;
    sheet.autoFilter = `A${f.top}:${col(f.columns)}${f.bottom}`;
  }
  sheet.commit();
}
