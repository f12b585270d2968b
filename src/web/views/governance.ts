// What the governance pages (decisions, years, returns, dissolution) share: exact £ figures in
// right-aligned cells, captioned tables whose money columns are marked numeric, partner names,
// the year a page is about (from `?year=`, strictly parsed), and the fund's closed months.
// Amounts here are exact pounds and pence, not the dashboard's £000s: these pages feed committee
// papers and statements of accounts, where every penny must reconcile.

import type { AppContext } from '../../app/context.js';
import { periodStates } from '../../app/periods.js';
import type { Agreement } from '../../domain/agreement.js';
import { formatPounds, type Pence } from '../../domain/money.js';
import { formatYear, monthOf, parseYear, yearOf, type PeriodKey, type YearStart } from '../../domain/period.js';
import { html, Html } from '../../report/escape.js';
import { badRequest } from './params.js';

/** `£1,234.56`, `-£110.00`; `–` for a figure that does not exist yet (no close). */
export function gbp(pence: Pence | null): string {
  if (pence === null) return '–';
  return pence < 0 ? `-${formatPounds(-pence, { symbol: true })}` : formatPounds(pence, { symbol: true });
}

/** A table column: its heading, and whether it holds figures (right-aligned). */
export interface Column {
  label: string;
  numeric?: boolean;
}

/** A money column. */
export const money = (label: string): Column => ({ label, numeric: true });

/** A cell: text or markup, or a figure in pence (null: not yet known). */
export type Cell = Html | string | { pence: Pence | null };

function cell(value: Cell, tag: 'td' | 'th'): Html {
  if (typeof value === 'object' && !(value instanceof Html)) {
    return tag === 'th'
      ? html`<th scope="row" class="govuk-table__header govuk-table__header--numeric tandem-num">${gbp(value.pence)}</th>`
      : html`<td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${gbp(value.pence)}</td>`;
  }
  return tag === 'th' ? html`<th scope="row" class="govuk-table__header">${value}</th>` : html`<td class="govuk-table__cell">${value}</td>`;
}

/** A table row: the first cell is the row's header, the rest plain or figure cells. */
export function figuresRow(head: Html | string, cells: Cell[], options: { total?: boolean } = {}): Html {
  return html`<tr class="govuk-table__row${options.total ? ' govuk-!-font-weight-bold' : ''}">${cell(head, 'th')}${cells.map((c) => cell(c, 'td'))}</tr>`;
}

/**
 * A captioned table with scoped column headers, in a region that scrolls sideways on a narrow
 * screen and can take the keyboard's focus to do so (as the lines table does); `ref` marks a
 * journal's table with its ref.
 */
export function figuresTable(caption: string, columns: Column[], rows: Html[], empty = 'Nothing to show.', ref?: string): Html {
  if (rows.length === 0) return html`<h3 class="govuk-heading-s">${caption}</h3><p class="govuk-body">${empty}</p>`;
  const heads = columns.map((c) => html`<th scope="col" class="govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}">${c.label}</th>`);
  return html`<div class="tandem-table-scroll" role="region" aria-label="${caption}" tabindex="0"><table class="govuk-table"${ref === undefined ? html`` : html` data-ref="${ref}"`}><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${heads}</tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table></div>`;
}

/** A partner's name from the agreement, or its id when the agreement no longer has it. */
export function partnerName(agreement: Agreement, id: string): string {
  return agreement.partners.find((p) => p.id === id)?.name ?? id;
}

/** "Tiny Council £22.00, Tiny ICB £88.00" (names from `names`, else the id); `none` when there is nothing. */
export function byPartnerNames(names: ReadonlyMap<string, string>, pence: Record<string, Pence>): string {
  const entries = Object.entries(pence).filter(([, v]) => v !== 0);
  return entries.length === 0 ? 'none' : entries.map(([p, v]) => `${names.get(p) ?? p} ${gbp(v)}`).join(', ');
}

/** The same, with the names of the agreement's partners. */
export function byPartner(agreement: Agreement, pence: Record<string, Pence>): string {
  return byPartnerNames(new Map(agreement.partners.map((p) => [p.id, p.name])), pence);
}

const YEAR = /^\d{4}-\d{2}$/;

/**
 * The financial year `?year=` names: one of `years` (the agreement's), written like 2025-26; absent
 * or empty is `fallback`; anything else is a 400 that says what was wrong.
 */
export function yearParam(value: string | undefined, years: readonly YearStart[], fallback: YearStart): YearStart {
  if (value === undefined || value === '') return fallback;
  const year = YEAR.test(value) ? parseYear(value) : undefined;
  if (year === undefined) throw badRequest(`year must be a financial year written like 2025-26; got "${value}"`);
  if (!years.includes(year)) throw badRequest(`${formatYear(year)} is not a year of the agreement, which covers ${years.map(formatYear).join(', ')}`);
  return year;
}

/** The fund's closed months (latest event a close, not a reopen), in order. */
export async function closedMonths(ctx: AppContext, fundId: string): Promise<PeriodKey[]> {
  return [...(await periodStates(ctx.store, fundId)).values()].filter((e) => e.action === 'close').map((e) => e.period).sort((a, b) => a - b);
}

/**
 * The year a page shows when none is asked for: with `wantM12`, the latest year whose M12 is
 * closed; otherwise (or when there is none) the year of the latest closed month; else the
 * agreement's first year.
 */
export function defaultYear(closed: readonly PeriodKey[], years: readonly YearStart[], wantM12 = false): YearStart {
  const inAgreement = (p: PeriodKey) => years.includes(yearOf(p));
  const ended = closed.filter((p) => monthOf(p) === 12 && inAgreement(p)).at(-1);
  if (wantM12 && ended !== undefined) return yearOf(ended);
  const latest = closed.filter(inAgreement).at(-1);
  return latest !== undefined ? yearOf(latest) : years[0]!;
}

/** The year picker of a page: a GET form, so it works without JavaScript and can be bookmarked. */
export function yearForm(action: string, years: readonly YearStart[], selected: YearStart): Html {
  const options = years.map((y) => html`<option value="${formatYear(y)}"${y === selected ? html` selected` : html``}>${formatYear(y)}</option>`);
  return html`<form method="get" action="${action}" class="govuk-!-margin-bottom-6"><div class="govuk-form-group tandem-inline">
<label class="govuk-label" for="year">Financial year</label><select class="govuk-select" id="year" name="year">${options}</select></div>
<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Show</button></form>`;
}

/** GOV.UK inset text: why a section has nothing to show. */
export function inset(text: Html | string): Html {
  return html`<div class="govuk-inset-text">${text}</div>`;
}

/** A use case's refusal as a page reads it: the CLI's "nothing was written" is no news on a page that writes nothing. */
export function reasonText(error: Error): string {
  return error.message.replace(/;? ?nothing was written\.?$/i, '').replace(/[.;:]\s*$/, '');
}
