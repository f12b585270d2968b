// The ledger sections of the joint finance report's HTML (domain.md §8–§9): the journals raised in
// each partner's ledger in that ledger's own code columns, the agreement of balances (a difference
// other than 0.00 is flagged, never hidden), unmapped lines held in suspense (a warning box when
// there are any) and the provenance that ties every figure to its close and ledger batches.
// Amounts here are exact pounds (formatPounds).

import type { Journal } from '../domain/journal.js';
import { journalTotals } from '../domain/journal.js';
import { formatPounds, sumPence } from '../domain/money.js';
import { html, type Html } from './escape.js';
import { formatTimestamp, partnerName } from './html-sections.js';
import type { ReportData, ReportLedgerJournals } from './report-data.js';

const KIND: Record<Journal['kind'], string> = { contribution: 'Contribution', recharge: 'Recharge of spend', settlement: 'Settlement' };
const VARIANT: Record<Journal['variant'], string> = { standard: '', accrual: ' (accrual, reverses next month)', reversal: ' (reversal of last month’s accrual)' };

const pounds = (pence: number) => formatPounds(pence);

/**
 * Lines shown per journal on the page. A recharge journal of a large fund has one line per
 * analysis-code combination (thousands); the web page and PDF show the first ones and the
 * journal's totals, and point to the XLSX and CSV, which hold every line.
 */
export const MAX_JOURNAL_LINES_SHOWN = 40;

function journalTable(data: ReportData, ledger: ReportLedgerJournals, j: Journal): Html {
  const totals = journalTotals(j);
  const cols = ledger.codeColumns;
  const shown = j.lines.slice(0, MAX_JOURNAL_LINES_SHOWN);
  const hidden = j.lines.length - shown.length;
  const more = hidden > 0 ? html`<tr class="more"><td colspan="${cols.length + 3}">… and ${hidden.toLocaleString('en-GB')} more line${hidden === 1 ? '' : 's'} (every line is in the XLSX Journals sheet and the journals CSV); the totals below are of all ${j.lines.length.toLocaleString('en-GB')} lines.</td></tr>` : html``;
  const lines = shown.map(
    (l) =>
      html`<tr>${cols.map((c) => html`<td class="code">${l.codes[c] ?? ''}</td>`)}<td>${l.description}</td><td class="num">${l.debitPence ? pounds(l.debitPence) : ''}</td><td class="num">${l.creditPence ? pounds(l.creditPence) : ''}</td></tr>`,
  );
  return html`<table class="journal-table" data-ledger="${ledger.ledger}" data-ref="${j.ref}">
<caption><span class="ref">${j.ref}</span>${j.description}, £<span class="journal-meta">${KIND[j.kind]} journal${VARIANT[j.variant]} in ${ledger.ledgerName} · ${j.date} · ${j.period} · with ${partnerName(data, j.counterparty)} · pool ${j.pool}</span></caption>
<thead><tr>${cols.map((c) => html`<th scope="col">${c}</th>`)}<th scope="col">Description</th><th scope="col" class="num">Debit</th><th scope="col" class="num">Credit</th></tr></thead>
<tbody>${lines}${more}</tbody>
<tfoot><tr class="total"><th scope="row" colspan="${cols.length + 1}">Total</th><td class="num">${pounds(totals.debitPence)}</td><td class="num">${pounds(totals.creditPence)}</td></tr></tfoot>
</table>`;
}

export function journalsSection(data: ReportData): Html {
  const ledgers = data.journals.map(
    (l) => html`<h3 id="ledger-${l.ledger}">${l.ledgerName}</h3>
<p class="lede">Ledger <span class="code">${l.ledger}</span> of ${partnerName(data, l.partner)}; coded by ${l.codeColumns.join(', ')}. ${l.journals.length === 0 ? 'No journals this month.' : `${l.journals.length} journal${l.journals.length === 1 ? '' : 's'}.`}</p>
${l.journals.map((j) => journalTable(data, l, j))}`,
  );
  return html`<section class="report-section" id="journals" aria-labelledby="journals-heading">
<h2 id="journals-heading">Journals</h2>
<p class="lede">Each journal is posted in its partner's own ledger and codes; each pair mirrors across the two ledgers. Debits and credits are exact pounds.</p>
${data.journals.length ? ledgers : html`<p>No journals were raised this month.</p>`}
</section>`;
}

const BALANCE_HEADS = ['Debtor (period)', 'Creditor (period)', 'Difference (period)', 'Debtor (YTD)', 'Creditor (YTD)', 'Difference (YTD)'];

