// The suspense queue: live lines no mapping rule matched, grouped by code combination (the CLI's
// `tandem unmapped`), for the ledgers the user may see. A finance officer of the ledger's partner
// makes a rule from a group — the group's codes (all, or the ones they keep), sending its lines
// to a scheme or out of scope — which becomes the next agreement version (addMappingRule), and
// re-applies the rules to the lines already imported (remap, leaving closed months as they are).

import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import { addMappingRule } from '../../app/mapping-rules.js';
import { remap } from '../../app/remap.js';
import { unmappedGroups, type UnmappedGroup } from '../../app/unmapped.js';
import { authorise } from '../../domain/access.js';
import type { Agreement, Ledger } from '../../domain/agreement.js';
import { formatPounds } from '../../domain/money.js';
import { html, type Html } from '../../report/escape.js';
import { appContext, type WebContext, type WebEnv } from '../env.js';
import { refusedPage, requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { errorSummary, summaryList } from '../views/manage.js';
import { badRequest, shortText } from '../views/params.js';
import { ruleForm } from '../views/suspense.js';

function allowed(c: WebContext, agreement: Agreement, ledger: Ledger, action: 'ledger.lines.view' | 'ledger.map'): boolean {
  return authorise(c.get('session')!.actor, action, { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners }).allowed;
}

export function ruleHref(group: UnmappedGroup): string {
  return `/suspense/rule?${new URLSearchParams({ ledger: group.ledger, codes: JSON.stringify(Object.values(group.codes)) }).toString()}`;
}

function codesText(codes: Record<string, string>): Html {
  return html`${Object.entries(codes).map(([column, value], i) => html`${i > 0 ? html`<br>` : html``}${column}: <code>${value === '' ? '(blank)' : value}</code>`)}`;
}

/** A whole number from the address (the banner after a rule was added), or undefined. */
function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

function banner(c: WebContext): Html {
  const version = count(c.req.query('added'));
  const reapplied = c.req.query('reapplied') === 'yes';
  if (version === undefined && !reapplied) return html``;
  const mapped = count(c.req.query('mapped'));
  const kept = count(c.req.query('kept'));
  const lines = (n: number) => `${n.toLocaleString('en-GB')} line${n === 1 ? '' : 's'}`;
  const title = version !== undefined ? `Rule added: the agreement is now version ${version}` : 'The rules were re-applied';
  const detail =
    mapped === undefined
      ? 'The rules have not been re-applied to the lines already imported: re-apply them below when ready.'
      : `Re-applied: ${lines(mapped)} left the suspense queue.${kept ? ` ${lines(kept)} in closed months stayed as they were; reopen those months to re-apply there.` : ''}`;
  return html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="rule-added" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="rule-added">Success</h2></div>
<div class="govuk-notification-banner__content"><h3 class="govuk-notification-banner__heading">${title}</h3><p class="govuk-body">${detail}</p></div></div>`;
}

async function queuePage(c: WebContext, error: TandemError | null = null): Promise<string> {
  const session = c.get('session')!;
  const ctx = appContext(c);
  const fundId = await resolveFund(ctx);
  const { agreement, record } = await agreementInForce(ctx, fundId);
  const ledgers = new Map(agreement.ledgers.map((l) => [l.id, l]));
  const groups = (await unmappedGroups(ctx, { fundId })).filter((g) => allowed(c, agreement, ledgers.get(g.ledger)!, 'ledger.lines.view'));
  const mappable = agreement.ledgers.filter((l) => allowed(c, agreement, l, 'ledger.map'));
  const rows = groups.map((g) => {
    const ledger = ledgers.get(g.ledger)!;
    const action = allowed(c, agreement, ledger, 'ledger.map') ? html`<a class="govuk-link" href="${ruleHref(g)}">Create a rule<span class="govuk-visually-hidden"> for ${Object.values(g.codes).join(' ')} in ${ledger.name}</span></a>` : html`–`;
    return html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${ledger.name}</th><td class="govuk-table__cell">${codesText(g.codes)}</td>
<td class="govuk-table__cell govuk-table__cell--numeric">${g.lines.toLocaleString('en-GB')}</td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num">£${formatPounds(g.amountPence)}</td>
<td class="govuk-table__cell">${g.periods.join(', ')}</td><td class="govuk-table__cell">${action}</td></tr>`;
  });
  const table =
    rows.length === 0
      ? html`<p class="govuk-body" id="suspense-empty">No unmapped lines in the ledgers you can see.</p>`
      : html`<div class="tandem-table-scroll"><table class="govuk-table" id="suspense"><caption class="govuk-table__caption govuk-table__caption--m">Unmapped lines by code combination, largest first</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${['Ledger', 'Codes', 'Lines', 'Amount', 'Periods', 'Action'].map((h) => html`<th scope="col" class="govuk-table__header">${h}</th>`)}</tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table></div>`;
  const reapply = mappable.length
    ? html`<h2 class="govuk-heading-m">Re-apply the rules</h2><p class="govuk-body">Maps the lines already imported again with the rules of agreement version ${record.version}. Lines in closed months stay as they are.</p>
<form method="post" action="/suspense/reapply"><input type="hidden" name="_csrf" value="${session.csrfToken}"><div class="govuk-form-group"><label class="govuk-label" for="reapply-ledger">Ledger</label>
<select class="govuk-select" id="reapply-ledger" name="ledger">${mappable.map((l) => html`<option value="${l.id}">${l.name}</option>`)}</select></div><button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Re-apply the rules</button></form>`
    : html``;
  const body = html`${error ? errorSummary(error, '#suspense') : html``}${banner(c)}${heading(agreement.fund.name, 'Suspense queue')}
<p class="govuk-body">Lines that no mapping rule of the agreement matched. They are in no scheme's figures until a rule maps them.</p>${table}${reapply}`;
  return page({ title: error ? 'Error: Suspense queue' : 'Suspense queue', session, current: '/suspense', body });
}

