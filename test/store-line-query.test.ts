// The drill-down query (Store.queryLiveLines) on both databases, against a reference worked out
// here from the lines themselves: every page of every sort, direction and filter gives exactly
// the lines the reference order gives, with the same total and per-ledger sums. The pages sorted
// by period or line are found by skipping whole segments (a live batch-period, or a batch) by
// their counts in the totals, so the fund has several batches per ledger, a superseded period,
// lines of other schemes and statuses in between, and pages that cross segments.

import { describe, expect, it } from 'vitest';
import { segments, type PeriodTotal } from '../src/store/line-query.js';
import type { LiveLinesFilter, LiveLinesPage, LiveLinesSort, StoredLine } from '../src/store/types.js';
import { FUND, M01, M02, M03, M04, importBatch, seedFund, storedLine } from './support/fixtures.js';
import { describeEachStore } from './support/stores.js';

interface Held {
  batchId: number;
  ledgerId: string;
  line: StoredLine;
}

/** Lines with periods, schemes, statuses and amounts mixed (some amounts equal), by a fixed rule. */
function mixed(count: number, seed: number, periods: readonly number[]): StoredLine[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i * 7 + seed;
    const scheme = n % 5 === 0 ? 'other' : 'care';
    const status = n % 11 === 0 ? 'unmapped' : 'mapped';
    return storedLine(i + 2, {
      period: periods[(n * 13) % periods.length]!,
      amountPence: ((n * 37) % 41) * 100 - 1_500,
      status,
      schemeId: status === 'unmapped' ? null : scheme,
      codes: JSON.stringify([`CC${n % 3}`, `S${n % 4}`]),
    });
  });
}

function compare(a: Held, b: Held, page: Pick<LiveLinesPage, 'sort' | 'direction'>): number {
  const s = page.direction === 'desc' ? -1 : 1;
  switch (page.sort) {
    case 'period':
      return s * (a.line.period - b.line.period || a.batchId - b.batchId || a.line.lineNo - b.line.lineNo);
    case 'line':
      return s * (a.batchId - b.batchId || a.line.lineNo - b.line.lineNo);
    case 'amount':
      return s * (a.line.amountPence - b.line.amountPence) || a.batchId - b.batchId || a.line.lineNo - b.line.lineNo;
  }
}

function matches(h: Held, filter: LiveLinesFilter): boolean {
  const l = h.line;
  const code = filter.codeContains?.toLowerCase();
  return (
    (filter.ledgerIds === undefined || filter.ledgerIds.includes(h.ledgerId)) &&
    (filter.schemeId === undefined || l.schemeId === filter.schemeId) &&
    (filter.status === undefined || l.status === filter.status) &&
    (filter.fromPeriod === undefined || l.period >= filter.fromPeriod) &&
    (filter.toPeriod === undefined || l.period <= filter.toPeriod) &&
    (code === undefined || (JSON.parse(l.codes) as string[]).some((c) => c.toLowerCase().includes(code)))
  );
}

