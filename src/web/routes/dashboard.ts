// The dashboard: the latest closed month's position — integrated fund, pooled and aligned, RAG by
// pool, the report's charts and each partner's exposure under the risk share. It reads the same
// report data as the published report (src/app/report.ts), so the two never disagree.

import type { Hono } from 'hono';
import { formatThousands } from '../../domain/money.js';
import { exposureChart, trendChart, varianceChart } from '../../report/charts.js';
import { html, type Html } from '../../report/escape.js';
import type { ReportFigures } from '../../report/report-data.js';
import { appContext, type WebEnv } from '../env.js';
import { page } from '../layout.js';
import { requireAction } from '../guard.js';
import { latestClose, type LatestClose } from '../views/fund.js';

const RAG_WORD = { red: 'Red', amber: 'Amber', green: 'Green' } as const;

function rag(f: ReportFigures): Html {
  return html`<strong class="tandem-rag tandem-rag--${f.rag}">${RAG_WORD[f.rag]}</strong>`;
}

function figuresTable(caption: string, rowHead: string, rows: { label: string; f: ReportFigures }[]): Html {
  const heads = ['Annual budget', 'YTD budget', 'YTD actual', 'YTD variance', 'FOT', 'FOT variance'];
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${rowHead}</th>${heads.map((h) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${h}</th>`)}<th scope="col" class="govuk-table__header">RAG</th></tr></thead>
<tbody class="govuk-table__body">${rows.map(
    ({ label, f }) =>
      html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${label}</th>${[f.annualBudgetPence, f.ytdBudgetPence, f.ytdActualPence, f.ytdVariancePence, f.fotPence, f.fotVariancePence].map(
        (p) => html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${formatThousands(p)}</td>`,
      )}<td class="govuk-table__cell">${rag(f)}</td></tr>`,
  )}</tbody></table>`;
}

/**
 * The dashboard's body depends on the close alone (the page frame around it carries the user),
 * and a stored close never changes, so it is rendered once per cached close (views/fund.ts keeps
 * one object per close version and SHA-256): the charts and tables took about half of each
 * request's time. Keyed weakly, so a close dropped from that cache takes its body with it.
 */
const bodies = new WeakMap<LatestClose, Html>();

function dashboardBody(latest: LatestClose): Html {
  let body = bodies.get(latest);
  if (body === undefined) {
    body = renderBody(latest);
    bodies.set(latest, body);
  }
  return body;
}

function renderBody(latest: LatestClose): Html {
  const { data } = latest.report;
  const fund = data.series[0]!;
  return html`<span class="govuk-caption-l">${data.fund.name}</span><h1 class="govuk-heading-l">Dashboard: ${data.period} (${data.monthName})</h1>
<p class="govuk-body">Latest closed month, close version ${data.provenance.closeVersion}. Figures in £000s.</p>
${figuresTable('Fund position: pooled, aligned and integrated (pooled + aligned)', 'Budget', data.summary.map((s) => ({ label: s.label, f: s })))}
${figuresTable('By pool', 'Pool', data.pools.map((p) => ({ label: p.name, f: p })))}
<h2 class="govuk-heading-m">Trend</h2><div class="tandem-chart">${trendChart(fund, data.month)}</div>
<h2 class="govuk-heading-m">Forecast variance by scheme</h2><div class="tandem-chart">${varianceChart(data.pools.flatMap((p) => p.schemes))}</div>
<h2 class="govuk-heading-m">Each partner's exposure under the risk share</h2><div class="tandem-chart">${exposureChart(data.exposure)}</div>`;
}

export function dashboardRoutes(app: Hono<WebEnv>): void {
  app.get('/', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    // The same cached report data as the drill-down pages (views/fund.ts): a stored close never changes.
    const latest = await latestClose(appContext(c));
    if (!latest) {
      return c.html(page({ title: 'Dashboard', session, current: '/', body: html`<h1 class="govuk-heading-l">Dashboard</h1><p class="govuk-body">No month has been closed yet.</p>` }));
    }
    return c.html(page({ title: 'Dashboard', session, current: '/', body: dashboardBody(latest) }));
  });
}
