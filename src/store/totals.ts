// Pre-aggregated line totals per batch, and the live totals that status, close and reports read.

import { addPence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import type { BulkInsert, Driver, SqlRow, SqlValue } from './driver.js';
import { lineStatus } from './lines.js';
import { int, pence, text, textOrNull } from './row.js';
import type { LineTotal, LiveTotalRow, LiveTotalsFilter } from './types.js';

type Dimension = 'ledger' | 'period' | 'status' | 'scheme' | 'codes';

/** Column per dimension, in the fixed order rows are sorted by. */
const DIMENSIONS: readonly { name: Dimension; column: string; alias: string; order: string }[] = [
  { name: 'ledger', column: 'b.ledger_id', alias: 'ledger_id', order: 'b.ledger_id' },
  { name: 'period', column: 't.period', alias: 'period', order: 't.period' },
  { name: 'status', column: 't.status', alias: 'status', order: 't.status' },
  // Unmapped lines (no scheme) last on both databases: their NULL ordering defaults differ.
  { name: 'scheme', column: 't.scheme_id', alias: 'scheme_id', order: 't.scheme_id IS NULL, t.scheme_id' },
  { name: 'codes', column: 't.codes', alias: 'codes', order: 't.codes' },
];

function totalRows(batchId: number): BulkInsert<Omit<LineTotal, 'batchId'>> {
  return {
    table: 'line_totals',
    columns: ['batch_id', 'period', 'status', 'scheme_id', 'codes', 'line_count', 'amount_pence'],
    write(total, out, offset) {
      out[offset] = batchId;
      out[offset + 1] = total.period;
      out[offset + 2] = total.status;
      out[offset + 3] = total.schemeId;
      out[offset + 4] = total.codes;
      out[offset + 5] = total.lineCount;
      out[offset + 6] = total.amountPence;
    },
  };
}

type SchemeTotal = Omit<LineTotal, 'batchId' | 'codes'>;

function schemeRows(batchId: number): BulkInsert<SchemeTotal> {
  return {
    table: 'scheme_totals',
    columns: ['batch_id', 'period', 'status', 'scheme_id', 'line_count', 'amount_pence'],
    write(total, out, offset) {
      out[offset] = batchId;
      out[offset + 1] = total.period;
      out[offset + 2] = total.status;
      out[offset + 3] = total.schemeId;
      out[offset + 4] = total.lineCount;
      out[offset + 5] = total.amountPence;
    },
  };
}

/** The same totals without the code combination (scheme_totals: migration 4). */
function withoutCodes(totals: readonly Omit<LineTotal, 'batchId'>[]): SchemeTotal[] {
  const groups = new Map<string, SchemeTotal>();
  for (const t of totals) {
    const key = `${t.period}\u0000${t.status}\u0000${t.schemeId ?? ''}`;
    const g = groups.get(key);
    if (g) {
      g.lineCount += t.lineCount;
      g.amountPence = addPence(g.amountPence, t.amountPence);
    } else groups.set(key, { period: t.period, status: t.status, schemeId: t.schemeId, lineCount: t.lineCount, amountPence: t.amountPence });
  }
  return [...groups.values()];
}

/**
 * Adds totals rows without removing any: a batch's totals may be written in several partial
 * flushes (readers always SUM over a batch's rows), which keeps an import's memory bounded
 * when a file has very many code combinations. scheme_totals gets the same, without codes.
 */
export function appendLineTotals(db: Driver, batchId: number, totals: Omit<LineTotal, 'batchId'>[]): Promise<void> {
  if (totals.length === 0) return Promise.resolve();
  return db.transaction(async (tx) => {
    await tx.bulkInsert(totalRows(batchId), totals);
    await tx.bulkInsert(schemeRows(batchId), withoutCodes(totals));
  });
}

export function replaceLineTotals(db: Driver, batchId: number, totals: Omit<LineTotal, 'batchId'>[]): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.run('DELETE FROM line_totals WHERE batch_id = ?', [batchId]);
    await tx.run('DELETE FROM scheme_totals WHERE batch_id = ?', [batchId]);
    if (totals.length > 0) await appendLineTotals(tx, batchId, totals);
  });
}

/**
 * Sums over line_totals of live batch-periods, grouped by the dimensions asked for and sorted
 * by them (ledger, period, status, scheme with unmapped last, codes). A dimension not grouped
 * by comes back as a placeholder, not a value: ledgerId '', period 0, status '' (outside
 * LineStatus, so never read it), schemeId null, codes ''. With no dimensions, one row of grand
 * totals, or none if nothing matches.
 */
