// The page frame of the web app: the GOV.UK Frontend template (header, service navigation,
// main, footer) with its CSS and JS served from the npm package (never a CDN). Every page works
// without JavaScript; the script only adds progressive enhancement and loads as a module from
// our own origin, so the CSP needs no 'unsafe-inline'.

import type { SessionInfo } from '../app/users.js';
import { authorise, type Action } from '../domain/access.js';
import { html, type Html } from '../report/escape.js';

export interface PageOptions {
  title: string;
  session: SessionInfo | null;
  /** Which navigation item is current. */
  current?: string;
  body: Html;
  /** Extra elements for the head (a no-script refresh while an import runs). */
  head?: Html;
}

// Each item shows only to users the access policy lets open it (a viewer has no audit log).
const NAV: { href: string; label: string; action: Action }[] = [
  { href: '/', label: 'Dashboard', action: 'fund.view' },
  { href: '/pools', label: 'Pools and schemes', action: 'fund.view' },
  { href: '/imports', label: 'Imports', action: 'fund.view' },
  { href: '/suspense', label: 'Suspense queue', action: 'fund.view' },
  { href: '/downloads', label: 'Downloads', action: 'report.download' },
  { href: '/close', label: 'Close', action: 'fund.view' },
  { href: '/agreement', label: 'Agreement', action: 'agreement.view' },
  { href: '/governance', label: 'Governance', action: 'fund.view' },
  { href: '/planning', label: 'Planning', action: 'fund.view' },
  { href: '/audit', label: 'Audit log', action: 'audit.view' },
];

function navFor(session: SessionInfo): typeof NAV {
  return NAV.filter((n) => authorise(session.actor, n.action, { lineDetailSharedAcrossPartners: false }).allowed);
}

function header(session: SessionInfo | null, current: string | undefined): Html {
  const nav = session
    ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper"><ul class="govuk-service-navigation__list">${navFor(session).map(
        (n) =>
          html`<li class="govuk-service-navigation__item${n.href === current ? ' govuk-service-navigation__item--active' : ''}"><a class="govuk-service-navigation__link" href="${n.href}"${n.href === current ? html` aria-current="page"` : html``}>${n.label}</a></li>`,
      )}</ul></nav>`
    : html``;
  const user = session
    ? html`<form method="post" action="/sign-out" class="tandem-sign-out"><input type="hidden" name="_csrf" value="${session.csrfToken}"><span class="govuk-body-s">${session.user.email} (${session.user.role}${session.user.partner ? `, ${session.user.partner}` : ''})</span> <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">Sign out</button></form>`
    : html``;
  return html`<header class="govuk-header" data-module="govuk-header"><div class="govuk-header__container govuk-width-container"><a href="/" class="tandem-header-title">Tandem</a></div></header>
<section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name">Joint health and social care fund</span>${nav}${user}</div></div></section>`;
}

export function page(options: PageOptions): string {
  return `<!DOCTYPE html>\n${html`<html lang="en-GB" class="govuk-template">
<head><meta charset="utf-8"><title>${options.title} – Tandem</title><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/govuk-frontend.min.css"><link rel="stylesheet" href="/assets/tandem.css">${options.head ?? html``}</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
${header(options.session, options.current)}
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">${options.body}</main></div>
<footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-footer__meta-custom">OFFICIAL. Tandem: the system of record for the section 75 fund.</p></div></footer>
<script type="module" src="/assets/init.js"></script>
</body></html>`.toString()}`;
}
