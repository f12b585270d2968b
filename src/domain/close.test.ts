import { describe, expect, it } from 'vitest';
import type { OverspendRule, RiskShare, Scheme } from './agreement.js';
import { ragStatus, type Figures } from './close-figures.js';
import { agreement, closeInput, gbp, months, partner, pool, scheme } from './close-fixtures.test-support.js';
import { computeClose, type CloseComputation } from './close.js';

const icb = partner('icb', 'icb', 'NHS Example ICB');
const council = partner('council', 'council', 'Example Council');
const partners = [icb, council];

const proportional: RiskShare = { overspend: { kind: 'proportional' }, underspend: { kind: 'proportional' } };
const workedOverspend: OverspendRule = {
  kind: 'tiered',
  bands: [
    { upToPence: gbp(200_000), rule: { kind: 'proportional' } },
    { upToPence: null, rule: { kind: 'fixed', percent: { icb: 50, council: 50 } } },
  ],
  caps: { council: { amountPence: gbp(150_000) } },
};
const worked: RiskShare = { overspend: workedOverspend, underspend: { kind: 'retain' } };

const schemeOf = (c: CloseComputation, id: string) => c.schemes.find((s) => s.id === id)!;
const poolOf = (c: CloseComputation, id: string) => c.pools.find((p) => p.id === id)!;
const unitOf = (c: CloseComputation, id: string) => c.units.find((u) => u.id === id)!;

describe('computeClose: the domain.md §7 worked example', () => {
  const asrContributions = { icb: gbp(6_000_000), council: gbp(4_000_000) };
  // FOT £10,600,000 at M12: £10,000,000 recorded in the host's ledger, £600,000 in the ICB's.
  const actuals = { asr: { council: months(gbp(10_000_000), 12), icb: months(gbp(600_000), 12) } };
  const variants = [
    { name: 'a pool without netting, the scheme stating its own rule', unit: 'scheme:asr', netting: false },
    { name: 'a netted pool holding only that scheme', unit: 'pool:bcf', netting: true },
  ];

  for (const v of variants) {
    it(`shares £600,000 as ICB £450,000 / council £150,000 in ${v.name}`, () => {
      const asr = scheme('asr', 'bcf', asrContributions, { name: 'Active Support and Recovery', riskShare: v.netting ? null : worked });
      const a = agreement({ partners, pools: [pool('bcf', 'council', v.netting, v.netting ? worked : null)], schemes: [asr] });
      const c = computeClose(closeInput(a, 12, { actuals }));
      const s = schemeOf(c, 'asr');
      expect(s).toMatchObject({ annualBudgetPence: gbp(10_000_000), fotPence: gbp(10_600_000), fotVariancePence: gbp(600_000), fotBasis: 'actual', sharingUnit: v.unit });
      const unit = unitOf(c, v.unit);
      expect(unit.variancePence).toBe(gbp(600_000));
      expect(unit.sharesPence).toEqual({ icb: gbp(450_000), council: gbp(150_000) });
      expect(unit.retainedPence).toBe(0);
      expect(poolOf(c, 'bcf').sharesPence).toEqual({ icb: gbp(450_000), council: gbp(150_000) });
      expect(s.sharesPence).toEqual(v.netting ? {} : { icb: gbp(450_000), council: gbp(150_000) });

      const data = unit.reasons.map((r) => ({ ...r, text: undefined }));
      expect(data).toEqual([
        { kind: 'rule', rule: 'proportional', band: 1, bandPence: gbp(200_000), sharePence: gbp(120_000), partner: 'icb', unit: v.unit, text: undefined },
        { kind: 'rule', rule: 'fixed', band: 2, bandPence: gbp(400_000), sharePence: gbp(200_000), partner: 'icb', unit: v.unit, text: undefined },
        { kind: 'excess', receivedPence: gbp(130_000), from: 'capped', partner: 'icb', unit: v.unit, text: undefined },
        { kind: 'rule', rule: 'proportional', band: 1, bandPence: gbp(200_000), sharePence: gbp(80_000), partner: 'council', unit: v.unit, text: undefined },
        { kind: 'rule', rule: 'fixed', band: 2, bandPence: gbp(400_000), sharePence: gbp(200_000), partner: 'council', unit: v.unit, text: undefined },
        { kind: 'cap', capPence: gbp(150_000), movedPence: gbp(130_000), partner: 'council', unit: v.unit, text: undefined },
      ]);
      const texts = unit.reasons.map((r) => r.text);
      // The sentences name the band, the rule, the cap and the amounts (exact wording is explain.ts's).
      expect(texts[3]).toMatch(/^Example Council bears £80,000\.00 of band 1 \(.*£200,000\.00 of the overspend\), shared in proportion to contributions/);
      expect(texts[3]).toContain('£4,000,000.00 of £10,000,000.00');
      expect(texts[4]).toMatch(/^Example Council bears £200,000\.00 of band 2 \(.*£400,000\.00 of the overspend\), shared by the fixed percentages/);
      expect(texts[5]).toMatch(/^Example Council is capped at £150,000\.00 .*£130,000\.00 above its cap/);
      expect(texts[2]).toMatch(/^NHS Example ICB takes £130,000\.00 that capped partners cannot bear/);

      // At M12 the ICB's £450,000 is settled: an extra contribution to the host.
      const settlement = c.journals.filter((j) => j.kind === 'settlement' && j.partner === 'icb');
      expect(settlement).toHaveLength(1);
      expect(settlement[0]!.lines.find((l) => l.role === 'creditor')!.creditPence).toBe(gbp(450_000));
    });
  }
});