interface RuleTarget {
  fundId: string;
  agreement: Agreement;
  version: number;
  ledger: Ledger;
  group: UnmappedGroup;
}

/** The group a rule is being made for, from the address or the form; 400/404 pages otherwise. */
async function ruleTarget(c: WebContext, ledgerId: string | undefined, codesJson: string | undefined): Promise<RuleTarget | Response> {
  const ctx = appContext(c);
  const fundId = await resolveFund(ctx);
  const { agreement, record } = await agreementInForce(ctx, fundId);
  const ledger = agreement.ledgers.find((l) => l.id === ledgerId);
  if (!ledger) throw badRequest('the ledger is not in the agreement');
  // Asked before anything about the ledger's lines is looked at or told.
  const decision = authorise(c.get('session')!.actor, 'ledger.map', { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners });
  if (!decision.allowed) return refusedPage(c, decision.reason);
  let values: unknown;
  try {
    values = JSON.parse(codesJson ?? '');
  } catch {
    throw badRequest('the codes of the group are missing or not readable');
  }
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw badRequest('the codes of the group are not a list of codes');
  const group = (await unmappedGroups(ctx, { fundId, ledgerId: ledger.id })).find((g) => JSON.stringify(Object.values(g.codes)) === JSON.stringify(values));
  if (!group) throw new TandemError('GROUP_NOT_FOUND', 'no unmapped lines of this ledger have these codes now (a rule may already map them): look at the suspense queue again', [], 1);
  return { fundId, agreement, version: record.version, ledger, group };
}

function rulePage(c: WebContext, target: RuleTarget, error: TandemError | null, form: Record<string, string | undefined> = {}): string {
  const session = c.get('session')!;
  const body = html`${error ? errorSummary(error, '#target') : html``}<a href="/suspense" class="govuk-back-link">Back to the suspense queue</a>${heading(target.ledger.name, 'Create a mapping rule')}
${summaryList([
  ['Lines', target.group.lines.toLocaleString('en-GB')],
  ['Amount', `£${formatPounds(target.group.amountPence)}`],
  ['Periods', target.group.periods.join(', ')],
])}${ruleForm({ csrf: session.csrfToken, ledger: target.ledger, group: target.group, version: target.version, schemes: target.agreement.schemes, error, form })}`;
  return page({ title: error ? 'Error: Create a mapping rule' : 'Create a mapping rule', session, current: '/suspense', body });
}

function formText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function suspenseRoutes(app: Hono<WebEnv>): void {
  app.get('/suspense', requireAction('fund.view'), async (c) => c.html(await queuePage(c)));

  app.get('/suspense/rule', requireAction('fund.view'), async (c) => {
    const target = await ruleTarget(c, c.req.query('ledger'), c.req.query('codes'));
    if (target instanceof Response) return target;
    return c.html(rulePage(c, target, null));
  });

  app.post('/suspense/rule', requireAction('fund.view'), async (c) => {
    const form = await c.req.parseBody();
    const text = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, formText(v)]));
    const target = await ruleTarget(c, text.ledger, text.codes);
    if (target instanceof Response) return target;
    const ctx = appContext(c);
    const when = Object.fromEntries(Object.entries(target.group.codes).filter(([column]) => text[`use_${column}`] === 'yes'));
    const targetValue = text.target ?? '';
    const basedOnVersion = count(text.version);
    try {
      const note = shortText('The note', text.note, 500);
      if (targetValue === '') throw new TandemError('RULE_INVALID', 'Choose where the lines go: a scheme, or out of the fund', [], 2);
      const added = await addMappingRule(ctx, { fundId: target.fundId, ledgerId: target.ledger.id, when, target: targetValue === 'out_of_scope' ? { outOfScope: true } : { scheme: targetValue }, note, basedOnVersion });
      const query = new URLSearchParams({ added: String(added.version) });
      if (text.reapply === 'yes') {
        const result = (await remap(ctx, { fundId: target.fundId, ledgerId: target.ledger.id, skipClosedPeriods: true })).ledgers[0]!;
        query.set('mapped', String(result.unmappedBefore - result.unmappedAfter));
        query.set('kept', String(result.keptInClosedPeriods));
      }
      return c.redirect(`/suspense?${query.toString()}`, 303);
    } catch (error) {
      if (!(error instanceof TandemError)) throw error;
      return c.html(rulePage(c, target, error, text), error.code === 'AGREEMENT_CHANGED' ? 409 : 422);
    }
  });

  app.post('/suspense/reapply', requireAction('fund.view'), async (c) => {
    const form = await c.req.parseBody();
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const { agreement } = await agreementInForce(ctx, fundId);
    const ledger = agreement.ledgers.find((l) => l.id === formText(form.ledger));
    if (!ledger) throw badRequest('the ledger is not in the agreement');
    if (!allowed(c, agreement, ledger, 'ledger.map')) return refusedPage(c, `only a finance officer of ${ledger.partner} may re-apply the rules of ${ledger.name}`);
    try {
      const result = (await remap(ctx, { fundId, ledgerId: ledger.id, skipClosedPeriods: true })).ledgers[0]!;
      return c.redirect(`/suspense?${new URLSearchParams({ reapplied: 'yes', mapped: String(result.unmappedBefore - result.unmappedAfter), kept: String(result.keptInClosedPeriods) }).toString()}`, 303);
    } catch (error) {
      if (!(error instanceof TandemError)) throw error;
      return c.html(await queuePage(c, error), 422);
    }
  });
}
