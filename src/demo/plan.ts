// The story the demo's synthetic year tells, as numbers (all whole pence): each scheme's monthly
// budget as examples/sheffield/agreement.yaml phases it, how far spending runs from it, and how
// each month's spend on a scheme is shared between the council's and the CCG's ledgers.
//
//   pkw   ~3% under (vacancies in Local Area Coordination)        council ~56%, CCG ~44%
//   ils   on its profile (equipment billed more in spring/March)  council, CCG wheelchairs quarterly
//   asr   ~2% under (STIT vacancies)                              council ~25%, CCG ~75% (block contracts)
//   lths  over, and growing: care-home placements and fees        council ~60%, CCG ~40% (CHC)
//   nel   ~1% over, with the winter peak of its profile weights   CCG only
//
// The mix follows the hand-made M01–M03 extracts (EXPECTED.md's per-ledger tables).

import { calendarMonthOf, periodKey } from '../domain/period.js';
import { between, randomFor } from './random.js';

export type SchemeId = 'pkw' | 'ils' | 'asr' | 'lths' | 'nel';
export type LedgerId = 'scc' | 'sccg';

export const SCHEMES: readonly SchemeId[] = ['pkw', 'ils', 'asr', 'lths', 'nel'];
export const YEAR_START = 2025;

/** Annual budgets of 2025-26 (the sum of the partners' contributions in the agreement). */
export const ANNUAL_BUDGET: Readonly<Record<SchemeId, number>> = {
  pkw: 16_000_000_00,
  ils: 10_000_000_00,
  asr: 52_000_000_00,
  lths: 107_000_000_00,
  nel: 93_000_000_00,
};

const ILS_PROFILE = [900000, 850000, 850000, 800000, 800000, 800000, 850000, 800000, 800000, 800000, 800000, 950000];
const NEL_WEIGHTS = [8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 8];

/** The hand-made M01–M03 actuals of lths, both ledgers (EXPECTED.md), for the lead's forecast. */
const LTHS_HAND_MADE_Q1 = 2_737_156_675;

/** A scheme's budget for month 1..12 (to the penny, give or take the agreement's phasing remainder). */
export function monthlyPlan(scheme: SchemeId, month: number): number {
  if (scheme === 'ils') return ILS_PROFILE[month - 1]! * 100;
  if (scheme === 'nel') return Math.round((ANNUAL_BUDGET.nel * NEL_WEIGHTS[month - 1]!) / 100);
  return Math.round(ANNUAL_BUDGET[scheme] / 12);
}

/** Spend as a multiple of budget: lths starts ~1% over at M04 and climbs 0.4 points a month. */
export function outturnFactor(scheme: SchemeId, month: number): number {
  switch (scheme) {
    case 'pkw':
      return 0.97;
    case 'ils':
      return 0.995;
    case 'asr':
      return 0.98;
    case 'lths':
      return 1.012 + 0.004 * (month - 4);
    case 'nel':
      return 1.008;
  }
}

/** Each scheme's spend in a month, both ledgers together: plan × factor, ±0.8% noise. */
export function schemeTargets(seed: number, month: number): Record<SchemeId, number> {
  const random = randomFor(seed, 'targets', month);
  const targets = {} as Record<SchemeId, number>;
  for (const s of SCHEMES) targets[s] = Math.round(monthlyPlan(s, month) * outturnFactor(s, month) * between(random, 0.992, 1.008));
  return targets;
}

/** The CCG's share of a scheme's monthly spend beyond its set contract lines. */
const CCG_SHARE: Readonly<Record<SchemeId, number>> = { pkw: 0.063, ils: 0, asr: 0.007, lths: 0.405, nel: 1 };

/** The CCG's set lines per scheme and month (contracts), matching its catalogue. */
function ccgContracts(scheme: SchemeId, month: number): number {
  const quarterEnd = month % 3 === 0;
  if (scheme === 'pkw') return 486_000_00;
  if (scheme === 'ils') return quarterEnd ? 45_000_00 : 0;
  if (scheme === 'asr') return 3_200_000_00 - (quarterEnd ? 62_500_00 : 0);
  return 0;
}

/** The part of a scheme's monthly spend recorded in a ledger; the two parts add to the target. */
export function ledgerPart(ledger: LedgerId, scheme: SchemeId, month: number, target: number): number {
  const ccg = scheme === 'nel' ? target : Math.round(CCG_SHARE[scheme] * target) + ccgContracts(scheme, month);
  return ledger === 'sccg' ? ccg : target - ccg;
}

/** The lths lead's forecast outturn at a month: the expected year, a little optimistic early on. */
export function leadForecastPence(month: number): number {
  let expected = LTHS_HAND_MADE_Q1;
  for (let m = 4; m <= 12; m++) expected += monthlyPlan('lths', m) * outturnFactor('lths', m);
  const forecast = expected - (12 - month) * 60_000_00;
  return Math.round(forecast / 1_000_000) * 1_000_000; // to the nearest £10,000
}

export interface MonthCalendar {
  month: number;
  name: string;
  /** Calendar year and month (1..12) the financial month falls in. */
  year: number;
  calendarMonth: number;
  days: number;
  /** DD/MM/YYYY for day 1..days (index 0 unused). */
  dates: string[];
  /** Mondays of the month (weekly direct payments). */
  mondays: number[];
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function monthCalendar(month: number): MonthCalendar {
  const { year, month: calendarMonth } = calendarMonthOf(periodKey(YEAR_START, month));
  const days = new Date(Date.UTC(year, calendarMonth, 0)).getUTCDate();
  const mm = String(calendarMonth).padStart(2, '0');
  const dates = [''];
  const mondays: number[] = [];
  for (let d = 1; d <= days; d++) {
    dates.push(`${String(d).padStart(2, '0')}/${mm}/${year}`);
    if (new Date(Date.UTC(year, calendarMonth - 1, d)).getUTCDay() === 1) mondays.push(d);
  }
  return { month, name: MONTH_NAMES[calendarMonth - 1]!, year, calendarMonth, days, dates, mondays };
}
