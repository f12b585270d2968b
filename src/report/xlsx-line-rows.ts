// The XML of the Lines sheets' rows (xlsx-lines.ts), written as text rather than through
// exceljs's per-cell model: a million ledger lines are about 15 million cells, and exceljs's row
// serialisation runs at some 28,000 rows a second, this at about a million.
//
// Cell references: every row names its first cell (`<c r="A2" …>`) and any cell after a gap; a
// cell that directly follows the previous one leaves `r` out, which ECMA-376 allows (§18.3.1.4:
// the reference is optional, and a cell without one is the next column). Excel, LibreOffice and
// exceljs's reader all read it so (exceljs needs the row's first cell named). It roughly halves
// both the XML and the zipped file: the references are the one part of each row that never
// repeats.

import { invariant } from '../domain/money.js';
import type { ReportLine, ReportLineBatch } from './report-data.js';
import { col } from './xlsx-layout.js';
import { cellText, poundsText } from './xlsx-xml.js';

/** Columns of a Lines row before the extract's own: Ledger, Batch, File, Line, Period, Scheme, Amount £. */
const FIXED_COLUMNS = 7;

/**
 * Builds the `<row>` XML of each ledger line: A Ledger, B Batch, C File, D Line, E Period,
 * F Scheme, G Amount £ (a number in the £ style), then the extract's raw values in the columns
 * the union header gives them (xlsx-lines.ts `unionHeader`), left to right as a row must be; raw
 * values past the batch's header spill into the columns after the union header's. Empty text
 * makes no cell.
 */
export class LineRowXml {
  private readonly letters: string[] = [];
  private ledger = '';
  private batchId = '';
  private file = '';
  /** The batch's named raw values in sheet order: index into `raw`, and the sheet column. */
  private rawIndex: number[] = [];
  private rawColumn: number[] = [];
  /** Sheet column of raw value i past the batch's header is spill + i. */
  private spill = 0;
  private named = 0;
  private period = { raw: '', xml: '' };
  private scheme = { raw: '', xml: '' };
  /** The row being built, and the column an unnamed cell would land in (0: none yet). */
  private r = '';
  private next = 0;

  constructor(private readonly amountStyle: number) {
    invariant(Number.isSafeInteger(amountStyle) && amountStyle >= 0, `bad style index ${amountStyle}`);
  }

  /** `at`: where the batch's header columns sit in the union header of `unionWidth` names. */
  startBatch(batch: ReportLineBatch, at: readonly number[], unionWidth: number): void {
    invariant(Number.isSafeInteger(batch.batchId), `batch id must be a whole number, got ${String(batch.batchId)}`);
    this.ledger = cellText(batch.ledger);
    this.batchId = String(batch.batchId);
    this.file = cellText(batch.file);
    const named = at.map((p, i) => [i, FIXED_COLUMNS + 1 + p] as const).sort((x, y) => x[1] - y[1]);
    this.rawIndex = named.map(([i]) => i);
    this.rawColumn = named.map(([, c]) => c);
    this.named = at.length;
    this.spill = FIXED_COLUMNS + 1 + unionWidth - at.length;
    this.period = { raw: '', xml: '' };
    this.scheme = { raw: '', xml: '' };
  }

  row(rowNumber: number, line: ReportLine): string {
    invariant(Number.isSafeInteger(line.lineNo), `line number must be a whole number, got ${String(line.lineNo)}`);
    if (line.period !== this.period.raw) this.period = { raw: line.period, xml: cellText(line.period) };
    if (line.schemeId !== this.scheme.raw) this.scheme = { raw: line.schemeId, xml: cellText(line.schemeId) };
    const r = String(rowNumber);
    this.r = r;
    this.next = 0;
    let x = `<row r="${r}">${this.text(1, this.ledger)}${this.open(2)}><v>${this.batchId}</v></c>${this.text(3, this.file)}${this.open(4)}><v>${line.lineNo}</v></c>${this.text(5, this.period.xml)}${this.text(6, this.scheme.xml)}${this.open(7)} s="${this.amountStyle}"><v>${poundsText(line.amountPence)}</v></c>`;
    const raw = line.raw;
    for (let k = 0; k < this.rawIndex.length; k++) x += this.value(this.rawColumn[k]!, raw[this.rawIndex[k]!]);
    for (let i = this.named; i < raw.length; i++) x += this.value(this.spill + i, raw[i]);
    return `${x}</row>`;
  }

  /** `<c` with the cell's reference unless it directly follows the previous cell. */
  private open(column: number): string {
    const open = column === this.next ? '<c' : `<c r="${(this.letters[column] ??= col(column))}${this.r}"`;
    this.next = column + 1;
    return open;
  }

  private text(column: number, xml: string): string {
    return xml === '' ? '' : `${this.open(column)} t="str"><v>${xml}</v></c>`;
  }

  private value(column: number, value: unknown): string {
    if (value === undefined || value === null || value === '') return '';
    return this.text(column, cellText(typeof value === 'string' ? value : String(value)));
  }
}
