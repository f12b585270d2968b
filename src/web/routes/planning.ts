// Planning: a hub for what looks ahead or beside the money — scenarios (routes/scenarios.ts), the
// fund's contracts with what each is due against what it has spent, and the outcome metrics with
// their trend and RAG. The contracts and metrics pages call the CLI's own use cases
// (`tandem contracts`, `tandem metrics`): the register in force, live ledger totals.

import type { Hono } from 'hono';
import { resolveFund } from '../../app/agreements.js';
import type { AppContext } from '../../app/context.js';
import { contractsReport, type ContractsReport } from '../../app/contract-report.js';
import { TandemError } from '../../app/errors.js';
import { metricsReport, type MetricsReport } from '../../app/metrics.js';
import { periodStates } from '../../app/periods.js';
import { formatPounds, type Pence } from '../../domain/money.js';
import { formatPeriod, type PeriodKey } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import { formatHundredths } from '../../report/metrics.js';
import { appContext, type WebContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { badRequest, parsePeriodSlug, periodSlug } from '../views/params.js';
import { ragTag } from '../views/planning.js';

const MECHANISM: Record<string, string> = { block: 'Block', cost_and_volume: 'Cost and volume', outcome: 'Outcome-based' };
const money = (p: Pence) => formatPounds(p, { symbol: true });
const num = (text: string) => html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${text}</td>`;
const colHead = (text: string) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${text}</th>`;
const value = (h: number | null) => (h === null ? '–' : formatHundredths(h));

function planningPage(c: WebContext, title: string, body: Html, status: 200 | 400 = 200): Response {
  return c.html(page({ title, session: c.get('session')!, current: '/planning', body: html`<a href="/planning" class="govuk-back-link">Planning</a>${heading('Planning', title)}${body}` }), status);
}

/** The page's register, or null when the fund has none yet (a page saying so, not an error). */
async function withRegister<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof TandemError && error.code === 'NO_CONTRACT_REGISTER') return null;
    throw error;
  }
}

const NO_REGISTER = html`<p class="govuk-body">No contract register has been loaded for this fund yet (<code>tandem contracts load FILE</code>).</p>`;

async function closedPeriods(ctx: AppContext, fundId: string): Promise<PeriodKey[]> {
  return [...(await periodStates(ctx.store, fundId)).values()].filter((e) => e.action === 'close').map((e) => e.period).sort((a, b) => b - a);
}

function periodForm(periods: readonly PeriodKey[], chosen: PeriodKey): Html {
  const options = [...new Set([chosen, ...periods])].sort((a, b) => b - a);
  return html`<form method="get" action="/planning/contracts" class="govuk-!-margin-bottom-6"><div class="govuk-form-group"><label class="govuk-label" for="period">Year to date up to</label>
<select class="govuk-select" id="period" name="period">${options.map((p) => html`<option value="${periodSlug(p)}"${p === chosen ? html` selected` : html``}>${formatPeriod(p)}${periods.includes(p) ? '' : ' (not closed)'}</option>`)}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary">Show</button></form>`;
}

function contractsTable(report: ContractsReport): Html {
  const rows = report.contracts.map((r) => {
    const count = r.mechanism === 'outcome' ? `${r.outcomesYtd.toLocaleString('en-GB')} outcomes` : r.mechanism === 'cost_and_volume' ? `${r.unitsYtd.toLocaleString('en-GB')} units` : '';
    return html`<tr class="govuk-table__row" data-contract="${r.id}"><th scope="row" class="govuk-table__header">${r.name}<br><span class="govuk-body-s">${r.provider.name}</span></th><td class="govuk-table__cell">${MECHANISM[r.mechanism] ?? r.mechanism}</td>${num(money(r.annualValuePence))}${num(count)}${num(money(r.dueYtdPence))}${num(money(r.spendYtdPence))}${num(money(r.spendMinusDuePence))}</tr>`;
  });
  const t = report.totals;
  return html`<div class="tandem-table-scroll"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Contracts, ${report.year} to ${report.period}, £ (register version ${report.registerVersion})</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Contract</th><th scope="col" class="govuk-table__header">Mechanism</th>${['Annual value', 'Activity to date', 'Payment due to date', 'Spend to date', 'Spend − due'].map(colHead)}</tr></thead>
<tbody class="govuk-table__body">${rows}<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">All contracts</th><td class="govuk-table__cell"></td>${num(money(t.annualValuePence))}${num('')}${num(money(t.dueYtdPence))}${num(money(t.spendYtdPence))}${num(money(t.spendYtdPence - t.dueYtdPence))}</tr></tbody></table></div>
${report.warnings.length > 0 ? html`<div class="govuk-warning-text"><strong class="govuk-warning-text__text">${report.warnings.join('; ')}</strong></div>` : html``}`;
}

