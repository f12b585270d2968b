// The web app in process (Hono's app.request, no socket), on the tiny fund: sign in and out,
// the session cookie's flags, security headers, CSRF on every state-changing request, the
// dashboard's figures equal to the report data, assets from the govuk-frontend package, and
// escaping of user-supplied text.

import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser } from '../src/app/users.js';
import { formatThousands } from '../src/domain/money.js';
import { periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { CSP } from '../src/web/security.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';

describeEachStore('web app', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });
  const web = () => createWebApp({ store: current().store, now, secureCookies: true });

  async function fund() {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    for (const [ledger, f] of [['council', 'council-m01'], ['icb', 'icb-m01']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
    await closePeriod(ctx(), { period: periodKey(2025, 1) });
    await addUser(ctx(), { email: 'officer@icb.example', partner: 'icb', role: 'finance', password: PASSWORD });
  }

  async function signIn(app = web()) {
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: 'officer@icb.example', password: PASSWORD }) });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('Set-Cookie')!;
    return { app, cookie: cookie.split(';')[0]!, raw: cookie };
  }

  it('locks the email after 5 failed sign-ins: 429 with Retry-After, even for the right password', async () => {
    await fund();
    const app = web();
    const attempt = (password: string) => app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: 'officer@icb.example', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password here')).status).toBe(401);
    const locked = await attempt(PASSWORD);
    expect([locked.status, locked.headers.get('Retry-After'), locked.headers.get('Set-Cookie')]).toEqual([429, '900', null]);
  });

  it('sends signed-out users to sign in, and signs in with a HttpOnly, SameSite, Secure session cookie', async () => {
    await fund();
    const app = web();
    const home = await app.request('/');
    expect([home.status, home.headers.get('Location')]).toEqual([303, '/sign-in']);
    const form = await app.request('/sign-in');
    expect(form.status).toBe(200);
    expect(form.headers.get('Content-Security-Policy')).toBe(CSP);
    expect(CSP).not.toMatch(/unsafe-inline/);
    expect(form.headers.get('X-Frame-Options')).toBe('DENY');
    const bad = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: 'officer@icb.example', password: 'wrong password!' }) });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('the email or password is wrong');
    const { raw } = await signIn(app);
    expect(raw).toMatch(/^tandem_session=[A-Za-z0-9_-]+;/);
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    expect(raw).toMatch(/Secure/);
  });

  it("shows the latest close on the dashboard, with the report data's figures in £000s", async () => {
    await fund();
    const { app, cookie } = await signIn();
    const res = await app.request('/', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('Dashboard: 2025-26 M01 (April 2025)');
    // Integrated fund annual budget £5,400 → 5.4 in £000s; the pool's RAG as a word.
    expect(text).toContain(`>${formatThousands(540000)}<`);
    expect(text).toMatch(/<strong class="tandem-rag tandem-rag--(red|amber|green)">(Red|Amber|Green)<\/strong>/);
    expect(text).toContain('officer@icb.example (finance, icb)');
    expect(text).not.toMatch(/<script(?![^>]*src="\/assets\/init\.js")/);
  });

  it('refuses a state-changing request without the session CSRF token, and accepts it with the token', async () => {
    await fund();
    const { app, cookie } = await signIn();
    const missing = await app.request('/sign-out', { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({}) });
    expect(missing.status).toBe(403);
    const wrong = await app.request('/sign-out', { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ _csrf: 'forged' }) });
    expect(wrong.status).toBe(403);
    expect((await app.request('/', { headers: { Cookie: cookie } })).status).toBe(200); // still signed in
    const page = await (await app.request('/', { headers: { Cookie: cookie } })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const ok = await app.request('/sign-out', { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ _csrf: token }) });
    expect([ok.status, ok.headers.get('Location')]).toEqual([303, '/sign-in']);
    expect((await app.request('/', { headers: { Cookie: cookie } })).status).toBe(303); // the session is gone
  });

  it('serves GOV.UK Frontend from the npm package and nothing outside its assets folder', async () => {
    const app = web();
    const css = await app.request('/assets/govuk-frontend.min.css');
    expect([css.status, css.headers.get('Content-Type')]).toEqual([200, 'text/css; charset=utf-8']);
    expect(await css.text()).toContain('.govuk-header');
    expect((await app.request('/assets/images/govuk-crest.svg')).status).toBe(200);
    expect((await app.request('/assets/fonts/..%2F..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await app.request('/assets/images/../../govuk-frontend.min.js')).status).not.toBe(200);
  });

  it('escapes what a user typed when it is shown back', async () => {
    await fund();
    const res = await web().request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: '"><script>alert(1)</script>', password: 'x' }) });
    const text = await res.text();
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
