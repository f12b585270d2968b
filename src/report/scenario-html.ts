// A scenario projection (or two, side by side) as one self-contained HTML page: the joint
// report's stylesheet inline, SVG bar charts from charts.ts, no script and no network request.
// Committee figures are £000s with one decimal; each partner's share of the gap is exact pounds.
// Every text value — names, descriptions, reasons — is escaped by the `html` tag (escape.ts).

import { formatPounds, formatThousands, type Pence } from '../domain/money.js';
import { formatYear } from '../domain/period.js';
import type { Comparison } from '../domain/scenario-compare.js';
import type { FundYear, ScenarioProjection } from '../domain/scenario.js';
import type { RepaymentSchedule } from '../domain/social-investment.js';
import { barChart } from './charts.js';
import { html, type Html } from './escape.js';
import { formatTimestamp } from './html-sections.js';
import { standaloneHead } from './html-style.js';

const EXTRA_CSS = `
.scenario-note { border-left: 6px solid var(--blue); background: var(--light); padding: 10px 16px; margin: 0 0 20px; }
.steps { margin: 0 0 16px; padding-left: 20px; font-size: 15px; }
`;

const k = (p: Pence) => formatThousands(p);
const exact = (p: Pence) => formatPounds(p, { symbol: true });

export const FUND_ROWS: [keyof FundYear, string][] = [
  ['budgetPence', 'Budget (contributions, one-off money and investors’ capital)'],
  ['oneOffPence', 'of which partners’ one-off double-running money'],
  ['investorCapitalPence', 'of which social investors’ capital'],
  ['doNothingSpendPence', 'Spend if nothing changed (demand and prices)'],
  ['shiftPence', 'Budget moved from acute to prevention'],
  ['realisedSavingPence', 'Saving realised on acute schemes'],
  ['doubleRunningCostPence', 'Double running (moved but not yet saved)'],
  ['investorPaymentsPence', 'Outcome payments to social investors'],
  ['spendPence', 'Expected spend'],
  ['gapPence', 'Funding gap (spend − budget)'],
  ['retainedPence', 'Underspend retained in a pool'],
];

function yearHeads(p: ScenarioProjection, first: string): Html {
  return html`<thead><tr><th scope="col">${first}</th>${p.years.map((y) => html`<th scope="col" class="num">${y.label}</th>`)}</tr></thead>`;
}

function fundTable(p: ScenarioProjection): Html {
  const rows = FUND_ROWS.map(([key, label]) => {
    const cls = key === 'gapPence' ? 'total' : '';
    return html`<tr class="${cls}"><th scope="row">${label}</th>${p.years.map((y) => html`<td class="num">${k(y.fund[key])}</td>`)}</tr>`;
  });
  return html`<table class="data-table"><caption>The fund by year, £000s</caption>${yearHeads(p, 'Figure')}<tbody>${rows}</tbody></table>`;
}

function partnerTable(p: ScenarioProjection): Html {
  const rows = p.partners.flatMap((partner) => {
    const of = (f: (y: ScenarioProjection['years'][number]['partners'][number]) => Pence, fmt: (x: Pence) => string) =>
      p.years.map((y) => html`<td class="num">${fmt(f(y.partners.find((x) => x.partner === partner.id)!))}</td>`);
    return [
      html`<tr><th scope="row">${partner.name}: budget (£000s)</th>${of((x) => x.budgetPence, k)}</tr>`,
      html`<tr><th scope="row">${partner.name}: share of the gap</th>${of((x) => x.gapSharePence, exact)}</tr>`,
      html`<tr><th scope="row">${partner.name}: expected cost (£000s)</th>${of((x) => x.expectedCostPence, k)}</tr>`,
    ];
  });
  return html`<table class="data-table"><caption>Each partner by year: budget, share of the funding gap under the risk share (exact), expected cost</caption>${yearHeads(p, 'Partner')}<tbody>${rows}</tbody></table>`;
}

function schemeTable(p: ScenarioProjection, key: 'budgetPence' | 'spendPence' | 'gapPence', caption: string): Html {
  const rows = p.schemes.map(
    (s) => html`<tr><th scope="row">${s.name} <span class="tag">${s.type}</span></th>${p.years.map((y) => html`<td class="num">${k(y.schemes.find((x) => x.id === s.id)![key])}</td>`)}</tr>`,
  );
  return html`<table class="data-table"><caption>${caption}, £000s</caption>${yearHeads(p, 'Scheme')}<tbody>${rows}</tbody></table>`;
}

function investmentSection(schedule: RepaymentSchedule): Html {
  const rows = schedule.years.map(
    (y) => html`<tr><th scope="row">${formatYear(y.year)}</th><td class="num">${y.baselineAdmissions.toLocaleString('en-GB')}</td><td class="num">${y.actualAdmissions.toLocaleString('en-GB')}</td><td class="num">${y.avoidedAdmissions.toLocaleString('en-GB')}</td><td>${y.outcomeMet ? 'met' : 'missed'}</td><td class="num">${exact(y.duePence)}</td><td class="num">${exact(y.cumulativePence)}</td></tr>`,
  );
  const steps = schedule.years.map((y) => html`<li><strong>${formatYear(y.year)}:</strong> ${y.steps.map((s) => s.text).join('; ')}.</li>`);
  return html`<h4>${schedule.investment}</h4>
<table class="data-table"><caption>Repayments forecast from planned admissions</caption>
<thead><tr><th scope="col">Year</th><th scope="col" class="num">Baseline</th><th scope="col" class="num">Planned</th><th scope="col" class="num">Avoided</th><th scope="col">Outcome</th><th scope="col" class="num">Due</th><th scope="col" class="num">Cumulative</th></tr></thead>
<tbody>${rows}</tbody></table>
<ol class="steps">${steps}</ol>
<p>Capital ${exact(schedule.capitalPence)}; repaid ${exact(schedule.totalDuePence)}; the investor's ${schedule.investorReturnPence >= 0 ? 'return' : 'loss'}: ${exact(Math.abs(schedule.investorReturnPence))}.</p>`;
}

