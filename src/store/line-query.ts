// Drill-down to the stored lines behind a figure (issue 6): one page of the lines of live
// batch-periods, filtered and sorted, with counts and sums over all pages.
//
// Built to stay fast on a 1M-line fund, on both databases, with no index on lines but its
// primary key (batch_id, line_no) — an index for the drill-down cost ~30% of import speed
// (docs/performance.md):
// - first the live scope: the fund's batches (of the ledgers asked for) with a live period in
//   the range, and those batches' superseded periods — a few rows of batch_periods. The later
//   queries name them as constants instead of joining, so no plan depends on statistics of the
//   small tables (PostgreSQL has none for a table under autovacuum's 50-row threshold, and then
//   drove the join from batches and sorted all 250k lines of a scheme: 300 ms, not 0.3);
// - counts and sums come from the pre-aggregated totals (scheme_totals, or line_totals when a
//   code is searched) per live (batch, period), never from counting lines;
// - sorted by period or by line, the order is a run of "segments" — one live (batch, period),
//   or one batch — whose line counts those totals already give, and inside a segment lines run
//   in primary-key order. So a page is found by skipping whole segments by their counts, then
//   read from the primary key of one batch (period and filters tested on the rows met):
//   page 1 of a 250k-line scheme reads a few thousand rows, not the scheme's 250k plus a sort
//   (96 ms before). A deep page still scans its segment up to the page;
// - sorted by amount there is no such order: a top-N sort over the scope's lines, as a
//   "deferred join" (LIMIT/OFFSET over (batch_id, line_no) alone, then only the page's rows read
//   by primary key, so `raw` is never dragged through the sort). The batch test is written
//   `+l.batch_id` there so neither database picks the primary key for the scan order instead
//   (unary plus: not indexable); on the totals tables it stays plain, as their index leads
//   with batch_id.

