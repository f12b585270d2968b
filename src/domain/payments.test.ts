// Each payment mechanism against figures worked out by hand (in the comments).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockMonths, costAndVolumePayment, outcomePayment, yearPayments, type CostAndVolumeTerms, type OutcomeTerms } from './payments.js';

describe('block contract', () => {
  it('phases £1,000,000.01 into twelve months that add back, the extra penny to M01', () => {
    // 100,000,001 p / 12 = 8,333,333.4166…: eleven months of 8,333,333 p would leave 5 p over;
    // every remainder is equal (5/12), so the five pence go to the first five months.
    const months = blockMonths({ kind: 'block', annualPence: 100_000_001 });
    expect(months).toEqual([8_333_334, 8_333_334, 8_333_334, 8_333_334, 8_333_334, 8_333_333, 8_333_333, 8_333_333, 8_333_333, 8_333_333, 8_333_333, 8_333_333]);
    expect(months.reduce((a, b) => a + b, 0)).toBe(100_000_001);
  });

  it('follows month weights, and the year ignores activity', () => {
    // £120,000 with weights 2 for Nov–Feb and 1 elsewhere (16 parts): £7,500 a part.
    const weights = [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1];
    const year = yearPayments({ kind: 'block', annualPence: 12_000_000, monthWeights: weights }, new Array(12).fill(999));
    expect(year.monthsPence).toEqual([750_000, 750_000, 750_000, 750_000, 750_000, 750_000, 750_000, 1_500_000, 1_500_000, 1_500_000, 1_500_000, 750_000]);
    expect(year.annualPence).toBe(12_000_000);
  });
});

describe('cost and volume', () => {
  const plain: CostAndVolumeTerms = { kind: 'cost_and_volume', pricePerUnitPence: 12_345 }; // £123.45 a unit

  it('pays price × units exactly', () => {
    // 1,001 × £123.45 = £123,573.45
    expect(costAndVolumePayment(plain, 1_001).pence).toBe(12_357_345);
    expect(costAndVolumePayment(plain, 0).pence).toBe(0);
  });

  it('pays a marginal rate above the threshold, rounded down once on the whole amount', () => {
    // threshold 1,000 units, 70% above it. 1,003 units:
    //   1,000 × £123.45 = £123,450.00
    //   3 × £123.45 = £370.35; 70% = £259.245 → £259.24 (rounded down)
    //   total £123,709.24
    const terms: CostAndVolumeTerms = { ...plain, threshold: { units: 1_000, marginalPercent: 70 } };
    const r = costAndVolumePayment(terms, 1_003);
    expect(r.pence).toBe(12_370_924);
    expect(r.steps.map((s) => [s.label, s.pence])).toEqual([
      ['units', null],
      ['up_to_threshold', 12_345_000],
      ['above_threshold', 25_924],
      ['payment', 12_370_924],
    ]);
    // At or below the threshold the marginal rate plays no part: 999 × £123.45 = £123,326.55.
    expect(costAndVolumePayment(terms, 999).pence).toBe(12_332_655);
  });

  it('does not pay activity above the volume cap', () => {
    // cap 1,002 units, threshold 1,000 at 50%: 1,500 units are paid as 1,002:
    //   £123,450.00 + 50% of (2 × £123.45 = £246.90) = £123.45 → £123,573.45
    const terms: CostAndVolumeTerms = { ...plain, threshold: { units: 1_000, marginalPercent: 50 }, capUnits: 1_002 };
    expect(costAndVolumePayment(terms, 1_500).pence).toBe(12_357_345);
    expect(costAndVolumePayment(terms, 1_500).steps[1]).toMatchObject({ label: 'capped_units', count: 1_002 });
  });

  it('applies an annual threshold to the year to date: each month pays the growth of the YTD payment', () => {
    // £100 a unit, 100 units a month, annual threshold 1,000 at 0% (nothing above it):
    // M01–M10 pay £10,000 each; M11 and M12 pay nothing; the year pays £100,000.
    const terms: CostAndVolumeTerms = { kind: 'cost_and_volume', pricePerUnitPence: 10_000, threshold: { units: 1_000, marginalPercent: 0 } };
    const year = yearPayments(terms, new Array(12).fill(100));
    expect(year.monthsPence).toEqual([...new Array(10).fill(1_000_000), 0, 0]);
    expect(year.annualPence).toBe(10_000_000);
  });
});

