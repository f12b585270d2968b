// Transactions on both databases: all or nothing, nested calls join, calls through the store
// itself join the open transaction, and concurrent transactions do not interleave.

import { expect, it } from 'vitest';
import { FUND, M01, agreementVersion, importBatch, linesOf, newBatch, seedFund, totalsOf } from './support/fixtures.js';
import { describeEachStore } from './support/stores.js';

describeEachStore('transactions', (current) => {
  it('leave nothing behind when the callback throws: no batch, lines, periods or totals', async () => {
    const { store } = current();
    await seedFund(store);
    const lines = linesOf(1_500);
    let batchId = 0;
    await expect(
      store.transaction(async (tx) => {
        batchId = await tx.insertBatch(newBatch());
        await tx.insertLines(batchId, lines);
        await tx.insertBatchPeriods(batchId, [lines[0]!.period]);
        await tx.replaceLineTotals(batchId, totalsOf(lines));
        await tx.appendAudit({ fundId: FUND, actor: 't', action: 'import.batch', subject: null, details: {}, inputSha256: null, at: 'now' });
        expect((await tx.liveTotals({ fundId: FUND }, []))[0]?.lineCount).toBe(1_500);
        throw new Error('bad line found late');
      }),
    ).rejects.toThrow('bad line found late');
    expect(await store.getBatch(batchId)).toBeUndefined();
    expect(await store.listBatches(FUND)).toEqual([]);
    expect(await store.getLines(batchId, 0, 10)).toEqual([]);
    expect(await store.liveTotals({ fundId: FUND }, [])).toEqual([]);
    expect(await store.listAudit({})).toEqual([]);
    // and the store still works
    await importBatch(store, lines);
    expect((await store.liveTotals({ fundId: FUND }, []))[0]?.lineCount).toBe(1_500);
  });

  it('rolls back when a statement fails, and rethrows its error', async () => {
    const { store } = current();
    await seedFund(store);
    await expect(
      store.transaction(async (tx) => {
        const id = await tx.insertBatch(newBatch());
        await tx.insertLines(id, [...linesOf(3), ...linesOf(1)]); // line 2 twice
      }),
    ).rejects.toThrow(/unique|duplicate/i);
    expect(await store.listBatches(FUND)).toEqual([]);
  });

  it('fails the transaction for a bad row sent by an earlier insertLines call', async () => {
    const { store } = current();
    await seedFund(store);
    await expect(
      store.transaction(async (tx) => {
        const id = await tx.insertBatch(newBatch());
        await tx.insertLines(id, linesOf(3));
        await tx.insertLines(id, linesOf(1)); // line 2 again; PostgreSQL may only say so later
        await tx.insertBatchPeriods(id, [M01]);
      }),
    ).rejects.toThrow(/unique|duplicate/i);
    expect(await store.listBatches(FUND)).toEqual([]);
    await importBatch(store, linesOf(2)); // and the connection pool is still healthy
  });

  it('interleaves bulk inserts with queries in one transaction', async () => {
    const { store } = current();
    await seedFund(store);
    await store.transaction(async (tx) => {
      const id = await tx.insertBatch(newBatch());
      await tx.insertLines(id, linesOf(5));
      expect(await tx.getLines(id, 0, 10)).toHaveLength(5);
      await tx.insertLines(id, linesOf(5).map((line) => ({ ...line, lineNo: line.lineNo + 100 })));
      await tx.insertBatchPeriods(id, [M01]);
      await tx.insertLines(id, linesOf(5).map((line) => ({ ...line, lineNo: line.lineNo + 200 })));
    });
    expect((await store.listBatches(FUND))[0]?.periods).toEqual([M01]);
    expect(await store.getLines((await store.listBatches(FUND))[0]!.id, 0, 100)).toHaveLength(15);
  });

  it('joins nested calls to the outer transaction', async () => {
    const { store } = current();
    await seedFund(store);
    await expect(
      store.transaction(async (outer) => {
        await outer.transaction(async (inner) => {
          await inner.insertBatch(newBatch());
        });
        await store.transaction(async (alsoInner) => {
          expect(await alsoInner.listBatches(FUND)).toHaveLength(1);
        });
        throw new Error('outer fails after inner finished');
      }),
    ).rejects.toThrow('outer fails');
    expect(await store.listBatches(FUND)).toEqual([]);
  });

  it('lets a call through the store itself join the open transaction (no deadlock)', async () => {
    const { store } = current();
    await seedFund(store);
    await store.transaction(async (tx) => {
      await tx.insertBatch(newBatch());
      expect(await store.listBatches(FUND)).toHaveLength(1);
    });
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const { store } = current();
    await seedFund(store);
    const leaked = await store.transaction(async (tx) => tx);
    await expect(leaked.listFunds()).rejects.toThrow(/after its transaction ended/);
  });

  it('keeps concurrent transactions apart', async () => {
    const { store } = current();
    await seedFund(store);
    const order: string[] = [];
    const work = (name: string) =>
      store.transaction(async (tx) => {
        order.push(`${name} start`);
        await tx.insertAgreementVersion(agreementVersion({ sourceText: name }));
        await new Promise((resolve) => setTimeout(resolve, 20));
        await tx.listFunds();
        order.push(`${name} end`);
        if (name === 'b') throw new Error('b fails');
      });
    const results = await Promise.allSettled([work('a'), work('b'), work('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.listAgreementVersions(FUND)).map((v) => v.version)).toEqual([1, 2, 3]);
    if (store.dialect === 'sqlite') {
      // one connection: each transaction runs start to end before the next begins
      expect(order).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    }
  });

  it('lets an outside call wait for an open transaction instead of slipping into it', async () => {
    const { store } = current();
    await seedFund(store);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = store.transaction(async (t) => {
      await t.insertBatch(newBatch());
      await held;
      throw new Error('rolled back');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const outside = store.listBatches(FUND); // from another async context
    release();
    await expect(tx).rejects.toThrow('rolled back');
    expect(await outside).toEqual([]);
  });
});
