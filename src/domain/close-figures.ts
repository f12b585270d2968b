// The figures of a month-end close for each scheme (domain.md §§4, 6): budget, phased and year
// to date; actuals year to date; forecast outturn by the scheme's method; variances; RAG.
// Pooled schemes are forecast as a whole. Aligned schemes are forecast partner by partner (own
// YTD actual plus own remaining phased contribution, by default), because each partner bears its
// own variance (§7); a lead's forecast for an aligned scheme is split between its partners in
// proportion to their contributions (docs/decisions/0007-close.md).

import type { Agreement, RagThresholds, Scheme } from './agreement.js';
import { forecastOutturn, type Forecast } from './forecast.js';
import { assertPence, invariant, sumPence, type Pence } from './money.js';
import { exceedsPercent } from './percent.js';
import type { YearStart } from './period.js';
import { annualBudget, contribution, monthlyBudget, monthlyContribution, yearToDate } from './phasing.js';
import { splitByWeights } from './split.js';

export type Rag = 'red' | 'amber' | 'green';

/** Mapped actuals: scheme → partner (whose ledger recorded it) → twelve months of pence. */
export type Actuals = Readonly<Record<string, Readonly<Record<string, readonly Pence[]>>>>;

export interface Figures {
  annualBudgetPence: Pence;
  monthBudgetPence: Pence;
  ytdBudgetPence: Pence;
  monthActualPence: Pence;
  ytdActualPence: Pence;
  ytdVariancePence: Pence;
  fotPence: Pence;
  fotVariancePence: Pence;
  rag: Rag;
}

export interface PartnerFigures {
  contributionPence: Pence;
  ytdContributionPence: Pence;
  ytdActualPence: Pence;
  /** Aligned schemes only: the partner's own forecast outturn and variance. */
  fotPence: Pence | null;
  fotVariancePence: Pence | null;
}

export interface SchemeFigures extends Figures {
  id: string;
  name: string;
  pool: string;
  type: 'pooled' | 'aligned';
  fotBasis: Forecast['basis'];
  partners: Record<string, PartnerFigures>;
  /** The twelve monthly budgets, and the actuals of M01..this month (for trend charts). */
  monthlyBudgetPence: Pence[];
  monthlyActualPence: Pence[];
}

/**
 * RAG from the FOT variance as a share of the annual budget. An overspend above `red_percent`
 * is Red, above `amber_percent` Amber; an underspend above `red_percent` is Amber (money not
 * being spent as planned); anything else Green.
 */
export function ragStatus(variance: Pence, budget: Pence, thresholds: RagThresholds): Rag {
  const base = Math.max(0, budget);
  if (variance > 0 && exceedsPercent(variance, base, thresholds.redPercent)) return 'red';
  if (variance > 0 && exceedsPercent(variance, base, thresholds.amberPercent)) return 'amber';
  if (variance < 0 && exceedsPercent(variance, base, thresholds.redPercent)) return 'amber';
  return 'green';
}

const ZERO_MONTHS: readonly Pence[] = Array.from({ length: 12 }, () => 0);

function actualMonths(actuals: Actuals, scheme: string, partner: string): readonly Pence[] {
  const months = actuals[scheme]?.[partner] ?? ZERO_MONTHS;
  invariant(months.length === 12, `actuals of ${scheme} for ${partner} must have twelve months`);
  for (const m of months) assertPence(m, `actual of ${scheme}`);
  return months;
}

/** Partners in agreement order that contribute to the scheme or recorded spend on it. */
function schemePartners(agreement: Agreement, scheme: Scheme, year: YearStart, actuals: Actuals): string[] {
  return agreement.partners
    .map((p) => p.id)
    .filter((p) => contribution(scheme, year, p) !== 0 || actuals[scheme.id]?.[p] !== undefined);
}

export interface SchemeInput {
  agreement: Agreement;
  year: YearStart;
  month: number;
  actuals: Actuals;
  /** scheme → the lead's forecast outturn for this month. */
  leadForecasts: Readonly<Record<string, Pence>>;
}

