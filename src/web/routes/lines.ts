// The ledger lines behind a scheme's actual: the mapped lines of live batches, the year to date of
// the latest close by default, 50 a page, filterable by ledger, period and code text, sortable by
// period, amount and line, with every original column (src/web/views/lines-table.ts).
//
// Access: line-level detail of a ledger needs `ledger.lines.view` for it (src/domain/access.ts):
// a partner's own ledgers, other partners' only when the agreement shares line detail
// (data_sharing.line_detail), every ledger for an admin. For a ledger the user may not see, the
// page shows its totals only, with the policy's reason; its lines are never read.

import type { Hono } from 'hono';
import { formatPounds, formatThousands } from '../../domain/money.js';
import { formatPeriod, type PeriodKey } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { ReportScheme } from '../../report/report-data.js';
import type { LiveLinesFilter, LiveLinesResult, LiveLinesSort } from '../../store/types.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading, linesHref, nothingClosed, pagination } from '../views/components.js';
import { latestClose, ledgerDecisions, schemesOf, type LatestClose } from '../views/fund.js';
import { linesTable } from '../views/lines-table.js';
import { badRequest, isId, oneOf, pageNumber, parsePeriodSlug, periodSlug, shortText } from '../views/params.js';

export const LINES_PER_PAGE = 50;
const SORTS: readonly LiveLinesSort[] = ['period', 'amount', 'line'];
const SORT_WORDS: Record<LiveLinesSort, string> = { period: 'period', amount: 'amount', line: 'batch and line number' };

interface LinesQuery {
  scheme: ReportScheme;
  ledger: string | undefined;
  period: PeriodKey | undefined;
  code: string | undefined;
  sort: LiveLinesSort;
  dir: 'asc' | 'desc';
  page: number;
}

function readQuery(close: LatestClose, q: Record<string, string>): LinesQuery | null {
  const schemeId = q.scheme ?? '';
  if (schemeId === '') throw badRequest('choose a scheme: follow a figure from Pools and schemes');
  const scheme = isId(schemeId) ? schemesOf(close).find((s) => s.id === schemeId) : undefined;
  if (!scheme) return null;
  const ledger = q.ledger === undefined || q.ledger === '' ? undefined : q.ledger;
  if (ledger !== undefined && !close.agreement.ledgers.some((l) => l.id === ledger)) throw badRequest(`there is no ledger "${ledger}" in the agreement`);
  let period: PeriodKey | undefined;
  if (q.period !== undefined && q.period !== '') {
    period = parsePeriodSlug(q.period);
    if (period === undefined || period < close.yearStart || period > close.period) {
      throw badRequest(`period must be one of ${periodSlug(close.yearStart)} to ${periodSlug(close.period)} (the year to date of the latest close); got "${q.period}"`);
    }
  }
  return {
    scheme,
    ledger,
    period,
    code: shortText('code', q.code, 100),
    sort: oneOf('sort', q.sort, SORTS, 'period'),
    dir: oneOf('dir', q.dir, ['asc', 'desc'] as const, 'asc'),
    page: pageNumber(q.page),
  };
}

function hrefFor(query: LinesQuery, change: Partial<{ sort: LiveLinesSort; dir: 'asc' | 'desc'; page: number }>): string {
  const sort = change.sort ?? query.sort;
  const dir = change.dir ?? query.dir;
  const pageNo = change.page ?? 1;
  return linesHref({
    scheme: query.scheme.id,
    ledger: query.ledger,
    period: query.period === undefined ? undefined : periodSlug(query.period),
    code: query.code,
    sort: sort === 'period' ? undefined : sort,
    dir: dir === 'asc' ? undefined : dir,
    page: pageNo === 1 ? undefined : pageNo,
  });
}

function filterForm(close: LatestClose, query: LinesQuery): Html {
  const periods: PeriodKey[] = [];
  for (let p = close.yearStart; p <= close.period; p++) periods.push(p);
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : html``}>${label}</option>`;
  return html`<form method="get" action="/lines" class="tandem-filters"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Filter the lines</legend>
<input type="hidden" name="scheme" value="${query.scheme.id}">${query.sort === 'period' ? html`` : html`<input type="hidden" name="sort" value="${query.sort}">`}${query.dir === 'asc' ? html`` : html`<input type="hidden" name="dir" value="${query.dir}">`}
<div class="govuk-form-group"><label class="govuk-label" for="ledger">Ledger</label><select class="govuk-select" id="ledger" name="ledger">${option('', 'All ledgers', query.ledger === undefined)}${close.agreement.ledgers.map((l) => option(l.id, l.name, l.id === query.ledger))}</select></div>
<div class="govuk-form-group"><label class="govuk-label" for="period">Period</label><select class="govuk-select" id="period" name="period">${option('', `Year to date (${formatPeriod(close.yearStart)} to ${formatPeriod(close.period)})`, query.period === undefined)}${periods.map((p) => option(periodSlug(p), formatPeriod(p), p === query.period))}</select></div>
<div class="govuk-form-group"><label class="govuk-label" for="code">Code contains</label><div class="govuk-hint" id="code-hint">Part of any analysis code of the line, for example a cost centre</div><input class="govuk-input govuk-input--width-20" id="code" name="code" type="text" maxlength="100" spellcheck="false" aria-describedby="code-hint" value="${query.code ?? ''}"></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Apply filters</button> <a class="govuk-link govuk-body" href="${linesHref({ scheme: query.scheme.id })}">Clear filters</a>
</fieldset></form>`;
}

function totalsTable(close: LatestClose, all: LiveLinesResult, hidden: ReadonlyMap<string, string>): Html {
  const rows = close.agreement.ledgers
    .map((l) => ({ l, t: all.byLedger.find((b) => b.ledgerId === l.id) }))
    .filter(({ t }) => t !== undefined)
    .map(
      ({ l, t }) =>
        html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${l.name}</th><td class="govuk-table__cell">${l.partner}</td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${t!.lineCount}</td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${formatPounds(t!.amountPence)}</td><td class="govuk-table__cell">${hidden.has(l.id) ? 'Totals only' : 'Lines shown below'}</td></tr>`,
    );
  const sum = all.byLedger.reduce((n, b) => n + b.amountPence, 0);
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Matching lines by ledger</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Ledger</th><th scope="col" class="govuk-table__header">Partner</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Lines</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount £</th><th scope="col" class="govuk-table__header">Line detail</th></tr></thead>
<tbody class="govuk-table__body">${rows}<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">All ledgers</th><td class="govuk-table__cell"></td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num" id="total-lines">${all.total}</td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num" id="total-amount">${formatPounds(sum)}</td><td class="govuk-table__cell"></td></tr></tbody></table>`;
}