describe('outcome-based', () => {
  // First 100 outcomes at £250, the rest at £175.50, capped at £40,000.
  const tariff: OutcomeTerms = {
    kind: 'outcome',
    tiers: [
      { outcomes: 100, pencePerOutcome: 25_000 },
      { outcomes: null, pencePerOutcome: 17_550 },
    ],
    capPence: 4_000_000,
  };

  it('pays zero for zero outcomes', () => {
    expect(outcomePayment(tariff, 0)).toMatchObject({ pence: 0 });
    expect(yearPayments(tariff, new Array(12).fill(0)).monthsPence).toEqual(new Array(12).fill(0));
  });

  it('pays each tier at its own price', () => {
    // 130 outcomes: 100 × £250 = £25,000; 30 × £175.50 = £5,265; total £30,265.
    const r = outcomePayment(tariff, 130);
    expect(r.pence).toBe(3_026_500);
    expect(r.steps.filter((s) => s.label.startsWith('tier_')).map((s) => s.pence)).toEqual([2_500_000, 526_500]);
  });

  it('stops at the cap', () => {
    // 200 outcomes: £25,000 + 100 × £175.50 = £17,550 → £42,550 earned, capped at £40,000.
    const r = outcomePayment(tariff, 200);
    expect(r.pence).toBe(4_000_000);
    expect(r.steps.find((s) => s.label === 'capped')?.pence).toBe(4_000_000);
  });

  it('runs the tiers and the cap over the year to date', () => {
    // 20 outcomes a month. YTD after M05 = 100 → £25,000 (M01–M05 £5,000 each).
    // M06: 120 → £25,000 + 20 × £175.50 = £28,510 → pays £3,510. Each later month adds £3,510
    // until M09: 180 → £25,000 + 80 × £175.50 = £39,040; M10: 200 → £42,550, capped at £40,000,
    // so M10 pays £960 and M11, M12 pay nothing.
    const year = yearPayments(tariff, new Array(12).fill(20));
    expect(year.monthsPence).toEqual([500_000, 500_000, 500_000, 500_000, 500_000, 351_000, 351_000, 351_000, 351_000, 96_000, 0, 0]);
    expect(year.annualPence).toBe(4_000_000);
  });
});

describe('payment properties', () => {
  const months = fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 12, maxLength: 12 });

  it('cost and volume: months add back to the year, never negative, never above the cap', () => {
    fc.assert(
      fc.property(months, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 60_000 }), (activity, price, threshold, marginal, cap) => {
        const terms: CostAndVolumeTerms = { kind: 'cost_and_volume', pricePerUnitPence: price, threshold: { units: threshold, marginalPercent: marginal }, capUnits: Math.max(cap, threshold) };
        const year = yearPayments(terms, activity);
        expect(year.monthsPence.reduce((a, b) => a + b, 0)).toBe(year.annualPence);
        expect(year.monthsPence.every((m) => m >= 0)).toBe(true);
        expect(year.annualPence).toBeLessThanOrEqual(price * Math.max(cap, threshold));
      }),
    );
  });

  it('outcome-based: the year is paid in full by its months and never exceeds the cap', () => {
    fc.assert(
      fc.property(months, fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 500_000_000 }), (activity, width, first, rest, cap) => {
        const terms: OutcomeTerms = { kind: 'outcome', tiers: [{ outcomes: width, pencePerOutcome: first }, { outcomes: null, pencePerOutcome: rest }], capPence: cap };
        const year = yearPayments(terms, activity);
        expect(year.monthsPence.reduce((a, b) => a + b, 0)).toBe(year.annualPence);
        expect(year.annualPence).toBeLessThanOrEqual(cap);
        expect(year.annualPence).toBe(outcomePayment(terms, activity.reduce((a, b) => a + b, 0)).pence);
      }),
    );
  });
});
