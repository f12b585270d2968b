// Stored ledger lines: written once in bulk, read back a page or a chunk at a time, and only
// their mapping columns (status, scheme_id, rule_index) ever change.

import { assertPence, invariant } from '../domain/money.js';
import type { BulkInsert, Dialect, Driver, SqlRow } from './driver.js';
import { int, intOrNull, pence, text, textOrNull } from './row.js';
import { chunked, placeholders } from './sql-text.js';
import type { LineColumns, LineMappingUpdate, LineStatus, RemapLine, StoredLine } from './types.js';

/** Line ids per IN list: well under both databases' parameter limits. */
const LINE_IDS_PER_QUERY = 5_000;
/**
 * Rows per UPDATE … FROM (VALUES …) statement. SQLite falls off a cliff above ~200 rows (the
 * plan stops probing the primary key: 100k updates went from 0.15 s to 8-13 s); PostgreSQL
 * gains from fewer, larger statements (100k: 1.2 s at 100 rows, 0.9 s at 500).
 */
const MAPPINGS_PER_STATEMENT: Record<Dialect, number> = { sqlite: 100, postgres: 500 };

const LINE_STATUSES: ReadonlySet<string> = new Set<LineStatus>(['mapped', 'out_of_scope', 'unmapped']);

const LINE_COLUMNS = ['batch_id', 'line_no', 'period', 'amount_pence', 'status', 'scheme_id', 'rule_index', 'line_id', 'codes', 'raw'];

/**
 * Batches of a fund's ledger with at least one live period. A batch still being imported has
 * no periods yet, so its own lines are not scanned.
 */
const LIVE_BATCHES = `SELECT bp.batch_id FROM batch_periods bp JOIN batches b ON b.id = bp.batch_id
  WHERE b.fund_id = ? AND b.ledger_id = ? AND bp.superseded_by IS NULL`;

/** Is the line's (batch, period) live? Shared by the queries that read only live lines. */
const LIVE_PERIOD = `EXISTS (SELECT 1 FROM batch_periods bp
  WHERE bp.batch_id = l.batch_id AND bp.period = l.period AND bp.superseded_by IS NULL)`;

function lineRows(batchId: number): BulkInsert<StoredLine> {
  return {
    table: 'lines',
    columns: LINE_COLUMNS,
    write(line, out, offset) {
      // Checked here rather than by the database: a CHECK on status cost SQLite ~20% per row.
      assertPence(line.amountPence, `amount of line ${line.lineNo}`);
      invariant(isLineStatus(line.status), `line ${line.lineNo} has status ${String(line.status)}`);
      out[offset] = batchId;
      out[offset + 1] = line.lineNo;
      out[offset + 2] = line.period;
      out[offset + 3] = line.amountPence;
      out[offset + 4] = line.status;
      out[offset + 5] = line.schemeId;
      out[offset + 6] = line.ruleIndex;
      out[offset + 7] = line.lineId;
      out[offset + 8] = line.codes;
      out[offset + 9] = line.raw;
    },
  };
}

/** The same rows from a columnar chunk: row i of the chunk is written from index i of each column. */
function columnRows(batchId: number, c: LineColumns): BulkInsert<number> {
  for (const t of c.targets) invariant(isLineStatus(t.status), `a line target has status ${String(t.status)}`);
  const { lineNo, period, amountPence, target, targets, lineId, codes, raw } = c;
  return {
    table: 'lines',
    columns: LINE_COLUMNS,
    write(i, out, offset) {
      const amount = amountPence[i]!;
      // The message is built only on failure: this runs for every imported line.
      if (!Number.isSafeInteger(amount)) assertPence(amount, `amount of line ${lineNo[i]}`);
      const to = targets[target[i]!];
      if (to === undefined) invariant(false, `line ${lineNo[i]} has no target ${target[i]}`);
      out[offset] = batchId;
      out[offset + 1] = lineNo[i]!;
      out[offset + 2] = period[i]!;
      out[offset + 3] = amount;
      out[offset + 4] = to.status;
      out[offset + 5] = to.schemeId;
      out[offset + 6] = to.ruleIndex;
      out[offset + 7] = lineId === null ? null : lineId[i]!;
      out[offset + 8] = codes[i]!;
      out[offset + 9] = raw[i]!;
    },
  };
}

