// Scheme leads' forecast outturns, imported as batches (one CSV each, identified by its SHA-256).
// For a scheme and period the forecast in force is the one from the latest batch that gives one.

import type { Pence } from '../domain/money.js';
import type { Driver, SqlRow } from './driver.js';
import { int, pence, text, textOrNull } from './row.js';
import type { ForecastBatchRecord, ForecastRow } from './types.js';

function batchFrom(row: SqlRow): ForecastBatchRecord {
  return {
    id: int(row, 'id'),
    fundId: text(row, 'fund_id'),
    fileName: text(row, 'file_name'),
    fileSha256: text(row, 'file_sha256'),
    agreementVersion: int(row, 'agreement_version'),
    importedAt: text(row, 'imported_at'),
    importedBy: text(row, 'imported_by'),
    lineCount: int(row, 'line_count'),
  };
}

export async function findForecastBatchBySha256(db: Driver, fundId: string, sha256: string): Promise<ForecastBatchRecord | undefined> {
  const row = await db.get('SELECT * FROM forecast_batches WHERE fund_id = ? AND file_sha256 = ?', [fundId, sha256]);
  return row ? batchFrom(row) : undefined;
}

export function insertForecastBatch(db: Driver, batch: Omit<ForecastBatchRecord, 'id'>, rows: ForecastRow[]): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO forecast_batches (fund_id, file_name, file_sha256, agreement_version, imported_at, imported_by, line_count)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [batch.fundId, batch.fileName, batch.fileSha256, batch.agreementVersion, batch.importedAt, batch.importedBy, batch.lineCount],
    );
    const id = int((await tx.get('SELECT id FROM forecast_batches WHERE fund_id = ? AND file_sha256 = ?', [batch.fundId, batch.fileSha256])) ?? {}, 'id');
    for (const r of rows) {
      await tx.run('INSERT INTO forecasts (batch_id, line_no, scheme_id, period, amount_pence, note) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        r.lineNo,
        r.schemeId,
        r.period,
        r.amountPence,
        r.note,
      ]);
    }
    return id;
  });
}

export async function leadForecasts(db: Driver, fundId: string, period: number): Promise<{ schemeId: string; amountPence: Pence; batchId: number; note: string | null }[]> {
  const rows = await db.all(
    `SELECT f.scheme_id, f.amount_pence, f.batch_id, f.note
     FROM forecasts f JOIN forecast_batches b ON b.id = f.batch_id
     WHERE b.fund_id = ? AND f.period = ?
       AND f.batch_id = (SELECT MAX(f2.batch_id) FROM forecasts f2 JOIN forecast_batches b2 ON b2.id = f2.batch_id
                         WHERE b2.fund_id = b.fund_id AND f2.period = f.period AND f2.scheme_id = f.scheme_id)
     ORDER BY f.scheme_id`,
    [fundId, period],
  );
  return rows.map((row) => ({ schemeId: text(row, 'scheme_id'), amountPence: pence(row, 'amount_pence'), batchId: int(row, 'batch_id'), note: textOrNull(row, 'note') }));
}

export async function listForecastBatches(db: Driver, fundId: string): Promise<ForecastBatchRecord[]> {
  return (await db.all('SELECT * FROM forecast_batches WHERE fund_id = ? ORDER BY id', [fundId])).map(batchFrom);
}

export async function forecastRows(db: Driver, batchId: number): Promise<ForecastRow[]> {
  const rows = await db.all('SELECT line_no, scheme_id, period, amount_pence, note FROM forecasts WHERE batch_id = ? ORDER BY line_no', [batchId]);
  return rows.map((row) => ({ lineNo: int(row, 'line_no'), schemeId: text(row, 'scheme_id'), period: int(row, 'period'), amountPence: pence(row, 'amount_pence'), note: textOrNull(row, 'note') }));
}
