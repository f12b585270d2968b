// Years (docs/year-end.md): the multi-year view — each scheme and partner over every year of the
// agreement: the budget as first in force and as it is now, the outturn at the latest close, the
// risk share borne, and what an earlier year-end carried in — and each year's year-end status:
// final or not, and the settlement the year-end recorded. Read-only: `tandem year-end` ends a
// year. The same use cases as the CLI (multiYear, readYearEnd).

import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import type { AppContext } from '../../app/context.js';
import { multiYear } from '../../app/multi-year.js';
import { readYearEnd, type YearEndResult } from '../../app/year-end.js';
import type { Agreement } from '../../domain/agreement.js';
import { parseYear } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { PartnerYearRow, SchemeYearRow } from '../../report/multi-year.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { byPartner, figuresRow, figuresTable, money, partnerName } from '../views/governance.js';
import { summaryList, when } from '../views/manage.js';

function status(year: string, partners: PartnerYearRow[], yearEnd: YearEndResult | undefined): Html {
  if (yearEnd) {
    const d = yearEnd.document;
    return html`<p class="govuk-body"><strong class="govuk-tag govuk-tag--green">Final</strong> The year-end ran ${when(d.at)} by ${d.by}: the settlement is the M12 close's risk share (close version ${d.closeVersion}).</p>`;
  }
  const closedTo = partners[0]?.closedTo ?? null;
  if (closedTo === null) return html`<p class="govuk-body"><strong class="govuk-tag govuk-tag--grey">Not started</strong> No month of ${year} is closed yet.</p>`;
  return html`<p class="govuk-body"><strong class="govuk-tag govuk-tag--blue">Open</strong> Closed to ${closedTo}; not final: the year-end runs (<code>tandem year-end ${year}</code>) once M01 to M12 are closed.</p>`;
}

function settlement(agreement: Agreement, result: YearEndResult): Html {
  const d = result.document;
  const partners = Object.keys(d.settlement.byPartnerPence);
  const units = d.settlement.units.map((u) => figuresRow(u.unit, [u.pool, { pence: u.variancePence }, ...partners.map((p) => ({ pence: u.sharesPence[p] ?? 0 })), { pence: u.retainedPence }]));
  const total = figuresRow('Total', ['', '', ...partners.map((p) => ({ pence: d.settlement.byPartnerPence[p] ?? 0 })), { pence: d.settlement.retainedPence }], { total: true });
  const columns = [{ label: 'Sharing unit' }, { label: 'Pool' }, money('Variance'), ...partners.map((p) => money(partnerName(agreement, p))), money('Retained')];
  return html`${figuresTable(`Settlement recorded for ${d.year} (positive: the partner pays more; negative: handed back)`, columns, units.length > 0 ? [...units, total] : [], 'No sharing unit: nothing to settle.')}
${summaryList([
  ['Settlement journals (posted by the M12 close)', d.settlementJournals.length > 0 ? d.settlementJournals.join(', ') : 'none'],
  ['Next year', d.nextYear ?? 'none: the agreement ends with this year'],
  ['Agreement version made', d.agreementVersion === null ? 'none needed' : `v${d.agreementVersion}, in force from ${d.effectiveFrom ?? ''}`],
])}
${d.lines.length > 0 ? html`<h3 class="govuk-heading-s">What the year-end carried into the next year</h3><ul class="govuk-list govuk-list--bullet">${d.lines.map((l) => html`<li>${l.text}</li>`)}</ul>` : html``}`;
}

function schemeTable(agreement: Agreement, year: string, rows: SchemeYearRow[]): Html {
  const body = rows.map((s) =>
    figuresRow(html`${s.name} <span class="govuk-body-s">(${s.scheme})</span>`, [
      s.pool,
      s.type,
      { pence: s.originalBudgetPence },
      { pence: s.currentBudgetPence },
      { pence: s.outturnPence },
      s.type === 'pooled' && Object.keys(s.sharesPence).length === 0 && s.outturnPence !== null ? 'shared with its pool' : byPartner(agreement, s.sharesPence),
      { pence: s.carriedInPence },
    ]),
  );
  return figuresTable(
    `Schemes in ${year}: budgets, outturn (year to date at the latest close) and risk share borne`,
    [{ label: 'Scheme' }, { label: 'Pool' }, { label: 'Type' }, money('Original budget'), money('Current budget'), money('Outturn'), { label: 'Shares borne' }, money('Carried in')],
    body,
    'No scheme has a budget this year.',
  );
}

function partnerTable(year: string, rows: PartnerYearRow[]): Html {
  const body = rows.map((p) => figuresRow(p.name, [{ pence: p.originalContributionPence }, { pence: p.currentContributionPence }, { pence: p.actualPence }, { pence: p.riskSharePence }, { pence: p.carriedInPence }]));
  return figuresTable(
    `Partners in ${year}: contributions, spend in their ledgers and risk share borne (positive: pays more)`,
    [{ label: 'Partner' }, money('Original contribution'), money('Current contribution'), money('Actual'), money('Risk share borne'), money('Carried in')],
    body,
  );
}

async function yearSection(ctx: AppContext, fundId: string, agreement: Agreement, year: string, schemes: SchemeYearRow[], partners: PartnerYearRow[]): Promise<Html> {
  const yearEnd = await readYearEnd(ctx, { fundId, year: parseYear(year)! });
  return html`<h2 class="govuk-heading-m" id="year-${year}">${year}</h2>
${status(year, partners, yearEnd)}
${yearEnd ? settlement(agreement, yearEnd) : html``}
${schemeTable(agreement, year, schemes)}
${partnerTable(year, partners)}`;
}

export function yearRoutes(app: Hono<WebEnv>): void {
  app.get('/governance/years', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const { agreement } = await agreementInForce(ctx, fundId);
    const view = await multiYear(ctx, { fundId });
    const years = [...new Set([...view.partners.map((p) => p.year), ...view.schemes.map((s) => s.year)])];
    const sections: Html[] = [];
    for (const year of years) {
      sections.push(await yearSection(ctx, fundId, agreement, year, view.schemes.filter((s) => s.year === year), view.partners.filter((p) => p.year === year)));
    }
    const body = html`<a href="/governance" class="govuk-back-link">Governance</a>${heading(agreement.fund.name, 'Years')}
<p class="govuk-body">Every year of the agreement: each scheme's and partner's budget as first in force (original) and as it is now after decisions (current), the outturn at the latest close, the risk share borne, and what the previous year-end carried in. Exact pounds.</p>
${sections}`;
    return c.html(page({ title: 'Years', session, current: '/governance', body }));
  });
}
