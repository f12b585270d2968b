// The table of stored ledger lines on the drill-down page: Tandem's own columns (ledger, batch,
// file line number, period, exact amount) then EVERY original column of the extract, as its
// header named it. Lines of different ledgers have different headers, so the page's original
// columns are the union of its batches' headers in order of first appearance (a repeated name in
// one header stays a separate column); a line shows blank where its file had no such column.

import { formatPounds } from '../../domain/money.js';
import { formatPeriod } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { LiveLine, LiveLinesSort } from '../../store/types.js';

export interface SortState {
  sort: LiveLinesSort;
  dir: 'asc' | 'desc';
  /** The address of this page sorted another way (back to page 1). */
  href: (sort: LiveLinesSort, dir: 'asc' | 'desc') => string;
}

interface Column {
  name: string;
  /** Which occurrence of the name in a header (0 for the first). */
  occurrence: number;
}

function columnsOf(header: readonly string[]): Column[] {
  const seen = new Map<string, number>();
  return header.map((name) => {
    const occurrence = seen.get(name) ?? 0;
    seen.set(name, occurrence + 1);
    return { name, occurrence };
  });
}

const keyOf = (c: Column) => `${c.occurrence}\u0000${c.name}`;

/** The union of the rows' headers, in order of first appearance. */
export function originalColumns(rows: readonly LiveLine[]): Column[] {
  const out = new Map<string, Column>();
  const headers = new Set(rows.map((row) => row.header)); // a page has a header per batch, not per row
  for (const header of headers) for (const column of columnsOf(header)) if (!out.has(keyOf(column))) out.set(keyOf(column), column);
  return [...out.values()];
}

/**
 * Where each of `columns` sits in `header` (-1: not in it). Worked out once per header, not per
 * row: a page's rows share their batches' header arrays.
 */
export function positionsIn(header: readonly string[], columns: readonly Column[]): number[] {
  const index = new Map(columnsOf(header).map((c, i) => [keyOf(c), i]));
  return columns.map((c) => index.get(keyOf(c)) ?? -1);
}

/** A row's value for each column, by its header's positions ('' where its header has no such column). */
export function originalValues(row: LiveLine, positions: readonly number[]): string[] {
  const raw = JSON.parse(row.raw) as unknown[];
  return positions.map((i) => {
    const value = i < 0 ? undefined : raw[i];
    return value === undefined || value === null ? '' : String(value);
  });
}

const SORT_LABEL: Record<LiveLinesSort, string> = { period: 'Period', amount: 'Amount £', line: 'Line' };

function sortableHead(sort: LiveLinesSort, state: SortState, numeric: boolean): Html {
  const active = state.sort === sort;
  const next = active && state.dir === 'asc' ? 'desc' : 'asc';
  const ariaSort = active ? html` aria-sort="${state.dir === 'asc' ? 'ascending' : 'descending'}"` : html``;
  const label = SORT_LABEL[sort];
  return html`<th scope="col" class="govuk-table__header${numeric ? ' govuk-table__header--numeric' : ''}"${ariaSort}><a class="govuk-link" href="${state.href(sort, next)}">${label}<span class="govuk-visually-hidden"> (sort ${next === 'asc' ? 'ascending' : 'descending'})</span></a></th>`;
}

export function linesTable(rows: readonly LiveLine[], caption: string, ledgerNames: ReadonlyMap<string, string>, state: SortState): Html {
  const columns = originalColumns(rows);
  const positions = new Map<readonly string[], number[]>();
  const positionsOf = (header: readonly string[]) => {
    let p = positions.get(header);
    if (p === undefined) positions.set(header, (p = positionsIn(header, columns)));
    return p;
  };
  const head = html`<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Ledger</th><th scope="col" class="govuk-table__header">Batch</th>${sortableHead('line', state, false)}${sortableHead('period', state, false)}${sortableHead('amount', state, true)}${columns.map(
    (c) => html`<th scope="col" class="govuk-table__header tandem-original">${c.name}</th>`,
  )}</tr>`;
  const body = rows.map(
    (row) =>
      html`<tr class="govuk-table__row" data-ledger="${row.ledgerId}" data-batch="${row.batchId}" data-line="${row.lineNo}" data-period="${row.period}" data-amount-pence="${row.amountPence}"><td class="govuk-table__cell">${ledgerNames.get(row.ledgerId) ?? row.ledgerId}</td><td class="govuk-table__cell tandem-num">${row.batchId}</td><td class="govuk-table__cell tandem-num">${row.lineNo}</td><td class="govuk-table__cell">${formatPeriod(row.period)}</td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${formatPounds(row.amountPence)}</td>${originalValues(row, positionsOf(row.header)).map(
        (v) => html`<td class="govuk-table__cell">${v}</td>`,
      )}</tr>`,
  );
  return html`<div class="tandem-table-scroll" role="region" aria-label="${caption}" tabindex="0"><table class="govuk-table govuk-table--small-text-until-tablet"><caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
<thead class="govuk-table__head">${head}</thead><tbody class="govuk-table__body">${body}</tbody></table></div>`;
}
