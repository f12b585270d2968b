// The memorandum account as a Markdown section (to paste into a statement of accounts note or a
// committee paper) and as a self-contained HTML page with the joint report's stylesheet. Exact
// pounds throughout: these figures go into statutory accounts. Text from the agreement (names)
// is escaped in HTML by the `html` tag, and its Markdown table cells have `|` escaped.

import type { MemorandumPool } from '../domain/memorandum.js';
import { formatPounds, type Pence } from '../domain/money.js';
import { html, type Html } from './escape.js';
import { formatTimestamp } from './html-sections.js';
import { standaloneHead } from './html-style.js';
import { provenanceLine, type MemorandumReturn } from './returns-data.js';

const money = (p: Pence) => formatPounds(p, { symbol: true });
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function shareLabel(name: string, share: Pence): string {
  if (share > 0) return `${name}: handed back`;
  if (share < 0) return `${name}: further contribution`;
  return name;
}

function poolMarkdown(p: MemorandumPool): string[] {
  const out = [`### ${p.name} (pool \`${p.pool}\`), hosted by ${p.hostName}`, '', '| | £ |', '|---|---:|', '| **Income** | |'];
  for (const i of p.income) out.push(`| Contribution from ${cell(i.name)} | ${money(i.contributionPence)} |`);
  out.push(`| **Total income** | **${money(p.incomePence)}** |`, '| **Expenditure** | |');
  for (const e of p.expenditure) out.push(`| ${cell(e.name)} (${e.scheme}) | ${money(e.actualPence)} |`);
  out.push(`| **Total expenditure** | **${money(p.expenditurePence)}** |`);
  out.push(`| **${p.surplusPence >= 0 ? 'Surplus' : 'Deficit'} for the year** | **${money(p.surplusPence)}** |`);
  out.push('| **Shared under the risk share** | |');
  for (const x of p.shares) out.push(`| ${cell(shareLabel(x.name, x.shareOfSurplusPence))} | ${money(x.shareOfSurplusPence)} |`);
  out.push(`| Retained in the pool for next year | ${money(p.retainedPence)} |`, `| **Total shared** | **${money(p.surplusPence)}** |`, '');
  out.push('| Partner | Contribution | Share of surplus / deficit | Net contribution | Settlement journal |', '|---|---:|---:|---:|---|');
  for (const x of p.shares) out.push(`| ${cell(x.name)} | ${money(x.contributionPence)} | ${money(x.shareOfSurplusPence)} | ${money(x.netContributionPence)} | ${x.settlementRef ?? (x.partner === p.host ? 'host: none' : 'none')} |`);
  out.push('');
  if (p.reasons.length > 0) out.push(...p.reasons.map((r) => `- ${r}`), '');
  return out;
}

export function renderMemorandumMarkdown(data: MemorandumReturn): string {
  const { account, provenance } = data;
  const lines = [`## ${account.fundName}: pooled budget memorandum account ${account.year}`, '', provenanceLine(provenance), ''];
  lines.push('Surplus positive, deficit negative. A partner’s share of a deficit is a further contribution; its share of a surplus is handed back; a retained surplus stays in the pool.', '');
  for (const pool of account.pools) lines.push(...poolMarkdown(pool));
  return `${lines.join('\n')}\n`;
}

/** One pool's account, partner table and reasons; also the joint report's M12 section (html-memorandum.ts). */
export function memorandumPoolTables(p: MemorandumPool): Html {
  const row = (label: string, pence: Pence, cls = '') => html`<tr class="${cls}"><th scope="row">${label}</th><td class="num">${money(pence)}</td></tr>`;
  const account = html`<table class="data-table"><caption>${p.name} (pool ${p.pool}), hosted by ${p.hostName}</caption>
<thead><tr><th scope="col">Memorandum account</th><th scope="col" class="num">£</th></tr></thead><tbody>
<tr class="subtotal"><th scope="rowgroup" colspan="2">Income</th></tr>
${p.income.map((i) => row(`Contribution from ${i.name}`, i.contributionPence))}
${row('Total income', p.incomePence, 'total')}
<tr class="subtotal"><th scope="rowgroup" colspan="2">Expenditure</th></tr>
${p.expenditure.map((e) => row(`${e.name} (${e.scheme})`, e.actualPence))}
${row('Total expenditure', p.expenditurePence, 'total')}
${row(p.surplusPence >= 0 ? 'Surplus for the year' : 'Deficit for the year', p.surplusPence, 'total')}
<tr class="subtotal"><th scope="rowgroup" colspan="2">Shared under the risk share</th></tr>
${p.shares.map((x) => row(shareLabel(x.name, x.shareOfSurplusPence), x.shareOfSurplusPence))}
${row('Retained in the pool for next year', p.retainedPence)}
${row('Total shared', p.surplusPence, 'total')}
</tbody></table>`;
  const partners = html`<table class="data-table"><caption>Each partner’s figures for its statement of accounts note</caption>
<thead><tr><th scope="col">Partner</th><th scope="col" class="num">Contribution</th><th scope="col" class="num">Share of surplus / deficit</th><th scope="col" class="num">Net contribution</th><th scope="col">Settlement journal</th></tr></thead><tbody>
${p.shares.map((x) => html`<tr><th scope="row">${x.name}</th><td class="num">${money(x.contributionPence)}</td><td class="num">${money(x.shareOfSurplusPence)}</td><td class="num">${money(x.netContributionPence)}</td><td>${x.settlementRef ?? (x.partner === p.host ? 'host: none' : 'none')}</td></tr>`)}
</tbody></table>`;
  const reasons = p.reasons.length > 0 ? html`<ul>${p.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : html``;
  return html`${account}${partners}${reasons}`;
}

function poolHtml(p: MemorandumPool): Html {
  return html`<section class="report-section" id="pool-${p.pool}">${memorandumPoolTables(p)}</section>`;
}

export function renderMemorandumHtml(data: MemorandumReturn): string {
  const { account, provenance } = data;
  const title = `${account.fundName}: pooled budget memorandum account ${account.year}`;
  return html`${standaloneHead(title)}
<body>
<div class="marking-bar">OFFICIAL</div>
<div class="page">
<header class="title-block"><div class="title"><p class="caption">Statutory return</p><h1>${title}</h1>
<p class="period">Financial year ${account.year}</p></div>
<dl class="close-meta"><div><dt>Close</dt><dd>${provenance.period} version ${provenance.closeVersion}</dd></div><div><dt>Generated</dt><dd>${formatTimestamp(provenance.generatedAt)}</dd></div></dl></header>
<main>
<p>${provenanceLine(provenance)} Surplus positive, deficit negative.</p>
${account.pools.map(poolHtml)}
</main>
</div>
</body>
</html>
`.text;
}
