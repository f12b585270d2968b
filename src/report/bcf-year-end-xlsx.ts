// The Better Care Fund year-end figures as an XLSX workbook shaped like the expenditure sheet of
// the national BCF planning / year-end template (docs/returns.md says which columns and why):
// an "Expenditure" sheet with one row per scheme and source of funding, and a "Summary" sheet
// with the totals by scheme type, commissioner, provider type, source of funding and area of
// spend. Amounts are numbers with the £ format; the totals are live SUM / SUMIF formulas cached
// with Tandem's own figures, so a finance officer can paste the rows into the template.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import type { BcfTotal } from '../domain/bcf-year-end.js';
import { provenanceLine, type BcfYearEndReturn } from './returns-data.js';
import { col, SheetBuilder, writeSheet } from './xlsx-layout.js';

export const EXPENDITURE_COLUMNS = ['Scheme ID', 'Scheme Name', 'Scheme Type', 'Sub Types', 'Area of Spend', 'Commissioner', 'Provider', 'Source of Funding', 'Expenditure (£)'] as const;

const AMOUNT_COLUMN = col(EXPENDITURE_COLUMNS.length);

function title(s: SheetBuilder, data: BcfYearEndReturn, what: string): void {
  s.add([data.figures.fundName], 'title');
  s.add([`Better Care Fund year-end ${data.figures.year}: ${what}`], 'heading');
  s.add(['OFFICIAL'], 'heading');
  s.add([provenanceLine(data.provenance)]);
  s.add([]);
}

function expenditureSheet(data: BcfYearEndReturn): { sheet: SheetBuilder; first: number; last: number } {
  const s = new SheetBuilder('Expenditure');
  title(s, data, 'expenditure by scheme');
  s.add(['A scheme funded from several sources has its actual spend apportioned between them in proportion to the partners’ contributions to it.']);
  s.add([]);
  const header = s.header([...EXPENDITURE_COLUMNS]);
  const first = s.nextRow;
  for (const r of data.figures.rows) {
    s.add([r.schemeId, r.schemeName, r.schemeType, r.subType, r.areaOfSpend, r.commissioner, r.providerType, r.sourceOfFunding, { pence: r.expenditurePence }]);
  }
  const last = s.nextRow - 1;
  s.autoFilter(header, last, EXPENDITURE_COLUMNS.length);
  const range = last < first ? '0' : `SUM(${AMOUNT_COLUMN}${first}:${AMOUNT_COLUMN}${last})`;
  s.add(['Total', null, null, null, null, null, null, null, { formula: range, pence: data.figures.totalPence }], 'total');
  if (data.figures.warnings.length > 0) {
    s.add([]);
    s.add(['Not stated in the agreement'], 'heading');
    for (const w of data.figures.warnings) s.add([w]);
  }
  return { sheet: s, first, last };
}

function summarySheet(data: BcfYearEndReturn, first: number, last: number): SheetBuilder {
  const s = new SheetBuilder('Summary');
  title(s, data, 'totals');
  const group = (label: string, column: number, totals: readonly BcfTotal[]) => {
    s.header([label, 'Expenditure (£)']);
    const from = s.nextRow;
    for (const t of totals) {
      const row = s.nextRow;
      const c = col(column);
      const formula = last < first ? '0' : `SUMIF(Expenditure!${c}${first}:${c}${last},A${row},Expenditure!${AMOUNT_COLUMN}${first}:${AMOUNT_COLUMN}${last})`;
      s.add([t.label, { formula, pence: t.expenditurePence }]);
    }
    s.add(['Total', { formula: `SUM(B${from}:B${s.nextRow - 1})`, pence: data.figures.totalPence }], 'total');
    s.add([]);
  };
  group('Scheme type', 3, data.figures.by.schemeType);
  group('Commissioner', 6, data.figures.by.commissioner);
  group('Provider type', 7, data.figures.by.providerType);
  group('Source of funding', 8, data.figures.by.sourceOfFunding);
  group('Area of spend', 5, data.figures.by.areaOfSpend);
  return s;
}

export async function renderBcfYearEndXlsx(data: BcfYearEndReturn, outFile: string): Promise<void> {
  const { sheet, first, last } = expenditureSheet(data);
  const output = createWriteStream(outFile);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Tandem';
  workbook.created = new Date(data.provenance.generatedAt);
  workbook.title = `${data.figures.fundName}: BCF year-end ${data.figures.year}`;
  writeSheet(workbook, sheet);
  writeSheet(workbook, summarySheet(data, first, last));
  const closed = once(output, 'close');
  await workbook.commit();
  await closed;
}
