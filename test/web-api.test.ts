// The JSON API in process (app.request, no socket) on the tiny fund, as users of each role with
// API tokens or a browser session: the OpenAPI 3.1 document, 401 without credentials, 403 with
// the access policy's reason, closes and reopens, uploads (own ledger only, every problem of a
// bad file, size and type limits), CSRF for cookie sessions only, and commentary round trips.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod, readClose } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { buildReport } from '../src/app/report.js';
import { fundStatus } from '../src/app/status.js';
import { addUser, createApiToken, revokeApiToken, signIn } from '../src/app/users.js';
import type { Role } from '../src/domain/access.js';
import { periodKey } from '../src/domain/period.js';
import { apiRoutes } from '../src/web/api/api.js';
import { ReopenBody } from '../src/web/api/schemas.js';
import { XLSX_TYPE } from '../src/web/api/upload.js';
import { createWebApp } from '../src/web/app.js';
import type { WebEnv } from '../src/web/env.js';
import { withDeps } from '../src/web/security.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const M01 = periodKey(2025, 1);
const ICB_M02 = readFileSync(`${TINY}/ledgers/icb-m02.csv`, 'utf8');
const COUNCIL_CC999 = 'Date,Cost Centre,Description,Amount\n15/05/2025,CC999,Mystery,7.00\n'; // a line no rule maps

type Json = Record<string, unknown> & { error?: { code: string; message: string; problems: Record<string, unknown>[] } };

const ROUTES = [
  ...(['/api/v1/status', '/api/v1/closes', '/api/v1/closes/{period}', '/api/v1/report/{period}', '/api/v1/unmapped', '/api/v1/commentary/{period}'] as const).map((p) => ['get', p] as const),
  ...(['/api/v1/closes/{period}', '/api/v1/closes/{period}/reopen', '/api/v1/imports', '/api/v1/forecasts', '/api/v1/mapping-rules', '/api/v1/remap'] as const).map((p) => ['post', p] as const),
  ['put', '/api/v1/commentary/{scheme}/{period}'] as const,
];

