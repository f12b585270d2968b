// The store contract, run identically against SQLite and PostgreSQL: migrations, funds and
// agreement versions, batches and supersession. Lines, totals, transactions and the audit chain
// are in the other store-*.test.ts files.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LATEST_MIGRATION } from '../src/store/migrations/index.js';
import { openStore } from '../src/store/open.js';
import { FUND, M01, M02, M03, M04, agreementVersion, importBatch, linesOf, newBatch, seedFund, storedLine } from './support/fixtures.js';
import { rawExec } from './support/raw-sql.js';
import { createTestDatabase, describeEachStore, storeFactories } from './support/stores.js';

describeEachStore('migrations', (current) => {
  it('brings a new database to the latest version, and a second run does nothing', async () => {
    const { store } = current();
    expect(await store.schemaVersion()).toBe(LATEST_MIGRATION);
    expect(await store.migrate()).toEqual([]);
    expect(await store.schemaVersion()).toBe(LATEST_MIGRATION);
  });

  it('reopening a migrated database applies nothing and keeps the data', async () => {
    const { store, location } = current();
    await seedFund(store);
    await store.close();
    const again = await openStore(location);
    try {
      expect(await again.schemaVersion()).toBe(LATEST_MIGRATION);
      expect(await again.listFunds()).toEqual([{ id: FUND, name: 'Sheffield Better Care Fund', latestVersion: 1 }]);
    } finally {
      await again.close();
    }
  });

  it('refuses a database migrated by a newer Tandem', async () => {
    const target = current();
    await target.store.close();
    await rawExec(target, `INSERT INTO schema_migrations (number, name, applied_at) VALUES (99, 'future', 'x')`);
    await expect(openStore(target.location)).rejects.toThrow(new RegExp(`schema is at version 99, newer than this Tandem knows \\(${LATEST_MIGRATION}\\)`));
    await expect(openStore(target.location, { migrate: false })).rejects.toThrow(/version 99/);
  });
});

