// Social investment repayments against figures worked out by hand (in the comments).
import { describe, expect, it } from 'vitest';
import { repaymentForYear, repaymentSchedule, type SocialInvestment } from './social-investment.js';

// £2,000,000 in 2026-27; £1,250 per avoided admission against a baseline of 10,000 a year; at
// least 200 avoided or nothing is due; at most £1,000,000 a year and £2,400,000 in all.
const sib: SocialInvestment = {
  id: 'sib',
  name: 'Keeping well at home',
  investor: 'Social investor',
  scheme: 'pkw',
  capitalPence: { 2026: 200_000_000 },
  pencePerAvoidedAdmission: 125_000,
  baselineAdmissions: 10_000,
  minimumAvoided: 200,
  totalCapPence: 240_000_000,
  yearCapPence: 100_000_000,
};

describe('social investment repayments', () => {
  it('pays per avoided admission', () => {
    // 10,000 − 9,500 = 500 avoided × £1,250 = £625,000.
    const y = repaymentForYear(sib, 2026, 9_500, 0);
    expect(y).toMatchObject({ avoidedAdmissions: 500, outcomeMet: true, earnedPence: 62_500_000, duePence: 62_500_000 });
    expect(y.steps.map((s) => s.label)).toEqual(['avoided', 'earned', 'due']);
  });

  it('pays nothing when admissions are at or above the baseline, or below the minimum avoided', () => {
    expect(repaymentForYear(sib, 2026, 10_000, 0)).toMatchObject({ avoidedAdmissions: 0, outcomeMet: false, duePence: 0 });
    expect(repaymentForYear(sib, 2026, 10_400, 0)).toMatchObject({ avoidedAdmissions: 0, duePence: 0 });
    // 199 avoided < 200: missed, although 199 × £1,250 would be £248,750.
    const below = repaymentForYear(sib, 2026, 9_801, 0);
    expect(below).toMatchObject({ avoidedAdmissions: 199, outcomeMet: false, duePence: 0 });
    expect(below.steps.at(-1)?.text).toContain('below the minimum of 200');
  });

  it('applies the yearly cap and then the total cap across years', () => {
    // 2026-27: 9,500 → 500 avoided → £625,000 due (cumulative £625,000).
    // 2027-28: 9,000 → 1,000 × £1,250 = £1,250,000, capped at £1,000,000 a year (cum. £1,625,000).
    // 2028-29: 9,200 → 800 × £1,250 = £1,000,000 earned; only £2,400,000 − £1,625,000 = £775,000
    //          of the total cap is left, so £775,000 is due (cum. £2,400,000).
    // 2029-30: 9,000 → £1,250,000 earned, capped at the year cap, then to £0 by the total cap.
    const s = repaymentSchedule(sib, [
      { year: 2026, admissions: 9_500 },
      { year: 2027, admissions: 9_000 },
      { year: 2028, admissions: 9_200 },
      { year: 2029, admissions: 9_000 },
    ]);
    expect(s.years.map((y) => y.duePence)).toEqual([62_500_000, 100_000_000, 77_500_000, 0]);
    expect(s.years.map((y) => y.cumulativePence)).toEqual([62_500_000, 162_500_000, 240_000_000, 240_000_000]);
    expect(s.years[1]!.steps.map((x) => x.label)).toEqual(['avoided', 'earned', 'capped_year', 'due']);
    expect(s.years[2]!.steps.map((x) => x.label)).toEqual(['avoided', 'earned', 'capped_total', 'due']);
    // Capital £2,000,000, repaid £2,400,000: the investor's return is £400,000.
    expect(s).toMatchObject({ capitalPence: 200_000_000, totalDuePence: 240_000_000, investorReturnPence: 40_000_000 });
  });

  it('forecasts from planned admissions the same way, and a missed year loses the investor money', () => {
    const s = repaymentSchedule(sib, [
      { year: 2026, admissions: 10_100 },
      { year: 2027, admissions: 9_900 },
    ]);
    // 2026-27: none avoided; 2027-28: 100 avoided < 200 minimum: nothing due; return −£2,000,000.
    expect(s.years.map((y) => y.duePence)).toEqual([0, 0]);
    expect(s.investorReturnPence).toBe(-200_000_000);
  });
});
