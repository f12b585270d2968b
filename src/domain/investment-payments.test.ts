// Outcome payments measured per year (paid at M12) and per month, against figures worked out by
// hand in the comments: the total cap binding across years, a forecast mixing actual months with
// planned ones, and months with no actual or no plan due nothing.
import { describe, expect, it } from 'vitest';
import { investmentSchedule, monthsBetween, type Investment, type OutcomeCount } from './investment-payments.js';
import { periodKey } from './period.js';

// £1,000 per admission avoided against 65,000 a year (64,000 in 2026-27), at least 500 avoided,
// no yearly cap, £2,000,000 in all; two whole years.
const yearly: Investment = {
  id: 'bond',
  name: 'Bond',
  investor: 'Investor',
  description: null,
  scheme: 'pkw',
  paidBy: 'scc',
  metric: 'nel',
  capital: [{ period: periodKey(2025, 1), pence: 150_000_000 }],
  start: periodKey(2025, 1),
  end: periodKey(2026, 12),
  baselinePer: 'year',
  baseline: 65_000,
  baselineByYear: { '2026-27': 64_000 },
  pencePerOutcome: 100_000,
  minimumOutcomes: 500,
  yearCapPence: null,
  totalCapPence: 200_000_000,
  spendCodes: null,
  creditorCodes: {},
};

function counts(from: number, to: number, actual: number | null, plan: number | null): OutcomeCount[] {
  return monthsBetween(from, to).map((period) => ({ period, actual, plan }));
}

describe('investment payments', () => {
  it('measures a year at M12, forecasts the next from actuals to date and the plan, within the total cap', () => {
    // 2025-26: 12 × 5,300 = 63,600 → 1,400 avoided → £1,400,000, due at M12.
    // 2026-27 to M06: 6 × 5,200 actual + 6 × 5,250 plan = 62,700 against 64,000 → 1,300 avoided →
    // £1,300,000 earned, but only £2,000,000 − £1,400,000 = £600,000 of the total cap is left.
    const data = [...counts(periodKey(2025, 1), periodKey(2025, 12), 5_300, null), ...counts(periodKey(2026, 1), periodKey(2026, 6), 5_200, null), ...counts(periodKey(2026, 7), periodKey(2026, 12), null, 5_250)];
    const s = investmentSchedule(yearly, data, periodKey(2026, 6));
    expect(s.periods.map((p) => [p.label, p.basis, p.measured, p.avoided, p.duePence])).toEqual([['2025-26', 'actual', 63_600, 1_400, 140_000_000]]);
    expect(s.forecast.map((p) => [p.label, p.basis, p.measured, p.baseline, p.earnedPence, p.duePence])).toEqual([['2026-27', 'plan', 62_700, 64_000, 130_000_000, 60_000_000]]);
    expect(s.forecast[0]!.steps.map((x) => x.label)).toEqual(['measured', 'avoided', 'earned', 'capped_total', 'due']);
    expect(s).toMatchObject({ duePeriodPence: 0, dueYearToDatePence: 0, dueToDatePence: 140_000_000, forecastYearPence: 60_000_000, capitalPence: 150_000_000 });
    // At 2025-26 M12 the year's payment is the month's.
    expect(investmentSchedule(yearly, data, periodKey(2025, 12)).duePeriodPence).toBe(140_000_000);
    // A month without an actual: the year is not measured, nothing is due until it is.
    const gap = investmentSchedule(yearly, data.filter((c) => c.period !== periodKey(2025, 8)), periodKey(2025, 12));
    expect([gap.periods[0]!.basis, gap.duePeriodPence, gap.missingActuals]).toEqual(['none', 0, [periodKey(2025, 8)]]);
    expect(gap.periods[0]!.steps[0]!.text).toBe('2025-26: no actual for M08: nothing is due until it is');
  });

  it('measures each month, and forecasts nothing for a month without a plan', () => {
    // 300 avoided a month × £1,000 = £300,000; the term starts in M03, so M01 and M02 are not measured.
    const monthly: Investment = { ...yearly, baselinePer: 'month', baseline: 5_500, baselineByYear: {}, minimumOutcomes: 0, start: periodKey(2025, 3) };
    const s = investmentSchedule(monthly, [...counts(periodKey(2025, 1), periodKey(2025, 4), 5_200, 5_300), { period: periodKey(2025, 5), actual: null, plan: 5_400 }], periodKey(2025, 4));
    expect(s.periods.map((p) => [p.label, p.duePence])).toEqual([
      ['2025-26 M03', 30_000_000],
      ['2025-26 M04', 30_000_000],
    ]);
    // M05 on its plan (100 avoided); M06 onwards have no plan.
    expect(s.forecast.map((p) => [p.basis, p.duePence])).toEqual([['plan', 10_000_000], ...Array.from({ length: 7 }, () => ['none', 0])]);
    expect(s).toMatchObject({ duePeriodPence: 30_000_000, dueYearToDatePence: 60_000_000, forecastYearPence: 70_000_000, missingActuals: [] });
    // Asked for before the term starts: nothing measured, the term's months of the year forecast.
    const early = investmentSchedule(monthly, [], periodKey(2025, 2));
    expect([early.periods, early.forecast.map((p) => p.label).slice(0, 2), early.forecast.length, early.dueToDatePence, early.missingActuals]).toEqual([[], ['2025-26 M03', '2025-26 M04'], 10, 0, []]);
  });
});