describeEachStore('drill-down lines', (current) => {
  async function fund(): Promise<Held[]> {
    const { store } = current();
    await seedFund(store);
    const live: Held[] = [];
    const add = async (ledgerId: string, sha: string, lines: StoredLine[]) => {
      const { batchId, superseded } = await importBatch(store, lines, { ledgerId, sha });
      for (const s of superseded) live.splice(0, live.length, ...live.filter((h) => !(h.batchId === s.batchId && h.line.period === s.period)));
      live.push(...lines.map((line) => ({ batchId, ledgerId, line })));
    };
    await add('council', '1', mixed(140, 1, [M01, M02, M03])); // its M02 is superseded by the next
    await add('council', '2', mixed(60, 2, [M02]));
    await add('nhs', '3', mixed(90, 3, [M01, M02, M03, M04]));
    await add('nhs', '4', mixed(35, 4, [M04 + 1])); // a period after the range asked below
    return live;
  }

  it('gives every page in the reference order, with the total and per-ledger sums', async () => {
    const { store } = current();
    const live = await fund();
    const filters: LiveLinesFilter[] = [
      { fundId: FUND, schemeId: 'care', status: 'mapped', fromPeriod: M01, toPeriod: M04 },
      { fundId: FUND, schemeId: 'care', status: 'mapped', fromPeriod: M02, toPeriod: M02 },
      { fundId: FUND, schemeId: 'care', status: 'mapped', fromPeriod: M01, toPeriod: M04, ledgerIds: ['nhs'] },
      { fundId: FUND, schemeId: 'care', status: 'mapped', fromPeriod: M01, toPeriod: M04, codeContains: 'cc1' },
      { fundId: FUND, fromPeriod: M01, toPeriod: M04 },
    ];
    const sorts: [LiveLinesSort, 'asc' | 'desc'][] = [
      ['period', 'asc'],
      ['period', 'desc'],
      ['line', 'asc'],
      ['line', 'desc'],
      ['amount', 'asc'],
      ['amount', 'desc'],
    ];
    for (const filter of filters) {
      const expected = live.filter((h) => matches(h, filter));
      const byLedger = ['council', 'nhs']
        .map((ledgerId) => {
          const own = expected.filter((h) => h.ledgerId === ledgerId);
          return { ledgerId, lineCount: own.length, amountPence: own.reduce((n, h) => n + h.line.amountPence, 0) };
        })
        .filter((l) => l.lineCount > 0);
      for (const [sort, direction] of sorts) {
        const order = [...expected].sort((a, b) => compare(a, b, { sort, direction })).map((h) => [h.batchId, h.line.lineNo]);
        for (const [offset, limit] of [
          [0, 17],
          [17, 17],
          [40, 33],
          [order.length - 5, 17],
          [0, 1_000],
        ] as const) {
          const where = `${JSON.stringify(filter)} by ${sort} ${direction}, ${offset}+${limit}`;
          const result = await store.queryLiveLines(filter, { sort, direction, offset: Math.max(0, offset), limit });
          expect(result.total, where).toBe(expected.length);
          expect(result.byLedger, where).toEqual(byLedger);
          expect(
            result.rows.map((r) => [r.batchId, r.lineNo]),
            where,
          ).toEqual(order.slice(Math.max(0, offset), Math.max(0, offset) + limit));
        }
      }
    }
  });

  it('gives each row its ledger and its batch header, and no rows past the end', async () => {
    const { store } = current();
    await fund();
    const filter: LiveLinesFilter = { fundId: FUND, schemeId: 'care', status: 'mapped', fromPeriod: M01, toPeriod: M04 };
    const page = await store.queryLiveLines(filter, { sort: 'period', direction: 'asc', offset: 0, limit: 1_000 });
    expect(new Set(page.rows.map((r) => r.ledgerId))).toEqual(new Set(['council', 'nhs']));
    for (const row of page.rows) expect(row.header).toEqual(['Cost Centre', 'Subjective', 'Amount']);
    expect((await store.queryLiveLines(filter, { sort: 'line', direction: 'asc', offset: page.total, limit: 50 })).rows).toEqual([]);
    expect((await store.queryLiveLines({ ...filter, ledgerIds: [] }, { sort: 'line', direction: 'asc', offset: 0, limit: 50 })).total).toBe(0);
  });
});

describe('drill-down segments', () => {
  const totals: PeriodTotal[] = [
    { batchId: 2, period: M01, lineCount: 3, amountPence: 0 },
    { batchId: 1, period: M02, lineCount: 4, amountPence: 0 },
    { batchId: 1, period: M01, lineCount: 5, amountPence: 0 },
  ];

  it('orders live batch-periods by period then batch, and reverses them all for descending', () => {
    const asc = segments(totals, { sort: 'period', direction: 'asc' });
    expect(asc.map((s) => [s.periods, s.batchId, s.lineCount])).toEqual([
      [[M01], 1, 5],
      [[M01], 2, 3],
      [[M02], 1, 4],
    ]);
    expect(segments(totals, { sort: 'period', direction: 'desc' })).toEqual([...asc].reverse());
  });

  it('makes one segment per batch for the line order, with all its periods and lines', () => {
    expect(segments(totals, { sort: 'line', direction: 'asc' })).toEqual([
      { batchId: 1, periods: [M02, M01], lineCount: 9 },
      { batchId: 2, periods: [M01], lineCount: 3 },
    ]);
    expect(segments(totals, { sort: 'line', direction: 'desc' }).map((s) => s.batchId)).toEqual([2, 1]);
    expect(() => segments(totals, { sort: 'amount', direction: 'asc' })).toThrow(/not a segment order/);
  });
});