function isColumns(lines: StoredLine[] | LineColumns): lines is LineColumns {
  return !Array.isArray(lines);
}

/**
 * Batches known to exist, per transaction handle. Batches are never deleted, so one check per
 * transaction is enough — and a query between chunks would end PostgreSQL's open COPY.
 */
const checkedBatches = new WeakMap<Driver, Set<number>>();

export async function insertLines(db: Driver, batchId: number, lines: StoredLine[] | LineColumns): Promise<void> {
  invariant(db.inTransaction, 'insertLines must run inside store.transaction(), with its batch');
  // lines has no foreign key (it costs on every row); this lookup stands in for it.
  let checked = checkedBatches.get(db);
  if (!checked?.has(batchId)) {
    invariant(await db.get('SELECT 1 AS present FROM batches WHERE id = ?', [batchId]), `batch ${batchId} does not exist`);
    checked ??= new Set();
    checked.add(batchId);
    checkedBatches.set(db, checked);
  }
  if (!isColumns(lines)) {
    if (lines.length > 0) await db.bulkInsert(lineRows(batchId), lines);
  } else if (lines.count > 0) {
    invariant(lines.lineNo.length >= lines.count && lines.raw.length >= lines.count, 'a line chunk has shorter columns than its count');
    await db.bulkInsert(columnRows(batchId, lines), rowIndexes(lines.count));
  }
}

export async function getLines(db: Driver, batchId: number, offset: number, limit: number): Promise<StoredLine[]> {
  const rows = await db.all(
    `SELECT ${LINE_COLUMNS.join(', ')} FROM lines WHERE batch_id = ? ORDER BY line_no LIMIT ? OFFSET ?`,
    [batchId, limit, offset],
  );
  return rows.map(storedLineFrom);
}

/**
 * Scans the lines of the ledger's batches (there is no line_id index, see 0001-initial), one
 * scan per LINE_IDS_PER_QUERY ids. Only append-mode imports ask, with a file's worth of ids.
 */
export async function findLiveLineIds(db: Driver, fundId: string, ledgerId: string, lineIds: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const chunk of chunked([...new Set(lineIds)], LINE_IDS_PER_QUERY)) {
    const rows = await db.all(
      `SELECT DISTINCT l.line_id FROM lines l
       WHERE l.batch_id IN (${LIVE_BATCHES}) AND l.line_id IN (${placeholders(chunk.length)}) AND ${LIVE_PERIOD}`,
      [fundId, ledgerId, ...chunk],
    );
    for (const row of rows) found.add(text(row, 'line_id'));
  }
  return [...found].sort();
}

/**
 * Keyset pagination over the primary key (batch_id, line_no): each chunk is one range scan
 * that starts where the last ended, so memory stays at one chunk and no query sorts.
 */
export async function* iterateBatchLines(db: Driver, batchId: number, chunkSize: number): AsyncGenerator<RemapLine[]> {
  invariant(Number.isSafeInteger(chunkSize) && chunkSize > 0, `chunk size must be positive, got ${chunkSize}`);
  let afterLineNo = -2_147_483_648; // below any line_no (a 32-bit INTEGER column on PostgreSQL)
  for (;;) {
    const rows = await db.all(
      `SELECT line_no, period, amount_pence, line_id, codes, raw, status, scheme_id, rule_index FROM lines
       WHERE batch_id = ? AND line_no > ? ORDER BY line_no LIMIT ?`,
      [batchId, afterLineNo, chunkSize],
    );
    if (rows.length === 0) return;
    const chunk = rows.map((row) => remapLineFrom(batchId, row));
    yield chunk;
    if (rows.length < chunkSize) return;
    afterLineNo = chunk[chunk.length - 1]!.lineNo;
  }
}

