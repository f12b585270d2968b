// The audit chain on both databases: links, recomputation, tamper detection, append-only
// enforcement, and no fork when two connections append at once.

import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditHash, canonicalJson, findChainBreak } from '../src/store/audit-hash.js';
import { openStore } from '../src/store/open.js';
import type { AuditEventInput } from '../src/store/types.js';
import { FUND } from './support/fixtures.js';
import { rawExec } from './support/raw-sql.js';
import { describeEachStore } from './support/stores.js';

function event(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    fundId: FUND,
    actor: 'finance.officer',
    action: n % 2 === 0 ? 'import.batch' : 'remap',
    subject: `batch:${n}`,
    details: { n, nested: { z: 1, a: [true, null, 'x'] }, text: 'tab\t£' },
    inputSha256: n % 3 === 0 ? null : 'b'.repeat(64),
    at: `2025-07-0${(n % 9) + 1}T10:00:00.000Z`,
    ...overrides,
  };
}

describe('audit hashing', () => {
  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined }, '10': 0, '9': 0 })).toBe(
      '{"10":0,"9":0,"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('hashes the same content the same way whatever the key order', () => {
    const a = event(1, { details: { x: 1, y: { p: 1, q: 2 } } });
    const b = event(1, { details: { y: { q: 2, p: 1 }, x: 1 } });
    expect(auditHash(GENESIS_HASH, a)).toBe(auditHash(GENESIS_HASH, b));
    expect(auditHash(GENESIS_HASH, a)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, a)).not.toBe(auditHash('1'.repeat(64), a));
    expect(auditHash(GENESIS_HASH, a)).not.toBe(auditHash(GENESIS_HASH, { ...a, actor: 'someone else' }));
  });
});

describeEachStore('audit trail', (current) => {
  it('chains each event to the one before, from 64 zeros, across funds', async () => {
    const { store } = current();
    const appended = [];
    for (let n = 1; n <= 5; n++) appended.push(await store.appendAudit(event(n, n === 4 ? { fundId: null } : n === 5 ? { fundId: 'plymouth' } : {})));
    expect(appended[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < appended.length; i++) expect(appended[i]!.prevHash).toBe(appended[i - 1]!.hash);
    expect(appended[0]!.hash).toBe(auditHash(GENESIS_HASH, event(1)));

    const listed = await store.listAudit({});
    expect(listed).toEqual(appended);
    expect(findChainBreak(listed)).toBeUndefined();
  });

  it('filters by fund and action, and a limit keeps the latest events in order', async () => {
    const { store } = current();
    for (let n = 1; n <= 6; n++) await store.appendAudit(event(n, n === 6 ? { fundId: 'plymouth' } : {}));
    expect((await store.listAudit({ fundId: FUND })).map((e) => e.details.n)).toEqual([1, 2, 3, 4, 5]);
    expect((await store.listAudit({ action: 'remap' })).map((e) => e.details.n)).toEqual([1, 3, 5]);
    expect((await store.listAudit({ fundId: FUND, action: 'import.batch', limit: 1 })).map((e) => e.details.n)).toEqual([4]);
    expect((await store.listAudit({ limit: 2 })).map((e) => e.details.n)).toEqual([5, 6]);
    expect(await store.listAudit({ limit: 0 })).toEqual([]);
  });

  it('detects an event changed after it was written', async () => {
    const target = current();
    for (let n = 1; n <= 4; n++) await target.store.appendAudit(event(n));
    const listed = await target.store.listAudit({});
    const edited = listed.map((e) => (e.id === listed[2]!.id ? { ...e, details: { ...e.details, n: 999 } } : e));
    expect(findChainBreak(edited)?.id).toBe(listed[2]!.id);

    // the database refuses the edit; someone with the power to drop the guard still gets caught
    await expect(rawExec(target, `UPDATE audit_events SET actor = 'mallory' WHERE id = ${listed[1]!.id}`)).rejects.toThrow(/append-only/);
    await expect(rawExec(target, `DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    const unguard =
      target.store.dialect === 'sqlite' ? 'DROP TRIGGER audit_events_no_update;' : 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;';
    await rawExec(target, `${unguard} UPDATE audit_events SET details = '{"n":2,"forged":true}' WHERE id = ${listed[1]!.id}`);
    expect(findChainBreak(await target.store.listAudit({}))?.id).toBe(listed[1]!.id);
  });

  it('stores nothing from a rolled-back transaction and links the next event to the last kept one', async () => {
    const { store } = current();
    const first = await store.appendAudit(event(1));
    await expect(
      store.transaction(async (tx) => {
        await tx.appendAudit(event(2));
        throw new Error('import rejected');
      }),
    ).rejects.toThrow('import rejected');
    const next = await store.appendAudit(event(3));
    expect(next.prevHash).toBe(first.hash);
    expect(findChainBreak(await store.listAudit({}))).toBeUndefined();
  });

  it('does not fork when two connections append at the same time', async () => {
    const { store, location } = current();
    const second = await openStore(location);
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? store : second).appendAudit(event(n, { subject: `n:${n}` }))),
      );
      const listed = await store.listAudit({});
      expect(listed).toHaveLength(20);
      expect(findChainBreak(listed)).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
