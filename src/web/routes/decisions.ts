// Decisions (docs/governance.md): every decision of the fund with its status, route, date, amount
// and effective period, and each decision's change, approvals, votes and the agreement version it
// made; with the budget reconciliation of a year (original budget, every change an effective
// decision made, the budget now). Read-only: decisions are proposed and approved with `tandem
// decision`. The same use cases as the CLI (listDecisions, showDecision, budgetReconciliationFor).

import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import { budgetReconciliationFor, listDecisions, showDecision, type DecisionView } from '../../app/decisions.js';
import type { Agreement } from '../../domain/agreement.js';
import type { DecisionChange } from '../../domain/decisions.js';
import { sumPence } from '../../domain/money.js';
import { formatYear } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { ReconciliationRow } from '../../report/budget-reconciliation.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { closedMonths, defaultYear, figuresRow, figuresTable, gbp, money, partnerName, yearForm, yearParam } from '../views/governance.js';
import { jsonText, summaryList, when } from '../views/manage.js';

const TYPE_NAME: Record<DecisionChange['type'], string> = {
  virement: 'Virement',
  budget_variation: 'Budget variation',
  risk_share_change: 'Risk-share change',
  agreement_variation: 'Agreement variation',
  dissolution: 'Dissolution of the fund',
};

const STATUS_TAG: Record<DecisionView['status'], Html> = {
  pending: html`<strong class="govuk-tag govuk-tag--yellow">Pending</strong>`,
  effective: html`<strong class="govuk-tag govuk-tag--green">Effective</strong>`,
  rejected: html`<strong class="govuk-tag govuk-tag--red">Rejected</strong>`,
};

function schemeName(agreement: Agreement, id: string): string {
  const scheme = agreement.schemes.find((s) => s.id === id);
  return scheme ? `${scheme.name} (${id})` : id;
}

/** The person named in the governance section, by name and id. */
function personName(agreement: Agreement, id: string): string {
  const g = agreement.governance;
  const person = g ? [...g.committee.members, ...g.officers].find((p) => p.id === id) : undefined;
  return person ? `${person.name} (${id})` : id;
}

/** How the decision was (or is being) decided: at a meeting, under delegation, or not yet. */
function route(d: DecisionView): string {
  if (d.meetings.length > 0) return 'Meeting';
  if (d.approvals.length > 0) return 'Delegated';
  return '–';
}

/** The date of the approval, meeting or rejection that settled it; a pending one's latest approval. */
function decidedOn(d: DecisionView): string {
  if (d.rejected) return d.rejected.on ?? '–';
  const dates = [...d.approvals.map((a) => a.on), ...d.meetings.map((m) => m.on)].filter((x): x is string => x !== null).sort();
  return dates.at(-1) ?? '–';
}

/** The amount a virement moves or a variation changes; other decisions change rules, not amounts. */
function amount(change: DecisionChange): number | null {
  if (change.type === 'virement') return change.amountPence;
  if (change.type === 'budget_variation') return change.changePence;
  return null;
}

/** What the decision changes, in words (names from the agreement in force). */
function changeInWords(agreement: Agreement, change: DecisionChange): string {
  switch (change.type) {
    case 'virement':
      return `${gbp(change.amountPence)} of ${partnerName(agreement, change.partner)}'s contribution for ${formatYear(change.year)} moves from ${schemeName(agreement, change.from)} to ${schemeName(agreement, change.to)}`;
    case 'budget_variation':
      return `${partnerName(agreement, change.partner)}'s contribution to ${schemeName(agreement, change.scheme)} for ${formatYear(change.year)} ${change.changePence >= 0 ? 'increases' : 'decreases'} by ${gbp(Math.abs(change.changePence))}`;
    case 'risk_share_change':
      return change.scheme === null ? `new risk-share rules for pool ${change.pool}` : `new risk-share rules for scheme ${schemeName(agreement, change.scheme)} of pool ${change.pool}`;
    case 'agreement_variation':
      return change.addScheme ? `adds scheme ${change.addScheme.name} (${change.addScheme.id}, ${change.addScheme.type}) to pool ${change.addScheme.pool}` : `removes scheme ${schemeName(agreement, change.removeScheme ?? '')}`;
    case 'dissolution':
      return `dissolves the fund at ${change.date}: the dissolution statement is recorded and the fund locked when a quorate meeting of the joint committee approves it (never under delegation)`;
  }
}

function listTable(decisions: DecisionView[]): Html {
  const rows = decisions.map((d) =>
    figuresRow(html`<a class="govuk-link" href="/governance/decisions/${d.id}">Decision ${d.id}</a>`, [
      d.title,
      TYPE_NAME[d.type],
      STATUS_TAG[d.status],
      route(d),
      decidedOn(d),
      { pence: amount(d.change) },
      d.effectiveFrom,
      d.agreementVersion === null ? '–' : `v${d.agreementVersion}`,
    ]),
  );
  return figuresTable(
    'Every decision of the fund, oldest first',
    [{ label: 'Number' }, { label: 'Decision' }, { label: 'Type' }, { label: 'Status' }, { label: 'Route' }, { label: 'Date' }, money('Amount'), { label: 'Effective from' }, { label: 'Agreement version' }],
    rows,
    'No decision has been proposed yet.',
  );
}

