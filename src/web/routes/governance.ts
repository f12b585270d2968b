// Governance: the hub of the read-only pages for the fund's governance over years (issue 9) —
// decisions and the budget reconciliation, the multi-year view and year-ends, the statutory
// returns, and the dissolution preview — each with a line of where things stand. Every change
// they show is made with the CLI (`tandem decision`, `year-end`, `returns`, `dissolve`).

import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { listDecisions } from '../../app/decisions.js';
import { dissolutionEvent } from '../../app/fund-state.js';
import { formatYear } from '../../domain/period.js';
import { html } from '../../report/escape.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { decisionRoutes } from './decisions.js';
import { dissolutionRoutes } from './dissolution.js';
import { returnRoutes } from './returns.js';
import { yearRoutes } from './years.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function governanceRoutes(app: Hono<WebEnv>): void {
  app.get('/governance', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const { agreement } = await agreementInForce(ctx, fundId);
    const decisions = await listDecisions(ctx, { fundId });
    const count = (status: string) => decisions.filter((d) => d.status === status).length;
    const final = new Set((await ctx.store.listYearEnds(fundId)).map((r) => r.year));
    const dissolved = await dissolutionEvent(ctx.store, fundId);
    const years = agreement.years.map((y) => `${formatYear(y)}${final.has(y) ? ' (final)' : ''}`).join(', ');
    const item = (href: string, title: string, what: string, now: string) =>
      html`<li><h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="${href}">${title}</a></h2><p class="govuk-body govuk-!-margin-bottom-1">${what}</p><p class="govuk-body-s">${now}</p></li>`;
    const body = html`${heading(agreement.fund.name, 'Governance')}
<p class="govuk-body">How the fund is governed over its years. These pages only show what was decided and recorded; decisions, year-ends, returns and dissolution are made with the <code>tandem</code> command line.</p>
<ul class="govuk-list">
${item('/governance/decisions', 'Decisions', 'Every decision of the joint committee and under delegation, with its approvals and votes, and the budget reconciliation of a year.', decisions.length === 0 ? 'No decision yet.' : `${plural(decisions.length, 'decision')}: ${count('pending')} pending, ${count('effective')} effective, ${count('rejected')} rejected.`)}
${item('/governance/years', 'Years', 'Each scheme and partner across the agreement’s years: budgets, outturn, risk share borne and carry-forwards, and each year-end.', `Years of the agreement: ${years}.`)}
${item('/governance/returns', 'Statutory returns', 'The memorandum account of the pooled budgets, the Better Care Fund minimum check, and the return files.', 'Made from the year’s M12 close.')}
${item('/governance/dissolution', 'Dissolution', 'The dissolution statement the agreement’s arrangements need, as a preview at a month end.', dissolved ? `The fund was dissolved at ${String(dissolved.details.date)}.` : 'The fund is not dissolved.')}
</ul>`;
    return c.html(page({ title: 'Governance', session, current: '/governance', body }));
  });
  decisionRoutes(app);
  yearRoutes(app);
  returnRoutes(app);
  dissolutionRoutes(app);
}
