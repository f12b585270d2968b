// Social investment (issue 10; domain.md §1): an investor puts capital into a scheme and is
// repaid only if agreed outcomes are delivered. Here the outcome is avoided emergency
// admissions against a baseline: for each year, avoided = max(0, baseline − actual), and the
// fund owes `pencePerAvoidedAdmission` for each, provided at least `minimumAvoided` were avoided
// (otherwise the outcome is missed and nothing is due). What is due is capped per year (if a
// cap is stated) and in total over the life of the arrangement; the total cap binds across years,
// so once it is reached later years owe nothing. Everything is whole admissions × integer pence,
// so no rounding arises; each year's calculation is kept as steps a report prints.

import { countStep, gbp, moneyStep, timesCount, whole, type CalcStep } from './calc-step.js';
import { assertPence, invariant, sumPence, type Pence } from './money.js';
import { formatYear, type YearStart } from './period.js';

export interface SocialInvestment {
  id: string;
  name: string;
  /** Who invests: not a partner of the fund. */
  investor: string;
  /** The scheme the capital pays for, and whose spend the repayments are. */
  scheme: string;
  /** Capital put in, by year. */
  capitalPence: Readonly<Record<YearStart, Pence>>;
  /** Paid per avoided admission. */
  pencePerAvoidedAdmission: Pence;
  /** Admissions a year expected without the scheme. */
  baselineAdmissions: number;
  /** Fewer avoided admissions than this in a year is a missed outcome: nothing is due. 0 = none. */
  minimumAvoided: number;
  /** The most repaid over the whole arrangement. */
  totalCapPence: Pence;
  /** The most repaid in any one year; null = no yearly cap. */
  yearCapPence: Pence | null;
}

export interface RepaymentYear {
  year: YearStart;
  baselineAdmissions: number;
  actualAdmissions: number;
  avoidedAdmissions: number;
  /** False when nothing was avoided, or fewer than the minimum. */
  outcomeMet: boolean;
  /** Avoided × the price, before any cap. */
  earnedPence: Pence;
  duePence: Pence;
  /** Repaid so far, this year included. */
  cumulativePence: Pence;
  steps: CalcStep[];
}

export interface RepaymentSchedule {
  investment: string;
  capitalPence: Pence;
  years: RepaymentYear[];
  totalDuePence: Pence;
  /** What the investor gets back beyond its capital (negative: a loss). */
  investorReturnPence: Pence;
}

function checkTerms(inv: SocialInvestment): void {
  for (const [what, n] of [['baseline', inv.baselineAdmissions], ['minimum avoided', inv.minimumAvoided]] as const) {
    invariant(Number.isSafeInteger(n) && n >= 0, `${inv.id}: ${what} admissions must be a non-negative whole number, got ${n}`);
  }
  assertPence(inv.pencePerAvoidedAdmission, 'price per avoided admission');
  assertPence(inv.totalCapPence, 'total cap');
  invariant(inv.totalCapPence >= 0 && inv.pencePerAvoidedAdmission >= 0, `${inv.id}: prices and caps are not negative`);
  if (inv.yearCapPence !== null) assertPence(inv.yearCapPence, 'year cap');
}

/** One year's repayment, given what has already been repaid in earlier years. */
export function repaymentForYear(inv: SocialInvestment, year: YearStart, actualAdmissions: number, repaidBeforePence: Pence): RepaymentYear {
  checkTerms(inv);
  invariant(Number.isSafeInteger(actualAdmissions) && actualAdmissions >= 0, `${inv.id}: admissions must be a non-negative whole number, got ${actualAdmissions}`);
  const baseline = inv.baselineAdmissions;
  const avoided = Math.max(0, baseline - actualAdmissions);
  const steps: CalcStep[] = [
    countStep('avoided', avoided, `avoided admissions = max(0, baseline ${whole(baseline)} − actual ${whole(actualAdmissions)}) = ${whole(avoided)}`),
  ];
  const result = (earned: Pence, due: Pence, met: boolean): RepaymentYear => ({
    year,
    baselineAdmissions: baseline,
    actualAdmissions,
    avoidedAdmissions: avoided,
    outcomeMet: met,
    earnedPence: earned,
    duePence: due,
    cumulativePence: repaidBeforePence + due,
    steps,
  });
  if (avoided === 0 || avoided < inv.minimumAvoided) {
    const why = avoided === 0 ? 'no admissions were avoided' : `${whole(avoided)} avoided is below the minimum of ${whole(inv.minimumAvoided)}`;
    steps.push(moneyStep('due', 0, `outcome missed (${why}): nothing is due`));
    return result(0, 0, false);
  }
  const earned = timesCount(inv.pencePerAvoidedAdmission, avoided);
  steps.push(moneyStep('earned', earned, `${whole(avoided)} × ${gbp(inv.pencePerAvoidedAdmission)} = ${gbp(earned)}`));
  let due = earned;
  if (inv.yearCapPence !== null && due > inv.yearCapPence) {
    due = inv.yearCapPence;
    steps.push(moneyStep('capped_year', due, `capped at ${gbp(inv.yearCapPence)} a year`));
  }
  const room = Math.max(0, inv.totalCapPence - repaidBeforePence);
  if (due > room) {
    due = room;
    steps.push(moneyStep('capped_total', due, `capped by what is left of the total cap: ${gbp(inv.totalCapPence)} − ${gbp(repaidBeforePence)} already due = ${gbp(room)}`));
  }
  steps.push(moneyStep('due', due, `due for ${formatYear(year)}: ${gbp(due)}`));
  invariant(due >= 0 && due <= earned && repaidBeforePence + due <= Math.max(inv.totalCapPence, repaidBeforePence), 'a repayment never exceeds what was earned or the caps');
  return result(earned, due, true);
}

/**
 * Repayments for a run of years, in the order given (years ascending): from actual admissions
 * for years past, or from planned admissions for a forecast — the rule is the same.
 */
export function repaymentSchedule(inv: SocialInvestment, admissions: readonly { year: YearStart; admissions: number }[]): RepaymentSchedule {
  const years: RepaymentYear[] = [];
  let repaid = 0;
  let previous: YearStart | null = null;
  for (const { year, admissions: actual } of admissions) {
    invariant(previous === null || year > previous, `${inv.id}: years must be in ascending order`);
    previous = year;
    const y = repaymentForYear(inv, year, actual, repaid);
    repaid = y.cumulativePence;
    years.push(y);
  }
  const totalDue = sumPence(years.map((y) => y.duePence));
  invariant(totalDue === repaid && totalDue <= inv.totalCapPence, `${inv.id}: repayments add up and stay within the total cap`);
  const capital = sumPence(Object.values(inv.capitalPence));
  return { investment: inv.id, capitalPence: capital, years, totalDuePence: totalDue, investorReturnPence: totalDue - capital };
}