import { invariant, type Pence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import { MAX_PARAMS_PER_STATEMENT, type Driver, type SqlRow, type SqlValue } from './driver.js';
import { storedLineFrom } from './lines.js';
import { int, intOrNull, pence, text } from './row.js';
import { placeholders } from './sql-text.js';
import type { LineStatus, StoredLine } from './types.js';

/** Which live lines a drill-down asks for (Store.queryLiveLines). */
export interface LiveLinesFilter {
  fundId: string;
  ledgerId?: string;
  /** Only lines of these ledgers (the ones the user may see); an empty list matches nothing. */
  ledgerIds?: readonly string[];
  schemeId?: string;
  status?: LineStatus;
  fromPeriod?: PeriodKey;
  toPeriod?: PeriodKey;
  /** Some analysis code of the line contains this text (case-insensitive for ASCII letters). */
  codeContains?: string;
}

export type LiveLinesSort = 'period' | 'amount' | 'line';

export interface LiveLinesPage {
  offset: number;
  /** 0: totals only, no rows. */
  limit: number;
  sort: LiveLinesSort;
  direction: 'asc' | 'desc';
}

export interface LiveLine extends StoredLine {
  batchId: number;
  ledgerId: string;
  /** The batch's original header row; `raw` aligns with it. */
  header: string[];
}

export interface LiveLinesResult {
  /** Lines matching the filter, over all pages. */
  total: number;
  /** The page asked for. */
  rows: LiveLine[];
  /** Count and sum of the matching lines per ledger (from the pre-aggregated totals), by ledger id. */
  byLedger: { ledgerId: string; lineCount: number; amountPence: Pence }[];
}

/** Largest page a caller may ask for: a drill-down page, not an export. */
export const MAX_PAGE_ROWS = 1_000;

interface Where {
  sql: string;
  params: SqlValue[];
}

/** Batches with a live period in range (batch id → ledger), and their superseded periods. */
interface LiveScope {
  ledgerOf: Map<number, string>;
  superseded: [batchId: number, period: number][];
}

/** `%text%` for LIKE, with LIKE's own wildcards (and the escape character) taken literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * Does some code of the JSON array in `column` contain the text? Each code is matched on its
 * own (so a search never matches across two codes or the JSON punctuation). SQLite's LIKE and
 * PostgreSQL's ILIKE both ignore case (SQLite for ASCII letters only).
 */
function codeMatch(db: Driver, column: string): string {
  return db.dialect === 'sqlite'
    ? `EXISTS (SELECT 1 FROM json_each(${column}) AS c WHERE c.value LIKE ? ESCAPE '!')`
    : `EXISTS (SELECT 1 FROM jsonb_array_elements_text(CAST(${column} AS jsonb)) AS c (value) WHERE c.value ILIKE ? ESCAPE '!')`;
}

async function liveScope(db: Driver, filter: LiveLinesFilter): Promise<LiveScope> {
  const conditions = ['b.fund_id = ?'];
  const params: SqlValue[] = [filter.fundId];
  const add = (condition: string, ...values: SqlValue[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  if (filter.ledgerId !== undefined) add('b.ledger_id = ?', filter.ledgerId);
  if (filter.ledgerIds !== undefined) add(`b.ledger_id IN (${placeholders(filter.ledgerIds.length)})`, ...filter.ledgerIds);
  if (filter.fromPeriod !== undefined) add('bp.period >= ?', filter.fromPeriod);
  if (filter.toPeriod !== undefined) add('bp.period <= ?', filter.toPeriod);
  const rows = await db.all(
    `SELECT bp.batch_id, bp.period, bp.superseded_by, b.ledger_id FROM batch_periods bp JOIN batches b ON b.id = bp.batch_id
     WHERE ${conditions.join(' AND ')} ORDER BY bp.batch_id, bp.period`,
    params,
  );
  const ledgerOf = new Map<number, string>();
  for (const row of rows) if (intOrNull(row, 'superseded_by') === null) ledgerOf.set(int(row, 'batch_id'), text(row, 'ledger_id'));
  const superseded = rows.filter((row) => intOrNull(row, 'superseded_by') !== null && ledgerOf.has(int(row, 'batch_id'))).map((row): [number, number] => [int(row, 'batch_id'), int(row, 'period')]);
  invariant(ledgerOf.size + 2 * superseded.length < MAX_PARAMS_PER_STATEMENT - 100, `the drill-down's live scope is too large for one statement (${ledgerOf.size} batches)`);
  return { ledgerOf, superseded };
}

/** The filter's own conditions on `alias` (scheme, status, period range, code text), without the scope. */
function filterClause(db: Driver, filter: LiveLinesFilter, alias: 'l' | 't'): Where {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, ...values: SqlValue[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  if (filter.schemeId !== undefined) add(`${alias}.scheme_id = ?`, filter.schemeId);
  if (filter.status !== undefined) add(`${alias}.status = ?`, filter.status);
  if (filter.fromPeriod !== undefined) add(`${alias}.period >= ?`, filter.fromPeriod);
  if (filter.toPeriod !== undefined) add(`${alias}.period <= ?`, filter.toPeriod);
  if (filter.codeContains !== undefined && filter.codeContains !== '') add(codeMatch(db, `${alias}.codes`), likeContains(filter.codeContains));
  return { sql: conditions.join(' AND '), params };
}

/**
 * The scope and the filter as conditions on `alias`: lines (whose batch test must not steer the
 * plan to the primary key, hence `+`), or a totals table (whose index leads with batch_id).
 */
function whereClause(db: Driver, filter: LiveLinesFilter, scope: LiveScope, alias: 'l' | 't'): Where {
  const batches = [...scope.ledgerOf.keys()];
  const conditions = [`${alias === 'l' ? '+' : ''}${alias}.batch_id IN (${placeholders(batches.length)})`];
  const params: SqlValue[] = [...batches];
  if (scope.superseded.length > 0) {
    const pairs = scope.superseded.map(() => '(CAST(? AS BIGINT), CAST(? AS INTEGER))').join(', ');
    conditions.push(`(${alias}.batch_id, ${alias}.period) NOT IN (VALUES ${pairs})`);
    params.push(...scope.superseded.flat());
  }
  const own = filterClause(db, filter, alias);
  if (own.sql !== '') conditions.push(own.sql);
  return { sql: conditions.join(' AND '), params: [...params, ...own.params] };
}

function orderBy(page: LiveLinesPage, alias: string): string {
  const dir = page.direction === 'desc' ? 'DESC' : 'ASC';
  const key = (column: string) => `${alias}.${column} ${dir}`;
  switch (page.sort) {
    case 'period':
      return [key('period'), key('batch_id'), key('line_no')].join(', ');
    case 'line':
      return [key('batch_id'), key('line_no')].join(', ');
    case 'amount':
      // Equal amounts stay in file order whichever way the amounts run.
      return [key('amount_pence'), `${alias}.batch_id ASC`, `${alias}.line_no ASC`].join(', ');
  }
}

function checkPage(page: LiveLinesPage): void {
  if (!Number.isSafeInteger(page.offset) || page.offset < 0) throw new RangeError(`page offset must be a whole number ≥ 0, got ${page.offset}`);
  if (!Number.isSafeInteger(page.limit) || page.limit < 0 || page.limit > MAX_PAGE_ROWS) throw new RangeError(`page limit must be 0..${MAX_PAGE_ROWS}, got ${page.limit}`);
  if (!['period', 'amount', 'line'].includes(page.sort)) throw new RangeError(`unknown sort ${String(page.sort)}`);
  if (page.direction !== 'asc' && page.direction !== 'desc') throw new RangeError(`unknown direction ${String(page.direction)}`);
}

export async function queryLiveLines(db: Driver, filter: LiveLinesFilter, page: LiveLinesPage): Promise<LiveLinesResult> {
  checkPage(page);
  if (filter.ledgerIds !== undefined && filter.ledgerIds.length === 0) return { total: 0, rows: [], byLedger: [] };
  const scope = await liveScope(db, filter);
  if (scope.ledgerOf.size === 0) return { total: 0, rows: [], byLedger: [] };
  const totals = await periodTotals(db, filter, scope);
  const byLedger = ledgerTotals(totals, scope);
  const total = byLedger.reduce((n, l) => n + l.lineCount, 0);
  if (page.limit === 0 || page.offset >= total) return { total, rows: [], byLedger };
  const rows = page.sort === 'amount' ? await sortedPageRows(db, filter, scope, page) : await segmentPageRows(db, filter, segments(totals, page), page);
  return { total, rows: await withHeaders(db, rows, scope), byLedger };
}

/** Count and sum of the matching lines of one live (batch, period), from the totals. */
export interface PeriodTotal {
  batchId: number;
  period: number;
  lineCount: number;
  amountPence: Pence;
}

async function periodTotals(db: Driver, filter: LiveLinesFilter, scope: LiveScope): Promise<PeriodTotal[]> {
  // scheme_totals has the same sums in far fewer rows; only a code search needs line_totals.
  const table = filter.codeContains ? 'line_totals' : 'scheme_totals';
  const where = whereClause(db, filter, scope, 't');
  const rows = await db.all(
    `SELECT t.batch_id, t.period, SUM(t.line_count) AS line_count, SUM(t.amount_pence) AS amount_pence FROM ${table} t WHERE ${where.sql} GROUP BY t.batch_id, t.period`,
    where.params,
  );
  return rows
    .map((row) => ({ batchId: int(row, 'batch_id'), period: int(row, 'period'), lineCount: int(row, 'line_count'), amountPence: pence(row, 'amount_pence') }))
    .filter((t) => t.lineCount > 0);
}

function ledgerTotals(totals: readonly PeriodTotal[], scope: LiveScope): LiveLinesResult['byLedger'] {
  const sums = new Map<string, { lineCount: number; amountPence: number }>();
  for (const t of totals) {
    const ledgerId = scope.ledgerOf.get(t.batchId)!;
    const sum = sums.get(ledgerId) ?? { lineCount: 0, amountPence: 0 };
    sum.lineCount += t.lineCount;
    sum.amountPence += t.amountPence;
    invariant(Number.isSafeInteger(sum.amountPence), `ledger ${ledgerId}'s total overflows`);
    sums.set(ledgerId, sum);
  }
  return [...sums]
    .filter(([, s]) => s.lineCount > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ledgerId, s]) => ({ ledgerId, ...s }));
}

/** Lines of one batch in some of its live periods: in primary-key order, a run of the page order. */
export interface Segment {
  batchId: number;
  periods: number[];
  lineCount: number;
}

/**
 * The page order as segments. By period: one segment per live (batch, period), by period then
 * batch (lines in a segment by line number); by line: one per batch. Descending reverses all.
 */
export function segments(totals: readonly PeriodTotal[], page: Pick<LiveLinesPage, 'sort' | 'direction'>): Segment[] {
  const sign = page.direction === 'desc' ? -1 : 1;
  if (page.sort === 'period') {
    return [...totals]
      .sort((a, b) => sign * (a.period - b.period || a.batchId - b.batchId))
      .map((t) => ({ batchId: t.batchId, periods: [t.period], lineCount: t.lineCount }));
  }
  invariant(page.sort === 'line', `sort ${page.sort} is not a segment order`);
  const byBatch = new Map<number, Segment>();
  for (const t of totals) {
    const s = byBatch.get(t.batchId) ?? { batchId: t.batchId, periods: [], lineCount: 0 };
    s.periods.push(t.period);
    s.lineCount += t.lineCount;
    byBatch.set(t.batchId, s);
  }
  return [...byBatch.values()].sort((a, b) => sign * (a.batchId - b.batchId));
}

const PAGE_COLUMNS = 'l.batch_id, l.line_no, l.period, l.amount_pence, l.status, l.scheme_id, l.rule_index, l.line_id, l.codes, l.raw';

/**
 * Skips whole segments by their counts, then reads the rest of the page from the primary key of
 * each segment's batch in turn. Should the totals ever disagree with the lines, a short segment
 * only moves the page on to the next one.
 */
async function segmentPageRows(db: Driver, filter: LiveLinesFilter, order: readonly Segment[], page: LiveLinesPage): Promise<SqlRow[]> {
  // The segment's periods already lie in the range: testing it again on every row met is waste.
  const own = filterClause(db, { ...filter, fromPeriod: undefined, toPeriod: undefined }, 'l');
  const dir = page.direction === 'desc' ? 'DESC' : 'ASC';
  const out: SqlRow[] = [];
  let skip = page.offset;
  for (const segment of order) {
    if (out.length >= page.limit) break;
    if (skip >= segment.lineCount) {
      skip -= segment.lineCount;
      continue;
    }
    const rows = await db.all(
      `SELECT ${PAGE_COLUMNS} FROM lines l WHERE l.batch_id = ? AND l.period IN (${placeholders(segment.periods.length)})${own.sql === '' ? '' : ` AND ${own.sql}`}
       ORDER BY l.line_no ${dir} LIMIT ? OFFSET ?`,
      [segment.batchId, ...segment.periods, ...own.params, page.limit - out.length, skip],
    );
    out.push(...rows);
    skip = 0;
  }
  return out;
}

async function sortedPageRows(db: Driver, filter: LiveLinesFilter, scope: LiveScope, page: LiveLinesPage): Promise<SqlRow[]> {
  const where = whereClause(db, filter, scope, 'l');
  return db.all(
    `SELECT ${PAGE_COLUMNS}
     FROM (
       SELECT l.batch_id, l.line_no FROM lines l WHERE ${where.sql}
       ORDER BY ${orderBy(page, 'l')}
       LIMIT ? OFFSET ?
     ) p
     JOIN lines l ON l.batch_id = p.batch_id AND l.line_no = p.line_no
     ORDER BY ${orderBy(page, 'l')}`,
    [...where.params, page.limit, page.offset],
  );
}

/** The page's rows with their batch's ledger and original header. */
async function withHeaders(db: Driver, rows: readonly SqlRow[], scope: LiveScope): Promise<LiveLine[]> {
  const ids = [...new Set(rows.map((row) => int(row, 'batch_id')))];
  const headers = new Map<number, string[]>();
  if (ids.length > 0) {
    for (const row of await db.all(`SELECT id, header_json FROM batches WHERE id IN (${placeholders(ids.length)})`, ids)) {
      headers.set(int(row, 'id'), JSON.parse(text(row, 'header_json')) as string[]);
    }
  }
  return rows.map((row) => {
    const batchId = int(row, 'batch_id');
    return liveLineFrom(row, batchId, scope.ledgerOf.get(batchId)!, headers.get(batchId) ?? []);
  });
}

function liveLineFrom(row: SqlRow, batchId: number, ledgerId: string, header: string[]): LiveLine {
  return { batchId, ledgerId, header, ...storedLineFrom(row) };
}
