// Pools and schemes: the latest close's figures per pool and scheme in £000s, RAG as a word,
// from the same report data as the published report. Every year-to-date actual links to the
// ledger lines behind it; a pool's page also splits each scheme's actual by ledger (live totals,
// exact £), each figure linking to that ledger's lines.

import type { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { formatPounds, formatThousands } from '../../domain/money.js';
import { html, type Html } from '../../report/escape.js';
import type { ReportFigures, ReportPool } from '../../report/report-data.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { figureLink, heading, linesHref, nothingClosed, ragWord } from '../views/components.js';
import { latestClose, type LatestClose } from '../views/fund.js';
import { isId } from '../views/params.js';

const HEADS = ['Annual budget', 'YTD budget', 'YTD actual', 'YTD variance', 'FOT', 'FOT variance'];

function cells(f: ReportFigures, actual: Html): Html {
  const num = (p: number) => html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${formatThousands(p)}</td>`;
  return html`${num(f.annualBudgetPence)}${num(f.ytdBudgetPence)}<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${actual}</td>${num(f.ytdVariancePence)}${num(f.fotPence)}${num(f.fotVariancePence)}<td class="govuk-table__cell">${ragWord(f.rag)}</td>`;
}

function poolTable(pool: ReportPool, caption: Html): Html {
  const rows = pool.schemes.map(
    (s) =>
      html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" href="${linesHref({ scheme: s.id })}">${s.name}</a> <span class="govuk-body-s">(${s.id}, ${s.type})</span></th>${cells(
        s,
        figureLink(linesHref({ scheme: s.id }), formatThousands(s.ytdActualPence), `year-to-date actual of ${s.name}`),
      )}</tr>`,
  );
  const total = html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Total ${pool.name}</th>${cells(
    pool,
    figureLink(`/pools/${encodeURIComponent(pool.id)}`, formatThousands(pool.ytdActualPence), `year-to-date actual of ${pool.name}, by scheme and ledger`),
  )}</tr>`;
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Scheme</th>${HEADS.map((h) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${h}</th>`)}<th scope="col" class="govuk-table__header">RAG</th></tr></thead>
<tbody class="govuk-table__body">${rows}${total}</tbody></table>`;
}

function intro(close: LatestClose): Html {
  const { data } = close.report;
  return html`<p class="govuk-body">Close version ${data.provenance.closeVersion} of ${data.period} (${data.monthName}). Figures in £000s; each year-to-date (YTD) actual links to the ledger lines behind it.</p>`;
}

/** Each scheme's YTD actual per ledger, from the live totals (what the lines page shows). */
async function byLedgerTable(ctx: AppContext, close: LatestClose, pool: ReportPool): Promise<Html> {
  const totals = await ctx.store.liveTotals({ fundId: close.fundId, fromPeriod: close.yearStart, toPeriod: close.period, status: 'mapped' }, ['ledger', 'scheme']);
  const ledgers = close.agreement.ledgers;
  const rows = pool.schemes.map((s) => {
    const amounts = ledgers.map((l) => {
      const row = totals.find((t) => t.ledgerId === l.id && t.schemeId === s.id);
      if (!row) return html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">–</td>`;
      const text = formatPounds(row.amountPence);
      return html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${figureLink(linesHref({ scheme: s.id, ledger: l.id }), text, `${s.name}, ${l.name}, ${row.lineCount} lines`)}</td>`;
    });
    return html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${s.name}</th>${amounts}</tr>`;
  });
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Year-to-date actual by ledger (£, lines of ${close.report.data.year} M01 to ${close.report.data.period} as held now)</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Scheme</th>${ledgers.map((l) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${l.name}</th>`)}</tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table>`;
}

export function poolRoutes(app: Hono<WebEnv>): void {
  app.get('/pools', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const close = await latestClose(appContext(c));
    if (!close) return c.html(page({ title: 'Pools and schemes', session, current: '/pools', body: nothingClosed('Pools and schemes') }));
    const { data } = close.report;
    const body = html`${heading(data.fund.name, `Pools and schemes: ${data.period}`)}${intro(close)}
${data.pools.map((p) => poolTable(p, html`<a class="govuk-link" href="/pools/${encodeURIComponent(p.id)}">${p.name}</a> (${p.netting ? 'netted' : 'not netted'})`))}`;
    return c.html(page({ title: 'Pools and schemes', session, current: '/pools', body }));
  });

  app.get('/pools/:pool', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const id = c.req.param('pool');
    const close = isId(id) ? await latestClose(appContext(c)) : null;
    const pool = close?.report.data.pools.find((p) => p.id === id);
    if (!close || !pool) return c.notFound();
    const { data } = close.report;
    const body = html`<a href="/pools" class="govuk-back-link">All pools</a>${heading(`${data.fund.name}: ${data.period}`, pool.name)}${intro(close)}
${poolTable(pool, html`Schemes of ${pool.name}`)}
${await byLedgerTable(appContext(c), close, pool)}`;
    return c.html(page({ title: pool.name, session, current: '/pools', body }));
  });
}
