// The report's sections next to the money (issue 10 §2, issue 9 §2): each contract's value, spend
// and what its mechanism makes due; each outcome metric's plan, actual, RAG and trend to date; and
// the fund over the years of the agreement. Contracts and metrics are omitted altogether when the
// fund has none (no empty tables). RAG is a word as well as a colour.

import { formatPounds, formatThousands, sumPence, type Pence } from '../domain/money.js';
import type { MetricRag } from '../domain/metrics.js';
import { html, type Html } from './escape.js';
import { formatHundredths, type MetricPeriodRow, type MetricRow } from './metrics.js';
import type { ReportContract, ReportData } from './report-data.js';

const MECHANISM: Record<string, string> = { block: 'Block', cost_and_volume: 'Cost and volume', outcome: 'Outcome-based' };
const pounds = (p: Pence) => formatPounds(p, { symbol: true });
const value = (h: number | null) => (h === null ? '–' : formatHundredths(h));

export function ragLabel(rag: MetricRag): Html {
  const label = rag === 'red' ? 'Red' : rag === 'amber' ? 'Amber' : 'Green';
  return html`<span class="rag rag-${rag}">${label}</span>`;
}

/** The sections this report has, in order, for the contents list. */
export function planningSectionIds(data: ReportData): [string, string][] {
  return [...(data.contracts ? [['contracts', 'Contracts'] as [string, string]] : []), ...(data.metrics ? [['metrics', 'Outcome metrics'] as [string, string]] : [])];
}

