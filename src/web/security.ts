// Request security for the web app: headers on every response (a CSP without 'unsafe-inline',
// no framing, no sniffing), the session read from an HttpOnly, SameSite=Lax cookie (Secure
// behind HTTPS), and a CSRF check on every state-changing request — the form field `_csrf` or
// the `X-CSRF-Token` header must match the session's token.

import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { csrfMatches, sessionFor } from '../app/users.js';
import type { WebDeps, WebEnv } from './env.js';

export const SESSION_COOKIE = 'tandem_session';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'", // the upload's XMLHttpRequest and the import job's status polling (src/web/client-script.ts)
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

export function withDeps(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set('deps', deps);
    await next();
  };
}

export function loadSession(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const deps = c.get('deps');
    c.set('session', token ? await sessionFor({ store: deps.store, now: deps.now, actor: 'web' }, token) : null);
    await next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses a state-changing request of a signed-in user without the session's CSRF token. */
export function csrfProtection(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (SAFE.has(c.req.method) || !session) return next();
    let submitted = c.req.header('X-CSRF-Token');
    if (submitted === undefined && (c.req.header('Content-Type') ?? '').match(/^(application\/x-www-form-urlencoded|multipart\/form-data)/)) {
      const body = await c.req.parseBody();
      submitted = typeof body._csrf === 'string' ? body._csrf : undefined;
    }
    if (!csrfMatches(session, submitted)) return c.text('The form has expired or did not come from Tandem (CSRF check failed). Go back, reload the page and try again.', 403);
    return next();
  };
}
