// One step of a calculation shown to a reader (a payment, a repayment, a projected figure): what
// was done, the figure it produced, and the same in words. Reports print the text; the data is
// kept beside it so a test or a spreadsheet can check the arithmetic without parsing prose.

import { assertPence, formatPounds, invariant, type Pence } from './money.js';

export interface CalcStep {
  /** Short stable name of the step, e.g. `avoided`, `capped_total`. */
  label: string;
  /** The money figure the step produced, if any. */
  pence: Pence | null;
  /** A count the step produced (units, outcomes, admissions), if any. */
  count: number | null;
  text: string;
}

export function moneyStep(label: string, pence: Pence, text: string): CalcStep {
  assertPence(pence, label);
  return { label, pence, count: null, text };
}

export function countStep(label: string, count: number, text: string): CalcStep {
  invariant(Number.isSafeInteger(count), `${label} must be a whole number, got ${count}`);
  return { label, pence: null, count, text };
}

export const gbp = (p: Pence): string => formatPounds(p, { symbol: true });

export const whole = (n: number): string => n.toLocaleString('en-GB');

/** price × count exactly, or a crash if the product leaves the safe integer range. */
export function timesCount(pricePence: Pence, count: number): Pence {
  assertPence(pricePence, 'price');
  invariant(Number.isSafeInteger(count) && count >= 0, `a count must be a non-negative whole number, got ${count}`);
  const product = BigInt(pricePence) * BigInt(count);
  invariant(product <= BigInt(Number.MAX_SAFE_INTEGER) && product >= -BigInt(Number.MAX_SAFE_INTEGER), `${pricePence} × ${count} pence is beyond the largest amount Tandem holds`);
  return Number(product);
}
