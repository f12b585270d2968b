// Payment mechanisms of the fund's contracts (issue 10): what a contract pays for a period under
// a block contract, cost and volume, or payment by outcome. Pure, integer pence throughout; the
// one place a fraction arises (a marginal rate on activity above a threshold) rounds down to the
// penny, once, on the whole above-threshold amount, so the provider is never paid a part-penny.
//
// Thresholds, caps and tiers are stated for a contract year. A year's monthly payments are the
// differences of the cumulative year-to-date payment (month m pays YTD(m) − YTD(m − 1)), so the
// months always add back exactly to what the year's whole activity earns, and a cap reached in
// November pays nothing from December.

import { gbp, moneyStep, countStep, timesCount, whole, type CalcStep } from './calc-step.js';
import { assertPence, invariant, sumPence, type Pence } from './money.js';
import { basisPoints, percentOf } from './percent.js';
import { splitByWeights, splitEqually } from './split.js';

/** A fixed annual value, phased monthly (equal twelfths by default, or by twelve weights). */
export interface BlockTerms {
  kind: 'block';
  annualPence: Pence;
  monthWeights?: readonly number[];
}

/**
 * Cost and volume: a price per unit of activity (integer pence) × units. Optionally
 * - `threshold`: units above `units` are paid at `marginalPercent` of the price (the NHS marginal
 *   rate rule: e.g. 70 pays 70% for activity above the agreed baseline); 0 pays nothing above it;
 * - `capUnits`: a volume cap; activity above it is not paid at all.
 */
export interface CostAndVolumeTerms {
  kind: 'cost_and_volume';
  pricePerUnitPence: Pence;
  threshold?: { units: number; marginalPercent: number };
  capUnits?: number;
}

/** A band of an outcome tariff: the next `outcomes` outcomes (null: all the rest) at a price each. */
export interface OutcomeTier {
  outcomes: number | null;
  pencePerOutcome: Pence;
}

/** Payment by outcome: tiers (first 100 at £X, the rest at £Y), optionally capped in total. */
export interface OutcomeTerms {
  kind: 'outcome';
  tiers: readonly OutcomeTier[];
  capPence?: Pence;
}

export type PaymentTerms = BlockTerms | CostAndVolumeTerms | OutcomeTerms;

export interface PaymentCalc {
  pence: Pence;
  steps: CalcStep[];
}

export interface YearPayments {
  monthsPence: Pence[];
  annualPence: Pence;
  /** How the year's total was reached (the steps of the whole year's activity). */
  steps: CalcStep[];
}

function checkCount(n: number, what: string): void {
  invariant(Number.isSafeInteger(n) && n >= 0, `${what} must be a non-negative whole number, got ${n}`);
}

/** The twelve monthly payments of a block contract; they add back to the annual value. */
export function blockMonths(terms: BlockTerms): Pence[] {
  assertPence(terms.annualPence, 'block value');
  invariant(terms.annualPence >= 0, 'a block value is not negative');
  const weights = terms.monthWeights;
  if (weights !== undefined) invariant(weights.length === 12, 'a block profile has twelve month weights');
  const months = weights === undefined || weights.every((w) => w === 0) ? splitEqually(terms.annualPence, 12) : splitByWeights(terms.annualPence, weights);
  invariant(sumPence(months) === terms.annualPence, 'block months add back to the annual value');
  return months;
}

/** What `units` of activity earn under cost-and-volume terms (the terms' own period). */
export function costAndVolumePayment(terms: CostAndVolumeTerms, units: number): PaymentCalc {
  checkCount(units, 'activity');
  assertPence(terms.pricePerUnitPence, 'price per unit');
  const steps: CalcStep[] = [countStep('units', units, `${whole(units)} units of activity`)];
  let paidUnits = units;
  if (terms.capUnits !== undefined) {
    checkCount(terms.capUnits, 'volume cap');
    if (units > terms.capUnits) {
      paidUnits = terms.capUnits;
      steps.push(countStep('capped_units', paidUnits, `capped at ${whole(terms.capUnits)} units: ${whole(units - paidUnits)} units above the cap are not paid`));
    }
  }
  const threshold = terms.threshold;
  if (threshold === undefined || paidUnits <= threshold.units) {
    const pence = timesCount(terms.pricePerUnitPence, paidUnits);
    steps.push(moneyStep('payment', pence, `${whole(paidUnits)} × ${gbp(terms.pricePerUnitPence)} = ${gbp(pence)}`));
    return { pence, steps };
  }
  checkCount(threshold.units, 'threshold');
  invariant(basisPoints(threshold.marginalPercent) <= 10_000, 'a marginal rate is at most 100%');
  const full = timesCount(terms.pricePerUnitPence, threshold.units);
  const aboveUnits = paidUnits - threshold.units;
  const aboveAtFullPrice = timesCount(terms.pricePerUnitPence, aboveUnits);
  // Rounded down once, on the whole above-threshold amount (never per unit).
  const above = percentOf(aboveAtFullPrice, threshold.marginalPercent);
  steps.push(moneyStep('up_to_threshold', full, `first ${whole(threshold.units)} units at the full price: ${whole(threshold.units)} × ${gbp(terms.pricePerUnitPence)} = ${gbp(full)}`));
  steps.push(
    moneyStep('above_threshold', above, `${whole(aboveUnits)} units above the threshold at ${threshold.marginalPercent}% of the price: ${threshold.marginalPercent}% of ${gbp(aboveAtFullPrice)} = ${gbp(above)} (rounded down to the penny)`),
  );
  const pence = full + above;
  assertPence(pence, 'cost and volume payment');
  steps.push(moneyStep('payment', pence, `${gbp(full)} + ${gbp(above)} = ${gbp(pence)}`));
  return { pence, steps };
}

