// Agreement: the version in force (when and by whom it was loaded, from which file, the fund, its
// partners, pools and schemes with their contributions in £), every version loaded
// (agreementHistory), and with `?from=&to=` what changed between two versions (agreementDiff) as
// path / before / after. Version numbers in the address must be versions the fund has (else 400).

import type { Hono } from 'hono';
import { agreementDiff, agreementHistory, agreementInForce, resolveFund } from '../../app/agreements.js';
import type { Agreement } from '../../domain/agreement.js';
import { formatPounds } from '../../domain/money.js';
import { formatYear } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { jsonText, row, summaryList, table, when } from '../views/manage.js';
import { badRequest } from '../views/params.js';

function versionOf(name: string, value: string | undefined, versions: number[]): number {
  if (value !== undefined && /^[1-9]\d{0,5}$/.test(value) && versions.includes(Number(value))) return Number(value);
  throw badRequest(`${name} must be a version of the agreement (${versions.join(', ')}); got "${value ?? ''}"`);
}

function contributions(agreement: Agreement, byYear: Record<number, Record<string, number>>): Html {
  const partnerName = new Map(agreement.partners.map((p) => [p.id, p.name] as const));
  const years = Object.keys(byYear).map(Number).sort((a, b) => a - b);
  return html`<ul class="govuk-list">${years.map(
    (y) => html`<li>${formatYear(y)}: ${Object.entries(byYear[y] ?? {}).map(([p, pence], i) => html`${i > 0 ? ', ' : ''}${partnerName.get(p) ?? p} £${formatPounds(pence)}`)}</li>`,
  )}</ul>`;
}

function inForce(agreement: Agreement): Html {
  const partners = agreement.partners.map((p) => row(p.name, [p.id, p.kind]));
  const pools = agreement.pools.map((p) => row(p.name, [p.id, p.host ?? 'none', p.netting ? 'yes' : 'no']));
  const schemes = agreement.schemes.map((s) => row(s.name, [s.id, s.pool, s.type, s.leadCommissioner ?? 'none', contributions(agreement, s.contributions)]));
  return html`${table('Partners', ['Partner', 'Id', 'Kind'], partners)}
${table('Pools', ['Pool', 'Id', 'Host', 'Netting'], pools)}
${table('Schemes and contributions (£)', ['Scheme', 'Id', 'Pool', 'Type', 'Lead commissioner', 'Contributions'], schemes)}`;
}

export function agreementRoutes(app: Hono<WebEnv>): void {
  app.get('/agreement', requireAction('agreement.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const history = await agreementHistory(ctx, fundId);
    const versions = history.map((h) => h.version);
    const q = c.req.query();
    const asked = (q.from ?? '') !== '' || (q.to ?? '') !== '';
    const diff = asked ? { from: versionOf('from', q.from, versions), to: versionOf('to', q.to, versions) } : null;
    const { record, agreement } = await agreementInForce(ctx, fundId);

    const historyRows = [...history].reverse().map((h) =>
      row(`v${h.version}${h.version === record.version ? ' (in force)' : ''}`, [
        when(h.loadedAt),
        h.loadedBy,
        h.sourceFile,
        h.version > 1 ? html`<a class="govuk-link" href="/agreement?from=${String(h.version - 1)}&amp;to=${String(h.version)}#diff">compare with v${h.version - 1}</a>` : '—',
      ]),
    );
    const options = (selected: number) => versions.map((v) => html`<option value="${v}"${v === selected ? html` selected` : html``}>v${v}</option>`);
    const compare =
      versions.length > 1
        ? html`<form method="get" action="/agreement#diff" class="govuk-!-margin-bottom-6"><div class="govuk-form-group tandem-inline">
<label class="govuk-label" for="from">From version</label><select class="govuk-select" id="from" name="from">${options(diff?.from ?? versions.at(-2)!)}</select>
<label class="govuk-label" for="to">To version</label><select class="govuk-select" id="to" name="to">${options(diff?.to ?? versions.at(-1)!)}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Compare</button></form>`
        : html``;
    let diffSection = html``;
    if (diff) {
      const changes = await agreementDiff(ctx, fundId, diff.from, diff.to);
      const rows = changes.map((ch) => row(ch.path, [ch.kind, ch.kind === 'added' ? '—' : jsonText(ch.before), ch.kind === 'removed' ? '—' : jsonText(ch.after)]));
      diffSection = html`<div id="diff">${table(`What changed from version ${diff.from} to version ${diff.to}`, ['Path', 'Change', 'Before', 'After'], rows, `Nothing changed between version ${diff.from} and version ${diff.to}.`)}</div>`;
    }
    const body = html`${heading(agreement.fund.name, 'Agreement')}
<h2 class="govuk-heading-m">Version in force</h2>
${summaryList([
  ['Version', String(record.version)],
  ['Loaded at', when(record.loadedAt)],
  ['Loaded by', record.loadedBy],
  ['Source file', record.sourceFile],
  ['SHA-256 of the source', html`<code>${record.sourceSha256}</code>`],
  ['Fund', `${agreement.fund.name} (${agreement.fund.id})`],
  ['Financial years', agreement.years.map(formatYear).join(', ')],
])}
${inForce(agreement)}
${table('History: every version loaded', ['Version', 'Loaded at', 'Loaded by', 'Source file', 'Changes'], historyRows)}
${compare}${diffSection}`;
    return c.html(page({ title: 'Agreement', session, current: '/agreement', body }));
  });
}