export function balancesSection(data: ReportData): Html {
  const bad = data.balances.filter((b) => b.differencePence !== 0 || b.ytdDifferencePence !== 0);
  const diff = (pence: number) => (pence === 0 ? html`<td class="num">${pounds(pence)}</td>` : html`<td class="num flag">${pounds(pence)} ⚠</td>`);
  const rows = data.balances.map((b) => {
    const agreed = b.differencePence === 0 && b.ytdDifferencePence === 0;
    const status = agreed ? html`<span class="agreed">✓ Agreed</span>` : html`<span class="flag">⚠ Does not agree</span>`;
    const period = html`<td class="num">${pounds(b.debtorPence)}</td><td class="num">${pounds(b.creditorPence)}</td>${diff(b.differencePence)}`;
    const ytd = html`<td class="num">${pounds(b.ytdDebtorPence)}</td><td class="num">${pounds(b.ytdCreditorPence)}</td>${diff(b.ytdDifferencePence)}`;
    return html`<tr data-balance="${b.partner}-${b.counterparty}"><th scope="row">${partnerName(data, b.partner)}</th><td>${partnerName(data, b.counterparty)}</td>${period}${ytd}<td class="nowrap">${status}</td></tr>`;
  });
  const warning = bad.length
    ? html`<div class="warning balance-warning"><strong>Warning: balances do not agree</strong>${
        `${bad.length} row${bad.length === 1 ? '' : 's'} of the agreement of balances show a difference other than 0.00. ` +
        'The two ledgers do not mirror each other; this must be resolved before the accounts are signed off.'
      }</div>`
    : html``;
  const table = data.balances.length
    ? html`<table class="balances-table">
<caption>Agreement of balances between partners, £ (each difference must be 0.00)</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Counterparty</th>${BALANCE_HEADS.map((h) => html`<th scope="col" class="num">${h}</th>`)}<th scope="col">Status</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
    : html`<p>No balances between partners this month.</p>`;
  return html`<section class="report-section" id="balances" aria-labelledby="balances-heading">
<h2 id="balances-heading">Agreement of balances</h2>
<p class="lede">Each partner's debtor from its counterparty must equal the counterparty's creditor to it, for the period and the year to date. The difference is the sum of both sides' (debtor − creditor).</p>
${warning}${table}
</section>`;
}

export function unmappedSection(data: ReportData): Html {
  const ledgerName = (id: string) => data.journals.find((l) => l.ledger === id)?.ledgerName ?? id;
  const lines = data.unmapped.reduce((n, u) => n + u.lines, 0);
  const amount = sumPence(data.unmapped.map((u) => u.amountPence));
  const box = lines
    ? html`<div class="warning unmapped-warning"><strong>Warning: ${lines} unmapped ledger line${lines === 1 ? '' : 's'}</strong>${
        `${lines === 1 ? 'One line' : `${lines} lines`} totalling ${formatPounds(amount, { symbol: true })} matched no mapping rule. ` +
        'They are held in suspense and are not in the scheme figures of this report until a mapping rule places them.'
      }</div>`
    : html`<p class="ok">No unmapped lines: every ledger line is mapped to a scheme or marked out of scope.</p>`;
  const table = data.unmapped.length
    ? html`<table class="unmapped-table">
<caption>Unmapped lines held in suspense, by ledger</caption>
<thead><tr><th scope="col">Ledger</th><th scope="col" class="num">Lines</th><th scope="col" class="num">Amount, £</th></tr></thead>
<tbody>${data.unmapped.map((u) => html`<tr data-ledger="${u.ledger}"><th scope="row">${ledgerName(u.ledger)} <span class="code">(${u.ledger})</span></th><td class="num">${u.lines}</td><td class="num">${formatPounds(u.amountPence)}</td></tr>`)}</tbody>
</table>`
    : html``;
  return html`<section class="report-section" id="unmapped" aria-labelledby="unmapped-heading">
<h2 id="unmapped-heading">Unmapped lines</h2>
${box}${table}
</section>`;
}

export function provenanceSection(data: ReportData): Html {
  const p = data.provenance;
  const item = (label: string, value: Html | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<section class="report-section" id="provenance" aria-labelledby="provenance-heading">
<h2 id="provenance-heading">Provenance</h2>
<p class="lede">Every figure in this report comes from the stored close below, which was computed from these ledger batches under this version of the agreement.</p>
<dl class="provenance">
${item('Agreement version', String(p.agreementVersion))}
${item('Close version', String(p.closeVersion))}
${item('Closed at', formatTimestamp(p.closedAt))}
${item('Closed by', p.closedBy)}
${item('Close SHA-256', html`<span class="code">${p.closeSha256}</span>`)}
${item('Report generated at', formatTimestamp(p.generatedAt))}
${item('Report generated by', p.generatedBy)}
${item('Forecast batches', p.forecastBatches.length ? p.forecastBatches.join(', ') : 'None')}
</dl>
<table class="batches-table">
<caption>Ledger batches behind the figures</caption>
<thead><tr><th scope="col" class="num">Batch</th><th scope="col">Ledger</th><th scope="col">File</th><th scope="col">SHA-256 (first 12)</th><th scope="col">Periods</th></tr></thead>
<tbody>${p.batches.map((b) => html`<tr data-batch="${b.id}"><th scope="row" class="num">${b.id}</th><td class="code">${b.ledger}</td><td class="code">${b.file}</td><td class="code">${b.sha256.slice(0, 12)}</td><td>${b.periods.join(', ')}</td></tr>`)}</tbody>
</table>
</section>`;
}
