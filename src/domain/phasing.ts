// Budgets (domain.md §4): a scheme's annual budget is the sum of its partners' contributions;
// the monthly budget is that annual figure phased by the scheme's profile (default twelve equal
// parts, largest remainder). A partner's monthly contribution is its own annual contribution
// phased by the same profile (explicit amounts act as weights), so partners' months may differ
// from the scheme's month by a penny while each adds back to its own annual figure.

import type { Profile, Scheme } from './agreement.js';
import { invariant, sumPence, type Pence } from './money.js';
import type { YearStart } from './period.js';
import { splitByWeights, splitEqually } from './split.js';

export function annualBudget(scheme: Scheme, year: YearStart): Pence {
  return sumPence(Object.values(scheme.contributions[year] ?? {}));
}

export function contribution(scheme: Scheme, year: YearStart, partner: string): Pence {
  return scheme.contributions[year]?.[partner] ?? 0;
}

function profileWeights(profile: Profile, year: YearStart): number[] | null {
  if (profile.kind === 'weights') return profile.weights;
  if (profile.kind === 'amounts') {
    const amounts = profile.amountsPence[year];
    invariant(amounts !== undefined && amounts.length === 12, `the profile has no twelve amounts for year ${year}`);
    return amounts;
  }
  return null;
}

/** Phase an annual amount by a profile; weights and explicit amounts are used as weights. */
export function phase(amount: Pence, profile: Profile, year: YearStart): Pence[] {
  const weights = profileWeights(profile, year);
  if (weights === null || weights.every((w) => w === 0)) return splitEqually(amount, 12);
  return splitByWeights(amount, weights);
}

/** The scheme's monthly budget M01..M12; explicit amounts are the budget itself. */
export function monthlyBudget(scheme: Scheme, year: YearStart): Pence[] {
  const annual = annualBudget(scheme, year);
  const months = phase(annual, scheme.profile, year);
  if (scheme.profile.kind === 'amounts') {
    invariant(sumPence(scheme.profile.amountsPence[year]!) === annual, `explicit profile of ${scheme.id} must add to its annual budget`);
  }
  invariant(sumPence(months) === annual, 'monthly budgets add back to the annual budget');
  return months;
}

/** A partner's monthly contribution M01..M12. */
export function monthlyContribution(scheme: Scheme, year: YearStart, partner: string): Pence[] {
  return phase(contribution(scheme, year, partner), scheme.profile, year);
}

/** Sum of M01..month of a twelve-month list. */
export function yearToDate(months: readonly Pence[], month: number): Pence {
  invariant(month >= 1 && month <= 12 && months.length === 12, 'year to date needs twelve months and a month 1..12');
  return sumPence(months.slice(0, month));
}
