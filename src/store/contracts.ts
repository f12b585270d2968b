// Contract register versions and measure batches (migration 0008). Append-only: loading a
// register again stores the next version; a corrected activity, outcomes or metrics file is a
// later batch, whose line for a subject and period is the one in force.

import type { ContractRegisterRecord, ContractRegisterSummary, MeasureBatchRecord, MeasureInForce, MeasureKind, MeasureLine } from './contract-types.js';
import type { Driver, SqlRow } from './driver.js';
import { int, intOrNull, text, textOrNull } from './row.js';

const REGISTER = 'fund_id, version, loaded_at, loaded_by, source_file, source_sha256, agreement_version';
const BATCH = 'id, fund_id, kind, file_name, file_sha256, file_bytes, register_version, imported_at, imported_by, line_count';

export function insertContractRegister(db: Driver, record: Omit<ContractRegisterRecord, 'version'>): Promise<number> {
  return db.transaction(async (tx) => {
    const next = await tx.get('SELECT COALESCE(MAX(version), 0) + 1 AS version FROM contract_registers WHERE fund_id = ?', [record.fundId]);
    const version = int(next ?? {}, 'version');
    await tx.run(`INSERT INTO contract_registers (${REGISTER}, source_text, model_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      record.fundId,
      version,
      record.loadedAt,
      record.loadedBy,
      record.sourceFile,
      record.sourceSha256,
      record.agreementVersion,
      record.sourceText,
      record.modelJson,
    ]);
    return version;
  });
}

export async function getContractRegister(db: Driver, fundId: string, version?: number): Promise<ContractRegisterRecord | undefined> {
  const columns = `${REGISTER}, source_text, model_json`;
  const row =
    version === undefined
      ? await db.get(`SELECT ${columns} FROM contract_registers WHERE fund_id = ? ORDER BY version DESC LIMIT 1`, [fundId])
      : await db.get(`SELECT ${columns} FROM contract_registers WHERE fund_id = ? AND version = ?`, [fundId, version]);
  if (!row) return undefined;
  return { ...registerFrom(row), sourceText: text(row, 'source_text'), modelJson: text(row, 'model_json') };
}

export async function listContractRegisters(db: Driver, fundId: string): Promise<ContractRegisterSummary[]> {
  return (await db.all(`SELECT ${REGISTER} FROM contract_registers WHERE fund_id = ? ORDER BY version`, [fundId])).map(registerFrom);
}

export async function findMeasureBatchBySha256(db: Driver, fundId: string, kind: MeasureKind, sha256: string): Promise<MeasureBatchRecord | undefined> {
  const row = await db.get(`SELECT ${BATCH} FROM measure_batches WHERE fund_id = ? AND kind = ? AND file_sha256 = ?`, [fundId, kind, sha256]);
  return row ? batchFrom(row) : undefined;
}

export function insertMeasureBatch(db: Driver, batch: Omit<MeasureBatchRecord, 'id'>, lines: MeasureLine[]): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.run(`INSERT INTO measure_batches (${BATCH.slice(4)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      batch.fundId,
      batch.kind,
      batch.fileName,
      batch.fileSha256,
      batch.fileBytes,
      batch.registerVersion,
      batch.importedAt,
      batch.importedBy,
      batch.lineCount,
    ]);
    const id = int((await tx.get('SELECT id FROM measure_batches WHERE fund_id = ? AND kind = ? AND file_sha256 = ?', [batch.fundId, batch.kind, batch.fileSha256])) ?? {}, 'id');
    for (const line of lines) {
      await tx.run('INSERT INTO measure_lines (batch_id, line_no, fund_id, kind, subject, period, value, plan, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        line.lineNo,
        batch.fundId,
        batch.kind,
        line.subject,
        line.period,
        line.value,
        line.plan,
        line.note,
      ]);
    }
    return id;
  });
}

export async function listMeasureBatches(db: Driver, fundId: string, kind?: MeasureKind): Promise<MeasureBatchRecord[]> {
  const rows =
    kind === undefined
      ? await db.all(`SELECT ${BATCH} FROM measure_batches WHERE fund_id = ? ORDER BY id`, [fundId])
      : await db.all(`SELECT ${BATCH} FROM measure_batches WHERE fund_id = ? AND kind = ? ORDER BY id`, [fundId, kind]);
  return rows.map(batchFrom);
}

export async function measuresInForce(db: Driver, fundId: string, kind: MeasureKind, upToBatchId?: number): Promise<MeasureInForce[]> {
  // Read in index order (subject, period, batch): the last row of each subject and period is
  // the latest batch's. A fund holds a few lines per contract and month, so no SQL window is needed.
  const upTo = upToBatchId === undefined ? '' : ' AND batch_id <= ?';
  const rows = await db.all(
    `SELECT batch_id, line_no, subject, period, value, plan, note FROM measure_lines WHERE fund_id = ? AND kind = ?${upTo} ORDER BY subject, period, batch_id`,
    upToBatchId === undefined ? [fundId, kind] : [fundId, kind, upToBatchId],
  );
  const latest = new Map<string, MeasureInForce>();
  for (const row of rows) {
    const line: MeasureInForce = {
      batchId: int(row, 'batch_id'),
      lineNo: int(row, 'line_no'),
      subject: text(row, 'subject'),
      period: int(row, 'period'),
      value: intOrNull(row, 'value'),
      plan: intOrNull(row, 'plan'),
      note: textOrNull(row, 'note'),
    };
    latest.set(`${line.subject}\u0000${line.period}`, line);
  }
  return [...latest.values()];
}

function registerFrom(row: SqlRow): ContractRegisterSummary {
  return {
    fundId: text(row, 'fund_id'),
    version: int(row, 'version'),
    loadedAt: text(row, 'loaded_at'),
    loadedBy: text(row, 'loaded_by'),
    sourceFile: text(row, 'source_file'),
    sourceSha256: text(row, 'source_sha256'),
    agreementVersion: int(row, 'agreement_version'),
  };
}

function batchFrom(row: SqlRow): MeasureBatchRecord {
  return {
    id: int(row, 'id'),
    fundId: text(row, 'fund_id'),
    kind: text(row, 'kind') as MeasureKind,
    fileName: text(row, 'file_name'),
    fileSha256: text(row, 'file_sha256'),
    fileBytes: int(row, 'file_bytes'),
    registerVersion: int(row, 'register_version'),
    importedAt: text(row, 'imported_at'),
    importedBy: text(row, 'imported_by'),
    lineCount: int(row, 'line_count'),
  };
}
