// A two-year scenario projected by hand (the working is in the comments, in pounds; the test
// states pence). Partners: council, ICB. Schemes: `prev` (pooled, a netted pool shared in
// proportion to contributions) and `nel` (aligned, the ICB's own).
import { describe, expect, it } from 'vitest';
import type { Agreement } from './agreement.js';
import { compound } from './scenario-growth.js';
import { projectScenario } from './scenario-project.js';
import { ScenarioError, type Scenario } from './scenario.js';

const gbp = (pounds: number) => Math.trunc(pounds * 100);

const agreement: Agreement = {
  fund: { id: 'f', name: 'Test fund' },
  years: [2025],
  partners: [
    { id: 'council', name: 'Council', kind: 'council' },
    { id: 'icb', name: 'ICB', kind: 'icb' },
  ],
  pools: [
    { id: 'bcf', name: 'BCF', host: 'council', netting: true, riskShare: { overspend: { kind: 'proportional' }, underspend: { kind: 'proportional' } } },
    { id: 'acute', name: 'Acute', host: null, netting: false, riskShare: null },
  ],
  schemes: [
    { id: 'prev', name: 'Prevention', pool: 'bcf', type: 'pooled', areaOfNeed: null, leadCommissioner: null, contributions: { 2025: { council: gbp(600_000), icb: gbp(400_000) } }, profile: { kind: 'equal' }, fotMethod: 'plan', riskShare: null },
    { id: 'nel', name: 'Non-elective', pool: 'acute', type: 'aligned', areaOfNeed: null, leadCommissioner: 'icb', contributions: { 2025: { icb: gbp(2_000_000) } }, profile: { kind: 'equal' }, fotMethod: 'plan', riskShare: null },
  ],
  ledgers: [],
  coding: {},
  rag: { amberPercent: 1, redPercent: 5 },
  accrueSettlement: false,
  lineDetailSharedAcrossPartners: false,
};

const scenario: Scenario = {
  id: 'hand',
  name: 'Checked by hand',
  description: null,
  years: [2025, 2026],
  agreement,
  baseSpendPence: { prev: gbp(1_000_000), nel: gbp(2_050_000) },
  fundingGrowthPercent: { council: 0, icb: 2.5 },
  demandGrowthPercent: { prev: 10, nel: 3 },
  priceInflationPercent: 2,
  shift: { from: ['nel'], to: { prev: 100 }, amountsPence: { 2026: gbp(100_000) }, realisedPercent: { 2026: 40 } },
  doubleRunning: { from: 2026, to: 2026, funding: [{ source: 'one_off', partner: 'icb', scheme: 'nel', amountsPence: { 2026: gbp(30_000) } }] },
  investments: [
    {
      id: 'sib',
      name: 'Keep well',
      investor: 'Investor',
      scheme: 'prev',
      capitalPence: { 2026: gbp(20_000) },
      pencePerAvoidedAdmission: gbp(500),
      baselineAdmissions: 1_000,
      minimumAvoided: 10,
      totalCapPence: gbp(40_000),
      yearCapPence: gbp(24_000),
      plannedAdmissions: { 2026: 950 },
    },
  ],
};