describe('opening without migrating', () => {
  for (const factory of storeFactories()) {
    it(`leaves an empty database at version 0 until migrate() [${factory.dialect}]`, async () => {
      const { store, dispose } = await factory.create({ migrate: false });
      try {
        expect(await store.schemaVersion()).toBe(0);
        expect(await store.migrate()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(LATEST_MIGRATION).toBe(9);
        expect(await store.schemaVersion()).toBe(LATEST_MIGRATION);
      } finally {
        await dispose();
      }
    });
  }
});

describe('location', () => {
  it('never shows a PostgreSQL password', async () => {
    const database = await createTestDatabase();
    const url = new URL(database.url);
    url.password = 's3cret'; // trust authentication ignores it
    url.searchParams.set('password', 'an0ther');
    const store = await openStore(url.toString());
    try {
      expect(store.dialect).toBe('postgres');
      expect(store.location).not.toMatch(/s3cret|an0ther/);
      expect(store.location).toContain(url.pathname);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('never shows a PostgreSQL password in a connection error', async () => {
    const error = await openStore('postgres://fin:s3cret@127.0.0.1:1/tandem?password=an0ther').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('postgres://fin@127.0.0.1:1/tandem');
    expect(`${error?.message} ${error?.stack} ${JSON.stringify(error)}`).not.toMatch(/s3cret|an0ther/);
  });

  it('creates a new SQLite file readable by its owner only', async () => {
    const [sqlite] = storeFactories();
    const { store, location, dispose } = await sqlite!.create();
    try {
      await seedFund(store);
      expect(store.location).toBe(location);
      expect(fs.statSync(location).mode & 0o777).toBe(0o600);
      expect(fs.statSync(`${location}-wal`).mode & 0o777).toBe(0o600);
    } finally {
      await dispose();
    }
  });
});

describeEachStore('agreement versions', (current) => {
  it('numbers versions per fund from 1 and keeps every one', async () => {
    const { store } = current();
    expect(await store.insertAgreementVersion(agreementVersion())).toBe(1);
    expect(await store.insertAgreementVersion(agreementVersion({ fundId: 'plymouth', fundName: 'Plymouth Integrated Fund' }))).toBe(1);
    expect(await store.insertAgreementVersion(agreementVersion({ fundName: 'Sheffield BCF (varied)', sourceText: 'v2' }))).toBe(2);

    expect(await store.listFunds()).toEqual([
      { id: 'plymouth', name: 'Plymouth Integrated Fund', latestVersion: 1 },
      { id: FUND, name: 'Sheffield BCF (varied)', latestVersion: 2 },
    ]);
    expect((await store.getAgreementVersion(FUND))?.sourceText).toBe('v2');
    expect(await store.getAgreementVersion(FUND, 1)).toEqual({ ...agreementVersion(), version: 1, effectiveFrom: null, decisionId: null });
    expect(await store.getAgreementVersion(FUND, 3)).toBeUndefined();
    expect(await store.getAgreementVersion('nobody')).toBeUndefined();
    const listed = await store.listAgreementVersions(FUND);
    expect(listed.map((v) => [v.version, v.fundName])).toEqual([
      [1, 'Sheffield Better Care Fund'],
      [2, 'Sheffield BCF (varied)'],
    ]);
    expect(listed[0]).not.toHaveProperty('sourceText');
  });

  it('gives concurrent loads of one fund distinct versions', async () => {
    const { store } = current();
    const versions = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.insertAgreementVersion(agreementVersion({ sourceText: `v${i}` }))),
    );
    expect(versions.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describeEachStore('batches', (current) => {
  it('round-trips a batch with its periods, sorted', async () => {
    const { store } = current();
    await seedFund(store);
    const { batchId } = await importBatch(store, [lineAt(2, M03, 200), lineAt(3, M03, 300), lineAt(4, M01, -50)]);
    const expected = {
      ...newBatch(),
      id: batchId,
      lineCount: 3,
      controlTotalPence: 450,
      periods: [M01, M03],
      supersededPeriods: {},
    };
    expect(await store.getBatch(batchId)).toEqual(expected);
    expect(await store.findBatchBySha256(FUND, 'council', 'f'.repeat(64))).toEqual(expected);
    expect(await store.findBatchBySha256(FUND, 'nhs', 'f'.repeat(64))).toBeUndefined();
    expect(await store.getBatch(batchId + 1)).toBeUndefined();
  });

  it('refuses the same file twice for a ledger, but not for another ledger', async () => {
    const { store } = current();
    await seedFund(store);
    await store.insertBatch(newBatch());
    await expect(store.insertBatch(newBatch())).rejects.toThrow();
    await expect(store.insertBatch(newBatch({ ledgerId: 'nhs' }))).resolves.toBeGreaterThan(0);
  });

  it('refuses a batch for an agreement version that does not exist', async () => {
    const { store } = current();
    await seedFund(store);
    await expect(store.insertBatch(newBatch({ agreementVersion: 2 }))).rejects.toThrow();
  });

  it('lists batches of a fund, optionally of one ledger, in id order', async () => {
    const { store } = current();
    await seedFund(store);
    await seedFund(store, 'plymouth');
    const a = (await importBatch(store, linesOf(1), { sha: 'a' })).batchId;
    const b = (await importBatch(store, linesOf(1, () => ({ period: M02 })), { sha: 'b', ledgerId: 'nhs' })).batchId;
    await importBatch(store, linesOf(1), { sha: 'c', fundId: 'plymouth' });
    expect((await store.listBatches(FUND)).map((batch) => [batch.id, batch.ledgerId, batch.periods])).toEqual([
      [a, 'council', [M01]],
      [b, 'nhs', [M02]],
    ]);
    expect((await store.listBatches(FUND, 'nhs')).map((batch) => batch.id)).toEqual([b]);
    expect(await store.listBatches('nobody')).toEqual([]);
  });
});

describeEachStore('supersession', (current) => {
  it('replaces a period of an earlier batch, keeps its history, and changes live totals', async () => {
    const { store } = current();
    await seedFund(store);
    const first = await importBatch(store, [...linesOf(2, () => ({ period: M01 })), lineAt(10, M02, 1_000), lineAt(11, M03, 5_000)], {
      sha: 'first',
    });
    expect(first.superseded).toEqual([]);
    const second = await importBatch(store, [lineAt(2, M03, 7_000), lineAt(3, M04, 1)], { sha: 'second' });
    expect(second.superseded).toEqual([{ batchId: first.batchId, period: M03 }]);

    const earlier = await store.getBatch(first.batchId);
    expect(earlier?.periods).toEqual([M01, M02, M03]);
    expect(earlier?.supersededPeriods).toEqual({ [M03]: second.batchId });
    expect((await store.getLines(first.batchId, 0, 100)).map((line) => line.lineNo)).toEqual([2, 3, 10, 11]);

    const byPeriod = await store.liveTotals({ fundId: FUND }, ['period']);
    expect(byPeriod.map((row) => [row.period, row.lineCount, row.amountPence])).toEqual([
      [M01, 2, 500],
      [M02, 1, 1_000],
      [M03, 1, 7_000],
      [M04, 1, 1],
    ]);
  });

  it('leaves other ledgers, other funds and already superseded periods alone', async () => {
    const { store } = current();
    await seedFund(store);
    await seedFund(store, 'plymouth');
    const a = (await importBatch(store, linesOf(1), { sha: 'a' })).batchId;
    const nhs = (await importBatch(store, linesOf(1), { sha: 'n', ledgerId: 'nhs' })).batchId;
    const other = (await importBatch(store, linesOf(1), { sha: 'p', fundId: 'plymouth' })).batchId;
    const b = await importBatch(store, linesOf(1), { sha: 'b' });
    expect(b.superseded).toEqual([{ batchId: a, period: M01 }]);
    const c = await importBatch(store, linesOf(1), { sha: 'c' });
    expect(c.superseded).toEqual([{ batchId: b.batchId, period: M01 }]);
    expect((await store.getBatch(a))?.supersededPeriods).toEqual({ [M01]: b.batchId });
    expect((await store.getBatch(nhs))?.supersededPeriods).toEqual({});
    expect((await store.getBatch(other))?.supersededPeriods).toEqual({});
    expect(await store.supersede(FUND, 'council', [], c.batchId)).toEqual([]);
  });

  it('does not supersede in append mode', async () => {
    const { store } = current();
    await seedFund(store);
    await importBatch(store, linesOf(1), { sha: 'a', mode: 'append' });
    await importBatch(store, linesOf(1, (n) => ({ lineId: `W2-${n}` })), { sha: 'b', mode: 'append' });
    expect((await store.liveTotals({ fundId: FUND }, []))[0]?.lineCount).toBe(2);
  });
});

function lineAt(lineNo: number, period: number, amountPence: number) {
  return storedLine(lineNo, { period, amountPence });
}

describeEachStore('completing a batch', (current) => {
  it('sets the final counts, and refuses an unknown batch', async () => {
    const { store } = current();
    await seedFund(store);
    const id = await store.insertBatch(newBatch());
    await store.completeBatch(id, { lineCount: 3, controlTotalPence: 1 - 2 ** 53 });
    expect(await store.getBatch(id)).toMatchObject({ lineCount: 3, controlTotalPence: 1 - 2 ** 53 });
    await expect(store.completeBatch(id + 1, { lineCount: 1, controlTotalPence: 0 })).rejects.toThrow(/does not exist/);
  });
});
