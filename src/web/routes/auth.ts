// Sign in and sign out. A failed sign-in shows one message whatever was wrong (so the page does
// not reveal which emails exist); too many failures are refused for a while (src/app/users.ts).

import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { TandemError } from '../../app/errors.js';
import { signIn, signOut, SIGN_IN_WINDOW_MINUTES } from '../../app/users.js';
import { html, type Html } from '../../report/escape.js';
import { appContext, type WebEnv } from '../env.js';
import { page } from '../layout.js';
import { clientIp, SESSION_COOKIE } from '../security.js';

function signInForm(error: string | null, email: string): Html {
  const summary = error
    ? html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#email">${error}</a></li></ul></div></div></div>`
    : html``;
  return html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${summary}
<h1 class="govuk-heading-l">Sign in to Tandem</h1>
<form method="post" action="/sign-in" novalidate>
<div class="govuk-form-group"><label class="govuk-label" for="email">Email address</label><input class="govuk-input" id="email" name="email" type="email" autocomplete="username" spellcheck="false" value="${email}"></div>
<div class="govuk-form-group"><label class="govuk-label" for="password">Password</label><input class="govuk-input" id="password" name="password" type="password" autocomplete="current-password"></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>
</form></div></div>`;
}

export function authRoutes(app: Hono<WebEnv>): void {
  app.get('/sign-in', (c) => c.html(page({ title: 'Sign in', session: null, body: signInForm(null, '') })));

  app.post('/sign-in', async (c) => {
    const body = await c.req.parseBody();
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    try {
      const signedIn = await signIn(appContext(c), { email, password, ip: clientIp(c) });
      setCookie(c, SESSION_COOKIE, signedIn.token, { httpOnly: true, sameSite: 'Lax', secure: c.get('deps').secureCookies, path: '/', expires: new Date(signedIn.expiresAt) });
      return c.redirect('/', 303);
    } catch (e) {
      if (!(e instanceof TandemError)) throw e;
      const status = e.code === 'SIGN_IN_LIMITED' ? 429 : 401;
      // The block lifts at most one window (15 minutes) after the last failure.
      if (status === 429) c.header('Retry-After', String(SIGN_IN_WINDOW_MINUTES * 60));
      return c.html(page({ title: 'Sign in', session: null, body: signInForm(e.message, email) }), status);
    }
  });

  app.post('/sign-out', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await signOut(appContext(c), token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/sign-in', 303);
  });
}
