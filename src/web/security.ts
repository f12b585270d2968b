// Request security for the web app: headers on every response (a CSP without 'unsafe-inline',
// no framing, no sniffing), the session read from an HttpOnly, SameSite=Lax cookie (Secure
// behind HTTPS), and a CSRF check on every state-changing request — the form field `_csrf` or
// the `X-CSRF-Token` header must match the session's token.

import { getCookie } from 'hono/cookie';
import type { Context, MiddlewareHandler } from 'hono';
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

const HEADERS: [string, string][] = [
  ['Content-Security-Policy', CSP],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
];

export function securityHeaders(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    await next();
    // Set on the finished response's own headers: c.header() after next() would copy the whole
    // response once per header (and turn its body into a stream), which halved page throughput
    // under load (docs/performance.md). A response with immutable headers is copied once.
    let headers = c.res.headers;
    try {
      headers.set(HEADERS[0]![0], HEADERS[0]![1]);
    } catch {
      c.res = new Response(c.res.body, c.res);
      headers = c.res.headers;
    }
    for (const [name, value] of HEADERS) headers.set(name, value);
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
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

/**
 * The client's address for rate limits: the socket's, from @hono/node-server. Behind a proxy every
 * client shares the proxy's address (no X-Forwarded-For is trusted); in-process requests share
 * one bucket, 'unknown'.
 */
export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
