// Period locking: a closed period is locked until it is reopened (audited, with a reason). Imports,
// forecasts and closes check here, inside their transaction and after taking the fund's lock,
// so a close and an import of the same fund cannot interleave.

import { formatPeriod, formatYear, yearOf, type PeriodKey } from '../domain/period.js';
import type { PeriodEvent, Store } from '../store/types.js';
import { TandemError } from './errors.js';

export async function periodStates(store: Store, fundId: string): Promise<Map<PeriodKey, PeriodEvent>> {
  return new Map((await store.latestPeriodEvents(fundId)).map((e) => [e.period, e]));
}

export async function lockedPeriods(store: Store, fundId: string): Promise<PeriodKey[]> {
  return [...(await periodStates(store, fundId)).values()].filter((e) => e.action === 'close').map((e) => e.period);
}

/** Refuse to write into a locked period; `what` names the thing refused, e.g. "ledger scc's extract x.csv". */
export async function assertPeriodsOpen(store: Store, fundId: string, periods: readonly PeriodKey[], what: string, file: string | null = null): Promise<void> {
  const locked = new Set(await lockedPeriods(store, fundId));
  const hit = periods.filter((p) => locked.has(p));
  if (hit.length === 0) return;
  const names = hit.map(formatPeriod);
  throw new TandemError(
    'PERIOD_LOCKED',
    `${what} touches ${names.join(', ')}, which ${hit.length === 1 ? 'is' : 'are'} closed and locked; nothing was written. To change a closed period, reopen it first: tandem reopen ${names[0]} --reason "…"`,
    names.map((n) => ({ code: 'PERIOD_LOCKED', message: `${n} is closed`, file, line: null, column: null })),
  );
}

/** A final year (after `tandem year-end`) is closed for good: refuse to reopen any of its months. */
export async function assertYearNotFinal(store: Store, fundId: string, period: PeriodKey): Promise<void> {
  const yearEnd = await store.getYearEnd(fundId, yearOf(period));
  if (!yearEnd) return;
  throw new TandemError('YEAR_FINAL', `${formatYear(yearOf(period))} is final (year-end on ${yearEnd.at} by ${yearEnd.actor}), so ${formatPeriod(period)} cannot be reopened; a correction belongs in the next year. Nothing was written`);
}
