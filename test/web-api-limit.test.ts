// Failed API token attempts are limited per client address (src/web/api/auth.ts), sharing the
// sign-in limit's table and budget (20 failures in 15 minutes from one address): the next
// Bearer request is answered 429 with Retry-After and a JSON error, before its token is looked
// up; other addresses and cookie sessions are untouched; the block lifts after the window. And
// sign_in_attempts is pruned of rows older than the window (src/app/users.ts).

import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { addUser, createApiToken, MAX_FAILURES_PER_IP, pruneSignInAttempts, signIn, SIGN_IN_WINDOW_MINUTES } from '../src/app/users.js';
import { TOKEN_ATTEMPT_EMAIL } from '../src/web/api/auth.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const START = new Date('2025-06-08T09:00:00Z');
const UNKNOWN = `tandem_${'A'.repeat(43)}`;

type Json = { error?: { code: string; message: string; problems: unknown[] } };

describeEachStore('API token attempt limit', (current) => {
  let clock = START;
  const now = () => clock;
  const later = (minutes: number) => new Date(START.getTime() + minutes * 60_000);
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });

  async function setUp() {
    clock = START;
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    await addUser(ctx(), { email: 'viewer@icb.example', partner: 'icb', role: 'viewer', password: PASSWORD });
    return (await createApiToken(ctx(), { email: 'viewer@icb.example', name: 'limit test' })).token;
  }

  /** A request from `ip` (the socket address @hono/node-server passes as env.incoming), or from no socket. */
  async function call(headers: Record<string, string>, ip?: string) {
    const app = createWebApp({ store: current().store, now, secureCookies: false });
    const env = ip === undefined ? undefined : { incoming: { socket: { remoteAddress: ip } } };
    const res = await app.request('/api/v1/status', { headers }, env);
    return { status: res.status, retryAfter: res.headers.get('Retry-After'), type: res.headers.get('Content-Type'), body: (await res.json()) as Json };
  }

  const failuresFrom = async (ip: string) => (await current().store.countFailedSignIns(TOKEN_ATTEMPT_EMAIL, ip, '')).ip;

  it('answers 429 with Retry-After and a JSON error after 20 failed token attempts from one address, even for a valid token', async () => {
    const token = await setUp();
    const ip = '192.0.2.10';
    const bad = [{ Authorization: `Bearer ${UNKNOWN}` }, { Authorization: 'Bearer not-a-token' }, { Authorization: 'Basic YWRtaW46YWRtaW4=' }, { Authorization: '' }];
    for (let n = 0; n < MAX_FAILURES_PER_IP; n++) {
      const res = await call(bad[n % bad.length]!, ip);
      expect([res.status, res.body.error?.code], `attempt ${n + 1}`).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect(await failuresFrom(ip)).toBe(MAX_FAILURES_PER_IP);
    for (const headers of [{ Authorization: `Bearer ${UNKNOWN}` }, { Authorization: `Bearer ${token}` }]) {
      const limited = await call(headers, ip);
      expect([limited.status, limited.retryAfter, limited.type, limited.body.error?.code]).toEqual([429, String(SIGN_IN_WINDOW_MINUTES * 60), 'application/json', 'RATE_LIMITED']);
      expect(limited.body.error?.message).toBe('too many failed sign-ins or API token attempts from this address (20 in 15 minutes): try again in 15 minutes');
    }
    expect(await failuresFrom(ip)).toBe(MAX_FAILURES_PER_IP); // refusals are not counted, so the block lifts a window after the last failure

    // Another address, and a browser session from this one, are not blocked.
    expect((await call({ Authorization: `Bearer ${token}` }, '192.0.2.11')).status).toBe(200);
    const session = await signIn(ctx(), { email: 'viewer@icb.example', password: PASSWORD, ip: '192.0.2.12' });
    expect((await call({ Cookie: `tandem_session=${session.token}` }, ip)).status).toBe(200);
    // One budget per address: the token failures also stop password sign-ins from it.
    await expect(signIn(ctx(), { email: 'viewer@icb.example', password: PASSWORD, ip })).rejects.toMatchObject({ code: 'SIGN_IN_LIMITED' });

    clock = later(SIGN_IN_WINDOW_MINUTES - 1);
    expect((await call({ Authorization: `Bearer ${token}` }, ip)).status).toBe(429);
    clock = later(SIGN_IN_WINDOW_MINUTES); // the window includes its first instant
    expect((await call({ Authorization: `Bearer ${token}` }, ip)).status).toBe(429);
    clock = new Date(later(SIGN_IN_WINDOW_MINUTES).getTime() + 1);
    expect((await call({ Authorization: `Bearer ${token}` }, ip)).status).toBe(200);
  });

  it('counts failed sign-ins from the address toward the same budget', async () => {
    const token = await setUp();
    const ip = '198.51.100.4';
    for (let n = 0; n < MAX_FAILURES_PER_IP; n++) {
      await expect(signIn(ctx(), { email: `nobody${n}@icb.example`, password: 'wrong password!', ip })).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
    }
    expect((await call({ Authorization: `Bearer ${token}` }, ip)).status).toBe(429);
  });

  it('limits in-process requests (no socket address) as one address, "unknown"', async () => {
    const token = await setUp();
    for (let n = 0; n < MAX_FAILURES_PER_IP; n++) expect((await call({ Authorization: `Bearer ${UNKNOWN}` })).status).toBe(401);
    expect((await call({ Authorization: `Bearer ${token}` })).status).toBe(429);
    expect(await failuresFrom('unknown')).toBe(MAX_FAILURES_PER_IP);
  });

  it('prunes sign-in attempts older than the window, at most once a window, when attempts are recorded', async () => {
    await setUp();
    const ip = '203.0.113.9';
    const attempts = async () => {
      const store = current().store;
      return (await store.countFailedSignIns(TOKEN_ATTEMPT_EMAIL, ip, '')).ip;
    };
    for (let n = 0; n < 3; n++) await call({ Authorization: `Bearer ${UNKNOWN}` }, ip);
    await expect(signIn(ctx(), { email: 'viewer@icb.example', password: 'wrong password!', ip: '203.0.113.10' })).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
    expect(await attempts()).toBe(3);

    // Within the window since the last prune, nothing is pruned, however old the rows.
    clock = later(SIGN_IN_WINDOW_MINUTES - 1);
    await call({ Authorization: `Bearer ${UNKNOWN}` }, ip);
    expect(await attempts()).toBe(4);
    // A window after the last prune: the rows older than the window go, the recent one stays.
    clock = later(SIGN_IN_WINDOW_MINUTES + 1);
    await call({ Authorization: `Bearer ${UNKNOWN}` }, ip);
    expect(await attempts()).toBe(2);
    expect((await current().store.countFailedSignIns('viewer@icb.example', '203.0.113.10', '')).email).toBe(0);

    // A successful sign-in prunes too (the same throttle).
    clock = later(3 * SIGN_IN_WINDOW_MINUTES);
    await signIn(ctx(), { email: 'viewer@icb.example', password: PASSWORD, ip: '203.0.113.10' });
    expect(await attempts()).toBe(0);
    expect(await pruneSignInAttempts(ctx())).toBe(0); // just ran
    expect(await current().store.deleteSignInAttemptsBefore(later(4 * SIGN_IN_WINDOW_MINUTES).toISOString())).toBe(1); // the successful attempt itself
  });
});