describe('computeClose: caps in a unit some partners do not share in (§7)', () => {
  it('sends what every capped partner of the unit cannot take to excess_to, not to a partner outside the unit', () => {
    // The trust is a partner of the agreement but contributes nothing to asr; both contributors are capped.
    const rule: RiskShare = {
      overspend: { kind: 'proportional', caps: { icb: { amountPence: gbp(100_000) }, council: { amountPence: gbp(100_000) } }, excessTo: 'icb' },
      underspend: { kind: 'retain' },
    };
    const schemes = [scheme('asr', 'bcf', { icb: gbp(6_000_000), council: gbp(4_000_000) })];
    const a = agreement({ partners: [...partners, partner('trust', 'trust')], pools: [pool('bcf', 'council', false, rule)], schemes });
    const c = computeClose(closeInput(a, 6, { leadForecasts: { asr: gbp(10_600_000) } }));
    const unit = unitOf(c, 'scheme:asr');
    expect(unit.sharesPence).toEqual({ icb: gbp(500_000), council: gbp(100_000) });
    expect(unit.reasons.filter((r) => r.kind === 'excess')).toEqual([expect.objectContaining({ partner: 'icb', receivedPence: gbp(400_000), from: 'all-capped' })]);
  });

  it('re-shares a capped excess only among the partners bearing or contributing to the unit', () => {
    const rule: RiskShare = { overspend: { kind: 'proportional', caps: { council: { percentOfContribution: 2.5 } } }, underspend: { kind: 'retain' } };
    const schemes = [scheme('asr', 'bcf', { icb: gbp(6_000_000), council: gbp(4_000_000) })];
    const a = agreement({ partners: [partner('trust', 'trust'), ...partners], pools: [pool('bcf', 'council', false, rule)], schemes });
    const c = computeClose(closeInput(a, 6, { leadForecasts: { asr: gbp(10_600_000) } }));
    // Council: 40% of £600,000 = £240,000, capped at 2.5% of £4,000,000 = £100,000; the ICB takes the £140,000.
    expect(unitOf(c, 'scheme:asr').sharesPence).toEqual({ icb: gbp(500_000), council: gbp(100_000) });
  });
});