export function schemeFigures(scheme: Scheme, input: SchemeInput): SchemeFigures {
  const { agreement, year, month, actuals } = input;
  const budgetMonths = monthlyBudget(scheme, year);
  const annual = annualBudget(scheme, year);
  const partnerIds = schemePartners(agreement, scheme, year, actuals);
  const partners: Record<string, PartnerFigures> = {};
  const monthActual = sumPence(partnerIds.map((p) => actualMonths(actuals, scheme.id, p)[month - 1]!));
  for (const p of partnerIds) {
    partners[p] = {
      contributionPence: contribution(scheme, year, p),
      ytdContributionPence: yearToDate(monthlyContribution(scheme, year, p), month),
      ytdActualPence: yearToDate(actualMonths(actuals, scheme.id, p), month),
      fotPence: null,
      fotVariancePence: null,
    };
  }
  const ytdActual = sumPence(partnerIds.map((p) => partners[p]!.ytdActualPence));
  const lead = input.leadForecasts[scheme.id];
  let forecast: Forecast;
  if (scheme.type === 'pooled') {
    forecast = forecastOutturn({ method: scheme.fotMethod, month, ytdActualPence: ytdActual, monthlyBudgetPence: budgetMonths, leadForecastPence: lead ?? null });
  } else {
    forecast = alignedForecast(scheme, input, partnerIds, partners, lead);
  }
  const fotVariance = forecast.fotPence - annual;
  const ytdBudget = yearToDate(budgetMonths, month);
  return {
    id: scheme.id,
    name: scheme.name,
    pool: scheme.pool,
    type: scheme.type,
    annualBudgetPence: annual,
    monthBudgetPence: budgetMonths[month - 1]!,
    ytdBudgetPence: ytdBudget,
    monthActualPence: monthActual,
    ytdActualPence: ytdActual,
    ytdVariancePence: ytdActual - ytdBudget,
    fotPence: forecast.fotPence,
    fotVariancePence: fotVariance,
    rag: ragStatus(fotVariance, annual, agreement.rag),
    fotBasis: forecast.basis,
    partners,
    monthlyBudgetPence: budgetMonths,
    monthlyActualPence: Array.from({ length: month }, (_, i) => sumPence(partnerIds.map((p) => actualMonths(actuals, scheme.id, p)[i]!))),
  };
}

/** Each partner forecast on its own figures; the scheme's FOT is their sum. */
function alignedForecast(scheme: Scheme, input: SchemeInput, partnerIds: string[], partners: Record<string, PartnerFigures>, lead: Pence | undefined): Forecast {
  const { year, month } = input;
  let leadParts: Pence[] | null = null;
  if (lead !== undefined && partnerIds.length > 0) {
    const weights = partnerIds.map((p) => Math.max(0, partners[p]!.contributionPence));
    leadParts = splitByWeights(lead, weights.every((w) => w === 0) ? partnerIds.map(() => 1) : weights);
  }
  let basis: Forecast['basis'] = month === 12 ? 'actual' : scheme.fotMethod === 'run_rate' ? 'run_rate' : 'plan';
  partnerIds.forEach((p, i) => {
    const own = partners[p]!;
    const f = forecastOutturn({
      method: scheme.fotMethod,
      month,
      ytdActualPence: own.ytdActualPence,
      monthlyBudgetPence: monthlyContribution(scheme, year, p),
      leadForecastPence: leadParts ? leadParts[i]! : null,
    });
    basis = f.basis;
    own.fotPence = f.fotPence;
    own.fotVariancePence = f.fotPence - own.contributionPence;
  });
  return { fotPence: sumPence(partnerIds.map((p) => partners[p]!.fotPence!)), basis };
}

/** Sum figures (subtotals of a pool, of pooled or aligned schemes, of the fund); RAG recomputed. */
export function sumFigures(items: readonly Figures[], thresholds: RagThresholds): Figures {
  const total = (key: Exclude<keyof Figures, 'rag'>) => sumPence(items.map((f) => f[key]));
  const annual = total('annualBudgetPence');
  const variance = total('fotVariancePence');
  return {
    annualBudgetPence: annual,
    monthBudgetPence: total('monthBudgetPence'),
    ytdBudgetPence: total('ytdBudgetPence'),
    monthActualPence: total('monthActualPence'),
    ytdActualPence: total('ytdActualPence'),
    ytdVariancePence: total('ytdVariancePence'),
    fotPence: total('fotPence'),
    fotVariancePence: variance,
    rag: ragStatus(variance, annual, thresholds),
  };
}