/** What `outcomes` achieved earn under an outcome tariff (the terms' own period). Zero pays zero. */
export function outcomePayment(terms: OutcomeTerms, outcomes: number): PaymentCalc {
  checkCount(outcomes, 'outcomes');
  invariant(terms.tiers.length > 0, 'an outcome tariff has at least one tier');
  invariant(terms.tiers.at(-1)!.outcomes === null, 'the last tier of an outcome tariff takes all the rest (outcomes: null)');
  const steps: CalcStep[] = [countStep('outcomes', outcomes, `${whole(outcomes)} outcomes achieved`)];
  let left = outcomes;
  let earned = 0;
  terms.tiers.forEach((tier, i) => {
    if (tier.outcomes !== null) checkCount(tier.outcomes, `tier ${i + 1} width`);
    const inTier = tier.outcomes === null ? left : Math.min(left, tier.outcomes);
    left -= inTier;
    if (inTier === 0) return;
    const pence = timesCount(tier.pencePerOutcome, inTier);
    earned += pence;
    assertPence(earned, 'outcome payment');
    steps.push(moneyStep(`tier_${i + 1}`, pence, `tier ${i + 1}: ${whole(inTier)} × ${gbp(tier.pencePerOutcome)} = ${gbp(pence)}`));
  });
  invariant(left === 0, 'the tiers take every outcome');
  let pence = earned;
  if (terms.capPence !== undefined && earned > terms.capPence) {
    pence = terms.capPence;
    steps.push(moneyStep('capped', pence, `capped at ${gbp(terms.capPence)}: ${gbp(earned - pence)} earned above the cap is not paid`));
  }
  steps.push(moneyStep('payment', pence, `payment ${gbp(pence)}`));
  return { pence, steps };
}

/** A period's payment for a metered mechanism (cost and volume, outcome). */
export function periodPayment(terms: CostAndVolumeTerms | OutcomeTerms, activity: number): PaymentCalc {
  return terms.kind === 'cost_and_volume' ? costAndVolumePayment(terms, activity) : outcomePayment(terms, activity);
}

/**
 * A contract year month by month. `monthlyActivity` is units (cost and volume) or outcomes
 * (outcome-based) per month, M01..M12; a block contract ignores it. Annual thresholds, caps and
 * tiers apply to the year-to-date activity; each month pays the increase in the YTD payment.
 */
export function yearPayments(terms: PaymentTerms, monthlyActivity: readonly number[]): YearPayments {
  if (terms.kind === 'block') {
    const monthsPence = blockMonths(terms);
    const steps = [moneyStep('payment', terms.annualPence, `block value ${gbp(terms.annualPence)}, phased over twelve months by the largest-remainder rule`)];
    return { monthsPence, annualPence: terms.annualPence, steps };
  }
  invariant(monthlyActivity.length === 12, 'a contract year has twelve months of activity');
  const monthsPence: Pence[] = [];
  let ytdActivity = 0;
  let paidSoFar = 0;
  let last: PaymentCalc = periodPayment(terms, 0);
  for (const activity of monthlyActivity) {
    checkCount(activity, 'monthly activity');
    ytdActivity += activity;
    last = periodPayment(terms, ytdActivity);
    monthsPence.push(last.pence - paidSoFar);
    paidSoFar = last.pence;
  }
  invariant(sumPence(monthsPence) === last.pence, 'monthly payments add back to the payment for the year');
  invariant(
    monthsPence.every((m) => m >= 0),
    'a month never pays back: the payment only grows with activity',
  );
  return { monthsPence, annualPence: last.pence, steps: last.steps };
}
