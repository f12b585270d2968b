// The fund's contracts (issue 10 §1, docs/contracts.md): who provides what, for which schemes,
// under which payment mechanism, and which ledger lines are its spend. And what a contract is due
// up to a month, from the activity or outcomes recorded against it. Pure, integer pence.
//
// A contract's payment terms are stated for a contract year, which is the fund's financial year
// (April to March): caps, thresholds and tiers apply to the year's activity. A block contract
// pays its annual value phased over the year's twelve months, and nothing for the months of the
// year outside its term, so a contract starting in July pays nine twelfths of a year.

import type { MappingRule } from './agreement.js';
import type { Investment } from './investment-payments.js';
import { countStep, gbp, moneyStep, whole, type CalcStep } from './calc-step.js';
import { invariant, sumPence, type Pence } from './money.js';
import { blockMonths, periodPayment, yearPayments, type PaymentTerms } from './payments.js';
import { formatPeriod, monthOf, periodKey, yearOf, type PeriodKey, type YearStart } from './period.js';

export interface Provider {
  id: string;
  name: string;
}

/** Lines of one ledger that are a contract's spend: a rule on the ledger's analysis code columns. */
export interface SpendMatch {
  ledger: string;
  /** Conditions as in a mapping rule (target: the contract), all of which must hold. */
  rule: MappingRule;
}

export interface Contract {
  id: string;
  name: string;
  provider: string;
  leadCommissioner: string;
  schemes: string[];
  /** What the contract is expected to cost in a full year (for a block contract, its value). */
  annualValuePence: Pence;
  start: PeriodKey;
  end: PeriodKey;
  payment: PaymentTerms;
  spend: SpendMatch[];
  /** What one unit of activity is (a bed day, a visit), for reports. */
  unit: string | null;
  /** What counts as one outcome, for reports. */
  outcome: string | null;
  description: string | null;
}

export type MetricDirection = 'lower_is_better' | 'higher_is_better';

/** A BCF-style outcome metric with its plan and RAG thresholds (the actuals are imported). */
export interface Metric {
  id: string;
  name: string;
  /** How values are read: a count, a percentage, a rate per 100,000. */
  unit: string;
  direction: MetricDirection;
  /** Worse than plan by more than this percentage of the plan: Amber. */
  amberPercent: number;
  /** Worse than plan by more than this percentage of the plan: Red. */
  redPercent: number;
}

export interface ContractRegister {
  providers: Provider[];
  contracts: Contract[];
  metrics: Metric[];
  /** Social investments repaid per outcome; absent in registers stored before they existed. */
  investments?: Investment[];
}

export function inTerm(contract: Pick<Contract, 'start' | 'end'>, period: PeriodKey): boolean {
  return period >= contract.start && period <= contract.end;
}

export interface ContractDue {
  /** What each month of the year is due (0 outside the term, and after the month asked for). */
  monthsPence: Pence[];
  /** Due for the year up to and including the month asked for. */
  ytdPence: Pence;
  /** Due for the month asked for alone. */
  monthPence: Pence;
  /** Units (cost and volume) or outcomes (outcome-based) counted, year to date; null for a block. */
  ytdCount: number | null;
  steps: CalcStep[];
}

/**
 * What a contract is due for the financial year of `period`, up to `period`. `monthlyCounts` are
 * the year's units (cost and volume) or outcomes (outcome-based) per month, M01..M12; a block
 * contract ignores them, and months after `period` are not counted.
 */
export function contractDue(contract: Contract, period: PeriodKey, monthlyCounts: readonly number[]): ContractDue {
  invariant(monthlyCounts.length === 12, 'a contract year has twelve months of counts');
  const year: YearStart = yearOf(period);
  const upTo = monthOf(period);
  const inTermMonths = Array.from({ length: 12 }, (_, i) => inTerm(contract, periodKey(year, i + 1)));
  const terms = contract.payment;
  if (terms.kind === 'block') {
    const phased = blockMonths(terms);
    const monthsPence = phased.map((p, i) => (inTermMonths[i] && i < upTo ? p : 0));
    const ytdPence = sumPence(monthsPence);
    const termMonths = inTermMonths.slice(0, upTo).filter(Boolean).length;
    const steps = [
      moneyStep('annual_value', terms.annualPence, `block value ${gbp(terms.annualPence)} a year, phased over twelve months by the largest-remainder rule`),
      moneyStep('due', ytdPence, `${termMonths} month(s) of the term to ${formatPeriod(period)}: ${gbp(ytdPence)}`),
    ];
    return { monthsPence, ytdPence, monthPence: monthsPence[upTo - 1]!, ytdCount: null, steps };
  }
  const counted = monthlyCounts.map((n, i) => (i < upTo && inTermMonths[i] ? n : 0));
  const year12 = yearPayments(terms, counted);
  const ytdCount = counted.reduce((a, b) => a + b, 0);
  const ytd = periodPayment(terms, ytdCount);
  invariant(ytd.pence === year12.annualPence, 'the months due add back to the payment for the year-to-date count');
  const steps = [countStep('year_to_date', ytdCount, `${whole(ytdCount)} ${terms.kind === 'outcome' ? 'outcomes' : 'units'} to ${formatPeriod(period)} (annual terms apply to the year to date)`), ...ytd.steps];
  return { monthsPence: year12.monthsPence, ytdPence: ytd.pence, monthPence: year12.monthsPence[upTo - 1]!, ytdCount, steps };
}
