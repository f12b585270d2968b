// The audit chain's hashing, pure so that a verifier can recompute it from listed events.
// hash = sha256_hex(prevHash + canonicalJson(content)), where content is the event's fields
// below and canonical JSON sorts object keys at every level. The first event's prevHash is
// GENESIS_HASH. One chain runs through all funds in a database.

import { createHash } from 'node:crypto';
import { invariant } from '../domain/money.js';
import type { AuditEvent, AuditEventInput } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785) at every level, no spaces.
 * The value first goes through JSON.stringify/parse, so what is hashed is exactly what is
 * stored and read back: undefined members dropped, dates as their ISO text, and so on.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value);
  invariant(text !== undefined, 'cannot hash a value that has no JSON form');
  return writeSorted(JSON.parse(text) as unknown);
}

export function auditHash(prevHash: string, event: AuditEventInput): string {
  const content = {
    fundId: event.fundId,
    actor: event.actor,
    action: event.action,
    subject: event.subject,
    details: event.details,
    inputSha256: event.inputSha256,
    at: event.at,
  };
  return createHash('sha256').update(prevHash + canonicalJson(content)).digest('hex');
}

/** The first event (in id order) whose links or hash do not recompute, or undefined if all do. */
export function findChainBreak(events: readonly AuditEvent[], startHash: string = GENESIS_HASH): AuditEvent | undefined {
  let prevHash = startHash;
  for (const event of events) {
    if (event.prevHash !== prevHash || auditHash(prevHash, event) !== event.hash) return event;
    prevHash = event.hash;
  }
  return undefined;
}

function writeSorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(writeSorted).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${writeSorted(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