export async function liveTotals(db: Driver, filter: LiveTotalsFilter, groupBy: readonly Dimension[]): Promise<LiveTotalRow[]> {
  const grouped = DIMENSIONS.filter((dimension) => groupBy.includes(dimension.name));
  const { where, params } = filterClause(filter);
  const select = grouped.map((dimension) => `${dimension.column} AS ${dimension.alias}`);
  const groupClause = grouped.length > 0 ? `GROUP BY ${grouped.map((d) => d.column).join(', ')}` : '';
  const orderClause = grouped.length > 0 ? `ORDER BY ${grouped.map((d) => d.order).join(', ')}` : '';
  // Without codes, the few scheme_totals rows give the same sums as the many line_totals rows.
  const table = groupBy.includes('codes') ? 'line_totals' : 'scheme_totals';
  const rows = await db.all(
    `SELECT ${[...select, 'SUM(t.line_count) AS line_count', 'SUM(t.amount_pence) AS amount_pence'].join(', ')}
     FROM ${table} t
     JOIN batch_periods bp ON bp.batch_id = t.batch_id AND bp.period = t.period AND bp.superseded_by IS NULL
     JOIN batches b ON b.id = t.batch_id
     WHERE ${where} ${groupClause} ${orderClause}`,
    params,
  );
  // Without GROUP BY, SQL returns one row of NULL sums when nothing matches.
  const matched = rows.filter((row) => row.line_count !== null && row.line_count !== undefined);
  const has = (name: Dimension) => grouped.some((dimension) => dimension.name === name);
  return matched.map((row) => liveTotalFrom(row, has));
}

function filterClause(filter: LiveTotalsFilter): { where: string; params: SqlValue[] } {
  const conditions = ['b.fund_id = ?'];
  const params: SqlValue[] = [filter.fundId];
  const add = (condition: string, value: string | PeriodKey | undefined) => {
    if (value === undefined) return;
    conditions.push(condition);
    params.push(value);
  };
  add('b.ledger_id = ?', filter.ledgerId);
  add('t.period >= ?', filter.fromPeriod);
  add('t.period <= ?', filter.toPeriod);
  add('t.status = ?', filter.status);
  return { where: conditions.join(' AND '), params };
}

function liveTotalFrom(row: SqlRow, has: (name: Dimension) => boolean): LiveTotalRow {
  return {
    ledgerId: has('ledger') ? text(row, 'ledger_id') : '',
    period: has('period') ? int(row, 'period') : 0,
    status: has('status') ? lineStatus(text(row, 'status')) : ('' as LiveTotalRow['status']),
    schemeId: has('scheme') ? textOrNull(row, 'scheme_id') : null,
    codes: has('codes') ? text(row, 'codes') : '',
    lineCount: int(row, 'line_count'),
    amountPence: pence(row, 'amount_pence'),
  };
}

/** One batch's own totals per period, status and scheme (whether or not its periods are live). */
export async function batchSchemeTotals(db: Driver, batchId: number): Promise<Omit<LiveTotalRow, 'ledgerId' | 'codes'>[]> {
  const rows = await db.all(
    `SELECT period, status, scheme_id, SUM(line_count) AS line_count, SUM(amount_pence) AS amount_pence
     FROM scheme_totals WHERE batch_id = ? GROUP BY period, status, scheme_id`,
    [batchId],
  );
  return rows.map((row) => ({ period: int(row, 'period'), status: lineStatus(text(row, 'status')), schemeId: textOrNull(row, 'scheme_id'), lineCount: int(row, 'line_count'), amountPence: pence(row, 'amount_pence') }));
}

/** One batch's own line_totals (of one period, if given) summed per period, status, scheme and code combination, live or not. */
export async function batchLineTotals(db: Driver, batchId: number, period?: PeriodKey): Promise<Omit<LineTotal, 'batchId'>[]> {
  const rows = await db.all(
    `SELECT period, status, scheme_id, codes, SUM(line_count) AS line_count, SUM(amount_pence) AS amount_pence
     FROM line_totals WHERE batch_id = ?${period === undefined ? '' : ' AND period = ?'} GROUP BY period, status, scheme_id, codes`,
    period === undefined ? [batchId] : [batchId, period],
  );
  return rows.map((row) => ({ period: int(row, 'period'), status: lineStatus(text(row, 'status')), schemeId: textOrNull(row, 'scheme_id'), codes: text(row, 'codes'), lineCount: int(row, 'line_count'), amountPence: pence(row, 'amount_pence') }));
}
