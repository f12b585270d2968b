// The pooled budgets' memorandum account as an XLSX workbook (docs/returns.md): one sheet with,
// per pool, the account (income by partner, expenditure by scheme, surplus or deficit, how it
// was shared), each partner's figures for its statement of accounts note, and the schemes'
// budget against actual. Amounts are numbers with the report's £ format; totals and the surplus
// are live formulas cached with Tandem's own figures (xlsx-layout.ts), so the sheet adds up in
// Excel as it does in Tandem. The M12 joint finance report has the same rows on its Memorandum
// sheet (memorandumReportSheet).

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import type { MemorandumAccount, MemorandumPool } from '../domain/memorandum.js';
import { invariant } from '../domain/money.js';
import type { ReportData } from './report-data.js';
import { provenanceLine, type MemorandumReturn } from './returns-data.js';
import { SheetBuilder, writeSheet } from './xlsx-layout.js';

function sumOf(first: number, last: number): string {
  return last < first ? '0' : `SUM(B${first}:B${last})`;
}

function poolRows(s: SheetBuilder, p: MemorandumPool): void {
  s.add([`${p.name} (pool ${p.pool}), hosted by ${p.hostName}`], 'heading');
  s.header(['Memorandum account', '£']);
  s.add(['Income'], 'subtotal');
  const incomeFrom = s.nextRow;
  for (const i of p.income) s.add([`Contribution from ${i.name}`, { pence: i.contributionPence }]);
  const incomeRow = s.add(['Total income', { formula: sumOf(incomeFrom, s.nextRow - 1), pence: p.incomePence }], 'total');
  s.add(['Expenditure'], 'subtotal');
  const spendFrom = s.nextRow;
  for (const e of p.expenditure) s.add([`${e.name} (${e.scheme})`, { pence: e.actualPence }]);
  const spendRow = s.add(['Total expenditure', { formula: sumOf(spendFrom, s.nextRow - 1), pence: p.expenditurePence }], 'total');
  const surplusRow = s.add([p.surplusPence >= 0 ? 'Surplus for the year' : 'Deficit for the year', { formula: `B${incomeRow}-B${spendRow}`, pence: p.surplusPence }], 'total');
  s.add(['Shared under the risk share (surplus positive, deficit negative)'], 'subtotal');
  const shareFrom = s.nextRow;
  for (const x of p.shares) s.add([`${x.name}${x.shareOfSurplusPence > 0 ? ': handed back' : x.shareOfSurplusPence < 0 ? ': further contribution' : ''}`, { pence: x.shareOfSurplusPence }]);
  s.add(['Retained in the pool for next year', { pence: p.retainedPence }]);
  const sharedRow = s.add(['Total shared', { formula: sumOf(shareFrom, s.nextRow - 1), pence: p.surplusPence }], 'total');
  invariant(sharedRow > surplusRow, 'the shares follow the surplus');
  s.add([]);

  s.header(['Each partner (statement of accounts note)', 'Contribution (£)', 'Share of surplus / deficit (£)', 'Net contribution (£)', 'Settlement journal']);
  for (const x of p.shares) {
    const row = s.nextRow;
    s.add([x.name, { pence: x.contributionPence }, { pence: x.shareOfSurplusPence }, { formula: `B${row}-C${row}`, pence: x.netContributionPence }, x.settlementRef ?? (x.partner === p.host ? 'host: no journal' : 'none')]);
  }
  s.add([]);
  s.header(['Scheme', 'Budget (£)', 'Actual (£)', 'Variance (£, + overspend)']);
  for (const e of p.expenditure) {
    const row = s.nextRow;
    s.add([`${e.name} (${e.scheme})`, { pence: e.budgetPence }, { pence: e.actualPence }, { formula: `C${row}-B${row}`, pence: e.variancePence }]);
  }
  s.add([]);
  if (p.reasons.length > 0) {
    s.add(['Why each partner bears what it bears'], 'heading');
    for (const r of p.reasons) s.add([r]);
    s.add([]);
  }
}

/** Every pool's account, partner table, schemes and reasons, then the totals when there are several pools. */
function accountRows(s: SheetBuilder, account: MemorandumAccount): void {
  for (const pool of account.pools) poolRows(s, pool);
  if (account.pools.length > 1) {
    s.header(['All pooled budgets', '£']);
    s.add(['Total income', { pence: account.totals.incomePence }]);
    s.add(['Total expenditure', { pence: account.totals.expenditurePence }]);
    s.add(['Surplus (deficit)', { pence: account.totals.surplusPence }], 'total');
  }
}

export function memorandumSheet(data: MemorandumReturn): SheetBuilder {
  const { account, provenance } = data;
  const s = new SheetBuilder('Memorandum account');
  s.add([account.fundName], 'title');
  s.add([`Pooled budget memorandum account, financial year ${account.year}`], 'heading');
  s.add(['OFFICIAL'], 'heading');
  s.add([provenanceLine(provenance)]);
  s.add([]);
  accountRows(s, account);
  return s;
}

/**
 * The M12 joint report's "Memorandum" sheet: the same rows as the return's, made from the report's
 * close, or the reason that close cannot give the account; null in any other month's report.
 */
export function memorandumReportSheet(data: ReportData): SheetBuilder | null {
  const m = data.memorandum;
  if (!m) return null;
  const s = new SheetBuilder('Memorandum');
  s.title(data, `pooled budget memorandum account, financial year ${data.year} (as tandem returns memorandum; surplus positive, deficit negative)`);
  if (m.account === null) s.add([`The memorandum account cannot be made from this close: ${m.refusal.reason} (${m.refusal.code}).`], 'plain', true);
  else if (m.account.pools.length === 0) s.add(['The fund has no pooled budgets, so it keeps no memorandum account.']);
  else accountRows(s, m.account);
  return s;
}

export async function renderMemorandumXlsx(data: MemorandumReturn, outFile: string): Promise<void> {
  const output = createWriteStream(outFile);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Tandem';
  workbook.created = new Date(data.provenance.generatedAt);
  workbook.title = `${data.account.fundName}: memorandum account ${data.account.year}`;
  writeSheet(workbook, memorandumSheet(data));
  const closed = once(output, 'close');
  await workbook.commit();
  await closed;
}
