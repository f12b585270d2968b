// Funds and their agreement versions. A version is never edited: loading an agreement again
// stores the next version number for the fund.

import type { Driver, SqlRow } from './driver.js';
import { int, intOrNull, text } from './row.js';
import type { AgreementVersionRecord, NewAgreementVersion } from './types.js';

type VersionSummary = Omit<AgreementVersionRecord, 'sourceText' | 'modelJson'>;

const SUMMARY_COLUMNS = 'fund_id, version, fund_name, loaded_at, loaded_by, source_file, source_sha256, effective_from, decision_id';

export async function listFunds(db: Driver): Promise<{ id: string; name: string; latestVersion: number }[]> {
  const rows = await db.all(
    `SELECT f.id, f.name, COALESCE(MAX(v.version), 0) AS latest_version
     FROM funds f LEFT JOIN agreement_versions v ON v.fund_id = f.id
     GROUP BY f.id, f.name ORDER BY f.id`,
  );
  return rows.map((row) => ({ id: text(row, 'id'), name: text(row, 'name'), latestVersion: int(row, 'latest_version') }));
}

export async function getAgreementVersion(db: Driver, fundId: string, version?: number): Promise<AgreementVersionRecord | undefined> {
  const columns = `${SUMMARY_COLUMNS}, source_text, model_json`;
  const row =
    version === undefined
      ? await db.get(`SELECT ${columns} FROM agreement_versions WHERE fund_id = ? ORDER BY version DESC LIMIT 1`, [fundId])
      : await db.get(`SELECT ${columns} FROM agreement_versions WHERE fund_id = ? AND version = ?`, [fundId, version]);
  if (!row) return undefined;
  return { ...summaryFrom(row), sourceText: text(row, 'source_text'), modelJson: text(row, 'model_json') };
}

export async function listAgreementVersions(db: Driver, fundId: string): Promise<VersionSummary[]> {
  const rows = await db.all(`SELECT ${SUMMARY_COLUMNS} FROM agreement_versions WHERE fund_id = ? ORDER BY version`, [fundId]);
  return rows.map(summaryFrom);
}

export function insertAgreementVersion(db: Driver, record: NewAgreementVersion): Promise<number> {
  return db.transaction(async (tx) => {
    // Upserting the fund first locks its row (PostgreSQL), so two loads of the same fund queue
    // here instead of both picking the same next version.
    await tx.run('INSERT INTO funds (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [
      record.fundId,
      record.fundName,
    ]);
    const next = await tx.get('SELECT COALESCE(MAX(version), 0) + 1 AS version FROM agreement_versions WHERE fund_id = ?', [
      record.fundId,
    ]);
    const version = int(next ?? {}, 'version');
    await tx.run(
      `INSERT INTO agreement_versions (${SUMMARY_COLUMNS}, source_text, model_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        record.fundId,
        version,
        record.fundName,
        record.loadedAt,
        record.loadedBy,
        record.sourceFile,
        record.sourceSha256,
        record.effectiveFrom ?? null,
        record.decisionId ?? null,
        record.sourceText,
        record.modelJson,
      ],
    );
    return version;
  });
}

function summaryFrom(row: SqlRow): VersionSummary {
  return {
    fundId: text(row, 'fund_id'),
    version: int(row, 'version'),
    fundName: text(row, 'fund_name'),
    loadedAt: text(row, 'loaded_at'),
    loadedBy: text(row, 'loaded_by'),
    sourceFile: text(row, 'source_file'),
    sourceSha256: text(row, 'source_sha256'),
    effectiveFrom: intOrNull(row, 'effective_from'),
    decisionId: intOrNull(row, 'decision_id'),
  };
}