describeEachStore('JSON API', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });
  const web = () => createWebApp({ store: current().store, now, secureCookies: true });

  async function fund() {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    for (const [ledger, f] of [['council', 'council-m01'], ['icb', 'icb-m01']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
  }

  async function user(role: Role, partner: string | null = 'icb'): Promise<{ email: string; token: string }> {
    const email = `${role}@${partner ?? 'fund'}.example`;
    await addUser(ctx(), { email, partner, role, password: PASSWORD });
    return { email, token: (await createApiToken(ctx(), { email, name: 'test' })).token };
  }

  async function call(method: string, path: string, options: { token?: string; json?: unknown; body?: string; type?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    if (options.type) headers['Content-Type'] = options.type;
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    const res = await web().request(path, { method, headers, body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  }

  const temps: string[] = [];
  afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const writeTemp = (name: string, text: string) => {
    temps.push(mkdtempSync(join(tmpdir(), 'tandem-api-test-')));
    writeFileSync(join(temps.at(-1)!, name), text);
    return join(temps.at(-1)!, name);
  };
  const batchesOf = async (ledger: string) => (await fundStatus(ctx())).ledgers.find((l) => l.id === ledger)!.batches;

  it('publishes an OpenAPI 3.1 document of every route, generated from the schemas that validate requests', async () => {
    const res = await web().request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[]; requestBody?: { content: Record<string, unknown> } }>>;
      components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { minLength?: number }> }>; securitySchemes: Record<string, { type: string }> };
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(ROUTES.map(([, p]) => p))].sort());
    for (const [method, path] of ROUTES) {
      const operation = doc.paths[path]![method]!;
      expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['200', '401', '429']));
      expect(operation.security, `${method} ${path}`).toEqual([{ apiToken: [] }, { sessionCookie: [] }]);
    }
    for (const path of Object.keys(doc.paths)) for (const op of Object.values(doc.paths[path]!)) expect(Object.keys(op.responses).length).toBeGreaterThan(1);
    expect(Object.keys(doc.paths['/api/v1/imports']!.post!.requestBody!.content).sort()).toEqual([XLSX_TYPE, 'text/csv'].sort());
    const reopen = doc.components.schemas.ReopenRequest!;
    expect(reopen.required).toEqual(['reason']);
    expect(reopen.properties!.reason!.minLength).toBe(ReopenBody.shape.reason.minLength);
    expect(doc.components.securitySchemes.apiToken!.type).toBe('http');
  });

  it('answers 401 in JSON without valid credentials, and a JSON 404 for an unknown API path', async () => {
    await fund();
    const none = await call('GET', '/api/v1/status');
    expect([none.status, none.body.error?.code, none.headers.get('WWW-Authenticate')]).toEqual([401, 'UNAUTHENTICATED', 'Bearer realm="tandem"']);
    expect((await call('GET', '/api/v1/status', { token: `tandem_${'A'.repeat(43)}` })).status).toBe(401);
    expect((await call('GET', '/api/v1/status', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } })).status).toBe(401);
    expect((await call('GET', '/api/v1/status', { headers: { Cookie: `tandem_session=${'B'.repeat(43)}` } })).status).toBe(401);
    const viewer = await user('viewer');
    expect((await call('GET', '/api/v1/status', { token: viewer.token })).status).toBe(200);
    await revokeApiToken(ctx(), 1);
    expect((await call('GET', '/api/v1/status', { token: viewer.token })).body.error?.code).toBe('UNAUTHENTICATED');
    const unknown = await call('GET', '/api/v1/nothing-here', { token: (await user('finance')).token });
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('shows the fund status as the use case does, without the database location', async () => {
    await fund();
    const { token } = await user('viewer');
    const res = await call('GET', '/api/v1/status', { token });
    const { database: _location, ...expected } = await fundStatus(ctx());
    expect([res.status, res.body]).toEqual([200, expected]);
    expect(res.body).not.toHaveProperty('database');
  });

  it('lets an approver close a period (200, the close document, audited as the user) but not a viewer (403)', async () => {
    await fund();
    const viewer = await user('viewer');
    const approver = await user('approver');
    const refused = await call('POST', '/api/v1/closes/2025-26-M01', { token: viewer.token, json: {} });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(refused.body.error?.message).toContain('period.close needs the approver role (this user is viewer)');
    expect((await call('GET', '/api/v1/closes', { token: viewer.token })).body).toEqual([]);

    const closed = await call('POST', '/api/v1/closes/2025-26-M01', { token: approver.token, json: {} });
    expect([closed.status, closed.body]).toEqual([200, await readClose(ctx(), { period: M01 })]);
    expect([closed.body.period, closed.body.closeVersion, closed.body.closedBy]).toEqual(['2025-26 M01', 1, approver.email]);
    expect((await ctx().store.listAudit({ action: 'close' })).map((a) => a.actor)).toEqual([approver.email]);
    expect((await call('GET', '/api/v1/closes/2025-04', { token: viewer.token })).body).toEqual(closed.body); // April 2025 = 2025-26 M01
    const list = await call('GET', '/api/v1/closes', { token: viewer.token });
    expect(list.body).toEqual([expect.objectContaining({ period: '2025-26 M01', version: 1, closedBy: approver.email, current: true })]);
    const again = await call('POST', '/api/v1/closes/2025-26-M01', { token: approver.token });
    expect([again.status, again.body.error?.code]).toEqual([409, 'PERIOD_LOCKED']);
  });

  it('reopens only with a reason (400 without one), as an approver', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const approver = await user('approver');
    const finance = await user('finance');
    for (const json of [{}, { reason: '   ' }, { reason: 42 }]) {
      const res = await call('POST', '/api/v1/closes/2025-26-M01/reopen', { token: approver.token, json });
      expect([res.status, res.body.error?.code], JSON.stringify(json)).toEqual([400, 'REQUEST_INVALID']);
      expect(res.body.error?.problems.map((p) => p.path)).toEqual(['body.reason']);
    }
    expect((await call('POST', '/api/v1/closes/2025-26-M01/reopen', { token: finance.token, json: { reason: 'late invoice' } })).status).toBe(403);
    const ok = await call('POST', '/api/v1/closes/2025-26-M01/reopen', { token: approver.token, json: { reason: 'late invoice' } });
    expect([ok.status, ok.body]).toEqual([200, { fundId: 'tiny', period: '2025-26 M01', closeVersion: 1 }]);
    expect((await ctx().store.listAudit({ action: 'reopen' }))[0]).toMatchObject({ actor: approver.email, details: { reason: 'late invoice' } });
    expect((await call('GET', '/api/v1/closes', { token: approver.token })).body).toEqual([expect.objectContaining({ current: false })]);
  });

  it("maps the use cases' errors to 400, 404, 409 and 415 with their codes", async () => {
    await fund();
    const { token } = await user('approver');
    const cases: [string, string, Parameters<typeof call>[2], number, string][] = [
      ['GET', '/api/v1/closes/2025-26-M05', {}, 404, 'CLOSE_NOT_FOUND'],
      ['GET', '/api/v1/report/2025-26-M05', {}, 404, 'CLOSE_NOT_FOUND'],
      ['GET', '/api/v1/closes/not-a-period', {}, 400, 'REQUEST_INVALID'],
      ['POST', '/api/v1/closes/2025-26-M02', { json: {} }, 409, 'CLOSE_NO_DATA'],
      ['POST', '/api/v1/closes/2027-28-M01', { json: {} }, 422, 'PERIOD_OUTSIDE_AGREEMENT'],
      ['POST', '/api/v1/closes/2025-26-M01', { json: { allowUnmapped: true, role: 'admin' } }, 400, 'REQUEST_INVALID'],
      ['POST', '/api/v1/closes/2025-26-M01', { body: 'allowUnmapped=true', type: 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['GET', '/api/v1/unmapped?ledger=nope', {}, 404, 'LEDGER_UNKNOWN'],
    ];
    for (const [method, path, options, status, code] of cases) {
      const res = await call(method, path, { token, ...options });
      expect([res.status, res.body.error?.code], `${method} ${path}`).toEqual([status, code]);
    }
    expect(await ctx().store.listCloses('tiny')).toEqual([]);
  });

  it("lets a finance officer of icb import the icb extract and see its suspense queue, but not the council's", async () => {
    await fund();
    const finance = await user('finance');
    const admin = await user('admin', null);
    const res = await call('POST', '/api/v1/imports?ledger=icb&name=icb-m02.csv', { token: finance.token, body: ICB_M02, type: 'text/csv; charset=utf-8' });
    expect([res.status, res.body]).toEqual([200, expect.objectContaining({ status: 'imported', ledgerId: 'icb', file: 'icb-m02.csv', lines: 4, controlTotalPence: 33500, periods: ['2025-26 M02'], unmapped: { lines: 1, amountPence: 500 } })]);
    const audit = (await ctx().store.listAudit({ action: 'import.batch' })).at(-1);
    expect([audit?.actor, audit?.details.file]).toEqual([finance.email, 'icb-m02.csv']); // the upload's name, not the temp path
    expect((await ctx().store.listBatches('tiny', 'icb')).at(-1)?.fileName).toBe('icb-m02.csv');
    expect(await batchesOf('icb')).toBe(2);

    const council = await call('POST', '/api/v1/imports?ledger=council', { token: finance.token, body: readFileSync(`${TINY}/ledgers/council-m02.csv`, 'utf8'), type: 'text/csv' });
    expect([council.status, council.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(council.body.error?.message).toContain('ledger.upload on a ledger of council is not allowed: this user acts for icb');
    expect(await batchesOf('council')).toBe(1);
    const viewer = await user('viewer');
    expect((await call('POST', '/api/v1/imports?ledger=icb', { token: viewer.token, body: ICB_M02, type: 'text/csv' })).status).toBe(403);

    // A council line in suspense: the icb officer's queue leaves it out; the admin's shows both.
    expect((await call('POST', '/api/v1/imports?ledger=council', { token: admin.token, body: COUNCIL_CC999, type: 'text/csv' })).status).toBe(200);
    const icbGroup = { ledger: 'icb', codes: { Account: 'ACC9' }, lines: 1, amountPence: 500, periods: ['2025-26 M02'] };
    expect((await call('GET', '/api/v1/unmapped?ledger=icb', { token: finance.token })).body).toEqual([icbGroup]);
    expect((await call('GET', '/api/v1/unmapped', { token: finance.token })).body).toEqual([icbGroup]);
    expect((await call('GET', '/api/v1/unmapped?ledger=council', { token: finance.token })).status).toBe(403);
    expect(((await call('GET', '/api/v1/unmapped', { token: admin.token })).body as unknown as { ledger: string }[]).map((g) => g.ledger).sort()).toEqual(['council', 'icb']);
  });

  it("shows another partner's suspense queue only when the agreement shares line detail; uploads stay own-ledger", async () => {
    await fund();
    const finance = await user('finance');
    await importBatch(ctx(), { ledgerId: 'council', path: writeTemp('council-m02.csv', COUNCIL_CC999) });
    expect((await call('GET', '/api/v1/unmapped?ledger=council', { token: finance.token })).status).toBe(403);
    await loadAgreement(ctx(), writeTemp('agreement.yaml', `${readFileSync(`${TINY}/agreement.yaml`, 'utf8')}\ndata_sharing:\n  line_detail: all_partners\n`));
    const shared = await call('GET', '/api/v1/unmapped?ledger=council', { token: finance.token });
    expect([shared.status, shared.body]).toEqual([200, [expect.objectContaining({ ledger: 'council', codes: { 'Cost Centre': 'CC999' } })]]);
    expect((await call('POST', '/api/v1/imports?ledger=council', { token: finance.token, body: 'x', type: 'text/csv' })).status).toBe(403);
  });

  it('adds a mapping rule for a suspense group as the next agreement version, and remaps the ledger with it', async () => {
    await fund();
    const finance = await user('finance');
    await call('POST', '/api/v1/imports?ledger=icb&name=icb-m02.csv', { token: finance.token, body: ICB_M02, type: 'text/csv' });
    const bad = await call('POST', '/api/v1/mapping-rules', { token: finance.token, json: { ledger: 'icb', when: { Account: 'ACC9' }, scheme: 'acute', outOfScope: true } });
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'REQUEST_INVALID']);
    const stale = await call('POST', '/api/v1/mapping-rules', { token: finance.token, json: { ledger: 'icb', when: { Account: 'ACC9' }, scheme: 'acute', basedOnVersion: 3 } });
    expect([stale.status, stale.body.error?.code]).toEqual([409, 'AGREEMENT_CHANGED']);
    const added = await call('POST', '/api/v1/mapping-rules', { token: finance.token, json: { ledger: 'icb', when: { Account: 'ACC9' }, scheme: 'acute', note: 'new block contract', basedOnVersion: 1 } });
    expect([added.status, added.body]).toEqual([200, expect.objectContaining({ version: 2, created: true, ledgerId: 'icb', ruleIndex: 3 })]);
    expect((await call('GET', '/api/v1/unmapped?ledger=icb', { token: finance.token })).body).toHaveLength(1); // not re-applied yet
    const remapped = await call('POST', '/api/v1/remap', { token: finance.token, json: { ledger: 'icb' } });
    expect([remapped.status, remapped.body]).toEqual([200, expect.objectContaining({ agreementVersion: 2, ledgers: [expect.objectContaining({ id: 'icb', changed: 1, unmappedBefore: 1, unmappedAfter: 0 })] })]);
    expect((await call('GET', '/api/v1/unmapped?ledger=icb', { token: finance.token })).body).toEqual([]);
  });

  it('rejects a bad file with every problem, with line and column (422), and imports nothing', async () => {
    await fund();
    const { token } = await user('finance');
    const bad = 'Date,Account,Description,Amount\n10/05/2025,ACC1,ok,30.00\n31/02/2025,ACC2,no such day,10.00\n12/05/2025,ACC3,two points,12.3.4\n';
    const res = await call('POST', '/api/v1/imports?ledger=icb&name=../../etc/bad.csv', { token, body: bad, type: 'text/csv' });
    expect([res.status, res.body.error?.code]).toEqual([422, 'IMPORT_REJECTED']);
    expect(res.body.error?.problems).toEqual([
      expect.objectContaining({ code: 'DATE_INVALID', line: 3, column: 'Date', file: 'bad.csv' }),
      expect.objectContaining({ code: 'AMOUNT_INVALID', line: 4, column: 'Amount', file: 'bad.csv' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('tandem-upload-');
    expect(await batchesOf('icb')).toBe(1);
  });

  it('refuses an oversized body (413) and a wrong content type (415) before importing', async () => {
    await fund();
    const { token } = await user('finance');
    const declared = await call('POST', '/api/v1/imports?ledger=icb', { token, body: ICB_M02, type: 'text/csv', headers: { 'Content-Length': String(200 * 1024 * 1024) } });
    expect([declared.status, declared.body.error?.code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    expect(declared.body.error?.message).toContain('upload limit of 100 MB');
    // Without a Content-Length, the limit applies to the bytes as they stream in.
    const small = new Hono<WebEnv>();
    small.use('*', withDeps({ store: current().store, now, secureCookies: false }));
    apiRoutes(small, { maxUploadBytes: 100 });
    const stream = new Blob([ICB_M02]).stream();
    const request = new Request('http://localhost/api/v1/imports?ledger=icb', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body: stream, duplex: 'half' } as RequestInit);
    expect(request.headers.get('Content-Length')).toBeNull();
    const streamed = await small.request(request);
    expect([streamed.status, ((await streamed.json()) as Json).error?.message]).toEqual([413, expect.stringContaining('upload limit of 100 bytes')]);
    for (const type of ['application/json', 'text/plain', XLSX_TYPE]) {
      const res = await call('POST', '/api/v1/imports?ledger=icb', { token, body: ICB_M02, type });
      expect([res.status, res.body.error?.code], type).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    expect(await batchesOf('icb')).toBe(1);
  });

  it('imports forecasts from a CSV body, listing every problem of a bad one', async () => {
    await fund();
    const { token } = await user('finance');
    const ok = await call('POST', '/api/v1/forecasts', { token, body: 'scheme,period,amount\ncare,2025-26 M02,150.00\n', type: 'text/csv' });
    expect([ok.status, ok.body.forecasts]).toEqual([200, [{ scheme: 'care', period: '2025-26 M02', amountPence: 15000 }]]);
    const bad = await call('POST', '/api/v1/forecasts?name=leads.csv', { token, body: 'scheme,period,amount\nnope,2025-26 M02,1\ncare,M99,x\n', type: 'text/csv' });
    expect([bad.status, bad.body.error?.code]).toEqual([422, 'FORECAST_REJECTED']);
    expect(bad.body.error?.problems.map((p) => [p.line, p.column, p.file])).toEqual([[2, 'scheme', 'leads.csv'], [3, 'period', 'leads.csv'], [3, 'amount', 'leads.csv']]);
    expect((await call('POST', '/api/v1/forecasts', { token: (await user('viewer')).token, body: 'scheme,period,amount\n', type: 'text/csv' })).status).toBe(403);
  });

  it('requires the CSRF header for a cookie session on POST and PUT, but not for a Bearer token', async () => {
    await fund();
    const finance = await user('finance');
    const session = await signIn(ctx(), { email: finance.email, password: PASSWORD, ip: '192.0.2.1' });
    const cookie = `tandem_session=${session.token}`;
    const path = '/api/v1/commentary/care/2025-26-M01';
    const json = { text: 'On plan.' };
    expect((await call('GET', '/api/v1/status', { headers: { Cookie: cookie } })).status).toBe(200);
    const missing = await call('PUT', path, { json, headers: { Cookie: cookie } });
    expect([missing.status, missing.body.error?.code]).toEqual([403, 'CSRF_FAILED']);
    expect((await call('PUT', path, { json, headers: { Cookie: cookie, 'X-CSRF-Token': 'forged' } })).status).toBe(403);
    expect(await ctx().store.latestCommentary('tiny', M01)).toEqual([]);
    const ok = await call('PUT', path, { json, headers: { Cookie: cookie, 'X-CSRF-Token': session.csrfToken } });
    expect([ok.status, ok.body.by]).toEqual([200, finance.email]);
    // A Bearer token is not ambient: it needs no CSRF header, even with a cookie alongside.
    expect((await call('PUT', path, { json, token: finance.token, headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('stores HTML in commentary as plain text and returns it exactly, in JSON', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const finance = await user('finance');
    const text = `<script>alert("x")</script> & <b>bold</b>\n'quoted' — £5`;
    const put = await call('PUT', '/api/v1/commentary/care/2025-26-M01', { token: finance.token, json: { text } });
    expect([put.status, put.body.text, put.headers.get('Content-Type'), put.headers.get('X-Content-Type-Options')]).toEqual([200, text, 'application/json', 'nosniff']);
    const report = await call('GET', '/api/v1/report/2025-26-M01', { token: finance.token });
    const data = report.body as unknown as Awaited<ReturnType<typeof buildReport>>['data'];
    expect(data.pools.flatMap((p) => p.schemes).find((s) => s.id === 'care')?.commentary).toEqual({ text, by: finance.email, at: now().toISOString() });
    expect(data.summary).toEqual((await buildReport(ctx(), { period: M01 })).data.summary);
    expect(data.provenance.generatedBy).toBe(finance.email);
    expect((await call('GET', '/api/v1/commentary/2025-26-M01', { token: finance.token })).body).toEqual([expect.objectContaining({ scheme: 'care', text })]);
    const viewer = await user('viewer');
    expect((await call('PUT', '/api/v1/commentary/care/2025-26-M01', { token: viewer.token, json: { text: 'x' } })).status).toBe(403);
    expect((await call('PUT', '/api/v1/commentary/nope/2025-26-M01', { token: finance.token, json: { text: 'x' } })).body.error?.code).toBe('SCHEME_UNKNOWN');
    expect((await call('PUT', '/api/v1/commentary/care/2025-26-M01', { token: finance.token, json: { text: '' } })).status).toBe(400);
  });
});
