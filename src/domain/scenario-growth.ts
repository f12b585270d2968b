// Growing a figure by yearly percentages, exactly (issue 10 §4). Each percentage has at most two
// decimals and is read as integer basis points (percent.ts), so a year's factor is the fraction
// (10,000 + bp) / 10,000 and k years of growth is the product of k such fractions, computed in
// BigInt with nothing dropped. The figure is rounded once, at the end, to the nearest penny,
// halves away from zero — never year by year, so five years of 2.5% give the same pence however
// the years are grouped, and a projection can be checked with a calculator.

import { assertPence, type Pence } from './money.js';
import { basisPoints } from './percent.js';

const WHOLE = 10_000n;

/** `base` × Π (1 + percent_i / 100), to the nearest penny, halves away from zero. */
export function compound(base: Pence, percents: readonly number[]): Pence {
  assertPence(base, 'base');
  let numerator = BigInt(Math.abs(base));
  let denominator = 1n;
  for (const percent of percents) {
    numerator *= WHOLE + BigInt(basisPoints(percent));
    denominator *= WHOLE;
  }
  const rounded = (numerator * 2n + denominator) / (denominator * 2n);
  const result = Number(base < 0 ? -rounded : rounded) + 0;
  assertPence(result, 'grown figure');
  return result;
}

/** The list of percentages for `years` years of the same yearly rates (e.g. demand and prices). */
export function yearsOf(rates: readonly number[], years: number): number[] {
  return Array.from({ length: years }, () => rates).flat();
}
