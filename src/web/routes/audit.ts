// Audit log: who did what, when — every audit event, newest first, 100 a page, filterable by
// action, each with its subject and details as compact JSON text (escaped like every other
// text). Needs `audit.view` (finance and up, src/domain/access.ts).

import type { Hono } from 'hono';
import { html } from '../../report/escape.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading, pagination } from '../views/components.js';
import { jsonText, table, when } from '../views/manage.js';
import { pageNumber, shortText } from '../views/params.js';

export const AUDIT_PER_PAGE = 100;

function auditHref(action: string | undefined, pageNo: number): string {
  const query = new URLSearchParams();
  if (action !== undefined) query.set('action', action);
  if (pageNo > 1) query.set('page', String(pageNo));
  const text = query.toString();
  return text === '' ? '/audit' : `/audit?${text}`;
}

export function auditRoutes(app: Hono<WebEnv>): void {
  app.get('/audit', requireAction('audit.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const action = shortText('action', c.req.query('action'), 64);
    const pageNo = pageNumber(c.req.query('page'));
    const all = await ctx.store.listAudit({});
    const actions = [...new Set(all.map((e) => e.action))].sort();
    const events = all.filter((e) => action === undefined || e.action === action).reverse();
    const pages = Math.max(1, Math.ceil(events.length / AUDIT_PER_PAGE));
    if (pageNo > pages) return c.notFound();
    const shown = events.slice((pageNo - 1) * AUDIT_PER_PAGE, pageNo * AUDIT_PER_PAGE);
    const rows = shown.map((e) =>
      html`<tr class="govuk-table__row" data-audit-id="${e.id}"><th scope="row" class="govuk-table__header">${when(e.at)}</th><td class="govuk-table__cell">${e.actor}</td><td class="govuk-table__cell tandem-audit-action">${e.action}</td><td class="govuk-table__cell">${e.subject ?? '—'}</td><td class="govuk-table__cell"><code class="tandem-audit-details">${jsonText(e.details)}</code></td></tr>`,
    );
    const filter = html`<form method="get" action="/audit"><div class="govuk-form-group"><label class="govuk-label" for="action">Action</label>
<select class="govuk-select" id="action" name="action"><option value="">All actions</option>${actions.map((a) => html`<option value="${a}"${a === action ? html` selected` : html``}>${a}</option>`)}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Filter</button></form>`;
    const first = (pageNo - 1) * AUDIT_PER_PAGE + 1;
    const summary =
      events.length === 0
        ? html``
        : html`<p class="govuk-body">Events ${first} to ${first + shown.length - 1} of ${events.length}${action === undefined ? '' : ` with action ${action}`}, newest first.</p>`;
    const body = html`${heading('Who did what, when', 'Audit log')}${filter}${summary}
${table(action === undefined ? 'Audit events' : `Audit events: ${action}`, ['When', 'Who', 'Action', 'Subject', 'Details'], rows, 'No audit events match this filter.')}
${pagination(pageNo, pages, (n) => auditHref(action, n))}`;
    return c.html(page({ title: 'Audit log', session, current: '/audit', body }));
  });
}
