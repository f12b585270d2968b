// The XLSX report's tables (domain.md §9) as laid-out sheets: Schemes, Risk share, Journals,
// Agreement of balances and Unmapped (the Summary is in xlsx-summary.ts, the Lines in
// xlsx-lines.ts). Totals, subtotals and variances are live formulas over the cells above them,
// each cached with Tandem's figure; before a formula is written its figure is checked to be what
// the formula computes from Tandem's own inputs, so a workbook never shows a cached figure that
// recalculation would change. A mismatch is a bug in the report data: InvariantError.

import type { Journal, JournalLine } from '../domain/journal.js';
import { invariant, sumPence, type Pence } from '../domain/money.js';
import { analysisText, codeValue } from '../export/journals-csv.js';
import type { ReportData, ReportFigures, ReportPool } from './report-data.js';
import { col, SheetBuilder, type CellSpec } from './xlsx-layout.js';

export const FIGURE_HEADERS = ['Annual budget £', 'YTD budget £', 'YTD actual £', 'YTD variance £', 'FOT £', 'FOT variance £', 'RAG'];
/** The figures' keys in FIGURE_HEADERS order (RAG aside). */
export const FIGURE_KEYS = ['annualBudgetPence', 'ytdBudgetPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export const rag = (r: string): string => r.charAt(0).toUpperCase() + r.slice(1);

/** Where the scheme rows are, for the Summary's pooled and aligned formulas. */
export interface SchemesLayout {
  firstRow: number;
  lastRow: number;
  /** Column of the scheme type (pooled / aligned). */
  typeColumn: string;
  /** Column of each figure. */
  columns: Record<FigureKey, string>;
}

/**
 * The six figure cells of a row whose figures start at column `first`: budget, actual and FOT from
 * `base(key)` (a constant or a sum), the two variances as actual − budget and FOT − annual budget.
 */
export function figureCells(row: number, first: number, f: ReportFigures, base: (key: FigureKey, column: string) => CellSpec, what: string): CellSpec[] {
  const c = (k: number) => col(first + k);
  invariant(f.ytdVariancePence === f.ytdActualPence - f.ytdBudgetPence, `${what}: YTD variance is not YTD actual − YTD budget`);
  invariant(f.fotVariancePence === f.fotPence - f.annualBudgetPence, `${what}: FOT variance is not FOT − annual budget`);
  return [
    base('annualBudgetPence', c(0)),
    base('ytdBudgetPence', c(1)),
    base('ytdActualPence', c(2)),
    { formula: `${c(2)}${row}-${c(1)}${row}`, pence: f.ytdVariancePence },
    base('fotPence', c(4)),
    { formula: `${c(4)}${row}-${c(0)}${row}`, pence: f.fotVariancePence },
    rag(f.rag),
  ];
}

/** Each base figure of a group is the sum of its members' (checked), for a subtotal. */
export function checkSum(group: ReportFigures, members: readonly ReportFigures[], what: string): void {
  for (const key of FIGURE_KEYS) invariant(group[key] === sumPence(members.map((m) => m[key])), `${what}: ${key} is not the sum of its schemes`);
}

export function schemesSheet(data: ReportData): { sheet: SheetBuilder; layout: SchemesLayout } {
  const s = new SheetBuilder('Schemes');
  s.title(data, 'schemes by pool');
  const header = s.header(['Pool', 'Scheme', 'Name', 'Type', 'Lead commissioner', 'FOT basis', ...FIGURE_HEADERS, 'Commentary', 'Commentary by', 'Commentary at']);
  const first = 7; // column G: annual budget
  const firstRow = s.nextRow;
  for (const pool of data.pools) poolRows(s, pool, first);
  const columns = Object.fromEntries(FIGURE_KEYS.map((k, i) => [k, col(first + i)])) as Record<FigureKey, string>;
  s.autoFilter(header, s.nextRow - 1, 16);
  return { sheet: s, layout: { firstRow, lastRow: s.nextRow - 1, typeColumn: 'D', columns } };
}

function poolRows(s: SheetBuilder, pool: ReportPool, first: number): void {
  const top = s.nextRow;
  for (const scheme of pool.schemes) {
    const row = s.nextRow;
    const figures = figureCells(row, first, scheme, (k) => ({ pence: scheme[k] }), `scheme ${scheme.id}`);
    const note = scheme.commentary;
    s.add([pool.id, scheme.id, scheme.name, scheme.type, scheme.leadCommissioner, scheme.fotBasis, ...figures, note?.text ?? null, note?.by ?? null, note?.at ?? null], 'plain', true);
  }
  const row = s.nextRow;
  const bottom = row - 1;
  if (pool.schemes.length > 0) checkSum(pool, pool.schemes, `pool ${pool.id}`);
  const base = (k: FigureKey, c: string): CellSpec => (pool.schemes.length > 0 ? { formula: `SUM(${c}${top}:${c}${bottom})`, pence: pool[k] } : { pence: pool[k] });
  const host = pool.host === null ? 'no host' : `host ${pool.host}`;
  s.add([pool.id, null, `Total: ${pool.name}`, null, `${host}${pool.netting ? ', netted' : ''}`, null, ...figureCells(row, first, pool, base, `pool ${pool.id}`)], 'subtotal');
}

export function riskShareSheet(data: ReportData): SheetBuilder {
  const s = new SheetBuilder('Risk share');
  s.title(data, 'how the forecast variances fall on the partners');
  const names = data.partners.map((p) => `${p.name} £`);
  const header = s.header(['Sharing unit', 'Label', 'Pool', 'Variance £', ...names, 'Retained £', 'Total borne £', 'Reasons']);
  const shareOf = (record: Record<string, Pence>, partner: string) => (Object.hasOwn(record, partner) ? (record[partner] ?? 0) : 0);
  const firstShare = 5; // column E
  const retained = firstShare + data.partners.length;
  const top = s.nextRow;
  for (const u of data.shares) {
    const row = s.nextRow;
    const shares = data.partners.map((p) => shareOf(u.sharesPence, p.id));
    invariant(sumPence(shares) + u.retainedPence === u.variancePence, `risk share ${u.unit}: shares and retained do not add up to the variance`);
    const borne: CellSpec = { formula: `SUM(${col(firstShare)}${row}:${col(retained)}${row})`, pence: u.variancePence };
    s.add([u.unit, u.label, u.pool, { pence: u.variancePence }, ...shares.map((p) => ({ pence: p })), { pence: u.retainedPence }, borne, u.reasons.join('\n')], 'plain', true);
  }
  const bottom = s.nextRow - 1;
  s.autoFilter(header, bottom, retained + 2);
  s.add([]);
  s.add(['Risk-share exposure: each partner’s share across every unit'], 'heading');
  s.add(['Partner', 'Name', 'Share £'], 'header');
  data.partners.forEach((p, i) => {
    const exposure = data.exposure.find((e) => e.partner === p.id)?.sharePence ?? 0;
    const column = col(firstShare + i);
    invariant(exposure === sumPence(data.shares.map((u) => shareOf(u.sharesPence, p.id))), `risk-share exposure of ${p.id} is not the sum of its shares`);
    s.add([p.id, p.name, bottom >= top ? { formula: `SUM(${column}${top}:${column}${bottom})`, pence: exposure } : { pence: exposure }]);
  });
  return s;
}

const JOURNAL_LEADING = ['Ledger', 'Journal ref', 'Date', 'Period', 'Pool', 'Kind', 'Variant', 'Partner', 'Counterparty', 'Journal description'];
const JOURNAL_TRAILING = ['Debit £', 'Credit £', 'Line description', 'Scheme', 'Role', 'Line counterparty', 'Original analysis'];

/** One table for every ledger: the union of the ledgers' code columns, in first-seen order. */
export function journalsSheet(data: ReportData): SheetBuilder {
  const s = new SheetBuilder('Journals');
  s.title(data, 'journals raised by this close');
  const codes: string[] = [];
  for (const l of data.journals) for (const c of l.codeColumns) if (!codes.includes(c)) codes.push(c);
  const header = s.header([...JOURNAL_LEADING, ...codes, ...JOURNAL_TRAILING]);
  const debit = JOURNAL_LEADING.length + codes.length + 1;
  const top = s.nextRow;
  const lines: JournalLine[] = [];
  for (const ledger of data.journals) {
    for (const j of ledger.journals) {
      for (const line of j.lines) {
        lines.push(line);
        s.add([...journalCells(j), ...codes.map((c) => (ledger.codeColumns.includes(c) ? codeValue(line.codes, c) : null)), ...lineCells(line)]);
      }
    }
  }
  const bottom = s.nextRow - 1;
  s.autoFilter(header, bottom, debit + JOURNAL_TRAILING.length - 1);
  const total = (c: number, pence: Pence): CellSpec => (bottom >= top ? { formula: `SUM(${col(c)}${top}:${col(c)}${bottom})`, pence } : { pence });
  const totals: CellSpec[] = ['Total', ...Array<CellSpec>(debit - 2).fill(null)];
  const debits = sumPence(lines.map((l) => l.debitPence));
  const credits = sumPence(lines.map((l) => l.creditPence));
  invariant(debits === credits, 'the journals do not balance');
  s.add([...totals, total(debit, debits), total(debit + 1, credits)], 'total');
  return s;
}

const journalCells = (j: Journal): CellSpec[] => [j.ledger, j.ref, j.date, j.period, j.pool, j.kind, j.variant, j.partner, j.counterparty, j.description];

const lineCells = (l: JournalLine): CellSpec[] => [
  l.debitPence === 0 ? null : { pence: l.debitPence },
  l.creditPence === 0 ? null : { pence: l.creditPence },
  l.description,
  l.scheme,
  l.role,
  l.counterparty,
  analysisText(l.analysis),
];

/** Differences are live: (debtor − creditor) in this partner's books plus the same in the other's. */
export function balancesSheet(data: ReportData): SheetBuilder {
  const s = new SheetBuilder('Agreement of balances');
  s.title(data, 'agreement of balances between the partners');
  const header = s.header(['Partner', 'Counterparty', 'Debtor £', 'Creditor £', 'Difference £', 'YTD debtor £', 'YTD creditor £', 'YTD difference £']);
  const top = s.nextRow;
  const rowOf = (partner: string, counterparty: string) => {
    const i = data.balances.findIndex((b) => b.partner === partner && b.counterparty === counterparty);
    return i < 0 ? null : { row: top + i, balance: data.balances[i]! };
  };
  for (const b of data.balances) {
    const row = s.nextRow;
    const mirror = rowOf(b.counterparty, b.partner);
    const diff = (debtor: string, creditor: string, mine: Pence, theirs: Pence, pence: Pence, what: string): CellSpec => {
      invariant(mine + theirs === pence, `agreement of balances ${b.partner}/${b.counterparty}: ${what} is not the two books' net`);
      const other = mirror === null ? '' : `+(${debtor}${mirror.row}-${creditor}${mirror.row})`;
      return { formula: `(${debtor}${row}-${creditor}${row})${other}`, pence };
    };
    const m = mirror?.balance;
    s.add([
      b.partner,
      b.counterparty,
      { pence: b.debtorPence },
      { pence: b.creditorPence },
      diff('C', 'D', b.debtorPence - b.creditorPence, m ? m.debtorPence - m.creditorPence : 0, b.differencePence, 'difference'),
      { pence: b.ytdDebtorPence },
      { pence: b.ytdCreditorPence },
      diff('F', 'G', b.ytdDebtorPence - b.ytdCreditorPence, m ? m.ytdDebtorPence - m.ytdCreditorPence : 0, b.ytdDifferencePence, 'YTD difference'),
    ]);
  }
  s.autoFilter(header, s.nextRow - 1, 8);
  return s;
}

export function unmappedSheet(data: ReportData): SheetBuilder {
  const s = new SheetBuilder('Unmapped');
  s.title(data, 'ledger lines no scheme took');
  const header = s.header(['Ledger', 'Lines', 'Amount £']);
  const top = s.nextRow;
  for (const u of data.unmapped) s.add([u.ledger, u.lines, { pence: u.amountPence }]);
  const bottom = s.nextRow - 1;
  s.autoFilter(header, bottom, 3);
  const lines = data.unmapped.reduce((n, u) => n + u.lines, 0);
  const amount = sumPence(data.unmapped.map((u) => u.amountPence));
  const any = bottom >= top;
  s.add(['Total', any ? { formula: `SUM(B${top}:B${bottom})`, count: lines } : lines, any ? { formula: `SUM(C${top}:C${bottom})`, pence: amount } : { pence: amount }], 'total');
  return s;
}

/**
 * The budget reconciliation: per scheme the original budget, the sum of the decisions' changes
 * and the current budget (live: original + changes, checked), then every change with its decision.
 */
export function budgetSheet(data: ReportData): SheetBuilder {
  const s = new SheetBuilder('Budget reconciliation');
  s.title(data, `budget reconciliation for ${data.year}: original budget, approved changes, current budget`);
  const header = s.header(['Scheme', 'Name', 'Original budget £', 'Approved changes £', 'Current budget £', 'Decisions']);
  const top = s.nextRow;
  for (const r of data.budgetReconciliation) {
    const row = s.nextRow;
    const changed = sumPence(r.changes.map((c) => c.pence));
    invariant(r.originalPence + changed === r.currentPence, `budget reconciliation ${r.scheme}: original + changes is not the current budget`);
    const decisions = r.changes.map((c) => `decision ${c.decision} (version ${c.version})`).join(', ');
    s.add([r.scheme, r.name, { pence: r.originalPence }, { pence: changed }, { formula: `C${row}+D${row}`, pence: r.currentPence }, decisions || null]);
  }
  const bottom = s.nextRow - 1;
  s.autoFilter(header, bottom, 6);
  const sum = (c: string, pence: Pence): CellSpec => (bottom >= top ? { formula: `SUM(${c}${top}:${c}${bottom})`, pence } : { pence });
  const rows = data.budgetReconciliation;
  s.add(['Total', null, sum('C', sumPence(rows.map((r) => r.originalPence))), sum('D', sumPence(rows.flatMap((r) => r.changes.map((c) => c.pence)))), sum('E', sumPence(rows.map((r) => r.currentPence)))], 'total');
  s.add([]);
  s.add(['Changes by decision'], 'heading');
  s.add(['Scheme', 'Decision', 'Agreement version', 'Change £'], 'header');
  for (const r of rows) for (const c of r.changes) s.add([r.scheme, c.decision, c.version, { pence: c.pence }]);
  return s;
}
