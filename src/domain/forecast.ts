// Forecast outturn (domain.md §6). "On plan from here" (default): YTD actual plus the budget of
// the months still to come. Run rate: YTD actual × 12 / m, to the nearest penny, halves away
// from zero. A scheme lead's forecast for the month overrides either. At M12 every method gives
// the actual outturn unless a lead's forecast for M12 says otherwise.

import type { FotMethod } from './agreement.js';
import { assertPence, invariant, sumPence, type Pence } from './money.js';

/** round(a / b) with halves away from zero, exactly, for integers (b > 0). */
export function divideRounded(a: bigint, b: bigint): bigint {
  invariant(b > 0n, 'divisor must be positive');
  const q = a / b;
  const r = a % b;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

export interface ForecastInput {
  method: FotMethod;
  month: number; // 1..12
  ytdActualPence: Pence;
  monthlyBudgetPence: readonly Pence[];
  /** The lead's forecast for this month, if one was submitted. */
  leadForecastPence?: Pence | null;
}

export interface Forecast {
  fotPence: Pence;
  basis: 'plan' | 'run_rate' | 'lead' | 'actual';
}

export function forecastOutturn(input: ForecastInput): Forecast {
  const { month, ytdActualPence } = input;
  invariant(Number.isInteger(month) && month >= 1 && month <= 12, `month ${month} is not 1..12`);
  assertPence(ytdActualPence, 'YTD actual');
  if (input.leadForecastPence !== undefined && input.leadForecastPence !== null) {
    assertPence(input.leadForecastPence, 'lead forecast');
    return { fotPence: input.leadForecastPence, basis: 'lead' };
  }
  if (month === 12) return { fotPence: ytdActualPence, basis: 'actual' };
  if (input.method === 'run_rate') {
    const fot = Number(divideRounded(BigInt(ytdActualPence) * 12n, BigInt(month)));
    assertPence(fot, 'run-rate forecast');
    return { fotPence: fot, basis: 'run_rate' };
  }
  // 'plan', and 'lead' without a forecast this month, fall back to on plan from here.
  return { fotPence: ytdActualPence + sumPence(input.monthlyBudgetPence.slice(month)), basis: 'plan' };
}
