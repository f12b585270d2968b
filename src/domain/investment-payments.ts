// Outcome payments of the contract register's social investments (issue 10 §3,
// docs/contracts.md#social-investment): an investor's capital pays for a scheme, and the fund
// repays it only for outcomes delivered — a price per admission avoided against a baseline, with
// a minimum below which the outcome is missed, a yearly cap and a cap over the whole arrangement.
//
// The outcome is measured per month (each month against the monthly baseline, paid that month)
// or per year (the year's twelve months against the yearly baseline, paid at M12). Months up to
// the one asked for are measured on the imported actuals; the rest of that year is a forecast
// on the metric's plan, by the same rule, so the forecast and the actuals add up the same way.
// Each figure is worked out by `outcomeRepayment` (social-investment.ts), which keeps the steps.

import { moneyStep, whole, type CalcStep } from './calc-step.js';
import { invariant, sumPence, type Pence } from './money.js';
import { formatPeriod, formatYear, monthOf, periodKey, yearOf, type PeriodKey } from './period.js';
import { outcomeRepayment, type RepaymentTerms } from './social-investment.js';

export type BaselinePer = 'month' | 'year';

export interface Investment {
  id: string;
  name: string;
  /** Who put the capital in (not a partner of the fund). */
  investor: string;
  description: string | null;
  /** The scheme the capital pays for; the repayments are its spend. */
  scheme: string;
  /** The partner that pays the investor, in whose ledger the payment journal is posted. */
  paidBy: string;
  /** The register metric measuring the outcome (lower is better: admissions). */
  metric: string;
  capital: { period: PeriodKey; pence: Pence }[];
  start: PeriodKey;
  end: PeriodKey;
  baselinePer: BaselinePer;
  /** Outcomes expected without the scheme, per month or per year. */
  baseline: number;
  /** A different baseline for some years, keyed `2026-27`. */
  baselineByYear: Record<string, number>;
  pencePerOutcome: Pence;
  /** Fewer avoided than this in a measured month (or year) is a missed outcome. */
  minimumOutcomes: number;
  yearCapPence: Pence | null;
  totalCapPence: Pence;
  /** The debit: the scheme spend codes in the paying partner's ledger (null: its coding's fund_spend). */
  spendCodes: Record<string, string> | null;
  /** The credit: the investor's creditor account in the paying partner's ledger. */
  creditorCodes: Record<string, string>;
}

/** A metric's whole-number plan and actual for a month (null: not imported). */
export interface OutcomeCount {
  period: PeriodKey;
  actual: number | null;
  plan: number | null;
}

export type PaymentBasis = 'actual' | 'plan' | 'none';

export interface PaymentPeriod {
  /** The month measured; for a yearly baseline, the year's M12 (when the year is paid). */
  period: PeriodKey;
  label: string;
  /** actual: measured; plan: forecast (a year's forecast mixes the actual months in); none: not measurable yet. */
  basis: PaymentBasis;
  baseline: number;
  measured: number | null;
  avoided: number;
  outcomeMet: boolean;
  earnedPence: Pence;
  duePence: Pence;
  /** Due over the arrangement so far, this period included. */
  cumulativePence: Pence;
  steps: CalcStep[];
}

export interface InvestmentSchedule {
  investment: string;
  upTo: PeriodKey;
  /** Measured periods up to `upTo`, from the start of the arrangement. */
  periods: PaymentPeriod[];
  /** The rest of `upTo`'s year (within the term), on the plan. */
  forecast: PaymentPeriod[];
  /** Due for the month `upTo` alone: what its journal raises. */
  duePeriodPence: Pence;
  dueYearToDatePence: Pence;
  /** Due since the start: the repayment so far. */
  dueToDatePence: Pence;
  /** Year to date plus the forecast for the rest of the year. */
  forecastYearPence: Pence;
  capitalPence: Pence;
  capitalToDatePence: Pence;
  /** Months up to `upTo` in the term with no actual imported (nothing is due for them until there is). */
  missingActuals: PeriodKey[];
}

export function baselineFor(inv: Investment, year: number): number {
  return inv.baselineByYear[formatYear(year)] ?? inv.baseline;
}

function nextPeriod(p: PeriodKey): PeriodKey {
  return monthOf(p) === 12 ? periodKey(yearOf(p) + 1, 1) : p + 1;
}

/** The months from `from` to `to`, both included. */
export function monthsBetween(from: PeriodKey, to: PeriodKey): PeriodKey[] {
  const out: PeriodKey[] = [];
  for (let p = from; p <= to; p = nextPeriod(p)) out.push(p);
  return out;
}

interface Running {
  totalPence: Pence;
  inYearPence: Pence;
  year: number;
}