/** What the close reported for the scheme, and a warning when the unfiltered lines differ from it. */
function closeNote(close: LatestClose, query: LinesQuery, all: LiveLinesResult): Html {
  const { data } = close.report;
  const s = query.scheme;
  const note = html`<p class="govuk-body">Close version ${data.provenance.closeVersion} of ${data.period} reported a year-to-date actual of <strong>£${formatPounds(s.ytdActualPence)}</strong> (${formatThousands(s.ytdActualPence)} in £000s) for ${s.name}.</p>`;
  const unfiltered = query.ledger === undefined && query.period === undefined && query.code === undefined;
  const sum = all.byLedger.reduce((n, b) => n + b.amountPence, 0);
  if (!unfiltered || sum === s.ytdActualPence) return note;
  return html`${note}<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>The lines held now total £${formatPounds(sum)}, not the £${formatPounds(s.ytdActualPence)} closed: lines have been imported or remapped since the close. The report shows the close as it was.</strong></div>`;
}

export function lineRoutes(app: Hono<WebEnv>): void {
  app.get('/lines', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const close = await latestClose(ctx);
    if (!close) return c.html(page({ title: 'Ledger lines', session, current: '/pools', body: nothingClosed('Ledger lines') }));
    const query = readQuery(close, c.req.query());
    if (!query) return c.notFound();

    const decisions = ledgerDecisions(session, close.agreement, 'ledger.lines.view');
    const scope = query.ledger !== undefined ? [query.ledger] : close.agreement.ledgers.map((l) => l.id);
    const hidden = new Map<string, string>();
    for (const id of scope) {
      const d = decisions.get(id)!.decision;
      if (!d.allowed) hidden.set(id, d.reason);
    }
    const visible = scope.filter((id) => !hidden.has(id));
    const filter: LiveLinesFilter = {
      fundId: close.fundId,
      schemeId: query.scheme.id,
      status: 'mapped',
      fromPeriod: query.period ?? close.yearStart,
      toPeriod: query.period ?? close.period,
      codeContains: query.code,
    };
    const pageRequest = { offset: (query.page - 1) * LINES_PER_PAGE, limit: LINES_PER_PAGE, sort: query.sort, direction: query.dir };
    const shown = await ctx.store.queryLiveLines({ ...filter, ledgerIds: visible }, pageRequest);
    // Totals of the ledgers the user may not see come from the pre-aggregated totals only.
    const unseen = hidden.size === 0 ? null : await ctx.store.queryLiveLines({ ...filter, ledgerIds: [...hidden.keys()] }, { ...pageRequest, offset: 0, limit: 0 });
    const all = unseen === null ? shown : { total: shown.total + unseen.total, rows: [], byLedger: [...shown.byLedger, ...unseen.byLedger] };
    const pages = Math.max(1, Math.ceil(shown.total / LINES_PER_PAGE));
    if (query.page > pages) return c.notFound();

    const ledgerNames = new Map(close.agreement.ledgers.map((l) => [l.id, l.name]));
    const hiddenWithLines = [...hidden].filter(([id]) => all.byLedger.some((b) => b.ledgerId === id));
    const why = hiddenWithLines.map(
      ([id, reason]) => html`<div class="govuk-inset-text">Only the totals of ${ledgerNames.get(id) ?? id} are shown, not its lines: ${reason}.</div>`,
    );
    const first = (query.page - 1) * LINES_PER_PAGE + 1;
    const caption = `Lines ${first} to ${first + shown.rows.length - 1} of ${shown.total}, by ${SORT_WORDS[query.sort]} (${query.dir === 'asc' ? 'ascending' : 'descending'})`;
    const table =
      shown.rows.length > 0
        ? html`${linesTable(shown.rows, caption, ledgerNames, { sort: query.sort, dir: query.dir, href: (sort, dir) => hrefFor(query, { sort, dir }) })}${pagination(query.page, pages, (n) => hrefFor(query, { page: n }))}`
        : html`<p class="govuk-body" id="no-lines">${visible.length === 0 ? 'There are no lines you may see here.' : 'No lines match these filters.'}</p>`;
    const pool = close.report.data.pools.find((p) => p.id === query.scheme.pool);
    const body = html`<a href="/pools/${encodeURIComponent(query.scheme.pool)}" class="govuk-back-link">${pool?.name ?? 'Pool'}</a>
${heading(`${close.report.data.fund.name}: ${query.scheme.id}, ${pool?.name ?? query.scheme.pool}`, `Ledger lines: ${query.scheme.name}`)}
${closeNote(close, query, all)}${totalsTable(close, all, hidden)}${why}${filterForm(close, query)}${table}`;
    return c.html(page({ title: `Ledger lines: ${query.scheme.name}`, session, current: '/pools', body }));
  });
}