function gapChart(scenarios: readonly ScenarioProjection[], id: string): Html {
  const bars = scenarios.flatMap((s) =>
    s.years.map((y) => ({ key: `${s.scenario.id}-${y.year}`, label: `${scenarios.length > 1 ? `${s.scenario.name}, ` : ''}${y.label}`, valuePence: y.fund.gapPence, valueLabel: `${k(y.fund.gapPence)} ${y.fund.gapPence > 0 ? 'gap' : y.fund.gapPence < 0 ? 'surplus' : 'balanced'}` })),
  );
  return barChart({
    id,
    kind: 'scenario-gap',
    title: 'Funding gap by year, £000s',
    desc: `Expected spend minus budget each year. ${bars.map((b) => `${b.label}: ${b.valueLabel}`).join('; ')}.`,
    bars,
    positive: 'Gap',
    negative: 'Surplus',
    positiveColour: '#d4351c',
    negativeColour: '#00703c',
  });
}

function scenarioSection(p: ScenarioProjection, index: number): Html {
  const reasons = p.years.map((y) => html`<li><strong>${y.label}:</strong> ${y.reasons.length === 0 ? 'no gap to share.' : y.reasons.join(' ')}</li>`);
  return html`<section class="report-section${index === 0 ? ' first' : ''}" id="scenario-${p.scenario.id}">
<h2>${p.scenario.name}</h2>
${p.scenario.description ? html`<p class="lede">${p.scenario.description}</p>` : html``}
<h3>How the figures are made</h3>
<ul class="reasons">${p.assumptions.map((a) => html`<li>${a}</li>`)}</ul>
<figure><figcaption>Funding gap by year</figcaption>${gapChart([p], `chart-gap-${index}`)}</figure>
${fundTable(p)}
${partnerTable(p)}
${schemeTable(p, 'budgetPence', 'Budget by scheme')}
${schemeTable(p, 'spendPence', 'Expected spend by scheme')}
${schemeTable(p, 'gapPence', 'Funding gap by scheme')}
<h3>Why each partner bears what it bears</h3>
<ul class="reasons">${reasons}</ul>
${p.investments.length > 0 ? html`<h3>Social investment</h3>${p.investments.map((s) => investmentSection(s))}` : html``}
</section>`;
}

function comparisonSection(c: Comparison, scenarios: readonly ScenarioProjection[]): Html {
  const partners = scenarios[0]!.partners;
  const row = (label: string, f: (y: Comparison['years'][number]) => { firstPence: Pence; secondPence: Pence; differencePence: Pence }, fmt: (p: Pence) => string) =>
    html`<tr><th scope="row">${label}</th>${c.years.map((y) => html`<td class="num">${fmt(f(y).firstPence)}</td><td class="num">${fmt(f(y).secondPence)}</td><td class="num">${fmt(f(y).differencePence)}</td>`)}</tr>`;
  const sub = c.years.map(() => html`<th scope="col" class="num">${c.first.name}</th><th scope="col" class="num">${c.second.name}</th><th scope="col" class="num">Difference</th>`);
  return html`<section class="report-section first" id="comparison">
<h2>Side by side: ${c.first.name} and ${c.second.name}</h2>
<p class="lede">Difference = ${c.second.name} − ${c.first.name}: what choosing the second would change.</p>
<figure><figcaption>Funding gap by year in each scenario</figcaption>${gapChart(scenarios, 'chart-gap-compare')}</figure>
<table class="data-table"><caption>The fund and each partner's share of the gap by year (£000s; shares exact)</caption>
<thead><tr><th scope="col" rowspan="2">Figure</th>${c.years.map((y) => html`<th scope="colgroup" colspan="3" class="num">${y.label}</th>`)}</tr><tr>${sub}</tr></thead>
<tbody>
${row('Budget', (y) => y.budget, k)}
${row('Expected spend', (y) => y.spend, k)}
${row('Funding gap', (y) => y.gap, k)}
${partners.map((p) => row(`${p.name}: share of the gap`, (y) => y.partnerShares[p.id]!, exact))}
</tbody></table>
</section>`;
}

export function renderScenarioHtml(scenarios: readonly ScenarioProjection[], comparison: Comparison | null, generatedAt: string): string {
  const title = comparison ? `Scenarios: ${comparison.first.name} and ${comparison.second.name}` : `Scenario: ${scenarios[0]!.scenario.name}`;
  const page = html`${standaloneHead(title, EXTRA_CSS)}
<body>
<div class="marking-bar">PLANNING SCENARIO – NOT THE RECORDED BOOKS</div>
<div class="page">
<header class="title-block"><div class="title"><p class="caption">Tandem scenario projection</p><h1>${title}</h1>
<p class="period">${scenarios[0]!.years[0]!.label} to ${scenarios[0]!.years.at(-1)!.label}</p></div>
<dl class="close-meta"><div><dt>Generated</dt><dd>${formatTimestamp(generatedAt)}</dd></div></dl></header>
<p class="scenario-note">A scenario is a plan computed from its file; it reads and changes nothing in the fund's recorded books.</p>
<main>
${comparison ? comparisonSection(comparison, scenarios) : html``}
${scenarios.map((s, i) => scenarioSection(s, comparison ? i + 1 : i))}
</main>
</div>
</body>
</html>
`;
  return page.text;
}
