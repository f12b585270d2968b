// `tandem investments` (docs/contracts.md#social-investment): each social investment of the
// register in force, with the payments due from the imported actuals of its outcome metric, the
// forecast for the rest of the year on the metric's plan, and the calculation's steps; and the
// payment due for a month as a journal in the paying partner's ledger (investment-journals.ts).

import { investmentSchedule, type Investment, type OutcomeCount, type PaymentPeriod } from '../domain/investment-payments.js';
import type { Pence } from '../domain/money.js';
import { formatPeriod, type PeriodKey } from '../domain/period.js';
import type { MeasureInForce } from '../store/contract-types.js';
import { resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { registerInForce } from './contracts.js';
import { TandemError } from './errors.js';

export interface InvestmentRow {
  id: string;
  name: string;
  investor: string;
  scheme: string;
  paidBy: string;
  metric: string;
  baselinePer: Investment['baselinePer'];
  start: string;
  end: string;
  capital: { received: string; pence: Pence }[];
  capitalPence: Pence;
  capitalToDatePence: Pence;
  pencePerOutcome: Pence;
  minimumOutcomes: number;
  yearCapPence: Pence | null;
  totalCapPence: Pence;
  /** Due for the month asked for alone (what `investments journals` raises). */
  duePeriodPence: Pence;
  dueYearToDatePence: Pence;
  /** Repaid (due) since the start of the arrangement, the month asked for included. */
  dueToDatePence: Pence;
  forecastRestOfYearPence: Pence;
  forecastYearPence: Pence;
  /** What the total cap still allows after what is due to date. */
  totalCapLeftPence: Pence;
  /** Due to date less the capital: what the investor has made (negative: not yet repaid). */
  returnToDatePence: Pence;
  periods: PaymentPeriod[];
  forecast: PaymentPeriod[];
  missingActuals: string[];
}

export interface InvestmentsReport {
  fundId: string;
  registerVersion: number;
  /** null when the register has no investments and no period was asked for. */
  period: string | null;
  investments: InvestmentRow[];
}

/** A metric's plan and actual as whole numbers (stored in hundredths), or a clear refusal. */
function wholeCounts(metric: string, measures: readonly MeasureInForce[]): OutcomeCount[] {
  const whole = (v: number | null, m: MeasureInForce, what: string): number | null => {
    if (v === null) return null;
    if (v % 100 !== 0 || v < 0) {
      throw new TandemError('INVESTMENT_MEASURE_NOT_WHOLE', `metric ${metric}'s ${what} for ${formatPeriod(m.period)} is not a whole number of 0 or more (batch ${m.batchId}, line ${m.lineNo}): outcome payments count whole outcomes`);
    }
    return v / 100;
  };
  return measures.filter((m) => m.subject === metric).map((m) => ({ period: m.period, actual: whole(m.value, m, 'actual'), plan: whole(m.plan, m, 'plan') }));
}

/** The latest month with an actual of any investment's metric; else the earliest start. */
function defaultPeriod(investments: readonly Investment[], measures: readonly MeasureInForce[]): PeriodKey {
  const used = new Set(investments.map((i) => i.metric));
  const actuals = measures.filter((m) => used.has(m.subject) && m.value !== null).map((m) => m.period);
  return actuals.length > 0 ? Math.max(...actuals) : Math.min(...investments.map((i) => i.start));
}

export async function investmentsReport(ctx: AppContext, options: { fundId?: string; period?: PeriodKey } = {}): Promise<InvestmentsReport> {
  const { models: _models, ...report } = await investmentsWithModels(ctx, options);
  return report;
}

/** The report, and each row's arrangement as the register holds it (for its journal). */
export async function investmentsWithModels(ctx: AppContext, options: { fundId?: string; period?: PeriodKey }): Promise<InvestmentsReport & { models: Investment[] }> {
  const fundId = await resolveFund(ctx, options.fundId);
  const { record, register } = await registerInForce(ctx, fundId);
  const investments = register.investments ?? [];
  const measures = await ctx.store.measuresInForce(fundId, 'metrics');
  if (investments.length === 0) return { fundId, registerVersion: record.version, period: options.period === undefined ? null : formatPeriod(options.period), investments: [], models: [] };
  const period = options.period ?? defaultPeriod(investments, measures);
  const rows = investments.map((inv): InvestmentRow => {
    const s = investmentSchedule(inv, wholeCounts(inv.metric, measures), period);
    const forecastRest = s.forecastYearPence - s.dueYearToDatePence;
    return {
      id: inv.id,
      name: inv.name,
      investor: inv.investor,
      scheme: inv.scheme,
      paidBy: inv.paidBy,
      metric: inv.metric,
      baselinePer: inv.baselinePer,
      start: formatPeriod(inv.start),
      end: formatPeriod(inv.end),
      capital: inv.capital.map((c) => ({ received: formatPeriod(c.period), pence: c.pence })),
      capitalPence: s.capitalPence,
      capitalToDatePence: s.capitalToDatePence,
      pencePerOutcome: inv.pencePerOutcome,
      minimumOutcomes: inv.minimumOutcomes,
      yearCapPence: inv.yearCapPence,
      totalCapPence: inv.totalCapPence,
      duePeriodPence: s.duePeriodPence,
      dueYearToDatePence: s.dueYearToDatePence,
      dueToDatePence: s.dueToDatePence,
      forecastRestOfYearPence: forecastRest,
      forecastYearPence: s.forecastYearPence,
      totalCapLeftPence: inv.totalCapPence - s.dueToDatePence,
      returnToDatePence: s.dueToDatePence - s.capitalPence,
      periods: s.periods,
      forecast: s.forecast,
      missingActuals: s.missingActuals.map(formatPeriod),
    };
  });
  return { fundId, registerVersion: record.version, period: formatPeriod(period), investments: rows, models: investments };
}
