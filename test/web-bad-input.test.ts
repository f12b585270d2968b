// Bad input to the web pages and the JSON API, on both databases: each case checks that the
// answer is clear (status, code, a message saying what to do) and that nothing was written
// (audit events, batches, closes, period events, commentary and agreement versions counted
// before and after).
//
// Already covered elsewhere, and not repeated here:
// - oversized upload: a declared Content-Length over 100 MB, and a body without Content-Length
//   that streams past a small limit (API, apiRoutes directly) — test/web-api.test.ts
//   "refuses an oversized body (413) and a wrong content type (415)"; the upload form over
//   maxUploadBytes — web-imports.test.ts; here: the limit given to createWebApp with a true
//   Content-Length, on imports and forecasts;
// - wrong type: application/json, text/plain and XLSX sent to a CSV ledger (API) and text/plain
//   to a JSON route — web-api.test.ts; the form with a .xlsx name or ZIP bytes for a CSV ledger —
//   web-imports.test.ts; here: no Content-Type, a multipart form sent to the API, XLSX
//   forecasts, and the form with an upper-case or double extension and NUL bytes;
// - another partner's ledger: API with a token, and the route × role matrices —
//   web-api.test.ts, web-access.test.ts, web-access-pages.test.ts; the form as a finance officer
//   — web-imports.test.ts; here: a cookie session with a valid CSRF token, and an approver;
// - CSRF: sign-out without or with a forged token — web.test.ts; close without a token —
//   web-manage.test.ts; commentary PUT over a cookie session without or with a forged header —
//   web-api.test.ts; here: the reopen, upload, suspense rule and re-apply forms, another
//   session's token, the token in the wrong place, and API POSTs (close, import) over a cookie
//   session;
// - forged role: a JSON body with role=admin from an approver (400, schema) — web-api.test.ts;
//   a finance user's close and reopen (403) — web-manage.test.ts; here: form and JSON bodies,
//   query strings and headers naming a role or partner, and tampered session cookies;
// - escaping: the sign-in email — web.test.ts; a reopen reason on /audit and /close —
//   web-manage.test.ts; a code filter on /lines — web-pages.test.ts; commentary returned as
//   JSON — web-api.test.ts; here: commentary in the HTML report and the audit log, an upload's
//   file name (API and form), and every name in an agreement on every page that shows it;
// - path traversal: ..%2F in page and download addresses — web-pages.test.ts, web-manage.test.ts,
//   and /assets — web.test.ts; here: %2e%2e%2f, upper-case, double-encoded, backslash and NUL
//   variants on pages, and the API's paths, queries and upload names;
// - expired sessions: not covered before; here (pages redirect to /sign-in, the API answers 401);
// - repeated bad API tokens (429 with Retry-After): web-api-limit.test.ts.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser, createApiToken, SESSION_HOURS, sha256Hex } from '../src/app/users.js';
import { periodKey } from '../src/domain/period.js';
import { XLSX_TYPE } from '../src/web/api/upload.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const T0 = new Date('2025-06-08T09:00:00Z');
const M01 = periodKey(2025, 1);
const ICB_M02 = readFileSync(`${TINY}/ledgers/icb-m02.csv`, 'utf8');
const COUNCIL_M02 = readFileSync(`${TINY}/ledgers/council-m02.csv`, 'utf8');
const USERS = { finance: 'officer@icb.example', approver: 'approver@icb.example', admin: 'admin@tandem.example' } as const;
type Who = keyof typeof USERS;
type Json = { error?: { code: string; message: string; problems: unknown[] } } & Record<string, unknown>;

const SCRIPT = '<script>alert(1)</script>';

/** The tiny agreement with markup in every name: the fund, partners, pools, schemes and ledgers. */
function hostileAgreement(yaml: string): string {
  return yaml.replace(/^(\s+name: )(.+)$/gm, (_, key: string, name: string) => `${key}${JSON.stringify(`${name} <script>alert("${name}")</script> <b>bold</b> <img src=x onerror=alert(1)>`)}`);
}