/** Original budget, each effective decision's change with its number, the budget now; with totals. */
export function reconciliationTable(rows: ReconciliationRow[], year: number): Html {
  const changes = (r: ReconciliationRow) =>
    r.changes.length === 0
      ? 'none'
      : html`${r.changes.map((c, i) => html`${i > 0 ? '; ' : ''}<a class="govuk-link" href="/governance/decisions/${c.decision}">decision ${c.decision}</a> (v${c.version}) ${c.pence >= 0 ? '+' : ''}${gbp(c.pence)}`)}`;
  const body = rows.map((r) => figuresRow(html`${r.name} <span class="govuk-body-s">(${r.scheme})</span>`, [{ pence: r.originalPence }, changes(r), { pence: r.currentPence }]));
  const total = figuresRow('Total', [{ pence: sumPence(rows.map((r) => r.originalPence)) }, { pence: sumPence(rows.flatMap((r) => r.changes.map((c) => c.pence))) }, { pence: sumPence(rows.map((r) => r.currentPence)) }], { total: true });
  return figuresTable(`Budget reconciliation ${formatYear(year)}: each scheme's annual budget`, [{ label: 'Scheme' }, money('Original'), { label: 'Changes by decision' }, money('Current')], rows.length > 0 ? [...body, total] : [], 'The agreement has no schemes.');
}

function detail(agreement: Agreement, d: DecisionView): Html {
  const approvals = d.approvals.map((a) => figuresRow(personName(agreement, a.person), [a.role, partnerName(agreement, a.partner), a.on ?? '–']));
  const meetings = d.meetings.map((m, i) =>
    figuresTable(
      `Meeting ${i + 1}${m.on ? ` on ${m.on}` : ''}: ${m.for} for, ${m.against} against, ${m.abstain} abstaining`,
      [{ label: 'Member' }, { label: 'Partner' }, { label: 'Vote' }],
      m.votes.map((v) => figuresRow(personName(agreement, v.member), [partnerName(agreement, v.partner), v.vote])),
    ),
  );
  const version =
    d.agreementVersion === null
      ? '–'
      : d.agreementVersion > 1
        ? html`v${d.agreementVersion}, in force from ${d.effectiveFrom} (<a class="govuk-link" href="/agreement?from=${d.agreementVersion - 1}&amp;to=${d.agreementVersion}#diff">what it changed</a>)`
        : `v${d.agreementVersion}`;
  const made: [string, string | Html] =
    d.change.type === 'dissolution'
      ? ['Dissolution recorded', d.dissolution ? html`at ${d.dissolution.date} (${d.dissolution.period}), audit event ${d.dissolution.auditEvent}: <a class="govuk-link" href="/governance/dissolution">the statement</a>` : '–']
      : ['Agreement version made', version];
  const rules = d.change.type === 'risk_share_change' ? html`<h2 class="govuk-heading-m">The new rules</h2><p class="govuk-body"><code>${jsonText(d.change.riskShare)}</code></p>` : html``;
  return html`${summaryList([
    ['Decision', d.title],
    ['Type', TYPE_NAME[d.type]],
    ['Status', STATUS_TAG[d.status]],
    ['Change', changeInWords(agreement, d.change)],
    ['Effective from', d.effectiveFrom],
    ['Proposed', html`${when(d.proposedAt)} by ${d.proposedBy}`],
    made,
    ...(d.rejected ? ([['Rejected', `by ${personName(agreement, d.rejected.by)}${d.rejected.on ? ` on ${d.rejected.on}` : ''}: ${d.rejected.reason ?? ''}`]] as [string, string][]) : []),
  ])}${rules}
<h2 class="govuk-heading-m">Approvals</h2>
${figuresTable('Delegated approvals, in order', [{ label: 'Person' }, { label: 'Role' }, { label: 'Partner' }, { label: 'On' }], approvals, 'No delegated approval.')}
${meetings.length > 0 ? meetings : html`<p class="govuk-body">Not decided at a meeting.</p>`}`;
}

export function decisionRoutes(app: Hono<WebEnv>): void {
  app.get('/governance/decisions', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const { agreement } = await agreementInForce(ctx, fundId);
    const year = yearParam(c.req.query('year'), agreement.years, defaultYear(await closedMonths(ctx, fundId), agreement.years));
    const decisions = await listDecisions(ctx, { fundId });
    const rows = await budgetReconciliationFor(ctx, { fundId, year });
    const body = html`<a href="/governance" class="govuk-back-link">Governance</a>${heading(agreement.fund.name, 'Decisions')}
<p class="govuk-body">Budgets, risk shares and the fund's scope change only through a recorded decision, and the fund is dissolved only by one of the joint committee. Decisions are proposed and approved with <code>tandem decision</code>; this page shows them.</p>
${listTable(decisions)}
<h2 class="govuk-heading-m" id="reconciliation">Budget reconciliation</h2>
<p class="govuk-body">The budget the latest agreement file set, every change an effective decision made since, and the budget now, in exact pounds.</p>
${yearForm('/governance/decisions#reconciliation', agreement.years, year)}
${reconciliationTable(rows, year)}`;
    return c.html(page({ title: 'Decisions', session, current: '/governance', body }));
  });

  app.get('/governance/decisions/:id', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const id = c.req.param('id');
    if (!/^[1-9]\d{0,8}$/.test(id)) return c.notFound();
    const fundId = await resolveFund(ctx);
    const d = await showDecision(ctx, { fundId, id: Number(id) }).catch((e: unknown) => {
      if (e instanceof TandemError && e.code === 'DECISION_UNKNOWN') return null;
      throw e;
    });
    if (!d) return c.notFound();
    const { agreement } = await agreementInForce(ctx, fundId);
    const body = html`<a href="/governance/decisions" class="govuk-back-link">All decisions</a>${heading(agreement.fund.name, `Decision ${d.id}`)}${detail(agreement, d)}`;
    return c.html(page({ title: `Decision ${d.id}`, session, current: '/governance', body }));
  });
}
