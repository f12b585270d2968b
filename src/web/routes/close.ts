// Close: every month of the agreement's years with its state (open, closed vN, reopened), each
// close version with when and by whom, and what the latest close of a month changed against the
// version before it. Approvers close the next open month through a confirmation page and reopen
// the latest closed one with a reason. The pages call the CLI's own use cases (closePeriod,
// reopenPeriod, readClose); a refusal (CLOSE_UNMAPPED, PERIOD_LOCKED, LATER_PERIOD_CLOSED, …) is
// shown in a GOV.UK error summary with status 422 and nothing written; success is a 303 to the
// month's page. Periods in addresses are `2025-26-M03` (src/web/views/params.ts), else a 400.

import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { closePeriod, readClose, reopenPeriod } from '../../app/close.js';
import type { AppContext } from '../../app/context.js';
import { TandemError } from '../../app/errors.js';
import { periodStates } from '../../app/periods.js';
import { fundStatus } from '../../app/status.js';
import type { SessionInfo } from '../../app/users.js';
import { authorise, type Action } from '../../domain/access.js';
import { formatPounds } from '../../domain/money.js';
import { formatPeriod, periodsOfYear, type PeriodKey } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { CloseRecord, PeriodEvent } from '../../store/types.js';
import { appContext, type WebContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { errorSummary, jsonText, row, summaryList, table, when } from '../views/manage.js';
import { badRequest, parsePeriodSlug, periodSlug } from '../views/params.js';

type CloseSummary = Omit<CloseRecord, 'documentJson'>;

interface MonthRow {
  period: PeriodKey;
  event: PeriodEvent | undefined;
  closes: CloseSummary[];
}

const MAX_REASON = 1000;

function may(session: SessionInfo, action: Action): boolean {
  return authorise(session.actor, action, { lineDetailSharedAcrossPartners: false }).allowed;
}

function periodOf(slug: string): PeriodKey {
  const period = parsePeriodSlug(slug);
  if (period === undefined) throw badRequest(`"${slug}" is not a period (write it like 2025-26-M03)`);
  return period;
}

async function months(ctx: AppContext, fundId: string): Promise<{ fundName: string; rows: MonthRow[] }> {
  const { agreement } = await agreementInForce(ctx, fundId);
  const states = await periodStates(ctx.store, fundId);
  const closes = await ctx.store.listCloses(fundId);
  const periods = new Set([...agreement.years.flatMap(periodsOfYear), ...states.keys(), ...closes.map((c) => c.period)]);
  const rows = [...periods]
    .sort((a, b) => a - b)
    .map((period) => ({ period, event: states.get(period), closes: closes.filter((c) => c.period === period).sort((a, b) => a.version - b.version) }));
  return { fundName: agreement.fund.name, rows };
}

function stateText(m: MonthRow): Html {
  const latest = m.closes.at(-1);
  if (m.event?.action === 'close') return html`<strong class="govuk-tag govuk-tag--green">Closed v${latest?.version ?? 0}</strong>`;
  if (m.event?.action === 'reopen') return html`<strong class="govuk-tag govuk-tag--yellow">Reopened</strong> <span class="govuk-body-s">by ${m.event.actor}, ${when(m.event.at)}: ${m.event.reason ?? ''}</span>`;
  return html`<strong class="govuk-tag govuk-tag--grey">Open</strong>`;
}

function versionsText(m: MonthRow): Html {
  if (m.closes.length === 0) return html`–`;
  const latest = m.closes.at(-1)!;
  return html`<ul class="govuk-list">${m.closes.map((c) => html`<li>v${c.version}: ${when(c.closedAt)} by ${c.closedBy}${c === latest ? html` – <a class="govuk-link" href="/close/${periodSlug(m.period)}">what changed<span class="govuk-visually-hidden"> in ${formatPeriod(m.period)} v${c.version}</span></a>` : html``}</li>`)}</ul>`;
}

function reopenForm(session: SessionInfo, period: PeriodKey, reason: string, error: TandemError | null): Html {
  const name = formatPeriod(period);
  return html`<h2 class="govuk-heading-m">Reopen ${name}</h2>
<p class="govuk-body">Reopening unlocks the month so its data can be corrected; close it again afterwards. Only the latest closed month can be reopened.</p>
<form method="post" action="/close/${periodSlug(period)}/reopen">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}"><label class="govuk-label govuk-label--s" for="reason">Why reopen ${name}?</label>
<div class="govuk-hint" id="reason-hint">Required. The reason goes in the audit log.</div>
${error ? html`<p id="reason-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error.message}</p>` : html``}
<textarea class="govuk-textarea${error ? ' govuk-textarea--error' : ''}" id="reason" name="reason" rows="3" required maxlength="${MAX_REASON}" aria-describedby="reason-hint${error ? ' reason-error' : ''}">${reason}</textarea></div>
<button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Reopen ${name}</button>
</form>`;
}

async function overviewPage(c: WebContext, error: TandemError | null = null, reason = ''): Promise<string> {
  const session = c.get('session')!;
  const ctx = appContext(c);
  const fundId = await resolveFund(ctx);
  const { fundName, rows } = await months(ctx, fundId);
  const body: Html[] = [error ? errorSummary(error, '#reason') : html``, heading(fundName, 'Close')];
  body.push(html`<p class="govuk-body">Each month of the agreement's years: open, closed (locked, with its close version) or reopened. A month closes once its ledgers' extracts are in; a reopen needs a reason and is audited.</p>`);
  body.push(table('Months and their closes', ['Month', 'State', 'Close versions'], rows.map((m) => row(formatPeriod(m.period), [stateText(m), versionsText(m)]))));
  const next = rows.find((m) => m.event?.action !== 'close');
  if (next && may(session, 'period.close')) {
    const name = formatPeriod(next.period);
    body.push(html`<h2 class="govuk-heading-m">Close the next month</h2><p class="govuk-body">The next month to close is ${name}. You will be asked to confirm.</p>
<form method="get" action="/close/${periodSlug(next.period)}/confirm"><button type="submit" class="govuk-button" data-module="govuk-button">Close ${name}…</button></form>`);
  }
  const closed = rows.filter((m) => m.event?.action === 'close').at(-1);
  if (closed && may(session, 'period.reopen')) body.push(reopenForm(session, closed.period, reason, error));
  return page({ title: 'Close', session, current: '/close', body: html`${body}` });
}

async function confirmPage(c: WebContext, period: PeriodKey, error: TandemError | null = null, allowUnmapped = false): Promise<string> {
  const session = c.get('session')!;
  const ctx = appContext(c);
  const fundId = await resolveFund(ctx);
  const { fundName, rows } = await months(ctx, fundId);
  const month = rows.find((m) => m.period === period);
  const name = formatPeriod(period);
  const status = await fundStatus(ctx, { fundId, period });
  const version = (month?.closes.at(-1)?.version ?? 0) + 1;
  const items: Html[] = [
    html`<li>Tandem reads the live totals of every ledger for the year to ${name}, the leads' forecasts and the earlier closes, and works out the figures, the risk share and the journals.</li>`,
    html`<li>The result is stored as close version ${version} of ${name}${version > 1 ? html`, with what changed against version ${version - 1}` : html``}; it never changes afterwards.</li>`,
    html`<li>${name} is locked: no extract, forecast or remap can change it until it is reopened.</li>`,
    html`<li>The close is recorded in the audit log as done by ${session.user.email}.</li>`,
  ];
  const unmapped = status.unmapped.lines;
  const body = html`${error ? errorSummary(error, '#allowUnmapped') : html``}<a href="/close" class="govuk-back-link">Back to Close</a>${heading(fundName, `Close ${name}`)}
<h2 class="govuk-heading-m">What will happen</h2><ul class="govuk-list govuk-list--bullet">${items}</ul>
${unmapped > 0 ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>${unmapped} line${unmapped === 1 ? ' is' : 's are'} unmapped up to ${name} (£${formatPounds(status.unmapped.amountPence)}). Map them first, or close anyway and the report shows them prominently.</strong></div>` : html``}
<form method="post" action="/close/${periodSlug(period)}">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}"><div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">
<input class="govuk-checkboxes__input" id="allowUnmapped" name="allowUnmapped" type="checkbox" value="yes"${allowUnmapped ? html` checked` : html``}>
<label class="govuk-label govuk-checkboxes__label" for="allowUnmapped">Close even though lines are unmapped</label></div></div></div>
<div class="govuk-button-group"><button type="submit" class="govuk-button" data-module="govuk-button">Close ${name}</button><a class="govuk-link" href="/close">Cancel</a></div>
</form>`;
  return page({ title: `Close ${name}`, session, current: '/close', body });
}

async function monthPage(c: WebContext, period: PeriodKey): Promise<string | null> {
  const session = c.get('session')!;
  const ctx = appContext(c);
  const fundId = await resolveFund(ctx);
  const { fundName, rows } = await months(ctx, fundId);
  const month = rows.find((m) => m.period === period);
  if (!month || month.closes.length === 0) return null;
  const doc = await readClose(ctx, { fundId, period });
  const name = formatPeriod(period);
  const changes = doc.changes.map((ch) => row(ch.path, [ch.kind, ch.kind === 'added' ? '—' : jsonText(ch.before), ch.kind === 'removed' ? '—' : jsonText(ch.after)]));
  const body = html`<a href="/close" class="govuk-back-link">Back to Close</a>${heading(fundName, `${name}: close version ${doc.closeVersion}`)}
