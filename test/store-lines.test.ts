// Stored lines on both databases: bulk insert round trip (text that COPY must escape, amounts
// near ±2^53), paging, the duplicate-id check of append mode, chunked reading and remapping, and
// what `tandem verify` reads: transaction ids live twice, the lines' digest.

import { expect, it } from 'vitest';
import type { StoredLine } from '../src/store/types.js';
import { FUND, M01, M02, importBatch, linesOf, newBatch, seedFund, storedLine } from './support/fixtures.js';
import { describeEachStore } from './support/stores.js';

const AWKWARD = [
  'tab\there',
  'new\nline and \r\n CRLF',
  'back\\slash \\N \\t',
  '\\N',
  '£ é 漢字 🙂 \u2028',
  '',
  '"quoted", comma',
];

describeEachStore('lines', (current) => {
  it('must be inserted inside a transaction, for a batch that exists', async () => {
    const { store } = current();
    await seedFund(store);
    const batchId = await store.insertBatch(newBatch());
    await expect(store.insertLines(batchId, linesOf(1))).rejects.toThrow(/inside store.transaction/);
    await expect(store.transaction((tx) => tx.insertLines(batchId + 1, linesOf(1)))).rejects.toThrow(/does not exist/);
    expect(await store.getLines(batchId, 0, 10)).toEqual([]);
  });

  it('round-trips every field, including text COPY must escape and extreme amounts', async () => {
    const { store } = current();
    await seedFund(store);
    const lines: StoredLine[] = [
      storedLine(2, { raw: JSON.stringify(AWKWARD), codes: JSON.stringify(['a\tb', 'c\\d']), lineId: 'id\twith\ttabs' }),
      // Its own scheme: the batch's totals per scheme (scheme_totals) must stay within safe pence too.
      storedLine(3, { amountPence: Number.MAX_SAFE_INTEGER, schemeId: 'extreme', raw: AWKWARD.join('|'), codes: '[]', lineId: null }),
      storedLine(4, { amountPence: -Number.MAX_SAFE_INTEGER, status: 'unmapped', schemeId: null, ruleIndex: null }),
      storedLine(5, { amountPence: 0, status: 'out_of_scope', schemeId: 'back\\slash\nscheme', ruleIndex: 7, raw: '\\N' }),
    ];
    const { batchId } = await importBatch(store, lines);
    expect(await store.getLines(batchId, 0, 10)).toEqual(lines);
    expect(JSON.parse((await store.getLines(batchId, 0, 1))[0]!.raw)).toEqual(AWKWARD);
  });

  it('inserts thousands of lines across several calls and pages through them', async () => {
    const { store } = current();
    await seedFund(store);
    const lines = linesOf(2_345, (n) => ({ period: n % 2 === 0 ? M01 : M02 }));
    const batchId = await store.transaction(async (tx) => {
      const id = await tx.insertBatch(newBatch());
      for (let start = 0; start < lines.length; start += 1_000) await tx.insertLines(id, lines.slice(start, start + 1_000));
      await tx.insertLines(id, []);
      return id;
    });
    expect(await store.getLines(batchId, 0, 3_000)).toEqual(lines);
    expect((await store.getLines(batchId, 2_340, 10)).map((line) => line.lineNo)).toEqual([2_342, 2_343, 2_344, 2_345, 2_346]);
  });

  it('finds line ids held in live periods of the ledger only', async () => {
    const { store } = current();
    await seedFund(store);
    // First batch: M01 and M02; the second replaces M02, so ids only in the old M02 are gone.
    await importBatch(store, [storedLine(2, { lineId: 'A1' }), storedLine(3, { lineId: 'OLD-M02', period: M02 })], { sha: '1' });
    await importBatch(store, [storedLine(2, { lineId: 'B1', period: M02 })], { sha: '2' });
    await importBatch(store, [storedLine(2, { lineId: 'NHS1' })], { sha: '3', ledgerId: 'nhs' });
    expect(await store.findLiveLineIds(FUND, 'council', ['A1', 'B1', 'OLD-M02', 'NHS1', 'never', 'A1'])).toEqual(['A1', 'B1']);
    expect(await store.findLiveLineIds(FUND, 'council', [])).toEqual([]);
    expect(await store.findLiveLineIds('plymouth', 'council', ['A1'])).toEqual([]);
  });

  it('checks more line ids than fit in one query', async () => {
    const { store } = current();
    await seedFund(store);
    await importBatch(store, linesOf(30, (n) => ({ lineId: `ID${n * 10_000}` })));
    const asked = Array.from({ length: 12_001 }, (_, i) => `ID${i * 10}`); // ID0 … ID120000
    const found = await store.findLiveLineIds(FUND, 'council', asked);
    expect(found).toEqual(Array.from({ length: 11 }, (_, i) => `ID${(i + 2) * 10_000}`).sort());
  });

  it('does not count the lines of the batch being imported as already held', async () => {
    const { store } = current();
    await seedFund(store);
    await store.transaction(async (tx) => {
      const batchId = await tx.insertBatch(newBatch({ mode: 'append' }));
      await tx.insertLines(batchId, linesOf(3));
      expect(await tx.findLiveLineIds(FUND, 'council', ['TX2', 'TX3'])).toEqual([]);
    });
  });

  it('iterates a batch in line order, chunk by chunk, superseded periods included', async () => {
    const { store } = current();
    await seedFund(store);
    const first = await importBatch(store, linesOf(25, (n) => ({ period: n < 10 ? M01 : M02, amountPence: -n })), { sha: '1' });
    await importBatch(store, linesOf(1, () => ({ period: M02 })), { sha: '2' });
    const chunks: number[][] = [];
    for await (const chunk of store.iterateBatchLines(first.batchId, 10)) chunks.push(chunk.map((line) => line.lineNo));
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
    expect(chunks.flat()).toEqual(linesOf(25).map((line) => line.lineNo));

    const [firstChunk] = await collect(store.iterateBatchLines(first.batchId, 1));
    const expected = storedLine(2, { amountPence: -2 });
    expect(firstChunk).toEqual([
      {
        batchId: first.batchId,
        lineNo: 2,
        period: M01,
        amountPence: -2,
        lineId: expected.lineId,
        codes: expected.codes,
        raw: expected.raw,
        status: 'mapped',
        schemeId: 'reablement',
        ruleIndex: 0,
      },
    ]);
  });

  it('yields no empty chunk when the lines divide evenly, and nothing for an empty batch', async () => {
    const { store } = current();
    await seedFund(store);
    const { batchId } = await importBatch(store, linesOf(20));
    expect((await collect(store.iterateBatchLines(batchId, 10))).map((chunk) => chunk.length)).toEqual([10, 10]);
    const empty = await store.insertBatch(newBatch({ fileSha256: 'empty' }));
    expect(await collect(store.iterateBatchLines(empty, 10))).toEqual([]);
  });

  it('updates line mappings in batches of statements', async () => {
    const { store } = current();
    await seedFund(store);
    const { batchId } = await importBatch(store, linesOf(1_203));
    const updates = linesOf(1_203).map((line, i) => ({
      batchId,
      lineNo: line.lineNo,
      status: i % 3 === 0 ? ('unmapped' as const) : ('mapped' as const),
      schemeId: i % 3 === 0 ? null : `scheme-${i % 7}`,
      ruleIndex: i % 3 === 0 ? null : i % 5,
    }));
    await store.updateLineMappings(updates);
    await store.updateLineMappings([]);
    const stored = await store.getLines(batchId, 0, 2_000);
    expect(stored.map(({ lineNo, status, schemeId, ruleIndex }) => ({ batchId, lineNo, status, schemeId, ruleIndex }))).toEqual(updates);
    expect(stored[5]?.raw).toBe(linesOf(6)[5]?.raw); // nothing else changed
  });

  it('refuses a mapping update for a line that does not exist, changing nothing', async () => {
    const { store } = current();
    await seedFund(store);
    const { batchId } = await importBatch(store, linesOf(2));
    const update = { batchId, status: 'unmapped' as const, schemeId: null, ruleIndex: null };
    await expect(store.updateLineMappings([{ ...update, lineNo: 2 }, { ...update, lineNo: 99 }])).rejects.toThrow(/2 lines but 1 matched/);
    expect((await store.getLines(batchId, 0, 1))[0]?.status).toBe('mapped');
  });

  it('finds transaction ids live twice among append-mode batches, with where, and not across ledgers or superseded periods', async () => {
    const { store } = current();
    await seedFund(store);
    const a = await importBatch(store, [storedLine(2, { lineId: 'TX2' }), storedLine(3, { lineId: 'TX3' })], { sha: '1', mode: 'append' });
    const b = await importBatch(store, [storedLine(2, { lineId: 'TX2' }), storedLine(3, { lineId: 'Y', period: M02 })], { sha: '2', mode: 'append' });
    await importBatch(store, [storedLine(2, { lineId: 'TX3' })], { sha: '3', mode: 'append', ledgerId: 'nhs' });
    expect(await store.duplicateLiveLineIds(FUND, 10)).toEqual([{ ledgerId: 'council', lineId: 'TX2', lines: [{ batchId: a.batchId, lineNo: 2 }, { batchId: b.batchId, lineNo: 2 }] }]);
    expect(await store.duplicateLiveLineIds(FUND, 0)).toEqual([]);
    await store.markPeriodSuperseded(b.batchId, M01, a.batchId);
    expect(await store.duplicateLiveLineIds(FUND, 10)).toEqual([]);
  });

  it('keeps the digest of a batch\'s lines given when it is completed, and none otherwise', async () => {
    const { store } = current();
    await seedFund(store);
    const { batchId } = await importBatch(store, linesOf(3));
    expect(await store.getBatchDigest(batchId)).toBeNull();
    const digest = { sha256: 'd'.repeat(64), blocksJson: '[[0,2,4,3,900,"x"]]' };
    await store.transaction((tx) => tx.completeBatch(batchId, { lineCount: 3, controlTotalPence: 900, digest }));
    expect(await store.getBatchDigest(batchId)).toEqual(digest);
    expect((await store.getBatch(batchId))?.lineCount).toBe(3);
    expect(await store.getBatchDigest(batchId + 1)).toBeNull();
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
