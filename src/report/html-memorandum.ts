// The M12 report's memorandum account of the pooled budgets (issue 9 §3, docs/returns.md): the
// same tables as the statutory return's page (memorandum-text.ts draws them for both), made from
// the report's own close. Other months have no such section. When that close cannot give the
// account (a pooled scheme's outturn was a lead's forecast), the section says why instead.

import { formatPounds, type Pence } from '../domain/money.js';
import { html, type Html } from './escape.js';
import { memorandumPoolTables } from './memorandum-text.js';
import type { ReportData } from './report-data.js';

const money = (p: Pence) => formatPounds(p, { symbol: true });

/** The contents entry, only when the report has the section (its period is M12). */
export function memorandumSectionIds(data: ReportData): [string, string][] {
  return data.memorandum ? [['memorandum', 'Memorandum account (pooled budgets)']] : [];
}

export function memorandumSection(data: ReportData): Html {
  const m = data.memorandum;
  if (!m) return html``;
  let body: Html;
  if (m.account === null) {
    body = html`<div class="warning memorandum-warning"><strong>The memorandum account cannot be made from this close</strong>${m.refusal.reason} (${m.refusal.code}).</div>`;
  } else if (m.account.pools.length === 0) {
    body = html`<p class="none">The fund has no pooled budgets, so it keeps no memorandum account.</p>`;
  } else {
    const { pools, totals } = m.account;
    const all =
      pools.length > 1
        ? html`<table class="data-table"><caption>All pooled budgets</caption>
<thead><tr><th scope="col">Memorandum account</th><th scope="col" class="num">£</th></tr></thead><tbody>
<tr><th scope="row">Total income</th><td class="num">${money(totals.incomePence)}</td></tr>
<tr><th scope="row">Total expenditure</th><td class="num">${money(totals.expenditurePence)}</td></tr>
<tr class="total"><th scope="row">Surplus (deficit)</th><td class="num">${money(totals.surplusPence)}</td></tr>
</tbody></table>`
        : html``;
    body = html`${pools.map((p) => html`<div class="memorandum-pool" data-memorandum-pool="${p.pool}">${memorandumPoolTables(p)}</div>`)}${all}`;
  }
  return html`<section class="report-section" id="memorandum" aria-labelledby="memorandum-heading">
<h2 id="memorandum-heading">Memorandum account (pooled budgets)</h2>
<p class="lede">The host's memorandum account of each pooled budget for ${data.year}, and each partner's figures for the note on pooled budgets in its statement of accounts, from this year-end close: the same figures as <span class="code">tandem returns memorandum</span>. Exact pounds; surplus positive, deficit negative. A partner's share of a deficit is a further contribution; its share of a surplus is handed back; a retained surplus stays in the pool.</p>
${body}
</section>`;
}