describe('computeClose: budget phasing and forecast outturn (§§4, 6)', () => {
  it('phases equally by largest remainder, adds YTD budget and forecasts on plan from here', () => {
    const a = agreement({ partners, pools: [pool('bcf', 'council', false, proportional)], schemes: [scheme('asr', 'bcf', { icb: 600_000_001, council: 400_000_000 })] });
    const m3 = schemeOf(computeClose(closeInput(a, 3, { actuals: { asr: { council: months(240_000_000, 3) } } })), 'asr');
    // 1,000,000,001p = 12 × 83,333,333p + 5p: M01..M05 carry the odd pence.
    expect(m3).toMatchObject({
      annualBudgetPence: 1_000_000_001,
      monthBudgetPence: 83_333_334,
      ytdBudgetPence: 250_000_002,
      monthActualPence: 80_000_000,
      ytdActualPence: 240_000_000,
      ytdVariancePence: -10_000_002,
      fotPence: 240_000_000 + 749_999_999,
      fotVariancePence: -10_000_002,
      fotBasis: 'plan',
    });
    const m6 = schemeOf(computeClose(closeInput(a, 6, { actuals: { asr: { council: months(480_000_000, 6) } } })), 'asr');
    expect(m6).toMatchObject({ monthBudgetPence: 83_333_333, ytdBudgetPence: 500_000_003, fotPence: 480_000_000 + 499_999_998 });
  });

  it('forecasts a run rate to the nearest penny, halves away from zero', () => {
    const run = (id: string): Scheme => scheme(id, 'bcf', { icb: gbp(1_000_000), council: 0 }, { fotMethod: 'run_rate' });
    const a = agreement({ partners, pools: [pool('bcf', 'council', false, proportional)], schemes: ['up', 'down', 'exact'].map(run) });
    const m8 = computeClose(closeInput(a, 8, { actuals: { up: { icb: months(100_000_001, 8) }, down: { icb: months(-100_000_001, 8) }, exact: { icb: months(100_000_002, 8) } } }));
    expect(schemeOf(m8, 'up')).toMatchObject({ fotPence: 150_000_002, fotBasis: 'run_rate' }); // 150,000,001.5
    expect(schemeOf(m8, 'down').fotPence).toBe(-150_000_002); // -150,000,001.5, away from zero
    expect(schemeOf(m8, 'exact').fotPence).toBe(150_000_003);
    const m7 = computeClose(closeInput(a, 7, { actuals: { up: { icb: months(70_000_004, 7) }, down: { icb: months(70_000_003, 7) } } }));
    expect(schemeOf(m7, 'up').fotPence).toBe(120_000_007); // 120,000,006.857…
    expect(schemeOf(m7, 'down').fotPence).toBe(120_000_005); // 120,000,005.142…
  });

  it("takes a lead's forecast for its month only, and the actual at M12", () => {
    const schemes = [scheme('plan', 'bcf', { icb: gbp(1_200_000), council: gbp(1_200) }), scheme('rate', 'bcf', { icb: gbp(1_200_000), council: 0 }, { fotMethod: 'run_rate' })];
    const a = agreement({ partners, pools: [pool('bcf', 'council', false, proportional)], schemes });
    const m5 = computeClose(closeInput(a, 5, { actuals: { plan: { council: months(gbp(600_000), 5) } }, leadForecasts: { plan: gbp(1_500_000), rate: 7 } }));
    expect(schemeOf(m5, 'plan')).toMatchObject({ fotPence: gbp(1_500_000), fotVariancePence: gbp(1_500_000) - gbp(1_201_200), fotBasis: 'lead' });
    expect(schemeOf(m5, 'rate')).toMatchObject({ fotPence: 7, fotBasis: 'lead' });
    const m6 = computeClose(closeInput(a, 6, { actuals: { plan: { council: months(gbp(600_000), 6) } } }));
    expect(schemeOf(m6, 'plan')).toMatchObject({ fotPence: gbp(600_000) + gbp(600_600), fotBasis: 'plan' });
    const actuals = { plan: { council: months(gbp(1_000_000), 12) }, rate: { icb: months(gbp(1_300_000), 12) } };
    const m12 = computeClose(closeInput(a, 12, { actuals }));
    expect(schemeOf(m12, 'plan')).toMatchObject({ fotPence: gbp(1_000_000), fotBasis: 'actual', ytdActualPence: gbp(1_000_000) });
    expect(schemeOf(m12, 'rate')).toMatchObject({ fotPence: gbp(1_300_000), fotBasis: 'actual' });
    const m12lead = computeClose(closeInput(a, 12, { actuals, leadForecasts: { rate: gbp(1) } }));
    expect(schemeOf(m12lead, 'rate')).toMatchObject({ fotPence: gbp(1), fotBasis: 'lead' });
  });
});

