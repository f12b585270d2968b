// The planning pages' pieces: a scenario projection (and a comparison) as GOV.UK tables — the
// same figures and rows as the scenario report (src/report/scenario-html.ts), whose own page
// carries an inline stylesheet the app's Content-Security-Policy does not allow — a rejected
// scenario's problems with file, line and column, and RAG as a GOV.UK tag with its word.

import type { MetricRag } from '../../domain/metrics.js';
import { formatPounds, formatThousands, type Pence } from '../../domain/money.js';
import type { Comparison } from '../../domain/scenario-compare.js';
import type { ScenarioProjection } from '../../domain/scenario.js';
import { html, type Html } from '../../report/escape.js';
import { FUND_ROWS } from '../../report/scenario-html.js';
import type { ScenarioProblem } from '../../scenario/parse.js';

const TAG: Record<MetricRag, { cls: string; word: string }> = {
  red: { cls: 'govuk-tag--red', word: 'Red' },
  amber: { cls: 'govuk-tag--yellow', word: 'Amber' },
  green: { cls: 'govuk-tag--green', word: 'Green' },
};

export function ragTag(rag: MetricRag): Html {
  return html`<strong class="govuk-tag ${TAG[rag].cls}">${TAG[rag].word}</strong>`;
}

const num = (text: string) => html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${text}</td>`;
const colHead = (text: string) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${text}</th>`;
const rowHead = (text: string) => html`<th scope="row" class="govuk-table__header">${text}</th>`;
const k = (p: Pence) => formatThousands(p);
const exact = (p: Pence) => formatPounds(p, { symbol: true });

function yearTable(p: ScenarioProjection, caption: string, first: string, rows: Html[]): Html {
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${first}</th>${p.years.map((y) => colHead(y.label))}</tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table>`;
}

function scenarioTables(p: ScenarioProjection): Html {
  const fund = FUND_ROWS.map(([key, label]) => html`<tr class="govuk-table__row" data-fund-row="${key}">${rowHead(label)}${p.years.map((y) => num(k(y.fund[key])))}</tr>`);
  const partners = p.partners.flatMap((partner) => {
    const of = (f: (x: ScenarioProjection['years'][number]['partners'][number]) => Pence, fmt: (x: Pence) => string) => p.years.map((y) => num(fmt(f(y.partners.find((x) => x.partner === partner.id)!))));
    return [
      html`<tr class="govuk-table__row">${rowHead(`${partner.name}: budget (£000s)`)}${of((x) => x.budgetPence, k)}</tr>`,
      html`<tr class="govuk-table__row" data-gap-share="${partner.id}">${rowHead(`${partner.name}: share of the gap (£)`)}${of((x) => x.gapSharePence, exact)}</tr>`,
      html`<tr class="govuk-table__row">${rowHead(`${partner.name}: expected cost (£000s)`)}${of((x) => x.expectedCostPence, k)}</tr>`,
    ];
  });
  const schemes = p.schemes.map((s) => html`<tr class="govuk-table__row">${rowHead(`${s.name} (${s.type})`)}${p.years.map((y) => num(k(y.schemes.find((x) => x.id === s.id)!.gapPence)))}</tr>`);
  return html`<h2 class="govuk-heading-m" id="scenario-${p.scenario.id}">${p.scenario.name}</h2>
${p.scenario.description ? html`<p class="govuk-body">${p.scenario.description}</p>` : html``}
${yearTable(p, 'The fund by year, £000s', 'Figure', fund)}
${yearTable(p, 'Each partner by year: budget, share of the funding gap under the risk share (exact), expected cost', 'Partner', partners)}
${yearTable(p, 'Funding gap by scheme, £000s', 'Scheme', schemes)}
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">How the figures are made, and why each partner bears what it bears</span></summary><div class="govuk-details__text">
<ul class="govuk-list govuk-list--bullet">${p.assumptions.map((a) => html`<li>${a}</li>`)}</ul>
<ul class="govuk-list govuk-list--bullet">${p.years.map((y) => html`<li><strong>${y.label}:</strong> ${y.reasons.length === 0 ? 'no gap to share.' : y.reasons.join(' ')}</li>`)}</ul></div></details>`;
}

function comparisonTable(c: Comparison, partners: ScenarioProjection['partners']): Html {
  const row = (label: string, f: (y: Comparison['years'][number]) => { firstPence: Pence; secondPence: Pence; differencePence: Pence }, fmt: (p: Pence) => string) =>
    html`<tr class="govuk-table__row">${rowHead(label)}${c.years.map((y) => html`${num(fmt(f(y).firstPence))}${num(fmt(f(y).secondPence))}${num(fmt(f(y).differencePence))}`)}</tr>`;
  return html`<h2 class="govuk-heading-m" id="comparison">Side by side: ${c.first.name} and ${c.second.name}</h2>
<p class="govuk-body">Difference = ${c.second.name} − ${c.first.name}: what choosing the second would change.</p>
<div class="tandem-table-scroll"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">The fund and each partner's share of the gap by year (£000s; shares exact)</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Figure</th>${c.years.map((y) => html`${colHead(`${y.label}: ${c.first.name}`)}${colHead(`${y.label}: ${c.second.name}`)}${colHead(`${y.label}: difference`)}`)}</tr></thead>
<tbody class="govuk-table__body">${row('Budget', (y) => y.budget, k)}${row('Expected spend', (y) => y.spend, k)}${row('Funding gap', (y) => y.gap, k)}${partners.map((p) => row(`${p.name}: share of the gap`, (y) => y.partnerShares[p.id]!, exact))}</tbody></table></div>`;
}

/** The projection (and the comparison first, when there are two). */
export function projectionBody(scenarios: readonly ScenarioProjection[], comparison: Comparison | null): Html {
  return html`<div class="govuk-inset-text">A scenario is a plan computed from its file: it reads and changes nothing in the fund's recorded books, and the file is not kept.</div>
${comparison ? comparisonTable(comparison, scenarios[0]!.partners) : html``}
${scenarios.map((s) => scenarioTables(s))}`;
}

/** Every problem of a rejected scenario, with where to look. */
export function problemsBody(file: string, problems: readonly ScenarioProblem[]): Html {
  const where = (p: ScenarioProblem) => (p.line === null ? 'the whole file' : `line ${p.line}, column ${p.column ?? 1}`);
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body">
<ul class="govuk-list govuk-error-summary__list"><li><a href="#problems" data-code="SCENARIO_INVALID">The scenario ${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was projected</a></li></ul></div></div></div>
<table class="govuk-table" id="problems"><caption class="govuk-table__caption govuk-table__caption--m">Problems in ${file}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Where</th><th scope="col" class="govuk-table__header">Path</th><th scope="col" class="govuk-table__header">Problem</th><th scope="col" class="govuk-table__header">Code</th></tr></thead>
<tbody class="govuk-table__body">${problems.map(
    (p) =>
      html`<tr class="govuk-table__row" data-problem="${p.code}" data-line="${p.line === null ? '' : String(p.line)}" data-column="${p.column === null ? '' : String(p.column)}"><td class="govuk-table__cell">${where(p)}</td><td class="govuk-table__cell"><code>${p.path}</code></td><td class="govuk-table__cell">${p.message}</td><td class="govuk-table__cell"><code>${p.code}</code></td></tr>`,
  )}</tbody></table>`;
}