describe('scenario projection, checked by hand', () => {
  const p = projectScenario(scenario);
  const [y0, y1] = p.years;
  const scheme = (y: typeof y0, id: string) => y!.schemes.find((s) => s.id === id)!;
  const partner = (y: typeof y0, id: string) => y!.partners.find((s) => s.partner === id)!;

  it('2025-26 (base year): budgets as stated; only the aligned non-elective gap, all the ICB’s', () => {
    // prev: budget 600,000 + 400,000 = 1,000,000; spend 1,000,000; gap 0.
    // nel:  budget 2,000,000; spend 2,050,000; gap +50,000, aligned: the ICB bears it.
    expect(scheme(y0, 'prev')).toMatchObject({ budgetPence: gbp(1_000_000), spendPence: gbp(1_000_000), gapPence: 0 });
    expect(scheme(y0, 'nel')).toMatchObject({ budgetPence: gbp(2_000_000), spendPence: gbp(2_050_000), gapPence: gbp(50_000) });
    expect(y0!.fund).toMatchObject({ budgetPence: gbp(3_000_000), spendPence: gbp(3_050_000), gapPence: gbp(50_000), shiftPence: 0 });
    expect(partner(y0, 'council').gapSharePence).toBe(0);
    expect(partner(y0, 'icb').gapSharePence).toBe(gbp(50_000));
  });

  it('2026-27: growth, the shift, double running, the investor, and the risk share', () => {
    // Grown budgets: council 600,000 × 1.00 = 600,000; ICB prev 400,000 × 1.025 = 410,000;
    //   ICB nel 2,000,000 × 1.025 = 2,050,000.
    // Shift 100,000 out of nel (all the ICB's) into prev: ICB prev 510,000, ICB nel 1,950,000.
    // One-off: ICB 30,000 into nel → nel budget 1,980,000. Investor capital 20,000 into prev →
    //   prev budget 600,000 + 510,000 + 20,000 = 1,130,000.
    // Do-nothing spend: prev 1,000,000 × 1.10 × 1.02 = 1,122,000;
    //   nel 2,050,000 × 1.03 × 1.02 = 2,153,730.
    // Investor: 1,000 − 950 = 50 avoided × 500 = 25,000, capped at 24,000 a year.
    // prev spend 1,122,000 + 100,000 moved in + 24,000 = 1,246,000; gap 116,000.
    // nel spend 2,153,730 − 40% × 100,000 realised (40,000) = 2,113,730; gap 133,730.
    expect(scheme(y1, 'prev')).toMatchObject({
      grownBudgetPence: gbp(1_010_000),
      shiftPence: gbp(100_000),
      investorCapitalPence: gbp(20_000),
      budgetPence: gbp(1_130_000),
      doNothingSpendPence: gbp(1_122_000),
      investorPaymentsPence: gbp(24_000),
      spendPence: gbp(1_246_000),
      gapPence: gbp(116_000),
      contributionsPence: { council: gbp(600_000), icb: gbp(510_000) },
    });
    expect(scheme(y1, 'nel')).toMatchObject({
      grownBudgetPence: gbp(2_050_000),
      shiftPence: -gbp(100_000),
      oneOffPence: gbp(30_000),
      budgetPence: gbp(1_980_000),
      doNothingSpendPence: gbp(2_153_730),
      realisedSavingPence: gbp(40_000),
      spendPence: gbp(2_113_730),
      gapPence: gbp(133_730),
    });
    // The bcf pool's 116,000 is shared by contributions 600,000 : 510,000 (of 1,110,000):
    //   council 11,600,000 p × 600/1,110 = 6,270,270.27 p → 6,270,270 p
    //   ICB     11,600,000 p × 510/1,110 = 5,329,729.73 p → 5,329,729 p, + the last penny
    //           (the larger remainder) = 5,329,730 p.
    // ICB's total: 53,297.30 + 133,730 (nel, its own) = 187,027.30; with council 62,702.70 = 249,730.
    expect(partner(y1, 'council')).toMatchObject({ budgetPence: gbp(600_000), gapSharePence: 6_270_270, expectedCostPence: gbp(600_000) + 6_270_270 });
    expect(partner(y1, 'icb')).toMatchObject({ budgetPence: gbp(2_490_000), oneOffPence: gbp(30_000), gapSharePence: 18_702_730 });
    expect(y1!.fund).toMatchObject({
      budgetPence: gbp(3_110_000),
      spendPence: gbp(3_359_730),
      gapPence: gbp(249_730),
      shiftPence: gbp(100_000),
      realisedSavingPence: gbp(40_000),
      doubleRunningCostPence: gbp(60_000),
      oneOffPence: gbp(30_000),
      investorCapitalPence: gbp(20_000),
      investorPaymentsPence: gbp(24_000),
      retainedPence: 0,
    });
    expect(y1!.reasons.some((r) => r.includes('in proportion to contributions'))).toBe(true);
    expect(p.investments[0]).toMatchObject({ totalDuePence: gbp(24_000), investorReturnPence: gbp(4_000) });
  });

  it('refuses a shift larger than the acute budget', () => {
    const tooBig = { ...scenario, shift: { ...scenario.shift!, amountsPence: { 2026: gbp(3_000_000) } } };
    expect(() => projectScenario(tooBig)).toThrow(ScenarioError);
  });
});

describe('compound growth', () => {
  it('rounds once, to the nearest penny, halves away from zero', () => {
    // 1,001 p × 1.025 × 1.025 = 1,051.6756… → 1,052 p (year by year it would be 1,026 → 1,052 too,
    // but 3 p × 1.5 × 1.5 = 6.75 → 7, where rounding each year gives 4.5 → 5 → 7.5 → 8).
    expect(compound(1_001, [2.5, 2.5])).toBe(1_052);
    expect(compound(3, [50, 50])).toBe(7);
    expect(compound(1, [50])).toBe(2); // 1.5 → 2, away from zero
    expect(compound(-1, [50])).toBe(-2);
    expect(compound(12_345, [])).toBe(12_345);
  });
});