export function contractsSection(data: ReportData): Html {
  const c = data.contracts;
  if (!c) return html``;
  const count = (r: ReportContract) =>
    r.mechanism === 'outcome' ? `${r.outcomesYtd.toLocaleString('en-GB')} outcomes` : r.mechanism === 'cost_and_volume' ? `${r.unitsYtd.toLocaleString('en-GB')} units` : '';
  const rows = c.rows.map(
    (r) =>
      html`<tr data-contract="${r.id}"><th scope="row">${r.name}<span class="lead">${r.provider}</span></th><td>${MECHANISM[r.mechanism] ?? r.mechanism}</td><td class="num">${pounds(r.annualValuePence)}</td><td class="num">${count(r)}</td><td class="num">${pounds(r.dueYtdPence)}</td><td class="num">${pounds(r.spendYtdPence)}</td><td class="num">${pounds(r.spendMinusDuePence)}</td></tr>`,
  );
  const total = (f: (r: ReportContract) => Pence) => pounds(sumPence(c.rows.map(f)));
  return html`<section class="report-section" id="contracts" aria-labelledby="contracts-heading">
<h2 id="contracts-heading">Contracts</h2>
<p class="lede">Each contract of the register (version ${c.registerVersion}, as loaded when this month was closed): its annual value, what its payment mechanism makes due for ${data.year} to ${data.period} from the activity and outcomes recorded by then, and the spend the ledgers show for it in the lines this close read.</p>
<table class="pool-table">
<caption>Contracts, year to date to ${data.period}, £</caption>
<thead><tr><th scope="col">Contract</th><th scope="col">Mechanism</th><th scope="col" class="num">Annual value</th><th scope="col" class="num">Activity YTD</th><th scope="col" class="num">Due YTD</th><th scope="col" class="num">Spend YTD</th><th scope="col" class="num">Spend − due</th></tr></thead>
<tbody>${rows}
<tr class="total"><th scope="row">All contracts</th><td></td><td class="num">${total((r) => r.annualValuePence)}</td><td></td><td class="num">${total((r) => r.dueYtdPence)}</td><td class="num">${total((r) => r.spendYtdPence)}</td><td class="num">${total((r) => r.spendMinusDuePence)}</td></tr></tbody>
</table>
${c.warnings.length > 0 ? html`<ul class="reasons">${c.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html``}
</section>`;
}

function trend(periods: readonly MetricPeriodRow[]): Html {
  if (periods.length === 0) return html`<span class="none">No figures yet</span>`;
  return html`<ul class="changes">${periods.map((p) => html`<li>${p.period}: ${value(p.actualHundredths)} against ${value(p.planHundredths)}${p.rag ? html` ${ragLabel(p.rag)}` : html``}</li>`)}</ul>`;
}

function metricRow(m: MetricRow, period: string): Html {
  const now = m.periods.find((p) => p.period === period);
  return html`<tr data-metric="${m.id}"><th scope="row">${m.name}<span class="lead">${m.unit}, ${m.direction === 'lower_is_better' ? 'lower is better' : 'higher is better'}</span></th><td class="num">${value(now?.planHundredths ?? null)}</td><td class="num">${value(now?.actualHundredths ?? null)}</td><td class="num">${value(now?.differenceHundredths ?? null)}</td><td>${now?.rag ? ragLabel(now.rag) : html`<span class="none">Not assessed</span>`}</td><td>${trend(m.periods)}</td></tr>`;
}

export function metricsSection(data: ReportData): Html {
  const m = data.metrics;
  if (!m) return html``;
  return html`<section class="report-section" id="metrics" aria-labelledby="metrics-heading">
<h2 id="metrics-heading">Outcome metrics</h2>
<p class="lede">Each metric of the register (version ${m.registerVersion}): its plan and actual for ${data.period}, the RAG against plan in the metric's direction, and every month to date, as imported when this month was closed.</p>
<table class="pool-table">
<caption>Outcome metrics for ${data.period}, with the trend to date</caption>
<thead><tr><th scope="col">Metric</th><th scope="col" class="num">Plan</th><th scope="col" class="num">Actual</th><th scope="col" class="num">Actual − plan</th><th scope="col">RAG</th><th scope="col">Trend (actual against plan)</th></tr></thead>
<tbody>${m.rows.map((r) => metricRow(r, data.period))}</tbody>
</table>
</section>`;
}

export function multiYearSection(data: ReportData): Html {
  const view = data.multiYear;
  const years = [...new Set([...view.partners.map((p) => p.year), ...view.schemes.map((s) => s.year)])];
  const k = (p: Pence | null) => (p === null ? '–' : formatThousands(p));
  const schemes = [...new Map(view.schemes.map((s) => [s.scheme, s.name])).entries()];
  const schemeRows = schemes.map(([id, name]) => {
    const cells = years.map((y) => {
      const row = view.schemes.find((s) => s.scheme === id && s.year === y);
      return html`<td class="num">${row ? k(row.currentBudgetPence) : '–'}</td><td class="num">${row ? k(row.outturnPence) : '–'}</td>`;
    });
    return html`<tr data-multi-year-scheme="${id}"><th scope="row">${name}</th>${cells}</tr>`;
  });
  const yearState = (y: string) => {
    const row = view.partners.find((p) => p.year === y);
    return row?.final ? 'final' : row?.closedTo ? `closed to ${row.closedTo}` : 'not closed';
  };
  const partnerRows = view.partners.map(
    (p) =>
      html`<tr data-multi-year-partner="${p.partner}-${p.year}"><th scope="row">${p.year}: ${p.name}</th><td class="num">${k(p.originalContributionPence)}</td><td class="num">${k(p.currentContributionPence)}</td><td class="num">${k(p.actualPence)}</td><td class="num">${k(p.riskSharePence)}</td><td class="num">${k(p.carriedInPence)}</td><td>${yearState(p.year)}</td></tr>`,
  );
  return html`<section class="report-section" id="multi-year" aria-labelledby="multi-year-heading">
<h2 id="multi-year-heading">The fund over the years</h2>
<p class="lede">Every year of the agreement as it stood when this month was closed: each partner's contributions as first in force for the year and as now, its actual spend and share of the risk at the year's latest close (the settlement once the year is final), and what an earlier year-end carried into the year; then each scheme's budget and outturn by year.</p>
<table class="pool-table">
<caption>Each partner by year, £000s</caption>
<thead><tr><th scope="col">Year and partner</th><th scope="col" class="num">Original contribution</th><th scope="col" class="num">Current contribution</th><th scope="col" class="num">Actual</th><th scope="col" class="num">Risk share</th><th scope="col" class="num">Carried in</th><th scope="col">Year</th></tr></thead>
<tbody>${partnerRows}</tbody>
</table>
<table class="pool-table">
<caption>Each scheme's current budget and outturn (year-to-date actual at the latest close) by year, £000s</caption>
<thead><tr><th scope="col">Scheme</th>${years.map((y) => html`<th scope="col" class="num">${y} budget</th><th scope="col" class="num">${y} outturn (${yearState(y)})</th>`)}</tr></thead>
<tbody>${schemeRows}</tbody>
</table>
</section>`;
}
