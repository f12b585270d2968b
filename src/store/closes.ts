// Close snapshots and the close/reopen history of periods. Both tables are append-only (the
// database refuses UPDATE and DELETE); a period is locked while its latest event is a close.

import type { Driver, SqlRow } from './driver.js';
import { int, intOrNull, text, textOrNull } from './row.js';
import type { CloseRecord, NewClose, PeriodEvent } from './types.js';

const SUMMARY = 'id, fund_id, period, version, agreement_version, closed_at, closed_by, document_sha256';

function summaryFrom(row: SqlRow): Omit<CloseRecord, 'documentJson'> {
  return {
    id: int(row, 'id'),
    fundId: text(row, 'fund_id'),
    period: int(row, 'period'),
    version: int(row, 'version'),
    agreementVersion: int(row, 'agreement_version'),
    closedAt: text(row, 'closed_at'),
    closedBy: text(row, 'closed_by'),
    documentSha256: text(row, 'document_sha256'),
  };
}

export function lockFund(db: Driver, fundId: string): Promise<void> {
  return db.lockInTransaction(`fund:${fundId}`);
}

export function insertClose(db: Driver, record: NewClose): Promise<{ id: number; version: number }> {
  return db.transaction(async (tx) => {
    await tx.lockInTransaction(`fund:${record.fundId}`);
    const next = await tx.get('SELECT COALESCE(MAX(version), 0) + 1 AS version FROM closes WHERE fund_id = ? AND period = ?', [record.fundId, record.period]);
    const version = int(next ?? {}, 'version');
    await tx.run(
      `INSERT INTO closes (fund_id, period, version, agreement_version, closed_at, closed_by, document_json, document_sha256)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [record.fundId, record.period, version, record.agreementVersion, record.closedAt, record.closedBy, record.documentJson, record.documentSha256],
    );
    const row = await tx.get('SELECT id FROM closes WHERE fund_id = ? AND period = ? AND version = ?', [record.fundId, record.period, version]);
    return { id: int(row ?? {}, 'id'), version };
  });
}

export async function getClose(db: Driver, fundId: string, period: number, version?: number): Promise<CloseRecord | undefined> {
  const columns = `${SUMMARY}, document_json`;
  const row =
    version === undefined
      ? await db.get(`SELECT ${columns} FROM closes WHERE fund_id = ? AND period = ? ORDER BY version DESC LIMIT 1`, [fundId, period])
      : await db.get(`SELECT ${columns} FROM closes WHERE fund_id = ? AND period = ? AND version = ?`, [fundId, period, version]);
  return row ? { ...summaryFrom(row), documentJson: text(row, 'document_json') } : undefined;
}

export async function listCloses(db: Driver, fundId: string): Promise<Omit<CloseRecord, 'documentJson'>[]> {
  const rows = await db.all(`SELECT ${SUMMARY} FROM closes WHERE fund_id = ? ORDER BY period, version`, [fundId]);
  return rows.map(summaryFrom);
}

export async function appendPeriodEvent(db: Driver, event: Omit<PeriodEvent, 'id'>): Promise<number> {
  await db.run('INSERT INTO period_events (fund_id, period, action, close_id, reason, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    event.fundId,
    event.period,
    event.action,
    event.closeId,
    event.reason,
    event.at,
    event.actor,
  ]);
  const row = await db.get('SELECT MAX(id) AS id FROM period_events WHERE fund_id = ? AND period = ?', [event.fundId, event.period]);
  return int(row ?? {}, 'id');
}

export async function latestPeriodEvents(db: Driver, fundId: string): Promise<PeriodEvent[]> {
  const rows = await db.all(
    `SELECT e.id, e.fund_id, e.period, e.action, e.close_id, e.reason, e.at, e.actor
     FROM period_events e
     WHERE e.fund_id = ? AND e.id = (SELECT MAX(id) FROM period_events x WHERE x.fund_id = e.fund_id AND x.period = e.period)
     ORDER BY e.period`,
    [fundId],
  );
  return rows.map(periodEventFrom);
}

/** Every close and reopen of the fund's periods, oldest first. */
export async function listPeriodEvents(db: Driver, fundId: string): Promise<PeriodEvent[]> {
  const rows = await db.all('SELECT id, fund_id, period, action, close_id, reason, at, actor FROM period_events WHERE fund_id = ? ORDER BY id', [fundId]);
  return rows.map(periodEventFrom);
}

function periodEventFrom(row: SqlRow): PeriodEvent {
  return {
    id: int(row, 'id'),
    fundId: text(row, 'fund_id'),
    period: int(row, 'period'),
    action: text(row, 'action') === 'close' ? 'close' : 'reopen',
    closeId: intOrNull(row, 'close_id'),
    reason: textOrNull(row, 'reason'),
    at: text(row, 'at'),
    actor: text(row, 'actor'),
  };
}
