// The audit trail: append-only and hash-chained (audit-hash.ts). Appends are serialised — a
// lock inside the transaction on PostgreSQL, the write lock on SQLite — and prev_hash is UNIQUE,
// so even a process that skipped the lock could not fork the chain. Triggers refuse UPDATE and
// DELETE on audit_events (see 0001-initial).

import { invariant } from '../domain/money.js';
import { GENESIS_HASH, auditHash, canonicalJson } from './audit-hash.js';
import type { Driver, SqlRow, SqlValue } from './driver.js';
import { int, text, textOrNull } from './row.js';
import type { AuditEvent, AuditEventInput } from './types.js';

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