/** No raw markup from the hostile text came through, and its escaped form did. */
function expectEscaped(text: string, where: string): void {
  expect(text, where).not.toMatch(/<script>alert|<img src=x/);
  expect(text, where).toContain('&lt;script&gt;alert(');
}

describeEachStore('bad input to the web pages and the API', (current) => {
  let clock = T0;
  const now = () => clock;
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });
  const web = (maxUploadBytes?: number) => createWebApp({ store: current().store, now, secureCookies: false, ...(maxUploadBytes === undefined ? {} : { maxUploadBytes }) });

  async function fund(agreement = `${TINY}/agreement.yaml`) {
    clock = T0;
    await loadAgreement(ctx(), agreement);
    for (const [ledger, f] of [['council', 'council-m01'], ['icb', 'icb-m01']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
    await addUser(ctx(), { email: USERS.finance, partner: 'icb', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.approver, partner: 'icb', role: 'approver', password: PASSWORD });
    await addUser(ctx(), { email: USERS.admin, role: 'admin', password: PASSWORD });
  }

  /** Everything a refused request must leave as it was. */
  async function written() {
    const store = current().store;
    return {
      audit: (await store.listAudit({})).length,
      batches: (await store.listBatches('tiny')).length,
      closes: (await store.listCloses('tiny')).length,
      periodEvents: (await store.latestPeriodEvents('tiny')).map((e) => `${e.period}:${e.action}`),
      commentary: (await store.latestCommentary('tiny', M01)).length,
      agreementVersions: (await store.listAgreementVersions('tiny')).length,
    };
  }

  /** A signed-in browser on `app`: pages, forms (with the session's CSRF token unless told otherwise), uploads and API calls with its cookie. */
  async function browser(who: Who, app = web()) {
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USERS[who], password: PASSWORD }) });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    const read = async (r: Response) => ({ status: r.status, location: r.headers.get('Location'), type: r.headers.get('Content-Type'), text: await r.text() });
    const get = async (url: string, headers: Record<string, string> = {}) => read(await app.request(url, { headers: { Cookie: cookie, ...headers } }));
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/close')).text)![1]!;
    const post = async (url: string, fields: Record<string, string>, options: { csrf?: string | false; headers?: Record<string, string>; cookie?: string } = {}) => {
      const token = options.csrf === undefined ? csrf : options.csrf;
      const body = new URLSearchParams(token === false ? fields : { ...fields, _csrf: token });
      return read(await app.request(url, { method: 'POST', headers: { Cookie: options.cookie ?? cookie, ...options.headers }, body }));
    };
    const upload = async (ledger: string, file: File, options: { csrf?: string | false } = {}) => {
      const form = new FormData();
      const token = options.csrf === undefined ? csrf : options.csrf;
      if (token !== false) form.set('_csrf', token);
      form.set('ledger', ledger);
      form.set('file', file);
      return read(await app.request('/imports', { method: 'POST', headers: { Cookie: cookie }, body: form }));
    };
    const api = async (method: string, path: string, options: { json?: unknown; body?: string | FormData; type?: string; headers?: Record<string, string> } = {}) => {
      const headers: Record<string, string> = { Cookie: cookie, ...options.headers };
      if (options.json !== undefined) headers['Content-Type'] = 'application/json';
      if (options.type !== undefined) headers['Content-Type'] = options.type;
      const r = await app.request(path, { method, headers, body: options.json !== undefined ? JSON.stringify(options.json) : options.body });
      return { status: r.status, headers: r.headers, body: (await r.json()) as Json };
    };
    return { app, cookie, csrf, get, post, upload, api };
  }

  /** A Bearer call (no cookie) on `app`. */
  async function bearer(app: ReturnType<typeof web>, token: string, method: string, path: string, options: { json?: unknown; body?: string | Blob; type?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...options.headers };
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    if (options.type !== undefined) headers['Content-Type'] = options.type;
    const r = await app.request(path, { method, headers, body: options.json !== undefined ? JSON.stringify(options.json) : options.body });
    return { status: r.status, headers: r.headers, body: (await r.json()) as Json };
  }

  /** Follows an upload's job until it has finished (the import runs in the background), and returns its page. */
  async function waitForJob(who: Awaited<ReturnType<typeof browser>>, location: string) {
    for (let i = 0; i < 200; i++) {
      const status = await who.get(`${location}/status`);
      if (!status.text.includes('"state":"running"')) return who.get(location);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the import job at ${location} did not finish`);
  }

  const tokenOf = async (who: Who, days?: number) => (await createApiToken(ctx(), { email: USERS[who], name: 'bad input', ...(days === undefined ? {} : { days }) })).token;

  it('refuses an upload over the limit given to createWebApp with a true Content-Length: API imports and forecasts (413, JSON); nothing written', async () => {
    await fund();
    const app = web(100);
    const token = await tokenOf('finance');
    const before = await written();
    expect(ICB_M02.length).toBeGreaterThan(100);
    for (const path of ['/api/v1/imports?ledger=icb&name=icb-m02.csv', '/api/v1/forecasts?name=f.csv']) {
      const res = await bearer(app, token, 'POST', path, { body: ICB_M02, type: 'text/csv', headers: { 'Content-Length': String(Buffer.byteLength(ICB_M02)) } });
      expect([res.status, res.body.error?.code], path).toEqual([413, 'UPLOAD_TOO_LARGE']);
      expect(res.body.error?.message, path).toBe('the file is larger than the upload limit of 100 bytes; split the extract (for example one file per month) and upload each part');
    }
    expect(await written()).toEqual(before);
  });

  it('refuses a wrong file type: API without a Content-Type, as a multipart form, XLSX forecasts (415); the form by upper-case name, double extension and NUL bytes (415); nothing written', async () => {
    await fund();
    const app = web();
    const token = await tokenOf('finance');
    const before = await written();
    const form = new FormData();
    form.set('file', new File([ICB_M02], 'icb-m02.csv', { type: 'text/csv' }));
    const cases: [string, { body?: string | Blob; type?: string }, string][] = [
      ['/api/v1/imports?ledger=icb', { body: new Blob([ICB_M02]) }, 'no Content-Type'], // a Blob without a type: fetch adds none (a string would get text/plain)
      ['/api/v1/imports?ledger=icb', { body: ICB_M02, type: 'text/csv-but-not' }, '"text/csv-but-not"'],
      ['/api/v1/forecasts', { body: 'scheme,period,amount\n', type: XLSX_TYPE }, `"${XLSX_TYPE}"`],
    ];
    for (const [path, options, got] of cases) {
      const res = await bearer(app, token, 'POST', path, options);
      expect([res.status, res.body.error?.code], `${path} ${got}`).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      expect(res.body.error?.message, `${path} ${got}`).toContain('the file must be sent as the request body with Content-Type text/csv (CSV)');
      expect(res.body.error?.message, `${path} ${got}`).toContain(`; got ${got}`);
    }
    const same = await browser('finance', app);
    const sent = await same.api('POST', '/api/v1/imports?ledger=icb', { body: form, headers: { 'X-CSRF-Token': same.csrf } });
    expect([sent.status, sent.body.error?.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(sent.body.error?.message).toContain('got "multipart/form-data"');

    const officer = await browser('finance', app);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    for (const [file, message] of [
      [new File([ICB_M02], 'icb-m02.XLSX'), 'icb-m02.XLSX is not a .csv file, which is what ledger icb takes'],
      [new File([zip], 'icb-m02.CSV'), 'icb-m02.CSV is not a CSV text file (it looks like a binary file, perhaps a workbook'],
      [new File([new Uint8Array([0x44, 0x61, 0, 0x65])], 'nul.csv'), 'nul.csv is not a CSV text file (it looks like a binary file)'],
      [new File([ICB_M02], 'icb-m02.csv.xlsx'), 'icb-m02.csv.xlsx is not a .csv file'],
    ] as const) {
      const res = await officer.upload('icb', file);
      expect(res.status, file.name).toBe(415);
      expect(res.text, file.name).toContain('<div class="govuk-error-summary"');
      expect(res.text, file.name).toContain(message);
    }
    // Not asserted: a CSV named icb-m02.exe is accepted (imported as icb-m02.exe.csv), as routes/imports.ts
    // checks only the .csv/.xlsx extensions and the first bytes; reported, not fixed here (another engineer's file).
    expect(await written()).toEqual(before);
  });

  it("refuses a file for another partner's ledger: over a cookie session with a valid CSRF token (403 JSON) and an approver on the upload form (403 page); nothing written", async () => {
    await fund();
    const officer = await browser('finance');
    const before = await written();
    const api = await officer.api('POST', '/api/v1/imports?ledger=council&name=council-m02.csv', { body: COUNCIL_M02, type: 'text/csv', headers: { 'X-CSRF-Token': officer.csrf } });
    expect([api.status, api.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(api.body.error?.message).toContain('ledger.upload on a ledger of council is not allowed: this user acts for icb');
    expect((await officer.get('/imports')).text).not.toContain('<option value="council"'); // the form does not offer it
    // An approver of icb is no more a council officer than a finance user is (the finance case: web-imports.test.ts).
    const page = await (await browser('approver')).upload('council', new File([COUNCIL_M02], 'council-m02.csv', { type: 'text/csv' }));
    expect(page.status).toBe(403);
    expect(page.text).toContain('You cannot do this');
    expect(page.text).toContain('ledger.upload on a ledger of council is not allowed: this user acts for icb');
    expect(await written()).toEqual(before);
  });

  it('treats an expired session as signed out: pages redirect to /sign-in (GET and POST), the API answers 401; nothing written', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const approver = await browser('approver');
    const token = await tokenOf('finance', 1);
    const before = await written();
    const sessionId = sha256Hex(approver.cookie.slice('tandem_session='.length)); // sessions are stored by hash
    expect(await current().store.getSession(sessionId)).toBeDefined();
    clock = new Date(T0.getTime() + SESSION_HOURS * 3_600_000 - 1);
    expect((await approver.get('/')).status).toBe(200); // a millisecond before expiry: still signed in
    clock = new Date(T0.getTime() + SESSION_HOURS * 3_600_000); // the moment it expires
    for (const url of ['/', '/audit', '/close', '/imports', '/downloads/report/2025-26-M01/csv/summary']) {
      const res = await approver.get(url);
      expect([res.status, res.location], url).toEqual([303, '/sign-in']);
    }
    for (const [url, fields] of [['/close/2025-26-M01/reopen', { reason: 'late invoice' }], ['/close/2025-26-M02', { allowUnmapped: 'yes' }]] as const) {
      const res = await approver.post(url, fields);
      expect([res.status, res.location], url).toEqual([303, '/sign-in']);
    }
    const upload = await approver.upload('icb', new File([ICB_M02], 'icb-m02.csv'));
    expect([upload.status, upload.location]).toEqual([303, '/sign-in']);
    for (const [method, path, json] of [['GET', '/api/v1/status', undefined], ['POST', '/api/v1/closes/2025-26-M01/reopen', { reason: 'late invoice' }]] as const) {
      const res = await approver.api(method, path, { json, headers: { 'X-CSRF-Token': approver.csrf } });
      expect([res.status, res.body.error?.code, res.headers.get('WWW-Authenticate')], path).toEqual([401, 'UNAUTHENTICATED', 'Bearer realm="tandem"']);
    }
    // An API token past its expiry (created for 1 day) is refused the same way.
    clock = new Date(T0.getTime() + 24 * 3_600_000);
    expect(await current().store.getSession(sessionId)).toBeUndefined(); // deleted when first seen expired
    const expired = await bearer(web(), token, 'GET', '/api/v1/status');
    expect([expired.status, expired.body.error?.message]).toEqual([401, 'the API token is not valid: unknown, revoked or expired, or its user is disabled']);
    expect(await written()).toEqual(before);
    // Signing in again works; the old cookie stays signed out.
    clock = new Date(T0.getTime() + 25 * 3_600_000);
    expect((await (await browser('approver')).get('/')).status).toBe(200);
    expect((await approver.get('/')).status).toBe(303);
  });

  it('refuses a page form POST (reopen, upload, suspense rule and re-apply) without the session’s own CSRF token (403), whatever else it carries; nothing written', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const approver = await browser('approver');
    const other = await browser('approver'); // the same user, another session: its token is not this session's
    const finance = await browser('finance');
    const before = await written();
    const reopen = '/close/2025-26-M01/reopen';
    const refusals = [
      await approver.post(reopen, { reason: 'late invoice' }, { csrf: false }),
      await approver.post(reopen, { reason: 'late invoice' }, { csrf: '' }),
      await approver.post(reopen, { reason: 'late invoice' }, { csrf: 'forged' }),
      await approver.post(reopen, { reason: 'late invoice' }, { csrf: other.csrf }),
      await approver.post(reopen, { reason: 'late invoice' }, { csrf: finance.csrf }),
      await approver.post(reopen, { reason: 'late invoice' }, { csrf: approver.csrf.toLowerCase() === approver.csrf ? approver.csrf.toUpperCase() : approver.csrf.toLowerCase() }),
      // The X-CSRF-Token header, when sent, is what is checked: a forged one is not rescued by the right form field.
      await approver.post(reopen, { reason: 'late invoice' }, { headers: { 'X-CSRF-Token': 'forged' } }),
      // Another session's cookie with this session's token.
      await approver.post(reopen, { reason: 'late invoice' }, { cookie: other.cookie }),
    ];
    for (const [i, res] of refusals.entries()) {
      expect(res.status, `case ${i}`).toBe(403);
      expect(res.text, `case ${i}`).toContain('CSRF check failed');
    }
    const upload = await finance.upload('icb', new File([ICB_M02], 'icb-m02.csv', { type: 'text/csv' }), { csrf: false });
    expect([upload.status, upload.text.includes('CSRF check failed')]).toEqual([403, true]);
    // The suspense queue's forms (a rule is a new agreement version; re-apply remaps lines).
    for (const [url, fields] of [['/suspense/rule', { ledger: 'icb', scheme: 'care', 'code.Account': 'ACC9' }], ['/suspense/reapply', {}]] as const) {
      for (const csrf of [false, 'forged', other.csrf] as const) {
        const res = await finance.post(url, fields, { csrf });
        expect([res.status, res.text.includes('CSRF check failed')], `${url} ${String(csrf)}`).toEqual([403, true]);
      }
    }
    expect(await written()).toEqual(before);
    // A token from a session that has ended is no good either, even with its own cookie.
    const ended = await browser('approver');
    await ended.post('/sign-out', {});
    expect((await ended.post(reopen, { reason: 'late invoice' })).location).toBe('/sign-in');
    expect(await written()).toEqual(before);
  });

  it('refuses an API POST over a cookie session without the session’s CSRF header (403 CSRF_FAILED): close and import; nothing written', async () => {
    await fund();
    const approver = await browser('approver');
    const finance = await browser('finance');
    const other = await browser('finance');
    const before = await written();
    const close = (headers: Record<string, string>) => approver.api('POST', '/api/v1/closes/2025-26-M01', { json: {}, headers });
    const imports = (headers: Record<string, string>) => finance.api('POST', '/api/v1/imports?ledger=icb&name=icb-m02.csv', { body: ICB_M02, type: 'text/csv', headers });
    for (const [what, res] of [
      ['close, no header', await close({})],
      ['close, forged header', await close({ 'X-CSRF-Token': 'forged' })],
      ["close, another user's token", await close({ 'X-CSRF-Token': finance.csrf })],
      ['import, no header', await imports({})],
      ["import, another session's token", await imports({ 'X-CSRF-Token': other.csrf })],
    ] as const) {
      expect([res.status, res.body.error?.code], what).toEqual([403, 'CSRF_FAILED']);
      expect(res.body.error?.message, what).toContain('must send the session’s CSRF token in the X-CSRF-Token header');
    }
    // The API reads the header only: the form field the pages use is not accepted in its place.
    const field = await finance.api('POST', '/api/v1/closes/2025-26-M01/reopen', { body: new URLSearchParams({ _csrf: finance.csrf, reason: 'x' }).toString(), type: 'application/x-www-form-urlencoded' });
    expect([field.status, field.body.error?.code]).toEqual([403, 'CSRF_FAILED']);
    expect(await written()).toEqual(before);
  });

  it('ignores a role or partner the client sends — in a form, a JSON body, the query, headers or extra cookies — and tampered session cookies; nothing written', async () => {
    await fund();
    const finance = await browser('finance');
    const token = await tokenOf('finance');
    const app = web();
    const before = await written();
    const forged = { role: 'admin', partner: 'council', fund: 'tiny', email: USERS.admin, userId: '3' };
    // Pages: a finance user still cannot close, with the forged fields in the form, a forged header or extra cookies.
    for (const [what, res] of [
      ['form fields', await finance.post('/close/2025-26-M01', { ...forged, allowUnmapped: 'yes' })],
      ['headers', await finance.post('/close/2025-26-M01', { allowUnmapped: 'yes' }, { headers: { 'X-Tandem-Role': 'admin', 'X-Role': 'admin', 'X-Forwarded-User': USERS.admin } })],
      ['cookies', await finance.post('/close/2025-26-M01', { allowUnmapped: 'yes' }, { cookie: `${finance.cookie}; tandem_role=admin; role=admin; partner=council` })],
    ] as const) {
      expect(res.status, what).toBe(403);
      expect(res.text, what).toContain('period.close needs the approver role (this user is finance)');
    }
    expect((await finance.upload('council', new File([COUNCIL_M02], 'council-m02.csv'))).status).toBe(403);
    // API: the same, by token and by cookie session (with its CSRF header).
    const viaToken = await bearer(app, token, 'POST', '/api/v1/closes/2025-26-M01', { json: { allowUnmapped: true, ...forged }, headers: { 'X-Tandem-Role': 'admin' } });
    expect([viaToken.status, viaToken.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(viaToken.body.error?.message).toContain('this user is finance');
    const viaCookie = await finance.api('POST', '/api/v1/closes/2025-26-M01', { json: { ...forged }, headers: { 'X-CSRF-Token': finance.csrf } });
    expect([viaCookie.status, viaCookie.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    const query = await bearer(app, token, 'POST', '/api/v1/imports?ledger=council&partner=council&role=admin', { body: COUNCIL_M02, type: 'text/csv' });
    expect([query.status, query.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(query.body.error?.message).toContain('this user acts for icb');

    // Tampered session cookies: one character changed, cut short, lengthened, a user's email, two values.
    const value = finance.cookie.slice('tandem_session='.length);
    const flipped = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`;
    for (const cookie of [flipped, value.slice(0, -2), `${value}.admin`, `${value}%00`, USERS.admin, `${flipped}; tandem_session=${flipped}`].map((v) => `tandem_session=${v}`)) {
      const page = await app.request('/close', { headers: { Cookie: cookie } });
      expect([page.status, page.headers.get('Location')], cookie).toEqual([303, '/sign-in']);
      const api = await app.request('/api/v1/status', { headers: { Cookie: cookie } });
      expect(api.status, cookie).toBe(401);
    }
    // A Bearer header wins over the cookie, with no fallback: a bad token next to a good cookie is a 401.
    expect((await finance.api('GET', '/api/v1/status', { headers: { Authorization: 'Bearer tandem_forged' } })).status).toBe(401);
    expect(await written()).toEqual(before);
  });

  it('escapes HTML in commentary, a reopen reason sent back with an error, and an upload’s file name wherever they are shown', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const finance = await browser('finance');
    const approver = await browser('approver');
    const token = await tokenOf('finance');
    const app = web();
    const put = await bearer(app, token, 'PUT', '/api/v1/commentary/care/2025-26-M01', { json: { text: `${SCRIPT} <img src=x onerror=alert(2)> & "q"` } });
    expect(put.status).toBe(200);
    const report = await finance.get('/downloads/report/2025-26-M01/html');
    expect(report.status).toBe(200);
    expectEscaped(report.text, 'HTML report');
    expect(report.text).toContain('&lt;img src=x onerror=alert(2)&gt; &amp;');
    expectEscaped((await finance.get('/audit')).text, 'audit (commentary.set)');

    // A refused reopen (M02 is not closed) shows the reason back in the form, escaped.
    const refused = await approver.post('/close/2025-26-M02/reopen', { reason: `${SCRIPT}</textarea><script>alert(3)</script>` });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('data-code="PERIOD_NOT_CLOSED"');
    expectEscaped(refused.text, 'refused reopen');
    expect(refused.text).not.toContain('</textarea><script>');

    // An upload's name: the API and the form keep only letters, digits, dot, dash and underscore; an error quotes the name as given, escaped.
    const named = await bearer(app, token, 'POST', `/api/v1/imports?ledger=icb&name=${encodeURIComponent('"><img src=x onerror=alert(5)>.csv')}`, { body: ICB_M02, type: 'text/csv' });
    expect([named.status, named.body.file]).toEqual([200, '___img_src_x_onerror_alert_5__.csv']);
    for (const url of ['/imports', '/audit']) {
      const text = (await finance.get(url)).text;
      expect(text, url).toContain('___img_src_x_onerror_alert_5__.csv');
      expect(text, url).not.toMatch(/<img src=x/);
    }
    const wrongType = await finance.upload('icb', new File([ICB_M02], `${SCRIPT}.xlsx`));
    expect(wrongType.status).toBe(415);
    expectEscaped(wrongType.text, 'upload refused for its type');
    const rejected = await finance.upload('icb', new File(['Date,Account,Description,Amount\n10/06/2025,ACC1,x,1.2.3\n'], `<img src=x onerror=alert(4)>.csv`));
    expect(rejected.status).toBe(303);
    const job = await waitForJob(finance, rejected.location!);
    expect(job.text).toContain('AMOUNT_INVALID');
    expect(job.text).not.toMatch(/<img src=x/);
    expect(job.text).toContain('_img_src_x_onerror_alert_4__.csv');
  });

  it('escapes every name in an agreement (fund, partners, pools, schemes, ledgers) on every page and in the HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-bad-input-'));
    try {
      const file = join(dir, 'agreement.yaml');
      writeFileSync(file, hostileAgreement(readFileSync(`${TINY}/agreement.yaml`, 'utf8')));
      await fund(file);
      await closePeriod(ctx(), { period: M01 });
      const admin = await browser('admin');
      for (const url of ['/', '/pools', '/pools/core', '/lines?scheme=care', '/agreement', '/close', '/close/2025-26-M01', '/downloads', '/imports', '/suspense', '/downloads/report/2025-26-M01/html']) {
        const page = await admin.get(url);
        expect(page.status, url).toBe(200);
        expect(page.text, url).not.toMatch(/<script>alert|<img src=x|<b>/);
        expect(page.text, url).toMatch(/&lt;(script|b|img)/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses encoded traversal in page, download and API addresses (400/404, no file), and keeps only the last part of an upload name', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const admin = await browser('admin');
    const token = await tokenOf('admin');
    const app = web();
    for (const url of [
      '/downloads/report/%2e%2e%2f%2e%2e%2fpackage.json/html',
      '/downloads/report/2025-26-M01/%2e%2e%2f%2e%2e%2fpackage.json',
      '/downloads/report/2025-26-M01/%2e%2e',
      '/downloads/report/2025-26-M01/csv/%2E%2E%2F%2E%2E%2Fpackage',
      '/downloads/report/2025-26-M01/csv/%252e%252e%252fpackage',
      '/downloads/report/2025-26-M01/csv/%c0%ae%c0%ae%2fpackage',
      '/downloads/report/2025-26-M01/csv/summary%00',
      '/downloads/journals/2025-26-M01/%2e%2e%5cicb/csv',
      '/downloads/journals/2025-26-M01/icb%00/csv',
      '/downloads/journals/2025-26-M01/icb/csv%00.txt',
      '/downloads/%2e%2e/%2e%2e/package.json',
      '/pools/%2e%2e%2f%2e%2e%2fpackage.json',
      '/close/%2e%2e%2fpackage.json/confirm',
      '/lines?scheme=%2e%2e%2fcare',
      '/suspense/rule?ledger=%2e%2e%2ficb',
      '/imports/jobs/%2e%2e%2f%2e%2e',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/%252e%252e%252fpackage.json',
      '/assets/..%5c..%5cpackage.json',
    ]) {
      const res = await admin.app.request(url, { headers: { Cookie: admin.cookie } });
      expect([400, 404], url).toContain(res.status);
      expect(res.headers.get('Content-Disposition'), url).toBeNull();
      expect(await res.text(), url).not.toContain('"devDependencies"');
    }
    for (const [method, path, code] of [
      ['GET', '/api/v1/closes/%2e%2e%2f%2e%2e%2fpackage.json', 'REQUEST_INVALID'],
      ['GET', '/api/v1/report/%2E%2E%2Fpackage.json', 'REQUEST_INVALID'],
      ['GET', '/api/v1/closes/2025-26-M01%00', 'REQUEST_INVALID'],
      ['GET', '/api/v1/closes/2025-26-M01?version=..%2F1', 'REQUEST_INVALID'],
      ['GET', '/api/v1/commentary/%2e%2e%2f%2e%2e', 'REQUEST_INVALID'],
      ['GET', '/api/v1/unmapped?ledger=%2e%2e%2ficb', 'LEDGER_UNKNOWN'],
      ['POST', '/api/v1/imports?ledger=%2e%2e%2ficb', 'LEDGER_UNKNOWN'],
      ['PUT', '/api/v1/commentary/%2e%2e%2fcare/2025-26-M01', 'SCHEME_UNKNOWN'],
    ] as const) {
      const body = method === 'PUT' ? { json: { text: 'x' } } : method === 'POST' ? { body: ICB_M02, type: 'text/csv' } : {};
      const res = await bearer(app, token, method, path, body);
      expect([[400, 404].includes(res.status), res.body.error?.code], `${method} ${path}`).toEqual([true, code]);
      expect(JSON.stringify(res.body), path).not.toContain('devDependencies');
    }
    // An upload's name only labels it: directories, encoded or not, and leading dots are dropped.
    const before = (await current().store.listBatches('tiny', 'icb')).length;
    for (const [name, file] of [
      ['%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'passwd.csv'],
      ['..%5c..%5cwindows%5cwin.ini', 'win.ini.csv'],
      ['%252e%252e%252fx.csv', '_2e_2e_2fx.csv'],
      ['%2e%2e', 'icb.csv'],
    ]) {
      const res = await bearer(app, token, 'POST', `/api/v1/imports?ledger=icb&name=${name}`, { body: ICB_M02, type: 'text/csv' });
      expect([res.status, res.body.file], name).toEqual([200, file]);
    }
    expect((await current().store.listBatches('tiny', 'icb')).map((b) => b.fileName).slice(before)).toEqual(['passwd.csv']); // the same bytes again: already imported
  });
});
