// Small GOV.UK Frontend pieces the close, agreement and audit pages share: the error summary a
// refused use case shows (its TandemError message and each problem), times as people read them,
// values as compact JSON text, and a summary list. Everything goes through `html`, so text from
// agreements, reasons and audit details is escaped.

import type { TandemError } from '../../app/errors.js';
import { html, type Html } from '../../report/escape.js';

/** GOV.UK error summary for a refused use case; `href` is the field or section it is about. */
export function errorSummary(error: TandemError, href: string): Html {
  const problems = error.problems.map((p) => html`<li><a href="${href}">${p.message}</a></li>`);
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body">
<ul class="govuk-list govuk-error-summary__list"><li><a href="${href}" data-code="${error.code}">${error.message}</a></li>${problems}</ul></div></div></div>`;
}

/** An ISO timestamp as `2025-06-08 09:00:00 UTC`, in a machine-readable `<time>`. */
export function when(iso: string): Html {
  const shown = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
  return html`<time datetime="${iso}">${shown}</time>`;
}

/** A value as compact JSON text (escaped when interpolated); `—` when absent. */
export function jsonText(value: unknown): string {
  if (value === undefined) return '—';
  return JSON.stringify(value) ?? '—';
}

/** GOV.UK summary list of label/value rows. */
export function summaryList(rows: [string, Html | string][]): Html {
  return html`<dl class="govuk-summary-list">${rows.map(
    ([key, value]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`,
  )}</dl>`;
}

/** A captioned GOV.UK table with scoped column headers; rows are already markup. */
export function table(caption: Html | string, heads: string[], rows: Html[], empty = 'Nothing to show.'): Html {
  if (rows.length === 0) return html`<h2 class="govuk-heading-m">${caption}</h2><p class="govuk-body">${empty}</p>`;
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${heads.map((h) => html`<th scope="col" class="govuk-table__header">${h}</th>`)}</tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table>`;
}

/** A table row: the first cell is a row header, the rest plain cells. */
export function row(head: Html | string, cells: (Html | string)[]): Html {
  return html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${head}</th>${cells.map((c) => html`<td class="govuk-table__cell">${c}</td>`)}</tr>`;
}
