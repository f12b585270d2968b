// The audit log page's query (Store.queryAudit, auditFacets) on both databases: the fund scope
// (one fund's events, plus events of no fund only when asked), exact action and actor filters,
// a half-open time range, newest-first pages with LIMIT/OFFSET and the count over all pages —
// checked against the plain listAudit, which the chain verification keeps reading.

import { expect, it } from 'vitest';
import { findChainBreak } from '../src/store/audit-hash.js';
import type { AuditEvent, AuditEventInput, Store } from '../src/store/types.js';
import { describeEachStore } from './support/stores.js';

const ACTIONS = ['import.batch', 'close', 'reopen', 'user.add'] as const;
const ACTORS = ['fo@icb.example', 'approver@icb.example', 'Zed', 'ällo@council.example'] as const;

/** Event n: fund tiny for most, other for every 7th, none for every 5th; a day and an hour from n. */
function event(n: number): AuditEventInput {
  const fundId = n % 5 === 0 ? null : n % 7 === 0 ? 'other' : 'tiny';
  const day = String(1 + (n % 28)).padStart(2, '0');
  const hour = String(n % 24).padStart(2, '0');
  return {
    fundId,
    actor: ACTORS[n % ACTORS.length]!,
    action: ACTIONS[n % ACTIONS.length]!,
    subject: `n:${n}`,
    details: { n, text: '<b>£</b>' },
    inputSha256: null,
    at: `2025-06-${day}T${hour}:00:00.000Z`,
  };
}

async function append(store: Store, count: number): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for (let n = 1; n <= count; n++) out.push(await store.appendAudit(event(n)));
  return out;
}

const ns = (events: AuditEvent[]) => events.map((e) => e.details.n as number);

