import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OverspendRule, UnderspendRule } from './agreement.js';
import { RiskShareError, shareVariance, type ShareInput } from './risk-share.js';

const gbp = (pounds: number) => pounds * 100;
const base = { partners: ['icb', 'council'], contributionsPence: { icb: gbp(6_000_000), council: gbp(4_000_000) } };
const proportional: OverspendRule = { kind: 'proportional' };
const retain: UnderspendRule = { kind: 'retain' };

describe('risk share (domain.md §7)', () => {
  it('reproduces the worked example: tiered, capped council, excess to the ICB', () => {
    const r = shareVariance({
      ...base,
      variancePence: gbp(600_000),
      overspend: {
        kind: 'tiered',
        bands: [
          { upToPence: gbp(200_000), rule: { kind: 'proportional' } },
          { upToPence: null, rule: { kind: 'fixed', percent: { icb: 50, council: 50 } } },
        ],
        caps: { council: { amountPence: gbp(150_000) } },
      },
      underspend: retain,
    });
    expect(r.sharesPence).toEqual({ icb: gbp(450_000), council: gbp(150_000) });
    expect(r.reasons.council).toEqual([
      { kind: 'rule', rule: 'proportional', band: 1, bandPence: gbp(200_000), sharePence: gbp(80_000) },
      { kind: 'rule', rule: 'fixed', band: 2, bandPence: gbp(400_000), sharePence: gbp(200_000) },
      { kind: 'cap', capPence: gbp(150_000), movedPence: gbp(130_000) },
    ]);
    expect(r.reasons.icb!.at(-1)).toEqual({ kind: 'excess', receivedPence: gbp(130_000), from: 'capped' });
  });

  it('shares an underspend by its own rule, or retains it in the pool', () => {
    const handed = shareVariance({ ...base, variancePence: -1001, overspend: proportional, underspend: { kind: 'fixed', percent: { icb: 50, council: 50 } } });
    expect(handed.sharesPence).toEqual({ icb: -501, council: -500 }); // the odd penny to the partner listed first
    const kept = shareVariance({ ...base, variancePence: -1001, overspend: proportional, underspend: retain });
    expect(kept).toMatchObject({ sharesPence: { icb: 0, council: 0 }, retainedPence: -1001 });
  });

  it('gives everything to the lead partner, and nothing to anyone on a zero variance', () => {
    expect(shareVariance({ ...base, variancePence: 777, overspend: { kind: 'lead', partner: 'council' }, underspend: retain }).sharesPence).toEqual({ icb: 0, council: 777 });
    expect(shareVariance({ ...base, variancePence: 0, overspend: proportional, underspend: retain })).toMatchObject({ sharesPence: { icb: 0, council: 0 }, retainedPence: 0 });
  });

  it('rounds a percentage cap down to the penny', () => {
    const r = shareVariance({
      partners: ['a', 'b'],
      contributionsPence: { a: 333, b: 333 },
      variancePence: 600,
      overspend: { kind: 'proportional', caps: { a: { percentOfContribution: 12.5 } } },
      underspend: retain,
    });
    expect(r.sharesPence.a).toBe(41); // 12.5% of 333p is 41.625p
    expect(r.sharesPence.b).toBe(559);
  });

  it('sends the excess to excess_to when every partner is capped, and refuses without one', () => {
    const overspend: OverspendRule = { kind: 'proportional', caps: { icb: { amountPence: 100 }, council: { amountPence: 100 } }, excessTo: 'council' };
    const r = shareVariance({ ...base, variancePence: 1000, overspend, underspend: retain });
    expect(r.sharesPence).toEqual({ icb: 100, council: 900 });
    expect(() => shareVariance({ ...base, variancePence: 1000, overspend: { ...overspend, excessTo: undefined }, underspend: retain })).toThrow(RiskShareError);
  });

  it('re-shares a capped excess in proportion to what the others already bear, repeatedly', () => {
    const r = shareVariance({
      partners: ['a', 'b', 'c'],
      contributionsPence: { a: 100, b: 100, c: 200 },
      variancePence: 4000,
      overspend: { kind: 'proportional', caps: { a: { amountPence: 500 }, b: { amountPence: 1200 } } },
      underspend: retain,
    });
    // a 1000→500 (500 moves: b +167, c +333 → b 1167, c 2333); nobody else over: done.
    expect(r.sharesPence).toEqual({ a: 500, b: 1167, c: 2333 });
  });

  it('always adds back, never leaves a capped partner over its cap, and zero shares zero (property)', () => {
    const partners = ['p1', 'p2', 'p3'];
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 1, max: 1e11 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 1e11 }), { nil: undefined }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 1e11 }),
        (variance, contributions, capList, bandWidth) => {
          const caps = Object.fromEntries(partners.flatMap((p, i) => (capList[i] === undefined ? [] : [[p, { amountPence: capList[i]! }]])));
          const input: ShareInput = {
            partners,
            contributionsPence: Object.fromEntries(partners.map((p, i) => [p, contributions[i]!])),
            variancePence: variance,
            overspend: {
              kind: 'tiered',
              bands: [
                { upToPence: bandWidth, rule: { kind: 'proportional' } },
                { upToPence: null, rule: { kind: 'fixed', percent: { p1: 33.33, p2: 33.33, p3: 33.34 } } },
              ],
              caps,
              excessTo: 'p3',
            },
            underspend: { kind: 'proportional' },
          };
          const r = shareVariance(input);
          expect(Object.values(r.sharesPence).reduce((a, b) => a + b, 0) + r.retainedPence).toBe(variance);
          for (const [p, cap] of Object.entries(caps)) {
            const allCapped = Object.keys(caps).length === 3;
            if (!(allCapped && p === 'p3')) expect(r.sharesPence[p]!).toBeLessThanOrEqual(Math.max(cap.amountPence, 0));
          }
          if (variance === 0) expect(Object.values(r.sharesPence).every((s) => s === 0)).toBe(true);
        },
      ),
    );
  });
});
