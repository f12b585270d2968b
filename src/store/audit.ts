// The audit trail: append-only and hash-chained (audit-hash.ts). Appends are serialised — a
// lock inside the transaction on PostgreSQL, the write lock on SQLite — and prev_hash is UNIQUE,
// so even a process that skipped the lock could not fork the chain. Triggers refuse UPDATE and
// DELETE on audit_events (see 0001-initial).

import { invariant } from '../domain/money.js';
import { GENESIS_HASH, auditHash, canonicalJson } from './audit-hash.js';
import type { Driver, SqlRow, SqlValue } from './driver.js';
import { int, text, textOrNull } from './row.js';
import type { AuditEvent, AuditEventInput, AuditQuery, AuditQueryResult } from './types.js';

const AUDIT_COLUMNS = 'id, fund_id, actor, action, subject, details, input_sha256, at, prev_hash, hash';

export function appendAudit(db: Driver, input: AuditEventInput): Promise<AuditEvent> {
  return db.transaction(async (tx) => {
    await tx.lockInTransaction('audit_events');
    const last = await tx.get('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1');
    const prevHash = last ? text(last, 'hash') : GENESIS_HASH;
    // Store details in canonical form, so the event read back hashes exactly as written.
    const detailsJson = canonicalJson(input.details);
    const event: AuditEventInput = { ...input, details: parseDetails(detailsJson) };
    const hash = auditHash(prevHash, event);
    const row = await tx.get(
      `INSERT INTO audit_events (fund_id, actor, action, subject, details, input_sha256, at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [event.fundId, event.actor, event.action, event.subject, detailsJson, event.inputSha256, event.at, prevHash, hash],
    );
    return { ...event, id: int(row ?? {}, 'id'), prevHash, hash };
  });
}

/**
 * Events in chain order (ascending id). With `limit`, the latest `limit` events matching the
 * filter, still in ascending order.
 */
export async function listAudit(db: Driver, filter: { fundId?: string; action?: string; limit?: number }): Promise<AuditEvent[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.fundId !== undefined) {
    conditions.push('fund_id = ?');
    params.push(filter.fundId);
  }
  if (filter.action !== undefined) {
    conditions.push('action = ?');
    params.push(filter.action);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  if (filter.limit === undefined) {
    return (await db.all(`SELECT ${AUDIT_COLUMNS} FROM audit_events ${where} ORDER BY id`, params)).map(auditEventFrom);
  }
  invariant(Number.isSafeInteger(filter.limit) && filter.limit >= 0, `audit limit must be a whole number, got ${filter.limit}`);
  const rows = await db.all(`SELECT ${AUDIT_COLUMNS} FROM audit_events ${where} ORDER BY id DESC LIMIT ?`, [...params, filter.limit]);
  return rows.map(auditEventFrom).reverse();
}

/** Largest page a reader may ask for: a page of the log, not an export (listAudit is that). */
export const MAX_AUDIT_PAGE = 1_000;

/**
 * The WHERE clause of an audit query. Times are compared bytewise (COLLATE "C" on PostgreSQL,
 * whose `at` column has the database's collation), so both databases agree on the ISO text.
 */
function auditWhere(db: Driver, query: AuditQuery): { sql: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const at = db.dialect === 'postgres' ? 'at COLLATE "C"' : 'at';
  if (query.fundId !== undefined) {
    conditions.push(query.withoutFund === true ? '(fund_id = ? OR fund_id IS NULL)' : 'fund_id = ?');
    params.push(query.fundId);
  }
  const exact: [string, string | undefined][] = [
    ['action', query.action],
    ['actor', query.actor],
  ];
  for (const [column, value] of exact) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (query.since !== undefined) {
    conditions.push(`${at} >= ?`);
    params.push(query.since);
  }
  if (query.before !== undefined) {
    conditions.push(`${at} < ?`);
    params.push(query.before);
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * One page of the events matching `query`, newest first, and how many match in all. For the
 * audit log page: the database filters, counts and pages, so the page never loads the whole
 * trail (listAudit, which the chain verification reads, is left as it was).
 */
export async function queryAudit(db: Driver, query: AuditQuery, page: { offset: number; limit: number }): Promise<AuditQueryResult> {
  invariant(Number.isSafeInteger(page.offset) && page.offset >= 0, `audit offset must be a whole number, got ${page.offset}`);
  invariant(Number.isSafeInteger(page.limit) && page.limit >= 0 && page.limit <= MAX_AUDIT_PAGE, `audit page size must be 0 to ${MAX_AUDIT_PAGE}, got ${page.limit}`);
  const where = auditWhere(db, query);
  const total = int((await db.get(`SELECT COUNT(*) AS n FROM audit_events ${where.sql}`, where.params)) ?? {}, 'n');
  if (page.limit === 0 || page.offset >= total) return { total, events: [] };
  const rows = await db.all(`SELECT ${AUDIT_COLUMNS} FROM audit_events ${where.sql} ORDER BY id DESC LIMIT ? OFFSET ?`, [...where.params, page.limit, page.offset]);
  return { total, events: rows.map(auditEventFrom) };
}

/** The distinct actions and actors in a fund scope, for the log's filter lists (sorted here, so in the same order on both databases). */
export async function auditFacets(db: Driver, scope: Pick<AuditQuery, 'fundId' | 'withoutFund'>): Promise<{ actions: string[]; actors: string[] }> {
  const where = auditWhere(db, { fundId: scope.fundId, withoutFund: scope.withoutFund });
  const distinct = async (column: 'action' | 'actor') =>
    (await db.all(`SELECT DISTINCT ${column} AS value FROM audit_events ${where.sql}`, where.params)).map((row) => text(row, 'value')).sort(byCodePoint);
  return { actions: await distinct('action'), actors: await distinct('actor') };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function auditEventFrom(row: SqlRow): AuditEvent {
  return {
    id: int(row, 'id'),
    fundId: textOrNull(row, 'fund_id'),
    actor: text(row, 'actor'),
    action: text(row, 'action'),
    subject: textOrNull(row, 'subject'),
    details: parseDetails(text(row, 'details')),
    inputSha256: textOrNull(row, 'input_sha256'),
    at: text(row, 'at'),
    prevHash: text(row, 'prev_hash'),
    hash: text(row, 'hash'),
  };
}

function parseDetails(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  invariant(typeof value === 'object' && value !== null && !Array.isArray(value), 'audit details must be a JSON object');
  return value as Record<string, unknown>;
}
