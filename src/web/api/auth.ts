// Who is calling the API. A machine client sends `Authorization: Bearer tandem_…` (an API token
// from `tandem token create`, acting as its user: same role, partner and fund); a browser sends
// its session cookie, and then every state-changing request must carry the session's CSRF token
// in `X-CSRF-Token`. A Bearer token is never ambient (a browser does not attach it to a forged
// cross-site request), so Bearer requests need no CSRF token, even if a cookie rides along.
// Refusals: 401 without (valid) credentials, 403 with the access policy's reason, 429 after too
// many failed token attempts from one address (below).
//
// Failed Bearer attempts are limited per client IP with the sign-in limit's own table and rules
// (src/app/users.ts), not a separate in-memory limiter: the count then holds across restarts and
// across several server processes on one database, and an address gets one budget of failures
// — 20 in 15 minutes — whether it guesses passwords on the sign-in page or tokens here, so it
// cannot have twice the tries by switching. A failure is stored as an attempt whose "email" is
// TOKEN_ATTEMPT_EMAIL, which is no email (no @), so no user's own 5-failure limit is touched.
// The count is read before the token is looked up, so a blocked address learns nothing about
// any token it sends, a valid one included; refusals are not counted, so the block lifts a
// window after the last failure (hence Retry-After: the whole window, an upper bound). Tokens
// are 32 random bytes and cannot be guessed anyway: the limit is there to cut scanners off and
// keep their noise out of the database, at the price of the two indexed COUNTs of
// countFailedSignIns (by "email" and by address; only the address's is used) per Bearer request.

import { getCookie } from 'hono/cookie';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppContext } from '../../app/context.js';
import { actorForApiToken, csrfMatches, MAX_FAILURES_PER_IP, pruneSignInAttempts, sessionFor, SIGN_IN_WINDOW_MINUTES } from '../../app/users.js';
import { authorise, type AccessContext, type Action, type Actor } from '../../domain/access.js';
import type { WebEnv } from '../env.js';
import { clientIp, SESSION_COOKIE } from '../security.js';
import { ApiError, errorBody } from './errors.js';

export interface Principal {
  actor: Actor;
  email: string;
  /** The fund the user belongs to; null for an admin of no partner (the database's only fund). */
  fundId: string | null;
  via: 'token' | 'session';
}

export type ApiEnv = { Variables: WebEnv['Variables'] & { principal: Principal } };

export type ApiContext = Context<ApiEnv>;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer[ ]+(\S+)$/i;

async function fromToken(c: ApiContext, header: string): Promise<Principal> {
  const deps = c.get('deps');
  const ctx: AppContext = { store: deps.store, now: deps.now, actor: 'api' };
  const token = BEARER.exec(header.trim())?.[1];
  if (token === undefined) throw new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer tandem_…" (an API token from `tandem token create`)');
  const actor = await actorForApiToken(ctx, token);
  const user = actor ? await deps.store.getUserById(actor.userId) : undefined;
  if (!actor || !user) throw new ApiError('UNAUTHENTICATED', 'the API token is not valid: unknown, revoked or expired, or its user is disabled');
  return { actor, email: user.email, fundId: user.fundId, via: 'token' };
}

async function fromSession(c: ApiContext): Promise<Principal | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const deps = c.get('deps');
  const session = await sessionFor({ store: deps.store, now: deps.now, actor: 'web' }, token);
  if (!session) return null;
  c.set('session', session);
  if (!SAFE.has(c.req.method) && !csrfMatches(session, c.req.header('X-CSRF-Token'))) {
    throw new ApiError('CSRF_FAILED', 'a request signed in with the session cookie must send the session’s CSRF token in the X-CSRF-Token header (or use an API token)');
  }
  return { actor: session.actor, email: session.user.email, fundId: session.user.fund, via: 'session' };
}

/** Where failed API token attempts are recorded in sign_in_attempts: not an email, so never a user's. */
export const TOKEN_ATTEMPT_EMAIL = 'api-token';

/** The Bearer path: refused with 429 while the address is over the limit, and every failure recorded. */
async function fromTokenLimited(c: ApiContext, header: string): Promise<Principal | Response> {
  const deps = c.get('deps');
  const ctx: AppContext = { store: deps.store, now: deps.now, actor: 'api' };
  const ip = clientIp(c);
  const now = deps.now();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MINUTES * 60_000).toISOString();
  const failures = await deps.store.countFailedSignIns(TOKEN_ATTEMPT_EMAIL, ip, since);
  if (failures.ip >= MAX_FAILURES_PER_IP) {
    // Answered here rather than thrown: Retry-After is a header the shared error handler does not set.
    c.header('Retry-After', String(SIGN_IN_WINDOW_MINUTES * 60));
    const message = `too many failed sign-ins or API token attempts from this address (${MAX_FAILURES_PER_IP} in ${SIGN_IN_WINDOW_MINUTES} minutes): try again in ${SIGN_IN_WINDOW_MINUTES} minutes`;
    return c.json(errorBody('RATE_LIMITED', message), 429);
  }
  try {
    return await fromToken(c, header);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      await deps.store.recordSignInAttempt({ email: TOKEN_ATTEMPT_EMAIL, ip, at: now.toISOString(), ok: false });
      await pruneSignInAttempts(ctx);
    }
    throw error;
  }
}

/** Sets `principal` or refuses: a Bearer token when one is sent (no fallback), else the session cookie. */
export function authenticate(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    const principal = header !== undefined ? await fromTokenLimited(c, header) : await fromSession(c);
    if (principal instanceof Response) return principal;
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'sign in or send an API token: Authorization: Bearer tandem_…');
    c.set('principal', principal);
    await next();
  };
}

/** The use cases' context: the audit trail names the user, whether by token or by session. */
export function apiContext(c: ApiContext): AppContext {
  const deps = c.get('deps');
  return { store: deps.store, now: deps.now, actor: c.get('principal').email };
}

/** The fund the use cases act on: the user's own (undefined: the database's only fund). */
export function fundOf(c: ApiContext): string | undefined {
  return c.get('principal').fundId ?? undefined;
}


/** Whether the caller may do `action` (the sharing setting defaults to closed). */
export function may(c: ApiContext, action: Action, context: Partial<AccessContext> = {}): boolean {
  return authorise(c.get('principal').actor, action, { lineDetailSharedAcrossPartners: false, ...context }).allowed;
}

/** Refuses with the policy's reason (403) unless the caller may do `action`. */
export function allow(c: ApiContext, action: Action, context: Partial<AccessContext> = {}): void {
  const decision = authorise(c.get('principal').actor, action, { lineDetailSharedAcrossPartners: false, ...context });
  if (!decision.allowed) throw new ApiError('FORBIDDEN', decision.reason);
}

/** Route middleware for actions about the whole fund (no ledger context needed). */
export function requireAction(action: Action): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    allow(c, action);
    await next();
  };
}
