// Dissolution (docs/dissolution.md): a GET form for a month-end date that shows the dissolution
// statement as a PREVIEW — dissolveFund with `preview: true`, which records nothing. The real
// dissolution is a decision of the joint committee and locks the fund for good, so it is never
// done from a page: it is proposed and approved at a meeting with `tandem decision`. Once the fund
// is dissolved, the page shows the statement recorded in the audit event (`fund.dissolve`, which
// names the decision) instead of the form.
//
// The date is checked before the use case runs: not a date, or not the last day of its month, is a
// 400 page that says why; a month-end the statement cannot rest on (not closed, a later month
// closed, outside the agreement…) is the use case's refusal, shown above the form (422).

import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { dissolutionPeriod, dissolveFund, type DissolutionDocument } from '../../app/dissolve.js';
import { TandemError } from '../../app/errors.js';
import { dissolutionEvent } from '../../app/fund-state.js';
import { formatPeriod, periodEndDate } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { AuditEvent } from '../../store/types.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { statementBody } from '../views/dissolution.js';
import { closedMonths, inset, reasonText } from '../views/governance.js';
import { errorSummary, summaryList, when } from '../views/manage.js';
import { badRequest, shortText } from '../views/params.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The `?at=` date: a real calendar date that is the last day of its month, else a 400. */
function monthEnd(value: string | undefined): string | undefined {
  const text = shortText('the date', value, 10);
  if (text === undefined) return undefined;
  const date = ISO_DATE.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) throw badRequest(`the date must be written YYYY-MM-DD, the last day of a closed month (e.g. 2026-03-31); got "${text}"`);
  try {
    dissolutionPeriod(text);
  } catch (e) {
    if (e instanceof TandemError) throw badRequest(reasonText(e));
    throw e;
  }
  return text;
}

function form(value: string, suggested: string | null): Html {
  const hint = suggested ? `The last day of a closed month, with no later month closed: ${suggested} is the end of the latest closed month.` : 'The last day of a closed month. No month has been closed yet.';
  return html`<form method="get" action="/governance/dissolution" novalidate><div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="at">Dissolution date</label>
<div id="at-hint" class="govuk-hint">${hint}</div>
<input class="govuk-input govuk-input--width-10" id="at" name="at" type="date" aria-describedby="at-hint" value="${value}"></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Preview the statement</button></form>`;
}

const REAL_RUN = html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This page only previews the statement: nothing is recorded. Dissolving the fund is a decision of the joint committee, taken only at a quorate meeting with a majority for (never under delegation): it is proposed with <code>tandem decision propose dissolution --at DATE --text "RESOLUTION"</code> and approved with the meeting's votes (<code>tandem decision approve ID --votes …</code>). That approval records this statement and locks the fund for good.</strong></div>`;

function recorded(event: AuditEvent): Html {
  const statement = event.details.statement as DissolutionDocument | undefined;
  const facts = summaryList([
    ['Dissolved at', `${String(event.details.date)} (${String(event.details.period)})`],
    ['Recorded', html`${when(event.at)} by ${event.actor}, audit event ${event.id}`],
    ...(typeof event.details.decision === 'number' ? ([['Decided by', html`<a class="govuk-link" href="/governance/decisions/${event.details.decision}">decision ${event.details.decision}</a> of the joint committee`]] as [string, Html][]) : []),
    ['Resolution', typeof event.details.text === 'string' ? event.details.text : 'none given'],
    ['SHA-256 of the statement', html`<code>${event.inputSha256 ?? ''}</code>`],
  ]);
  return html`<p class="govuk-body">The fund is dissolved: its records are final, and closes, reopens, decisions, forecasts and remaps are refused. This is the statement recorded in the audit trail.</p>
${facts}
${statement ? statementBody(statement) : inset('The audit event holds no statement.')}`;
}

export function dissolutionRoutes(app: Hono<WebEnv>): void {
  app.get('/governance/dissolution', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const { agreement } = await agreementInForce(ctx, fundId);
    const show = (body: Html, status: 200 | 422 = 200) =>
      c.html(page({ title: 'Dissolution', session, current: '/governance', body: html`<a href="/governance" class="govuk-back-link">Governance</a>${body}` }), status);

    const event = await dissolutionEvent(ctx.store, fundId);
    if (event) return show(html`${heading(agreement.fund.name, 'Dissolution')}${recorded(event)}`);

    const date = monthEnd(c.req.query('at'));
    const latest = (await closedMonths(ctx, fundId)).at(-1);
    const suggested = latest === undefined ? null : periodEndDate(latest);
    const intro = html`${heading(agreement.fund.name, 'Dissolution preview')}
<p class="govuk-body">What dissolving the fund at the end of a closed month would state: contributions and spend to the date, the position and how it is shared, the commitments that run on, and the final settlement journals.</p>
${REAL_RUN}`;
    if (date === undefined) return show(html`${intro}${form(suggested ?? '', suggested)}`);
    try {
      const result = await dissolveFund(ctx, { fundId, date, preview: true });
      return show(html`${intro}${form(date, suggested)}
<h2 class="govuk-heading-l">Preview: dissolution at ${date} (${formatPeriod(dissolutionPeriod(date))})</h2>
${statementBody(result.document)}`);
    } catch (e) {
      if (!(e instanceof TandemError)) throw e;
      return show(html`${errorSummary(new TandemError(e.code, reasonText(e), e.problems), '#at')}${intro}${form(date, suggested)}`, 422);
    }
  });
}
