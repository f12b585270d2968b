// The monthly joint finance report as an XLSX workbook finance teams can work with (domain.md
// §9). Sheets, in tab order: Summary, Schemes, Budget reconciliation, Contracts and Metrics (when
// the fund has them), Risk share, Memorandum (the M12 report only), Multi-year, Journals,
// Agreement of balances, Unmapped, Lines (then Lines 2, Lines 3… past `maxRowsPerSheet` rows).
// Subtotals, totals and variances are live formulas cached with Tandem's figures (xlsx-layout.ts,
// xlsx-sheets.ts); amounts are exact pounds with a £ format; every text cell a ledger or a person
// supplied goes through the formula guard (cell-guard.ts).
//
// The whole workbook is written with exceljs's streaming WorkbookWriter, so a million ledger
// lines never sit in memory (xlsx-lines.ts); the Lines rows themselves are written as XML text
// into the sheets exceljs opens for them (xlsx-line-rows.ts), about ten times faster than its
// per-cell model. Its zip entries go out in the order sheets are added, and an entry blocks every
// later one until it is committed, so the small sheets are laid out and committed first, then the
// lines stream, and the Summary — whose note says how the lines were split, known only at the end
// — is added last and then moved to the first tab (the one place this file reaches into exceljs
// internals; checked, see `moveToFront`). Every figure is checked before the file is opened; on
// any failure the partial file is removed.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { invariant } from '../domain/money.js';
import type { ReportData, ReportLineBatch } from './report-data.js';
import { EXCEL_MAX_ROWS, writeSheet, type WorkbookWriter } from './xlsx-layout.js';
import { writeLineSheets } from './xlsx-lines.js';
import { balancesSheet, budgetSheet, journalsSheet, riskShareSheet, schemesSheet, unmappedSheet } from './xlsx-sheets.js';
import { memorandumReportSheet } from './memorandum-xlsx.js';
import { contractsSheet, metricsSheet, multiYearSheet } from './xlsx-planning.js';
import { summarySheet } from './xlsx-summary.js';

/**
 * Deflate at level 1, the fastest (archiver's default today, made explicit): the Lines sheets are
 * hundreds of MB of repetitive XML, which level 1 still shrinks about tenfold.
 */
const ZIP_OPTIONS = { zlib: { level: 1 } };

export interface XlsxOptions {
  /** Most rows on one Lines sheet, header included: Excel's 1,048,576 unless a test asks fewer. */
  maxRowsPerSheet?: number;
}

export interface XlsxResult {
  /** Sheet names in tab order. */
  sheets: string[];
  /** Ledger line rows written across the Lines sheets. */
  lineRows: number;
}

/** Write the report to `outFile`. Each batch's lines are read once, as they are written. */
export async function renderReportXlsx(data: ReportData, lineBatches: ReportLineBatch[], outFile: string, options: XlsxOptions = {}): Promise<XlsxResult> {
  const maxRows = options.maxRowsPerSheet ?? EXCEL_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 2 || maxRows > EXCEL_MAX_ROWS) {
    throw new RangeError(`maxRowsPerSheet must be a whole number from 2 to ${EXCEL_MAX_ROWS}, got ${maxRows}`);
  }
  // Laid out (and every figure checked) before a byte is written.
  const schemes = schemesSheet(data);
  const planning = [contractsSheet(data), metricsSheet(data)].filter((sheet) => sheet !== null);
  const memorandum = memorandumReportSheet(data);
  const tables = [schemes.sheet, budgetSheet(data), ...planning, riskShareSheet(data), ...(memorandum ? [memorandum] : []), multiYearSheet(data), journalsSheet(data), balancesSheet(data), unmappedSheet(data)];

  const output = createWriteStream(outFile);
  let outputError: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    output.on('error', (error) => {
      outputError ??= error;
      reject(error);
    });
  });
  failed.catch(() => undefined);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false, zip: ZIP_OPTIONS });
  describe(workbook, data);
  try {
    for (const sheet of tables) writeSheet(workbook, sheet);
    const lines = await writeLineSheets(workbook, lineBatches, maxRows, () => outputError);
    writeSheet(workbook, summarySheet(data, schemes.layout, schemes.sheet.name, lines));
    moveToFront(workbook, 'Summary');
    await Promise.race([workbook.commit(), failed]);
    return { sheets: ['Summary', ...tables.map((t) => t.name), ...lines.sheets], lineRows: lines.rows };
  } catch (error) {
    // Closed before removal: a stream destroyed while still opening creates the file when it opens.
    const closed = output.closed ? Promise.resolve() : once(output, 'close');
    output.destroy();
    await closed;
    await rm(outFile, { force: true });
    throw error;
  }
}

/** Document properties: who made it, for what, and its classification. */
function describe(workbook: WorkbookWriter, data: ReportData): void {
  workbook.creator = 'Tandem';
  workbook.lastModifiedBy = 'Tandem';
  workbook.created = new Date(data.provenance.generatedAt);
  workbook.modified = workbook.created;
  workbook.title = `${data.fund.name}: monthly joint finance report ${data.period}`;
  workbook.subject = `Close version ${data.provenance.closeVersion}`;
  workbook.keywords = data.classification;
}

/** exceljs's WorkbookWriter keeps its sheets in `_worksheets`, indexed by sheet id from 1. */
interface WorkbookInternals {
  _worksheets?: unknown;
}

/**
 * Make `name` the first tab. The writer lists sheets in workbook.xml (the tab order) in the order
 * of its `_worksheets` array, while each sheet keeps its id, part name and zip position; the array
 * is rebuilt sparse from index 1 as exceljs builds it.
 */
function moveToFront(workbook: WorkbookWriter, name: string): void {
  const internals = workbook as unknown as WorkbookInternals;
  const list = internals._worksheets;
  invariant(Array.isArray(list), 'exceljs WorkbookWriter no longer keeps _worksheets: cannot order the sheets');
  const sheets = list.filter((w): w is { name: string } => typeof w === 'object' && w !== null && 'name' in w);
  const first = sheets.find((w) => w.name === name);
  invariant(first !== undefined, `no sheet "${name}" to move to the front`);
  const ordered: unknown[] = [];
  [first, ...sheets.filter((w) => w !== first)].forEach((w, i) => {
    ordered[i + 1] = w;
  });
  internals._worksheets = ordered;
}
