// Audit log: who did what, when — newest first, 100 a page, filterable by action, actor and a
// range of days, each event with its subject and details as compact JSON text (escaped like
// every other text). Needs `audit.view` (finance and up, src/domain/access.ts).
//
// Which events: the database filters, counts and pages (Store.queryAudit), so the page never
// loads the whole trail. A finance officer or approver sees the events of their own fund only.
// Events tied to no fund — `init`'s migrations, admin users and their API tokens — are about
// running the system, not about the fund, so only admins see them; an admin (who acts for no
// partner and may do everything) sees every event, of every fund the database holds. Adding or
// creating a token for a partner's user is recorded against that user's fund, so the fund's
// officers can trace who was given access to its data.

import type { Hono } from 'hono';
import type { SessionInfo } from '../../app/users.js';
import { html, type Html } from '../../report/escape.js';
import type { AuditQuery } from '../../store/types.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading, pagination } from '../views/components.js';
import { jsonText, table, when } from '../views/manage.js';
import { badRequest, pageNumber, shortText } from '../views/params.js';

export const AUDIT_PER_PAGE = 100;

/** What the address asks for: the filters as typed (for the form and links) and as a query. */
interface Filters {
  action?: string;
  actor?: string;
  /** Days as `YYYY-MM-DD`, both inclusive. */
  from?: string;
  to?: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day `YYYY-MM-DD` (what `<input type="date">` sends); anything else is a 400. */
function day(name: string, value: string | undefined): string | undefined {
  const text = shortText(name, value, 10);
  if (text === undefined) return undefined;
  const m = DAY.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== text) throw badRequest(`${name} must be a date written YYYY-MM-DD; got "${text}"`);
  return text;
}

/** The ISO time at the start of the day after `text` (a checked `YYYY-MM-DD`). */
function dayAfter(text: string): string {
  const start = new Date(`${text}T00:00:00.000Z`);
  return new Date(start.getTime() + 86_400_000).toISOString();
}

function scopeOf(session: SessionInfo): Pick<AuditQuery, 'fundId' | 'withoutFund'> {
  if (session.actor.role === 'admin') return {};
  // Everyone but an admin acts for a partner of a fund (users table CHECKs); fail closed if not.
  if (session.user.fund === null) throw badRequest('this user belongs to no fund, so there is no audit log to show');
  return { fundId: session.user.fund };
}

function auditHref(filters: Filters, pageNo: number): string {
  const query = new URLSearchParams();
  for (const key of ['action', 'actor', 'from', 'to'] as const) {
    const value = filters[key];
    if (value !== undefined) query.set(key, value);
  }
  if (pageNo > 1) query.set('page', String(pageNo));
  const text = query.toString();
  return text === '' ? '/audit' : `/audit?${text}`;
}

function select(name: string, label: string, all: string, values: string[], chosen: string | undefined): Html {
  // A chosen value no longer in the list (or typed into the address) stays selectable, so the form shows what is applied.
  const options = chosen !== undefined && !values.includes(chosen) ? [chosen, ...values] : values;
  return html`<div class="govuk-form-group"><label class="govuk-label" for="${name}">${label}</label>
<select class="govuk-select" id="${name}" name="${name}"><option value="">${all}</option>${options.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : html``}>${v}</option>`)}</select></div>`;
}

function dateInput(name: string, label: string, value: string | undefined): Html {
  return html`<div class="govuk-form-group"><label class="govuk-label" for="${name}">${label}</label><div class="govuk-hint" id="${name}-hint">For example, 2025-06-08</div>
<input class="govuk-input govuk-input--width-10" id="${name}" name="${name}" type="date" aria-describedby="${name}-hint" value="${value ?? ''}"></div>`;
}

function described(filters: Filters): string {
  const parts = [
    filters.action === undefined ? '' : ` with action ${filters.action}`,
    filters.actor === undefined ? '' : ` by ${filters.actor}`,
    filters.from === undefined ? '' : ` from ${filters.from}`,
    filters.to === undefined ? '' : ` to ${filters.to}`,
  ];
  return parts.join('');
}

export function auditRoutes(app: Hono<WebEnv>): void {
  app.get('/audit', requireAction('audit.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const filters: Filters = {
      action: shortText('action', c.req.query('action'), 64),
      actor: shortText('actor', c.req.query('actor'), 254),
      from: day('from', c.req.query('from')),
      to: day('to', c.req.query('to')),
    };
    if (filters.from !== undefined && filters.to !== undefined && filters.from > filters.to) throw badRequest(`the "from" day (${filters.from}) is after the "to" day (${filters.to})`);
    const pageNo = pageNumber(c.req.query('page'));
    const scope = scopeOf(session);
    const query: AuditQuery = {
      ...scope,
      action: filters.action,
      actor: filters.actor,
      since: filters.from === undefined ? undefined : `${filters.from}T00:00:00.000Z`,
      before: filters.to === undefined ? undefined : dayAfter(filters.to),
    };
    const { total, events } = await ctx.store.queryAudit(query, { offset: (pageNo - 1) * AUDIT_PER_PAGE, limit: AUDIT_PER_PAGE });
    const pages = Math.max(1, Math.ceil(total / AUDIT_PER_PAGE));
    if (pageNo > pages) return c.notFound();
    const facets = await ctx.store.auditFacets(scope);
    const rows = events.map(
      (e) =>
        html`<tr class="govuk-table__row" data-audit-id="${e.id}"><th scope="row" class="govuk-table__header">${when(e.at)}</th><td class="govuk-table__cell">${e.actor}</td><td class="govuk-table__cell tandem-audit-action">${e.action}</td><td class="govuk-table__cell">${e.subject ?? '—'}</td><td class="govuk-table__cell"><code class="tandem-audit-details">${jsonText(e.details)}</code></td></tr>`,
    );
    const filter = html`<form method="get" action="/audit">${select('action', 'Action', 'All actions', facets.actions, filters.action)}${select('actor', 'Who', 'Everyone', facets.actors, filters.actor)}
${dateInput('from', 'From (UTC day)', filters.from)}${dateInput('to', 'To (UTC day, included)', filters.to)}
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Filter</button></form>`;
    const first = (pageNo - 1) * AUDIT_PER_PAGE + 1;
    const summary = total === 0 ? html`` : html`<p class="govuk-body">Events ${first} to ${first + events.length - 1} of ${total}${described(filters)}, newest first.</p>`;
    const filtered = described(filters) !== '';
    const body = html`${heading('Who did what, when', 'Audit log')}${filter}${summary}
${table(filtered ? `Audit events${described(filters)}` : 'Audit events', ['When', 'Who', 'Action', 'Subject', 'Details'], rows, filtered ? 'No audit events match these filters.' : 'No audit events yet.')}
${pagination(pageNo, pages, (n) => auditHref(filters, n), 'Pages of audit events')}`;
    return c.html(page({ title: 'Audit log', session, current: '/audit', body }));
  });
}