function metricTable(m: MetricsReport['metrics'][number]): Html {
  const direction = m.direction === 'lower_is_better' ? 'lower is better' : 'higher is better';
  const rows = m.periods.map(
    (p) =>
      html`<tr class="govuk-table__row" data-period="${p.period}"><th scope="row" class="govuk-table__header">${p.period}</th>${num(value(p.planHundredths))}${num(value(p.actualHundredths))}${num(value(p.differenceHundredths))}<td class="govuk-table__cell">${p.rag ? ragTag(p.rag) : 'Not assessed'}</td></tr>`,
  );
  return html`<table class="govuk-table" data-metric="${m.id}"><caption class="govuk-table__caption govuk-table__caption--m">${m.name} (${m.unit}, ${direction})${m.latest ? html` — latest ${m.latest.period}: ${ragTag(m.latest.rag!)}` : html``}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Month</th>${['Plan', 'Actual', 'Actual − plan'].map(colHead)}<th scope="col" class="govuk-table__header">RAG</th></tr></thead>
<tbody class="govuk-table__body">${rows.length > 0 ? rows : html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="5">No figures imported yet.</td></tr>`}</tbody></table>`;
}

export function planningRoutes(app: Hono<WebEnv>): void {
  app.get('/planning', requireAction('fund.view'), (c) => {
    const link = (href: string, title: string, text: string) => html`<li><h2 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="${href}">${title}</a></h2><p class="govuk-body">${text}</p></li>`;
    const body = html`<ul class="govuk-list">
${link('/planning/scenarios', 'Scenarios', 'Project the fund over several years from a scenario file, and compare two plans (the file is not kept).')}
${link('/planning/contracts', 'Contracts', 'Each contract with its payment mechanism, annual value, spend to date, payment due and spend − due.')}
${link('/planning/metrics', 'Outcome metrics', 'Each metric’s plan and actual by month, the trend and the RAG against plan.')}
</ul>`;
    return c.html(page({ title: 'Planning', session: c.get('session')!, current: '/planning', body: html`<h1 class="govuk-heading-l">Planning</h1>${body}` }));
  });

  app.get('/planning/contracts', requireAction('fund.view'), async (c) => {
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const asked = c.req.query('period');
    const closed = await closedPeriods(ctx, fundId);
    let period: PeriodKey | undefined = closed[0];
    if (asked !== undefined && asked !== '') {
      period = parsePeriodSlug(asked);
      if (period === undefined) throw badRequest(`"${asked}" is not a period (write it like 2025-26-M03)`);
    }
    if (period === undefined) return planningPage(c, 'Contracts', html`<p class="govuk-body">No month has been closed yet: choose a period, for example <a class="govuk-link" href="/planning/contracts?period=2025-26-M01">/planning/contracts?period=2025-26-M01</a>.</p>`);
    const chosen = period;
    const report = await withRegister(() => contractsReport(ctx, { fundId, period: chosen }));
    if (!report) return planningPage(c, 'Contracts', NO_REGISTER);
    const intro = html`<p class="govuk-body">What each contract's payment mechanism makes due for the year to date from the activity and outcomes imported, against the spend the ledgers hold now for it (lines mapped to the contract's schemes that its spend conditions match). Spend − due is positive when more was spent than is due. Default: the latest closed month.</p>`;
    return planningPage(c, 'Contracts', html`${intro}${periodForm(closed, chosen)}${contractsTable(report)}`);
  });

  app.get('/planning/metrics', requireAction('fund.view'), async (c) => {
    const report = await withRegister(() => metricsReport(appContext(c)));
    if (!report) return planningPage(c, 'Outcome metrics', NO_REGISTER);
    const body =
      report.metrics.length === 0
        ? html`<p class="govuk-body">The contract register (version ${report.registerVersion}) has no metrics.</p>`
        : html`<p class="govuk-body">Each metric's plan and actual by month as imported (the latest file's line for a month is the one in force), actual − plan, and the RAG against plan in the metric's direction: Green on plan or better (or within its amber threshold), Amber worse than plan, Red worse by more than its red threshold.</p>${report.metrics.map(metricTable)}`;
    return planningPage(c, 'Outcome metrics', body);
  });
}