/**
 * Transaction ids held more than once among the live lines of a fund's append-mode batches (an
 * append-mode import refuses an id already held live), each with where it is; the first `limit`
 * ids. For `tandem verify`: it scans those lines once, grouped in the database.
 */
export async function duplicateLiveLineIds(db: Driver, fundId: string, limit: number): Promise<{ ledgerId: string; lineId: string; lines: { batchId: number; lineNo: number }[] }[]> {
  const liveAppend = `FROM lines l JOIN batches b ON b.id = l.batch_id
    WHERE b.fund_id = ? AND b.mode = 'append' AND l.line_id IS NOT NULL AND ${LIVE_PERIOD}`;
  const ids = await db.all(`SELECT b.ledger_id, l.line_id ${liveAppend} GROUP BY b.ledger_id, l.line_id HAVING COUNT(*) > 1 ORDER BY b.ledger_id, l.line_id LIMIT ?`, [fundId, limit]);
  const out = [];
  for (const id of ids) {
    const [ledgerId, lineId] = [text(id, 'ledger_id'), text(id, 'line_id')];
    const where = await db.all(`SELECT l.batch_id, l.line_no ${liveAppend} AND b.ledger_id = ? AND l.line_id = ? ORDER BY l.batch_id, l.line_no`, [fundId, ledgerId, lineId]);
    out.push({ ledgerId, lineId, lines: where.map((row) => ({ batchId: int(row, 'batch_id'), lineNo: int(row, 'line_no') })) });
  }
  return out;
}

/** Casts make the VALUES column types explicit for PostgreSQL; SQLite accepts them as they are. */
const MAPPING_ROW = '(CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER))';

export async function updateLineMappings(db: Driver, updates: LineMappingUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await db.transaction(async (tx) => {
    for (const chunk of chunked(updates, MAPPINGS_PER_STATEMENT[tx.dialect])) {
      const values = new Array<string>(chunk.length).fill(MAPPING_ROW).join(', ');
      // VALUES columns are named column1…column5 in both SQLite and PostgreSQL.
      const changed = await tx.run(
        `UPDATE lines SET status = u.column3, scheme_id = u.column4, rule_index = u.column5
         FROM (VALUES ${values}) AS u
         WHERE lines.batch_id = u.column1 AND lines.line_no = u.column2`,
        chunk.flatMap((update) => [update.batchId, update.lineNo, update.status, update.schemeId, update.ruleIndex]),
      );
      invariant(changed === chunk.length, `mapping updates named ${chunk.length} lines but ${changed} matched`);
    }
  });
}

function remapLineFrom(batchId: number, row: SqlRow): RemapLine {
  return {
    batchId,
    lineNo: int(row, 'line_no'),
    period: int(row, 'period'),
    amountPence: pence(row, 'amount_pence'),
    lineId: textOrNull(row, 'line_id'),
    codes: text(row, 'codes'),
    raw: text(row, 'raw'),
    status: lineStatus(text(row, 'status')),
    schemeId: textOrNull(row, 'scheme_id'),
    ruleIndex: intOrNull(row, 'rule_index'),
  };
}

export function storedLineFrom(row: SqlRow): StoredLine {
  return {
    lineNo: int(row, 'line_no'),
    period: int(row, 'period'),
    amountPence: pence(row, 'amount_pence'),
    status: lineStatus(text(row, 'status')),
    schemeId: textOrNull(row, 'scheme_id'),
    ruleIndex: intOrNull(row, 'rule_index'),
    lineId: textOrNull(row, 'line_id'),
    codes: text(row, 'codes'),
    raw: text(row, 'raw'),
  };
}

export function lineStatus(value: string): LineStatus {
  invariant(isLineStatus(value), `line status ${value}`);
  return value;
}

/** 0 … count − 1: the "rows" of a columnar chunk. */
function rowIndexes(count: number): number[] {
  const rows = new Array<number>(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

function isLineStatus(value: string): value is LineStatus {
  return LINE_STATUSES.has(value);
}
