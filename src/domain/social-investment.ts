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

/** The terms one outcome payment is worked out under (a SocialInvestment has them; so does a register's arrangement). */
export interface RepaymentTerms {
  id: string;
  pencePerAvoidedAdmission: Pence;
  minimumAvoided: number;
  totalCapPence: Pence;
  yearCapPence: Pence | null;
}

/** What one measured stretch (a year, or a month of one) earns and is due, with its steps. */
export interface OutcomeRepayment {
  avoided: number;
  outcomeMet: boolean;
  earnedPence: Pence;
  duePence: Pence;
  steps: CalcStep[];
}

function checkTerms(terms: RepaymentTerms): void {
  invariant(Number.isSafeInteger(terms.minimumAvoided) && terms.minimumAvoided >= 0, `${terms.id}: minimum avoided must be a non-negative whole number, got ${terms.minimumAvoided}`);
  assertPence(terms.pencePerAvoidedAdmission, 'price per avoided admission');
  assertPence(terms.totalCapPence, 'total cap');
  invariant(terms.totalCapPence >= 0 && terms.pencePerAvoidedAdmission >= 0, `${terms.id}: prices and caps are not negative`);
  if (terms.yearCapPence !== null) assertPence(terms.yearCapPence, 'year cap');
}

/**
 * One stretch's repayment: avoided = max(0, baseline − actual); nothing if none or fewer than the
 * minimum were avoided; otherwise avoided × price, capped by what is left of the year cap (after
 * `before.inYearPence` already due in the same year) and of the total cap (after `before.totalPence`).
 */
export function outcomeRepayment(terms: RepaymentTerms, baseline: number, actual: number, before: { totalPence: Pence; inYearPence: Pence }, dueText: string, measuredAs: 'actual' | 'planned' = 'actual'): OutcomeRepayment {
  checkTerms(terms);
  for (const [what, n] of [['baseline', baseline], ['actual', actual]] as const) {
    invariant(Number.isSafeInteger(n) && n >= 0, `${terms.id}: ${what} admissions must be a non-negative whole number, got ${n}`);
  }
  const avoided = Math.max(0, baseline - actual);
  const steps: CalcStep[] = [countStep('avoided', avoided, `avoided admissions = max(0, baseline ${whole(baseline)} − ${measuredAs} ${whole(actual)}) = ${whole(avoided)}`)];
  if (avoided === 0 || avoided < terms.minimumAvoided) {
    const why = avoided === 0 ? 'no admissions were avoided' : `${whole(avoided)} avoided is below the minimum of ${whole(terms.minimumAvoided)}`;
    steps.push(moneyStep('due', 0, `outcome missed (${why}): nothing is due`));
    return { avoided, outcomeMet: false, earnedPence: 0, duePence: 0, steps };
  }
  const earned = timesCount(terms.pencePerAvoidedAdmission, avoided);
  steps.push(moneyStep('earned', earned, `${whole(avoided)} × ${gbp(terms.pencePerAvoidedAdmission)} = ${gbp(earned)}`));
  let due = earned;
  if (terms.yearCapPence !== null) {
    const yearRoom = Math.max(0, terms.yearCapPence - before.inYearPence);
    if (due > yearRoom) {
      due = yearRoom;
      const text = before.inYearPence === 0 ? `capped at ${gbp(terms.yearCapPence)} a year` : `capped by what is left of the year cap: ${gbp(terms.yearCapPence)} − ${gbp(before.inYearPence)} already due this year = ${gbp(yearRoom)}`;
      steps.push(moneyStep('capped_year', due, text));
    }
  }
  const room = Math.max(0, terms.totalCapPence - before.totalPence);
  if (due > room) {
    due = room;
    steps.push(moneyStep('capped_total', due, `capped by what is left of the total cap: ${gbp(terms.totalCapPence)} − ${gbp(before.totalPence)} already due = ${gbp(room)}`));
  }
  steps.push(moneyStep('due', due, `${dueText}: ${gbp(due)}`));
  invariant(due >= 0 && due <= earned && before.totalPence + due <= Math.max(terms.totalCapPence, before.totalPence), 'a repayment never exceeds what was earned or the caps');
  return { avoided, outcomeMet: true, earnedPence: earned, duePence: due, steps };
}

/** One year's repayment, given what has already been repaid in earlier years. */
export function repaymentForYear(inv: SocialInvestment, year: YearStart, actualAdmissions: number, repaidBeforePence: Pence): RepaymentYear {
  const r = outcomeRepayment(inv, inv.baselineAdmissions, actualAdmissions, { totalPence: repaidBeforePence, inYearPence: 0 }, `due for ${formatYear(year)}`);
  return {
    year,
    baselineAdmissions: inv.baselineAdmissions,
    actualAdmissions,
    avoidedAdmissions: r.avoided,
    outcomeMet: r.outcomeMet,
    earnedPence: r.earnedPence,
    duePence: r.duePence,
    cumulativePence: repaidBeforePence + r.duePence,
    steps: r.steps,
  };
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
