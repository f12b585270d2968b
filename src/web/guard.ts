// Route guards: a page needs a signed-in user (else to the sign-in page) allowed the action by
// the one access policy (src/domain/access.ts); a refusal is a 403 page that says why.

import type { Context, MiddlewareHandler } from 'hono';
import { authorise, type Action } from '../domain/access.js';
import { html } from '../report/escape.js';
import type { WebEnv } from './env.js';
import { page } from './layout.js';

export function requireAction(action: Action): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (!session) return c.redirect('/sign-in', 303);
    // Fund-level actions need no ledger context; ledger routes pass their own (later).
    const decision = authorise(session.actor, action, { lineDetailSharedAcrossPartners: false });
    if (!decision.allowed) {
      return refusedPage(c, decision.reason);
    }
    return next();
  };
}

/** The 403 page for a refusal by the access policy, giving its reason. */
export function refusedPage(c: Context<WebEnv>, reason: string): Response {
  return c.html(page({ title: 'Not allowed', session: c.get('session') ?? null, body: html`<h1 class="govuk-heading-l">You cannot do this</h1><p class="govuk-body">${reason}</p>` }), 403);
}
