// Live totals on both databases: grouping, filters, ordering, and what a replaced period does.

import { expect, it } from 'vitest';
import type { LiveTotalRow, StoredLine } from '../src/store/types.js';
import { FUND, M01, M02, M03, importBatch, seedFund, storedLine } from './support/fixtures.js';
import { describeEachStore } from './support/stores.js';

function line(lineNo: number, overrides: Partial<StoredLine>): StoredLine {
  return storedLine(lineNo, overrides);
}

describeEachStore('live totals', (current) => {
  async function seedTwoLedgers() {
    const { store } = current();
    await seedFund(store);
    await seedFund(store, 'plymouth');
    await importBatch(
      store,
      [
        line(2, { period: M01, amountPence: 1_000, schemeId: 'reablement', codes: '["C1"]' }),
        line(3, { period: M01, amountPence: 500, schemeId: 'reablement', codes: '["C2"]' }),
        line(4, { period: M02, amountPence: 250, status: 'unmapped', schemeId: null, ruleIndex: null, codes: '["C9"]' }),
        line(5, { period: M02, amountPence: -100, schemeId: 'carers', codes: '["C1"]' }),
        line(6, { period: M03, amountPence: 7, status: 'out_of_scope', schemeId: null, codes: '["C1"]' }),
      ],
      { sha: 'council' },
    );
    await importBatch(store, [line(2, { period: M01, amountPence: 40, schemeId: 'carers', codes: '["N1"]' })], {
      sha: 'nhs',
      ledgerId: 'nhs',
    });
    await importBatch(store, [line(2, { period: M01, amountPence: 999_999 })], { sha: 'other fund', fundId: 'plymouth' });
    return store;
  }

  const shape = (rows: LiveTotalRow[]) => rows.map((r) => [r.ledgerId, r.period, r.status, r.schemeId, r.codes, r.lineCount, r.amountPence]);

  it('groups by every dimension, sorted, unmapped (no scheme) last', async () => {
    const store = await seedTwoLedgers();
    expect(shape(await store.liveTotals({ fundId: FUND }, ['ledger', 'period', 'status', 'scheme', 'codes']))).toEqual([
      ['council', M01, 'mapped', 'reablement', '["C1"]', 1, 1_000],
      ['council', M01, 'mapped', 'reablement', '["C2"]', 1, 500],
      ['council', M02, 'mapped', 'carers', '["C1"]', 1, -100],
      ['council', M02, 'unmapped', null, '["C9"]', 1, 250],
      ['council', M03, 'out_of_scope', null, '["C1"]', 1, 7],
      ['nhs', M01, 'mapped', 'carers', '["N1"]', 1, 40],
    ]);
  });

  it('gives placeholders for dimensions not grouped by', async () => {
    const store = await seedTwoLedgers();
    expect(shape(await store.liveTotals({ fundId: FUND }, ['scheme']))).toEqual([
      ['', 0, '', 'carers', '', 2, -60],
      ['', 0, '', 'reablement', '', 2, 1_500],
      ['', 0, '', null, '', 2, 257],
    ]);
    expect(shape(await store.liveTotals({ fundId: FUND }, []))).toEqual([['', 0, '', null, '', 6, 1_697]]);
  });

  it('filters by ledger, period range and status', async () => {
    const store = await seedTwoLedgers();
    expect(shape(await store.liveTotals({ fundId: FUND, ledgerId: 'nhs' }, ['ledger']))).toEqual([['nhs', 0, '', null, '', 1, 40]]);
    expect(shape(await store.liveTotals({ fundId: FUND, fromPeriod: M02, toPeriod: M03 }, ['period']))).toEqual([
      ['', M02, '', null, '', 2, 150],
      ['', M03, '', null, '', 1, 7],
    ]);
    expect(shape(await store.liveTotals({ fundId: FUND, status: 'unmapped' }, ['ledger', 'codes', 'period']))).toEqual([
      ['council', M02, '', null, '["C9"]', 1, 250],
    ]);
    expect(await store.liveTotals({ fundId: FUND, toPeriod: M01 - 1 }, [])).toEqual([]);
    expect(await store.liveTotals({ fundId: 'nobody' }, ['ledger'])).toEqual([]);
  });

  it('counts a replaced period once, from the batch that replaced it', async () => {
    const store = await seedTwoLedgers();
    await importBatch(store, [line(2, { period: M02, amountPence: 3, schemeId: 'carers', codes: '["C1"]' })], { sha: 'council M02 again' });
    expect(shape(await store.liveTotals({ fundId: FUND, ledgerId: 'council' }, ['period']))).toEqual([
      ['', M01, '', null, '', 2, 1_500],
      ['', M02, '', null, '', 1, 3],
      ['', M03, '', null, '', 1, 7],
    ]);
  });

  it('reads back sums near the largest amount exactly', async () => {
    const { store } = current();
    await seedFund(store);
    const big = Number.MAX_SAFE_INTEGER - 1;
    await importBatch(store, [line(2, { amountPence: big }), line(3, { amountPence: 1, codes: '["x"]' }), line(4, { amountPence: -big, period: M02 })]);
    expect(shape(await store.liveTotals({ fundId: FUND }, ['period']))).toEqual([
      ['', M01, '', null, '', 2, Number.MAX_SAFE_INTEGER],
      ['', M02, '', null, '', 1, -big],
    ]);
  });

  it('fails loudly rather than round a sum beyond 2^53', async () => {
    const { store } = current();
    await seedFund(store);
    await importBatch(store, [line(2, { amountPence: Number.MAX_SAFE_INTEGER })], { sha: 'council' });
    await importBatch(store, [line(2, { amountPence: 2 })], { sha: 'nhs', ledgerId: 'nhs' });
    await expect(store.liveTotals({ fundId: FUND }, [])).rejects.toThrow(/safe integer/);
  });

  it('replaces the totals of a batch', async () => {
    const { store } = current();
    await seedFund(store);
    const { batchId } = await importBatch(store, [line(2, {})]);
    await store.replaceLineTotals(batchId, [{ period: M01, status: 'unmapped', schemeId: null, codes: '[]', lineCount: 1, amountPence: 200 }]);
    expect(shape(await store.liveTotals({ fundId: FUND }, ['status']))).toEqual([['', 0, 'unmapped', null, '', 1, 200]]);
    await store.replaceLineTotals(batchId, []);
    expect(await store.liveTotals({ fundId: FUND }, ['status'])).toEqual([]);
  });
});
