// The dissolution statement as a page (docs/dissolution.md): the summary, contributions, spend and
// position per scheme, the position shared per sharing unit with its reasons, each partner's
// settlement, the commitments that run past the date, and the final settlement journals in each
// ledger's own codes. Like the monthly report, every ledger's journals are shown to everyone who
// may see the fund (the report, which every role may download, shows them all): they are the
// statement's evidence. Journal files for posting are not offered here.

import type { DissolutionDocument } from '../../app/dissolve.js';
import { describePosition } from '../../domain/dissolution.js';
import { journalTotals, type Journal } from '../../domain/journal.js';
import { html, type Html } from '../../report/escape.js';
import { MAX_JOURNAL_LINES_SHOWN } from '../../report/html-ledger.js';
import { byPartnerNames, figuresRow, figuresTable, gbp, money } from './governance.js';
import { summaryList, when } from './manage.js';

type Names = Map<string, string>;

const name = (names: Names, id: string) => names.get(id) ?? id;

function schemes(d: DissolutionDocument): Html {
  const rows = d.schemes.map((s) => figuresRow(html`${s.name} <span class="govuk-body-s">(${s.id})</span>`, [s.pool, s.type, { pence: s.incomePence }, { pence: s.spendPence }, { pence: s.positionPence }]));
  const total = figuresRow('Total', ['', '', { pence: d.totals.incomePence }, { pence: d.totals.spendPence }, { pence: d.totals.positionPence }], { total: true });
  return figuresTable(`Contributions and spend to ${d.date} by scheme (position: positive a surplus, negative a deficit)`, [{ label: 'Scheme' }, { label: 'Pool' }, { label: 'Type' }, money('Contributions'), money('Spend'), money('Position')], [...rows, total]);
}

function units(d: DissolutionDocument, names: Names): Html {
  const rows = d.units.map((u) =>
    figuresRow(u.id, [u.pool, name(names, u.host), { pence: u.positionPence }, byPartnerNames(names, u.sharesPence), html`<ul class="govuk-list govuk-body-s">${u.reasons.map((r) => html`<li>${r}</li>`)}</ul>`]),
  );
  return figuresTable('The position shared by sharing unit (a surplus share positive)', [{ label: 'Sharing unit' }, { label: 'Pool' }, { label: 'Host' }, money('Position'), { label: 'Shares' }, { label: 'Why' }], rows, 'No sharing unit: the fund has no pooled schemes.');
}

function partners(d: DissolutionDocument): Html {
  const rows = d.partners.map((p) =>
    figuresRow(p.name, [{ pence: p.contributionsPence }, { pence: p.spendPence }, { pence: p.pooledSharePence }, { pence: p.alignedPositionPence }, { pence: p.sharePence }, { pence: p.settledPence }, { pence: p.settlementPence }]),
  );
  return figuresTable(
    'Each partner: its share and the final settlement (money to it positive, from it negative)',
    [{ label: 'Partner' }, money('Contributions'), money('Spend in its ledger'), money('Share of pooled position'), money('Aligned position'), money('Total share'), money('Already settled'), money('Final settlement')],
    rows,
  );
}

function commitments(d: DissolutionDocument, names: Names): Html {
  const rows = d.commitments.map((c) =>
    figuresRow(c.name, [c.scheme, name(names, c.leadCommissioner), c.ends, { pence: c.remainingPence }, c.carriedBy === 'shared' ? `shared: ${byPartnerNames(names, c.carriedPence)}` : name(names, c.carriedBy)]),
  );
  return figuresTable(`Commitments that run past ${d.date}`, [{ label: 'Commitment' }, { label: 'Scheme' }, { label: 'Lead commissioner' }, { label: 'Ends' }, money('Remaining after the date'), { label: 'Carried by' }], rows, 'No commitment runs past the date.');
}

function journalTable(j: Journal, names: Names): Html {
  const columns = [...new Set(j.lines.flatMap((l) => Object.keys(l.codes)))];
  const shown = j.lines.slice(0, MAX_JOURNAL_LINES_SHOWN);
  const hidden = j.lines.length - shown.length;
  const totals = journalTotals(j);
  const rows = shown.map((l) => figuresRow(l.description, [...columns.map((c) => l.codes[c] ?? ''), { pence: l.debitPence || null }, { pence: l.creditPence || null }]));
  const more = hidden > 0 ? [figuresRow(`… and ${hidden} more lines`, [...columns.map(() => ''), '', ''])] : [];
  return figuresTable(
    `${j.ref}: ${j.description} (in ${name(names, j.partner)}'s ledger ${j.ledger}, dated ${j.date}, with ${name(names, j.counterparty)}, pool ${j.pool})`,
    [{ label: 'Line' }, ...columns.map((c) => ({ label: c })), money('Debit'), money('Credit')],
    [...rows, ...more, figuresRow('Total', [...columns.map(() => ''), { pence: totals.debitPence }, { pence: totals.creditPence }], { total: true })],
    '',
    j.ref,
  );
}

function journals(d: DissolutionDocument, names: Names): Html {
  if (d.journals.length === 0) return html`<p class="govuk-body">No money moves between the partners: no final settlement journal.</p>`;
  const ledgers = [...new Set(d.journals.map((j) => j.ledger))];
  return html`${ledgers.map(
    (ledger) => html`<h3 class="govuk-heading-s">Ledger ${ledger}</h3>${d.journals.filter((j) => j.ledger === ledger).map((j) => journalTable(j, names))}`,
  )}`;
}

/** The whole statement, after its summary. */
export function statementBody(d: DissolutionDocument): Html {
  const names: Names = new Map(d.partners.map((p) => [p.id, p.name]));
  return html`${summaryList([
    ['Fund', `${d.fundName} (${d.fund})`],
    ['Dissolution date', `${d.date} (the end of ${d.period})`],
    ['Covers', `${d.year} M01 to the date: earlier years were settled by their own M12 closes`],
    ['Rule', d.ruleText],
    ['From', `the ${d.period} close, version ${d.closeVersion}; agreement version ${d.agreementVersion}`],
    ['Contributions', gbp(d.totals.incomePence)],
    ['Spend', gbp(d.totals.spendPence)],
    ['Position', describePosition(d.totals.positionPence)],
    ['Prepared', html`${when(d.preparedAt)} by ${d.preparedBy}`],
    ...(d.text ? ([['Resolution', d.text]] as [string, string][]) : []),
  ])}
<h2 class="govuk-heading-m">Contributions, spend and position</h2>
${schemes(d)}
${units(d, names)}
<h2 class="govuk-heading-m">Partners</h2>
${partners(d)}
<h2 class="govuk-heading-m">Commitments</h2>
${commitments(d, names)}
<h2 class="govuk-heading-m">Final settlement journals</h2>
<p class="govuk-body">In each partner's own ledger codes, dated the dissolution date. Exact pounds.</p>
${journals(d, names)}`;
}