describeEachStore('audit log query', (current) => {
  it('scopes to one fund, adds events of no fund only when asked, and without a fund lists every event', async () => {
    const { store } = current();
    const all = await append(store, 40);
    const page = { offset: 0, limit: 100 };
    const newest = (keep: (e: AuditEvent) => boolean) => ns(all.filter(keep).reverse());
    const tiny = await store.queryAudit({ fundId: 'tiny' }, page);
    expect(ns(tiny.events)).toEqual(newest((e) => e.fundId === 'tiny'));
    expect(tiny.total).toBe(tiny.events.length);
    expect(ns((await store.queryAudit({ fundId: 'tiny', withoutFund: true }, page)).events)).toEqual(newest((e) => e.fundId === 'tiny' || e.fundId === null));
    expect(ns((await store.queryAudit({ fundId: 'other' }, page)).events)).toEqual([28, 21, 14, 7]); // 35 is a multiple of 5 too: no fund;
    expect(ns((await store.queryAudit({}, page)).events)).toEqual(newest(() => true));
    expect(await store.queryAudit({ fundId: 'nope' }, page)).toEqual({ total: 0, events: [] });
    // Read back whole: the same events, hashes and all, as the chain's own listing.
    expect((await store.queryAudit({}, page)).events).toEqual([...(await store.listAudit({}))].reverse());
  });

  it('filters by exact action and actor, and by a half-open time range, combined with the fund', async () => {
    const { store } = current();
    const all = await append(store, 60);
    const page = { offset: 0, limit: 1000 };
    const expectQuery = async (query: Parameters<Store['queryAudit']>[0], keep: (e: AuditEvent) => boolean) => {
      const result = await store.queryAudit(query, page);
      const expected = ns(all.filter(keep).reverse());
      expect(ns(result.events), JSON.stringify(query)).toEqual(expected);
      expect(result.total, JSON.stringify(query)).toBe(expected.length);
      expect(expected.length, `${JSON.stringify(query)} should match something`).toBeGreaterThan(0);
    };
    await expectQuery({ action: 'reopen' }, (e) => e.action === 'reopen');
    await expectQuery({ actor: 'ällo@council.example' }, (e) => e.actor === 'ällo@council.example');
    await expectQuery({ fundId: 'tiny', action: 'close', actor: 'approver@icb.example' }, (e) => e.fundId === 'tiny' && e.action === 'close' && e.actor === 'approver@icb.example');
    const since = '2025-06-10T00:00:00.000Z';
    const before = '2025-06-12T00:00:00.000Z';
    await expectQuery({ since }, (e) => e.at >= since);
    await expectQuery({ before }, (e) => e.at < before);
    await expectQuery({ fundId: 'tiny', withoutFund: true, since, before }, (e) => (e.fundId === 'tiny' || e.fundId === null) && e.at >= since && e.at < before);
    // The bounds: `since` is inclusive and `before` exclusive, to the millisecond.
    const exact = all[9]!.at;
    expect(ns((await store.queryAudit({ since: exact, before: exact }, page)).events)).toEqual([]);
    expect((await store.queryAudit({ since: exact, before: `${exact.slice(0, -4)}001Z` }, page)).events.every((e) => e.at === exact)).toBe(true);
    // Exact, not a pattern or case-folded: no LIKE wildcards, no partial matches.
    for (const query of [{ action: 'reopen%' }, { action: 'REOPEN' }, { actor: 'fo@icb' }, { actor: '%' }]) expect((await store.queryAudit(query, page)).total, JSON.stringify(query)).toBe(0);
  });

  it('pages newest first with LIMIT and OFFSET, the count covering every page', async () => {
    const { store } = current();
    const all = await append(store, 250);
    const expected = ns(all.filter((e) => e.fundId === 'tiny').reverse());
    const seen: number[] = [];
    for (let offset = 0; offset < expected.length; offset += 40) {
      const result = await store.queryAudit({ fundId: 'tiny' }, { offset, limit: 40 });
      expect(result.total).toBe(expected.length);
      expect(result.events.length).toBe(Math.min(40, expected.length - offset));
      seen.push(...ns(result.events));
    }
    expect(seen).toEqual(expected);
    expect(await store.queryAudit({ fundId: 'tiny' }, { offset: expected.length, limit: 40 })).toEqual({ total: expected.length, events: [] });
    expect(await store.queryAudit({ fundId: 'tiny' }, { offset: 0, limit: 0 })).toEqual({ total: expected.length, events: [] });
    for (const page of [{ offset: -1, limit: 10 }, { offset: 0, limit: -1 }, { offset: 0.5, limit: 10 }, { offset: 0, limit: 1001 }]) {
      await expect(store.queryAudit({}, page), JSON.stringify(page)).rejects.toThrow(/audit (offset|page size)/);
    }
    expect(findChainBreak(await store.listAudit({}))).toBeUndefined(); // reading pages leaves the chain as it was
  });

  it('lists the distinct actions and actors of a fund scope, in the same order on both databases', async () => {
    const { store } = current();
    const all = await append(store, 30);
    const facets = (keep: (e: AuditEvent) => boolean) => ({
      actions: [...new Set(all.filter(keep).map((e) => e.action))].sort(),
      actors: [...new Set(all.filter(keep).map((e) => e.actor))].sort(),
    });
    expect(await store.auditFacets({})).toEqual({ actions: ['close', 'import.batch', 'reopen', 'user.add'], actors: ['Zed', 'approver@icb.example', 'fo@icb.example', 'ällo@council.example'] });
    expect(await store.auditFacets({ fundId: 'tiny' })).toEqual(facets((e) => e.fundId === 'tiny'));
    expect(await store.auditFacets({ fundId: 'other' })).toEqual(facets((e) => e.fundId === 'other'));
    expect(await store.auditFacets({ fundId: 'other', withoutFund: true })).toEqual(facets((e) => e.fundId === 'other' || e.fundId === null));
    expect(await store.auditFacets({ fundId: 'nope' })).toEqual({ actions: [], actors: [] });
  });
});
