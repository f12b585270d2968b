// Splitting an amount into parts that add back exactly (domain.md §3): the largest-remainder
// method. Each part's exact share is floored; the pence left over go one each to the parts with
// the largest fractional remainders; ties go to the part listed first.
// Weights are integers (pence, or basis points) and arithmetic is done in BigInt so that
// amount × weight never leaves exact integer range.

import { assertPence, invariant, type Pence } from './money.js';

export function splitByWeights(amount: Pence, weights: readonly number[]): Pence[] {
  assertPence(amount);
  invariant(weights.length > 0, 'split needs at least one part');
  for (const w of weights) invariant(Number.isSafeInteger(w) && w >= 0, `split weight must be a non-negative integer, got ${w}`);
  const total = weights.reduce((a, b) => a + BigInt(b), 0n);
  invariant(total > 0n, 'split weights must not all be zero');

  const sign = amount < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(amount));
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  for (const w of weights) {
    const exact = magnitude * BigInt(w);
    parts.push(exact / total);
    remainders.push(exact % total);
  }
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  // Stable order: largest remainder first, ties by position.
  const order = remainders.map((r, i) => ({ r, i })).sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  const result = parts.map((p) => Number(p * sign) + 0); // `+ 0` turns -0 into 0
  invariant(result.reduce((a, b) => a + b, 0) === amount, 'split parts must add back to the amount');
  return result;
}

/** Twelve (or n) equal parts by the largest-remainder rule. */
export function splitEqually(amount: Pence, parts: number): Pence[] {
  return splitByWeights(amount, new Array<number>(parts).fill(1));
}