describe('computeClose: netting (§7)', () => {
  // A underspends £100,000, B overspends £250,000, contingency C (£120,000, no spend) underspends it all.
  const schemes = [
    scheme('a', 'bcf', { icb: gbp(600_000), council: gbp(600_000) }),
    scheme('b', 'bcf', { icb: gbp(900_000), council: gbp(300_000) }),
    scheme('c', 'bcf', { icb: gbp(60_000), council: gbp(60_000) }),
  ];
  const actuals = { a: { council: months(gbp(1_100_000), 12) }, b: { council: months(gbp(1_450_000), 12) } };

  it('shares the net variance of the pool, the contingency absorbing overspend', () => {
    const c = computeClose(closeInput(agreement({ partners, pools: [pool('bcf', 'council', true, proportional)], schemes }), 12, { actuals }));
    expect(['a', 'b', 'c'].map((id) => schemeOf(c, id).fotVariancePence)).toEqual([gbp(-100_000), gbp(250_000), gbp(-120_000)]);
    expect(c.units.map((u) => u.id)).toEqual(['pool:bcf']);
    const unit = unitOf(c, 'pool:bcf');
    expect(unit).toMatchObject({ variancePence: gbp(30_000), schemes: ['a', 'b', 'c'], contributionsPence: { icb: gbp(1_560_000), council: gbp(960_000) } });
    // £30,000 × 156/252 = £18,571.428…: the odd penny to the ICB, whose remainder is larger.
    expect(unit.sharesPence).toEqual({ icb: 1_857_143, council: 1_142_857 });
    for (const id of ['a', 'b', 'c']) expect(schemeOf(c, id)).toMatchObject({ sharingUnit: 'pool:bcf', sharesPence: {}, retainedPence: 0, reasons: [] });
    const p = poolOf(c, 'bcf');
    expect(p.fotVariancePence).toBe(gbp(30_000));
    expect(p.sharesPence.icb! + p.sharesPence.council! + p.retainedPence).toBe(p.fotVariancePence);
  });

  it('shares each scheme on its own without netting', () => {
    const c = computeClose(closeInput(agreement({ partners, pools: [pool('bcf', 'council', false, proportional)], schemes }), 12, { actuals }));
    expect(c.units.map((u) => u.id)).toEqual(['scheme:a', 'scheme:b', 'scheme:c']);
    expect(schemeOf(c, 'b').sharesPence).toEqual({ icb: gbp(187_500), council: gbp(62_500) });
    expect(schemeOf(c, 'c').sharesPence).toEqual({ icb: gbp(-60_000), council: gbp(-60_000) });
    expect(poolOf(c, 'bcf').sharesPence).toEqual({ icb: gbp(-50_000 + 187_500 - 60_000), council: gbp(-50_000 + 62_500 - 60_000) });
  });

  it('retains a net underspend in the pool under `retain`, moving no money', () => {
    const rule: RiskShare = { overspend: { kind: 'proportional' }, underspend: { kind: 'retain' } };
    const a = agreement({ partners, pools: [pool('bcf', 'council', true, rule)], schemes: [schemes[0]!, schemes[2]!] });
    const c = computeClose(closeInput(a, 12, { actuals }));
    const p = poolOf(c, 'bcf');
    expect(p).toMatchObject({ fotVariancePence: gbp(-220_000), retainedPence: gbp(-220_000), sharesPence: { icb: 0, council: 0 } });
    expect(p.reasons).toEqual([expect.objectContaining({ kind: 'retain', retainedPence: gbp(-220_000), text: expect.stringContaining('£220,000.00 is retained') })]);
    expect(c.journals.filter((j) => j.kind === 'settlement')).toEqual([]);
  });
});

