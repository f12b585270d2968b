// Batches (one per imported ledger extract) and the periods each covers. A batch-period is live
// until a later batch of the same fund and ledger replaces that period (superseded_by); the
// replaced rows stay, so the history of every figure is kept.

import { assertPence, invariant, type Pence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import type { BulkInsert, Driver, SqlRow } from './driver.js';
import type { LinesDigest } from './line-digest.js';
import { int, intOrNull, pence, text, textOrNull } from './row.js';
import { placeholders } from './sql-text.js';
import type { BatchRecord, NewBatch } from './types.js';

const BATCH_COLUMNS = [
  'fund_id',
  'ledger_id',
  'file_name',
  'file_sha256',
  'file_bytes',
  'mode',
  'agreement_version',
  'imported_at',
  'imported_by',
  'line_count',
  'control_total_pence',
  'header_json',
] as const;

const SELECT_BATCH = `SELECT id, ${BATCH_COLUMNS.join(', ')} FROM batches`;

const SELECT_PERIODS = 'SELECT batch_id, period, superseded_by FROM batch_periods';

function batchPeriodRows(batchId: number): BulkInsert<PeriodKey> {
  return {
    table: 'batch_periods',
    columns: ['batch_id', 'period', 'superseded_by'],
    write(period, out, offset) {
      out[offset] = batchId;
      out[offset + 1] = period;
      out[offset + 2] = null;
    },
  };
}

export async function insertBatch(db: Driver, batch: NewBatch): Promise<number> {
  const row = await db.get(
    `INSERT INTO batches (${BATCH_COLUMNS.join(', ')}) VALUES (${placeholders(BATCH_COLUMNS.length)}) RETURNING id`,
    [
      batch.fundId,
      batch.ledgerId,
      batch.fileName,
      batch.fileSha256,
      batch.fileBytes,
      batch.mode,
      batch.agreementVersion,
      batch.importedAt,
      batch.importedBy,
      batch.lineCount,
      batch.controlTotalPence,
      batch.headerJson,
    ],
  );
  return int(row ?? {}, 'id');
}

/** The final counts (and the lines' digest, line-digest.ts) of a streamed import, known only once every line is written. */
export async function completeBatch(db: Driver, batchId: number, totals: { lineCount: number; controlTotalPence: Pence; digest?: LinesDigest }): Promise<void> {
  assertPence(totals.controlTotalPence, 'control total');
  invariant(Number.isSafeInteger(totals.lineCount) && totals.lineCount >= 0, `line count ${totals.lineCount}`);
  const changed = await db.run('UPDATE batches SET line_count = ?, control_total_pence = ?, lines_sha256 = ?, lines_blocks = ? WHERE id = ?', [
    totals.lineCount,
    totals.controlTotalPence,
    totals.digest?.sha256 ?? null,
    totals.digest?.blocksJson ?? null,
    batchId,
  ]);
  invariant(changed === 1, `batch ${batchId} does not exist`);
}

/** The digest recorded when the batch's file was read; null when it has none (imported before migration 6). */
export async function getBatchDigest(db: Driver, batchId: number): Promise<LinesDigest | null> {
  const row = await db.get('SELECT lines_sha256, lines_blocks FROM batches WHERE id = ?', [batchId]);
  const sha256 = row ? textOrNull(row, 'lines_sha256') : null;
  const blocksJson = row ? textOrNull(row, 'lines_blocks') : null;
  return sha256 === null && blocksJson === null ? null : { sha256: sha256 ?? '', blocksJson: blocksJson ?? '' };
}

export async function getBatch(db: Driver, id: number): Promise<BatchRecord | undefined> {
  return oneWithPeriods(db, await db.get(`${SELECT_BATCH} WHERE id = ?`, [id]));
}

export async function findBatchBySha256(db: Driver, fundId: string, ledgerId: string, sha256: string): Promise<BatchRecord | undefined> {
  const row = await db.get(`${SELECT_BATCH} WHERE fund_id = ? AND ledger_id = ? AND file_sha256 = ?`, [fundId, ledgerId, sha256]);
  return oneWithPeriods(db, row);
}

export async function listBatches(db: Driver, fundId: string, ledgerId?: string): Promise<BatchRecord[]> {
  const where = ledgerId === undefined ? 'fund_id = ?' : 'fund_id = ? AND ledger_id = ?';
  const params = ledgerId === undefined ? [fundId] : [fundId, ledgerId];
  const batches = (await db.all(`${SELECT_BATCH} WHERE ${where} ORDER BY id`, params)).map(batchFrom);
  const periodRows = await db.all(
    `${SELECT_PERIODS} WHERE batch_id IN (SELECT id FROM batches WHERE ${where}) ORDER BY batch_id, period`,
    params,
  );
  return attachPeriods(batches, periodRows);
}

export async function insertBatchPeriods(db: Driver, batchId: number, periods: PeriodKey[]): Promise<void> {
  const distinct = [...new Set(periods)].sort((a, b) => a - b);
  if (distinct.length === 0) return;
  await db.bulkInsert(batchPeriodRows(batchId), distinct);
}

export async function supersede(
  db: Driver,
  fundId: string,
  ledgerId: string,
  periods: PeriodKey[],
  byBatchId: number,
): Promise<{ batchId: number; period: PeriodKey }[]> {
  const distinct = [...new Set(periods)];
  if (distinct.length === 0) return [];
  const rows = await db.all(
    `UPDATE batch_periods SET superseded_by = ?
     WHERE superseded_by IS NULL AND batch_id <> ? AND period IN (${placeholders(distinct.length)})
       AND batch_id IN (SELECT id FROM batches WHERE fund_id = ? AND ledger_id = ?)
     RETURNING batch_id, period`,
    [byBatchId, byBatchId, ...distinct, fundId, ledgerId],
  );
  return rows
    .map((row) => ({ batchId: int(row, 'batch_id'), period: int(row, 'period') }))
    .sort((a, b) => a.batchId - b.batchId || a.period - b.period);
}

async function oneWithPeriods(db: Driver, row: SqlRow | undefined): Promise<BatchRecord | undefined> {
  if (!row) return undefined;
  const batch = batchFrom(row);
  const periodRows = await db.all(`${SELECT_PERIODS} WHERE batch_id = ? ORDER BY period`, [batch.id]);
  return attachPeriods([batch], periodRows)[0];
}

/** Fills periods (ascending) and supersededPeriods from batch_periods rows sorted by period. */
function attachPeriods(batches: BatchRecord[], periodRows: SqlRow[]): BatchRecord[] {
  const byId = new Map(batches.map((batch) => [batch.id, batch]));
  for (const row of periodRows) {
    const batch = byId.get(int(row, 'batch_id'));
    if (!batch) continue; // a batch committed between the two reads
    const period = int(row, 'period');
    batch.periods.push(period);
    const by = intOrNull(row, 'superseded_by');
    if (by !== null) batch.supersededPeriods[period] = by;
  }
  return batches;
}

function batchFrom(row: SqlRow): BatchRecord {
  const mode = text(row, 'mode');
  invariant(mode === 'replace' || mode === 'append', `batch mode ${mode}`);
  return {
    id: int(row, 'id'),
    fundId: text(row, 'fund_id'),
    ledgerId: text(row, 'ledger_id'),
    fileName: text(row, 'file_name'),
    fileSha256: text(row, 'file_sha256'),
    fileBytes: int(row, 'file_bytes'),
    mode,
    agreementVersion: int(row, 'agreement_version'),
    importedAt: text(row, 'imported_at'),
    importedBy: text(row, 'imported_by'),
    lineCount: int(row, 'line_count'),
    controlTotalPence: pence(row, 'control_total_pence'),
    headerJson: text(row, 'header_json'),
    periods: [],
    supersededPeriods: {},
  };
}

/** Marks one period of a batch as superseded by another batch (an unchanged copy of a closed period). */
export async function markPeriodSuperseded(db: Driver, batchId: number, period: PeriodKey, byBatchId: number): Promise<void> {
  const changed = await db.run('UPDATE batch_periods SET superseded_by = ? WHERE batch_id = ? AND period = ? AND superseded_by IS NULL', [byBatchId, batchId, period]);
  invariant(changed === 1, `batch ${batchId} has no live period ${period} to mark superseded`);
}