${summaryList([
  ['State now', stateText(month)],
  ['Closed at', when(doc.closedAt)],
  ['Closed by', doc.closedBy],
  ['Agreement version', String(doc.agreementVersion)],
  ['Replaces', doc.previousVersion === null ? 'nothing: the first close of this month' : `version ${doc.previousVersion}`],
])}
${table(`What changed in version ${doc.closeVersion}${doc.previousVersion === null ? '' : ` against version ${doc.previousVersion}`}`, ['Path', 'Change', 'Before', 'After'], changes, doc.previousVersion === null ? 'Nothing: this is the first close of the month.' : 'Nothing changed against the version before.')}
${table(`Close versions of ${name}`, ['Version', 'Closed at', 'Closed by', 'Agreement version'], month.closes.map((v) => row(`v${v.version}`, [when(v.closedAt), v.closedBy, String(v.agreementVersion)])))}`;
  return page({ title: `${name} close`, session, current: '/close', body });
}

export function closeRoutes(app: Hono<WebEnv>): void {
  app.get('/close', requireAction('fund.view'), async (c) => c.html(await overviewPage(c)));

  app.get('/close/:period', requireAction('fund.view'), async (c) => {
    const text = await monthPage(c, periodOf(c.req.param('period')));
    return text === null ? c.notFound() : c.html(text);
  });

  app.get('/close/:period/confirm', requireAction('period.close'), async (c) => c.html(await confirmPage(c, periodOf(c.req.param('period')))));

  app.post('/close/:period', requireAction('period.close'), async (c) => {
    const period = periodOf(c.req.param('period'));
    const form = await c.req.parseBody();
    const allowUnmapped = form.allowUnmapped === 'yes';
    try {
      await closePeriod(appContext(c), { period, allowUnmapped });
    } catch (e) {
      if (!(e instanceof TandemError)) throw e;
      return c.html(await confirmPage(c, period, e, allowUnmapped), 422);
    }
    return c.redirect(`/close/${periodSlug(period)}`, 303);
  });

  app.post('/close/:period/reopen', requireAction('period.reopen'), async (c) => {
    const period = periodOf(c.req.param('period'));
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' ? form.reason : '';
    try {
      if ([...reason.trim()].length > MAX_REASON) throw badRequest(`the reason may have at most ${MAX_REASON} characters`);
      await reopenPeriod(appContext(c), { period, reason });
    } catch (e) {
      if (!(e instanceof TandemError)) throw e;
      return c.html(await overviewPage(c, e, reason), 422);
    }
    return c.redirect(`/close/${periodSlug(period)}`, 303);
  });
}