describe('computeClose: aligned schemes (§7)', () => {
  const setup = () => {
    const schemes = [
      scheme('asr', 'bcf', { icb: gbp(1_200_000), council: gbp(1_200_000) }),
      scheme('acute', 'bcf', { icb: gbp(2_400_000), council: gbp(1_200_000) }, { type: 'aligned' }),
      scheme('mh', 'mh', { icb: gbp(600_000), council: gbp(600_000) }, { type: 'aligned' }),
    ];
    const pools = [pool('bcf', 'council', true, proportional), pool('mh', null, false, null)];
    const actuals = {
      asr: { council: months(gbp(1_200_000), 6) }, // on plan: variance 0
      acute: { icb: months(gbp(1_300_000), 6), council: months(gbp(550_000), 6) },
      mh: { council: months(gbp(900_000), 6) },
    };
    return computeClose(closeInput(agreement({ partners, pools, schemes }), 6, { actuals }));
  };

  it('leaves each partner its own variance: own FOT minus own contribution', () => {
    const acute = schemeOf(setup(), 'acute');
    // ICB: £1.3m + 6 × £200k = £2.5m against £2.4m; council: £550k + 6 × £100k = £1.15m against £1.2m.
    expect(acute.partners.icb).toMatchObject({ ytdActualPence: gbp(1_300_000), ytdContributionPence: gbp(1_200_000), fotPence: gbp(2_500_000), fotVariancePence: gbp(100_000) });
    expect(acute.partners.council).toMatchObject({ fotPence: gbp(1_150_000), fotVariancePence: gbp(-50_000) });
    expect(acute).toMatchObject({ fotPence: gbp(3_650_000), fotVariancePence: gbp(50_000), sharingUnit: null, sharesPence: { icb: gbp(100_000), council: gbp(-50_000) } });
  });

  it('shares nothing and journals nothing for an aligned scheme, even in a pool with pooled schemes', () => {
    const c = setup();
    expect(unitOf(c, 'pool:bcf')).toMatchObject({ schemes: ['asr'], variancePence: 0, sharesPence: { icb: 0, council: 0 } });
    expect(poolOf(c, 'bcf')).toMatchObject({ fotVariancePence: 0, figures: expect.objectContaining({ fotVariancePence: gbp(50_000) }) });
    expect(c.units.some((u) => u.pool === 'mh')).toBe(false);
    expect(poolOf(c, 'mh')).toMatchObject({ sharesPence: {}, retainedPence: 0, fotVariancePence: 0 });
    expect(schemeOf(c, 'mh').sharesPence).toEqual({ icb: gbp(-300_000), council: gbp(600_000) });
    expect(c.journals.length).toBeGreaterThan(0);
    expect(c.journals.every((j) => j.pool === 'bcf')).toBe(true);
    expect(c.journals.flatMap((j) => j.lines).some((l) => l.scheme === 'acute' || l.scheme === 'mh')).toBe(false);
  });

  it('adds pooled and aligned figures to the fund for every figure', () => {
    const c = setup();
    const keys = ['annualBudgetPence', 'monthBudgetPence', 'ytdBudgetPence', 'monthActualPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const;
    const sum = (items: readonly Figures[], k: (typeof keys)[number]) => items.reduce((t, f) => t + f[k], 0);
    for (const k of keys) {
      expect(c.totals.pooled[k] + c.totals.aligned[k], k).toBe(c.totals.fund[k]);
      expect(sum(c.schemes, k), k).toBe(c.totals.fund[k]);
      expect(sum(c.pools.map((p) => p.figures), k), k).toBe(c.totals.fund[k]);
    }
    expect(c.totals.pooled.annualBudgetPence).toBe(gbp(2_400_000));
    expect(c.totals.aligned.fotVariancePence).toBe(gbp(50_000 + 300_000));
  });
});

describe('computeClose: RAG (§9)', () => {
  it('rates the FOT variance against amber/red percentages of the annual budget, equal to a threshold not above it', () => {
    // Each scheme budgets £1,000,000: 1% = £10,000 (amber), 5% = £50,000 (red).
    const cases: [string, number, string][] = [
      ['over-amber-equal', 1_000_000, 'green'],
      ['over-amber-above', 1_000_001, 'amber'],
      ['over-red-equal', 5_000_000, 'amber'],
      ['over-red-above', 5_000_001, 'red'],
      ['under-amber-above', -1_000_001, 'green'],
      ['under-red-equal', -5_000_000, 'green'],
      ['under-red-above', -5_000_001, 'amber'],
      ['on-budget', 0, 'green'],
    ];
    const schemes = cases.map(([id]) => scheme(id, 'bcf', { icb: gbp(500_000), council: gbp(500_000) }));
    const leadForecasts = Object.fromEntries(cases.map(([id, v]) => [id, gbp(1_000_000) + v]));
    const c = computeClose(closeInput(agreement({ partners, pools: [pool('bcf', 'council', false, proportional)], schemes }), 6, { leadForecasts }));
    expect(cases.map(([id]) => [id, schemeOf(c, id).rag])).toEqual(cases.map(([id, , rag]) => [id, rag]));
    // The fund's RAG is recomputed from its own totals (+£10,000 on £8m: green), not taken from its schemes'.
    expect(c.totals.fund).toMatchObject({ annualBudgetPence: gbp(8_000_000), fotVariancePence: gbp(10_000), rag: 'green' });
  });

  it('reads thresholds with two decimals exactly, and rates any variance on a zero budget', () => {
    const t = { amberPercent: 2.5, redPercent: 7.25 };
    expect(ragStatus(2_500_000, 100_000_000, t)).toBe('green');
    expect(ragStatus(2_500_001, 100_000_000, t)).toBe('amber');
    expect(ragStatus(7_250_000, 100_000_000, t)).toBe('amber');
    expect(ragStatus(7_250_001, 100_000_000, t)).toBe('red');
    expect(ragStatus(-7_250_001, 100_000_000, t)).toBe('amber');
    expect(ragStatus(1, 0, t)).toBe('red');
    expect(ragStatus(-1, 0, t)).toBe('amber');
    expect(ragStatus(0, 0, t)).toBe('green');
  });
});
