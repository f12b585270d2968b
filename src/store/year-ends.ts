// Year-ends (migration 0009): one append-only row per fund and final year.

import type { Driver, SqlRow } from './driver.js';
import { int, intOrNull, text } from './row.js';
import type { YearEndRecord } from './year-end-types.js';

const COLUMNS = 'fund_id, year, close_version, agreement_version, document_json, document_sha256, at, actor';

export async function insertYearEnd(db: Driver, r: YearEndRecord): Promise<void> {
  await db.run(`INSERT INTO year_ends (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [r.fundId, r.year, r.closeVersion, r.agreementVersion, r.documentJson, r.documentSha256, r.at, r.actor]);
}

export async function getYearEnd(db: Driver, fundId: string, year: number): Promise<YearEndRecord | undefined> {
  const row = await db.get(`SELECT ${COLUMNS} FROM year_ends WHERE fund_id = ? AND year = ?`, [fundId, year]);
  return row ? recordFrom(row) : undefined;
}

export async function listYearEnds(db: Driver, fundId: string): Promise<YearEndRecord[]> {
  return (await db.all(`SELECT ${COLUMNS} FROM year_ends WHERE fund_id = ? ORDER BY year`, [fundId])).map(recordFrom);
}

function recordFrom(row: SqlRow): YearEndRecord {
  return {
    fundId: text(row, 'fund_id'),
    year: int(row, 'year'),
    closeVersion: int(row, 'close_version'),
    agreementVersion: intOrNull(row, 'agreement_version'),
    documentJson: text(row, 'document_json'),
    documentSha256: text(row, 'document_sha256'),
    at: text(row, 'at'),
    actor: text(row, 'actor'),
  };
}
