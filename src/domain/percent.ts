// Percentages in the agreement (fixed shares, caps, RAG thresholds) have at most two decimals;
// the core uses them as integer basis points, read from the number's decimal text, so no binary
// fraction is ever rounded and every comparison is exact integer arithmetic.

import { invariant, type Pence } from './money.js';

/** 12.5 → 1250. */
export function basisPoints(percent: number): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(percent));
  invariant(m !== null, `percentage ${percent} must be non-negative with at most two decimals`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** |amount| > percent% of base, exactly (base ≥ 0). */
export function exceedsPercent(amount: Pence, base: Pence, percent: number): boolean {
  const magnitude = BigInt(Math.abs(amount)) * 10_000n;
  return magnitude > BigInt(base) * BigInt(basisPoints(percent));
}

/** percent% of base, rounded down to the penny (base ≥ 0). */
export function percentOf(base: Pence, percent: number): Pence {
  return Number((BigInt(base) * BigInt(basisPoints(percent))) / 10_000n);
}
