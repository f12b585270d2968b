// Small GOV.UK Frontend pieces the drill-down and download pages share: the page heading block,
// a "nothing closed yet" page, RAG as a word, a link to the lines behind a figure, and
// pagination (govuk-pagination, plain links: it works without JavaScript).

import { html, type Html } from '../../report/escape.js';
import type { Rag } from '../../domain/close-figures.js';

const RAG_WORD: Record<Rag, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

export function ragWord(rag: Rag): Html {
  return html`<strong class="tandem-rag tandem-rag--${rag}">${RAG_WORD[rag]}</strong>`;
}

export function heading(caption: string, title: string): Html {
  return html`<span class="govuk-caption-l">${caption}</span><h1 class="govuk-heading-l">${title}</h1>`;
}

export function nothingClosed(title: string): Html {
  return html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">No month has been closed yet, so there are no figures to show.</p>`;
}

/** Query string for the lines page: only the parameters given, in a fixed order. */
export function linesHref(params: { scheme: string; ledger?: string; period?: string; code?: string; sort?: string; dir?: string; page?: number }): string {
  const query = new URLSearchParams();
  for (const key of ['scheme', 'ledger', 'period', 'code', 'sort', 'dir', 'page'] as const) {
    const value = params[key];
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  return `/lines?${query.toString()}`;
}

/** A figure that links to the lines behind it; `what` says which figure, for screen readers. */
export function figureLink(href: string, text: string, what: string): Html {
  return html`<a class="govuk-link" href="${href}">${text}<span class="govuk-visually-hidden"> (${what}: see the lines)</span></a>`;
}

/** Page numbers to show: first, last, current and its neighbours; null marks a gap. */
export function pageNumbers(current: number, pages: number): (number | null)[] {
  const shown = [...new Set([1, current - 1, current, current + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) out.push(null);
    out.push(n);
  });
  return out;
}

const PREV_ARROW = html`<svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>`;
const NEXT_ARROW = html`<svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>`;

/** GOV.UK pagination; `href(n)` is page n's address; `label` names what is paged. Nothing when there is one page. */
export function pagination(current: number, pages: number, href: (page: number) => string, label = 'Pages of lines'): Html {
  if (pages <= 1) return html``;
  const prev =
    current > 1
      ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${href(current - 1)}" rel="prev">${PREV_ARROW}<span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>`
      : html``;
  const next =
    current < pages
      ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${href(current + 1)}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span>${NEXT_ARROW}</a></div>`
      : html``;
  const items = pageNumbers(current, pages).map((n) =>
    n === null
      ? html`<li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>`
      : n === current
        ? html`<li class="govuk-pagination__item govuk-pagination__item--current"><a class="govuk-link govuk-pagination__link" href="${href(n)}" aria-label="Page ${n}" aria-current="page">${n}</a></li>`
        : html`<li class="govuk-pagination__item"><a class="govuk-link govuk-pagination__link" href="${href(n)}" aria-label="Page ${n}">${n}</a></li>`,
  );
  return html`<nav class="govuk-pagination" aria-label="${label}">${prev}<ul class="govuk-pagination__list">${items}</ul>${next}</nav>`;
}
