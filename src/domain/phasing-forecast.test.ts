import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scheme } from './agreement.js';
import { divideRounded, forecastOutturn } from './forecast.js';
import { annualBudget, monthlyBudget, monthlyContribution, yearToDate } from './phasing.js';

const scheme = (profile: Scheme['profile'], contributions = { icb: 600_000_001, council: 400_000_000 }): Scheme => ({
  id: 's',
  name: 'S',
  pool: 'p',
  type: 'pooled',
  areaOfNeed: null,
  leadCommissioner: null,
  contributions: { 2025: contributions },
  profile,
  fotMethod: 'plan',
  riskShare: null,
});

describe('phasing (domain.md §4)', () => {
  it('phases the annual budget in twelve equal parts by default, adding back exactly', () => {
    const s = scheme({ kind: 'equal' });
    expect(annualBudget(s, 2025)).toBe(1_000_000_001);
    const months = monthlyBudget(s, 2025);
    expect(months[0]).toBe(83_333_334); // 1,000,000,001 = 12 × 83,333,333 + 5: first five months get the pence
    expect(months.slice(0, 5).every((m) => m === 83_333_334)).toBe(true);
    expect(months.slice(5).every((m) => m === 83_333_333)).toBe(true);
    expect(yearToDate(months, 3)).toBe(250_000_002);
    expect(yearToDate(months, 12)).toBe(1_000_000_001);
  });

  it('uses weights, and explicit amounts as the budget and as weights for partners', () => {
    const weights = scheme({ kind: 'weights', weights: [8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 8] }, { icb: 10_000, council: 0 });
    expect(monthlyBudget(weights, 2025)).toEqual([800, 800, 800, 800, 800, 800, 800, 900, 900, 900, 900, 800]);
    const amounts = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 900];
    const explicit = scheme({ kind: 'amounts', amountsPence: { 2025: amounts } }, { icb: 1_200, council: 800 });
    expect(monthlyBudget(explicit, 2025)).toEqual(amounts);
    const icb = monthlyContribution(explicit, 2025, 'icb');
    const council = monthlyContribution(explicit, 2025, 'council');
    expect(icb.reduce((a, b) => a + b)).toBe(1_200);
    expect(council.reduce((a, b) => a + b)).toBe(800);
    expect(icb[11]).toBe(540); // 1,200 × 900 / 2,000
  });

  it('refuses explicit amounts that do not add to the budget', () => {
    expect(() => monthlyBudget(scheme({ kind: 'amounts', amountsPence: { 2025: new Array(12).fill(1) } }, { icb: 13, council: 0 }), 2025)).toThrow(/invariant/);
  });

  it("adds each partner's months back to its own annual contribution (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), fc.integer({ min: 0, max: 1e13 }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 12, maxLength: 12 }), (a, b, w) => {
        const s = scheme(w.some((x) => x > 0) ? { kind: 'weights', weights: w } : { kind: 'equal' }, { icb: a, council: b });
        expect(monthlyContribution(s, 2025, 'icb').reduce((x, y) => x + y, 0)).toBe(a);
        expect(monthlyContribution(s, 2025, 'council').reduce((x, y) => x + y, 0)).toBe(b);
        expect(monthlyBudget(s, 2025).reduce((x, y) => x + y, 0)).toBe(a + b);
      }),
    );
  });
});

describe('forecast outturn (domain.md §6)', () => {
  const budget = new Array(12).fill(1_000);
  it('is on plan from here by default', () => {
    expect(forecastOutturn({ method: 'plan', month: 3, ytdActualPence: 3_500, monthlyBudgetPence: budget })).toEqual({ fotPence: 12_500, basis: 'plan' });
  });
  it('runs the rate to the nearest penny, halves away from zero', () => {
    expect(forecastOutturn({ method: 'run_rate', month: 8, ytdActualPence: 1, monthlyBudgetPence: budget }).fotPence).toBe(2); // 1.5 → 2
    expect(forecastOutturn({ method: 'run_rate', month: 8, ytdActualPence: -1, monthlyBudgetPence: budget }).fotPence).toBe(-2);
    expect(forecastOutturn({ method: 'run_rate', month: 7, ytdActualPence: 1, monthlyBudgetPence: budget }).fotPence).toBe(2); // 1.714…
    expect(forecastOutturn({ method: 'run_rate', month: 5, ytdActualPence: 1, monthlyBudgetPence: budget }).fotPence).toBe(2); // 2.4
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(7n, 3n)).toBe(2n);
  });
  it("takes the lead's forecast for the month, and falls back when there is none", () => {
    expect(forecastOutturn({ method: 'lead', month: 4, ytdActualPence: 10, monthlyBudgetPence: budget, leadForecastPence: 99_999 })).toEqual({ fotPence: 99_999, basis: 'lead' });
    expect(forecastOutturn({ method: 'lead', month: 4, ytdActualPence: 10, monthlyBudgetPence: budget })).toEqual({ fotPence: 8_010, basis: 'plan' });
  });
  it('gives the actual at M12 unless a lead forecast for M12 says otherwise', () => {
    for (const method of ['plan', 'run_rate', 'lead'] as const) {
      expect(forecastOutturn({ method, month: 12, ytdActualPence: 12_345, monthlyBudgetPence: budget })).toEqual({ fotPence: 12_345, basis: 'actual' });
    }
    expect(forecastOutturn({ method: 'plan', month: 12, ytdActualPence: 12_345, monthlyBudgetPence: budget, leadForecastPence: 12_000 }).fotPence).toBe(12_000);
  });
});