function measure(inv: Investment, running: Running, at: { period: PeriodKey; label: string; basis: PaymentBasis; measured: number | null; why: string }): PaymentPeriod {
  const year = yearOf(at.period);
  if (year !== running.year) Object.assign(running, { year, inYearPence: 0 });
  const baseline = baselineFor(inv, year);
  const base = { period: at.period, label: at.label, basis: at.basis, baseline, measured: at.measured };
  if (at.basis === 'none' || at.measured === null) {
    const steps = [moneyStep('due', 0, `${at.label}: ${at.why}: nothing is due until it is`)];
    return { ...base, basis: 'none', avoided: 0, outcomeMet: false, earnedPence: 0, duePence: 0, cumulativePence: running.totalPence, steps };
  }
  const terms: RepaymentTerms = { id: inv.id, pencePerAvoidedAdmission: inv.pencePerOutcome, minimumAvoided: inv.minimumOutcomes, totalCapPence: inv.totalCapPence, yearCapPence: inv.yearCapPence };
  const what = at.basis === 'plan' ? `forecast for ${at.label}` : `due for ${at.label}`;
  const r = outcomeRepayment(terms, baseline, at.measured, running, what, at.basis === 'plan' ? 'planned' : 'actual');
  running.totalPence += r.duePence;
  running.inYearPence += r.duePence;
  return { ...base, avoided: r.avoided, outcomeMet: r.outcomeMet, earnedPence: r.earnedPence, duePence: r.duePence, cumulativePence: running.totalPence, steps: r.steps };
}

/** Each measured month (baseline per month): actual up to `upTo`, plan after it. */
function monthly(inv: Investment, counts: Map<PeriodKey, OutcomeCount>, upTo: PeriodKey, last: PeriodKey): PaymentPeriod[] {
  const running: Running = { totalPence: 0, inYearPence: 0, year: yearOf(inv.start) };
  return monthsBetween(inv.start, last).map((p) => {
    const c = counts.get(p);
    const forecast = p > upTo;
    const measured = (forecast ? c?.plan : c?.actual) ?? null;
    const why = forecast ? 'no plan imported for the month' : 'no actual imported for the month';
    return measure(inv, running, { period: p, label: formatPeriod(p), basis: forecast ? 'plan' : 'actual', measured, why });
  });
}

/** Each measured year (baseline per year), paid at M12: the year's actuals, plan for months after `upTo`. */
function yearly(inv: Investment, counts: Map<PeriodKey, OutcomeCount>, upTo: PeriodKey, last: PeriodKey): PaymentPeriod[] {
  const running: Running = { totalPence: 0, inYearPence: 0, year: yearOf(inv.start) };
  const out: PaymentPeriod[] = [];
  for (let year = yearOf(inv.start); year <= yearOf(last); year += 1) {
    const months = monthsBetween(periodKey(year, 1), periodKey(year, 12));
    const values = months.map((p) => (p > upTo ? counts.get(p)?.plan : counts.get(p)?.actual) ?? null);
    const gaps = months.filter((_, i) => values[i] === null);
    const measured = gaps.length === 0 ? values.reduce<number>((n, v) => n + v!, 0) : null;
    const why = `no ${months[11]! > upTo ? 'actual or plan' : 'actual'} for ${gaps.map((p) => `M${String(monthOf(p)).padStart(2, '0')}`).join(', ')}`;
    const basis: PaymentBasis = months[11]! > upTo ? 'plan' : 'actual';
    const row = measure(inv, running, { period: months[11]!, label: formatYear(year), basis, measured, why });
    if (measured !== null) row.steps.unshift({ label: 'measured', pence: null, count: measured, text: `${formatYear(year)}: ${whole(measured)} over the twelve months${basis === 'plan' ? ' (actual to date, plan after)' : ''}` });
    out.push(row);
  }
  return out;
}

/**
 * The arrangement's payments from its start up to `upTo`, and the forecast for the rest of that
 * year (within the term, so asked for before the start it is all forecast).
 */
export function investmentSchedule(inv: Investment, counts: readonly OutcomeCount[], upTo: PeriodKey): InvestmentSchedule {
  invariant(inv.start <= inv.end, `${inv.id}: the term ends before it starts`);
  const byPeriod = new Map(counts.map((c) => [c.period, c] as const));
  const yearEnd = periodKey(yearOf(upTo), 12);
  const last = Math.min(inv.end, yearEnd);
  const all = last < inv.start ? [] : inv.baselinePer === 'month' ? monthly(inv, byPeriod, upTo, last) : yearly(inv, byPeriod, upTo, last);
  const measured = all.filter((p) => p.period <= upTo);
  const forecast = all.filter((p) => p.period > upTo);
  const dueToDate = sumPence(measured.map((p) => p.duePence));
  const dueYearToDate = sumPence(measured.filter((p) => yearOf(p.period) === yearOf(upTo)).map((p) => p.duePence));
  const capitalPence = sumPence(inv.capital.map((c) => c.pence));
  invariant(dueToDate <= inv.totalCapPence && sumPence(all.map((p) => p.duePence)) <= inv.totalCapPence, `${inv.id}: payments stay within the total cap`);
  return {
    investment: inv.id,
    upTo,
    periods: measured,
    forecast,
    duePeriodPence: measured.find((p) => p.period === upTo && p.basis === 'actual')?.duePence ?? 0,
    dueYearToDatePence: dueYearToDate,
    dueToDatePence: dueToDate,
    forecastYearPence: dueYearToDate + sumPence(forecast.map((p) => p.duePence)),
    capitalPence,
    capitalToDatePence: sumPence(inv.capital.filter((c) => c.period <= upTo).map((c) => c.pence)),
    missingActuals: upTo < inv.start ? [] : monthsBetween(inv.start, Math.min(upTo, inv.end)).filter((p) => (byPeriod.get(p)?.actual ?? null) === null),
  };
}
