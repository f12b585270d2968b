// The close, agreement and audit pages in process (Hono's app.request), on the tiny fund, on both
// databases: an approver closes a month through the confirmation page (with the CSRF token),
// a missing token or a finance user's POST closes nothing, a close with unmapped lines is refused
// on the page (422, nothing written) unless the box is ticked, a reopen needs a reason and shows in
// the audit log (finance and up only), the agreement page shows the version in force and the
// diff between two loaded versions, and HTML in a reason is escaped.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser } from '../src/app/users.js';
import { periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const USERS = { approver: 'approver@icb.example', finance: 'officer@icb.example', viewer: 'viewer@icb.example' } as const;
const dir = mkdtempSync(join(tmpdir(), 'tandem-web-manage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tiny agreement with the council's contribution to care raised from £600 to £650. */
const CHANGED_AGREEMENT = join(dir, 'agreement-v2.yaml');
writeFileSync(CHANGED_AGREEMENT, readFileSync(`${TINY}/agreement.yaml`, 'utf8').replace('{council: 600, icb: 1200}', '{council: 650, icb: 1200}'));

function expectAccessibleStructure(text: string, where: string): void {
  expect(text.match(/<h1\b/g)?.length, `${where}: one h1`).toBe(1);
  const tables = text.match(/<table\b[^>]*>/g) ?? [];
  expect(text.match(/<table\b[^>]*>\s*<caption\b/g)?.length ?? 0, `${where}: every table has a caption`).toBe(tables.length);
  for (const th of text.match(/<th\b[^>]*>/g) ?? []) expect(th, `${where}: th scope`).toMatch(/ scope="(col|row)"/);
}

describeEachStore('web close, agreement and audit pages', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });
  const M01 = periodKey(2025, 1);

  async function fund() {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    for (const [ledger, f] of [['council', 'council-m01'], ['icb', 'icb-m01']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
    await addUser(ctx(), { email: USERS.approver, partner: 'icb', role: 'approver', password: PASSWORD });
    await addUser(ctx(), { email: USERS.finance, partner: 'icb', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.viewer, partner: 'icb', role: 'viewer', password: PASSWORD });
  }

  async function as(who: keyof typeof USERS) {
    const app = createWebApp({ store: current().store, now, secureCookies: false });
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USERS[who], password: PASSWORD }) });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    const get = async (url: string) => {
      const r = await app.request(url, { headers: { Cookie: cookie } });
      return { status: r.status, location: r.headers.get('Location'), text: await r.text() };
    };
    const csrf = async () => /name="_csrf" value="([^"]+)"/.exec((await get('/close')).text)![1]!;
    /** POSTs a form; with the session's CSRF token unless `withCsrf` is false. */
    const post = async (url: string, fields: Record<string, string>, withCsrf = true) => {
      const body = new URLSearchParams(withCsrf ? { ...fields, _csrf: await csrf() } : fields);
      const r = await app.request(url, { method: 'POST', headers: { Cookie: cookie }, body });
      return { status: r.status, location: r.headers.get('Location'), text: await r.text() };
    };
    return { get, post };
  }

  const closes = async () => (await current().store.listCloses('tiny')).map((c) => `${c.period}:v${c.version}`);
  const states = async () => (await current().store.latestPeriodEvents('tiny')).map((e) => `${e.period}:${e.action}`);

  it('lets an approver close M01 through the confirmation page, with the CSRF token', async () => {
    await fund();
    const approver = await as('approver');
    const overview = await approver.get('/close');
    expect(overview.status).toBe(200);
    expectAccessibleStructure(overview.text, '/close');
    expect(overview.text).toContain('<form method="get" action="/close/2025-26-M01/confirm">');
    const confirm = await approver.get('/close/2025-26-M01/confirm');
    expect(confirm.status).toBe(200);
    expectAccessibleStructure(confirm.text, 'confirm');
    expect(confirm.text).toContain('<form method="post" action="/close/2025-26-M01">');
    expect(confirm.text).toContain('Close 2025-26 M01</button>');
    expect(confirm.text).toContain('name="allowUnmapped" type="checkbox" value="yes"');
    const done = await approver.post('/close/2025-26-M01', {});
    expect([done.status, done.location]).toEqual([303, '/close/2025-26-M01']);
    expect(await closes()).toEqual([`${M01}:v1`]);
    const month = await approver.get('/close/2025-26-M01');
    expect(month.status).toBe(200);
    expectAccessibleStructure(month.text, '/close/2025-26-M01');
    expect(month.text).toContain('2025-26 M01: close version 1');
    expect(month.text).toContain(USERS.approver);
    const after = (await approver.get('/close')).text;
    expect(after).toContain('Closed v1');
    expect(after).toContain('href="/close/2025-26-M01"');
    expect(after).toContain('<form method="post" action="/close/2025-26-M01/reopen">');
    expect(after).toContain('<form method="get" action="/close/2025-26-M02/confirm">');
  });

  it('closes nothing without the CSRF token (403)', async () => {
    await fund();
    const approver = await as('approver');
    const res = await approver.post('/close/2025-26-M01', { allowUnmapped: 'yes' }, false);
    expect(res.status).toBe(403);
    expect(await closes()).toEqual([]);
  });

  it('refuses a finance user closing or reopening (403), and hides the forms from them', async () => {
    await fund();
    const finance = await as('finance');
    const res = await finance.post('/close/2025-26-M01', { allowUnmapped: 'yes' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('You cannot do this');
    expect((await finance.get('/close/2025-26-M01/confirm')).status).toBe(403);
    expect(await closes()).toEqual([]);
    await closePeriod(ctx(), { period: M01 });
    expect((await finance.post('/close/2025-26-M01/reopen', { reason: 'try' })).status).toBe(403);
    expect(await states()).toEqual([`${M01}:close`]);
    const page = (await finance.get('/close')).text;
    expect(page).toContain('Closed v1');
    expect(page).not.toContain('/confirm"');
    expect(page).not.toContain('/reopen"');
  });

  it('shows a refused close with unmapped lines in an error summary (422, nothing written), and closes with the box ticked', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    for (const [ledger, f] of [['council', 'council-m02'], ['icb', 'icb-m02']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
    const approver = await as('approver');
    expect((await approver.get('/close/2025-26-M02/confirm')).text).toContain('1 line is unmapped up to 2025-26 M02');
    const auditBefore = (await current().store.listAudit({})).length;
    const refused = await approver.post('/close/2025-26-M02', {});
    expect(refused.status).toBe(422);
    expectAccessibleStructure(refused.text, 'refused close');
    expect(refused.text).toContain('<div class="govuk-error-summary"');
    expect(refused.text).toContain('data-code="CLOSE_UNMAPPED"');
    expect(refused.text).toContain('ledger icb: 1 unmapped line(s), £5.00');
    expect(await closes()).toEqual([`${M01}:v1`]);
    expect((await current().store.listAudit({})).length).toBe(auditBefore);
    const again = await approver.post('/close/2025-26-M01', { allowUnmapped: 'yes' });
    expect([again.status, again.text.includes('data-code="PERIOD_LOCKED"')]).toEqual([422, true]);
    const done = await approver.post('/close/2025-26-M02', { allowUnmapped: 'yes' });
    expect([done.status, done.location]).toEqual([303, '/close/2025-26-M02']);
    expect(await closes()).toEqual([`${M01}:v1`, `${periodKey(2025, 2)}:v1`]);
  });

  it('needs a reason to reopen; a reopen with one is listed in the audit log for finance, filterable by action', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const approver = await as('approver');
    const missing = await approver.post('/close/2025-26-M01/reopen', { reason: '   ' });
    expect(missing.status).toBe(422);
    expectAccessibleStructure(missing.text, 'refused reopen');
    expect(missing.text).toContain('<div class="govuk-error-summary"');
    expect(missing.text).toContain('a reopen needs a reason');
    expect(await states()).toEqual([`${M01}:close`]);
    const done = await approver.post('/close/2025-26-M01/reopen', { reason: 'Late council invoice' });
    expect([done.status, done.location]).toEqual([303, '/close/2025-26-M01']);
    expect(await states()).toEqual([`${M01}:reopen`]);
    expect((await approver.get('/close')).text).toContain('Reopened');

    const finance = await as('finance');
    const audit = await finance.get('/audit');
    expect(audit.status).toBe(200);
    expectAccessibleStructure(audit.text, '/audit');
    expect(audit.text).toContain('<td class="govuk-table__cell tandem-audit-action">reopen</td>');
    expect(audit.text).toContain('&quot;reason&quot;:&quot;Late council invoice&quot;');
    const actions = [...audit.text.matchAll(/tandem-audit-action">([^<]+)</g)].map((m) => m[1]);
    expect(actions.slice(0, 2)).toEqual(['reopen', 'close']); // newest first
    const filtered = [...(await finance.get('/audit?action=reopen')).text.matchAll(/tandem-audit-action">([^<]+)</g)].map((m) => m[1]);
    expect(filtered).toEqual(['reopen']);
  });

  it('refuses the audit log to a viewer (403) and bad periods in addresses (400)', async () => {
    await fund();
    expect((await (await as('viewer')).get('/audit')).status).toBe(403);
    expect((await (await as('finance')).get('/audit')).status).toBe(200);
    const approver = await as('approver');
    for (const url of ['/close/2025-26-M13', '/close/..%2F..%2Fpackage.json/confirm', '/close/2025-M01/confirm']) expect((await approver.get(url)).status, url).toBe(400);
    expect((await approver.post('/close/nope', {})).status).toBe(400);
    expect(await closes()).toEqual([]);
    expect((await approver.get('/close/2025-26-M02')).status).toBe(404); // a period, never closed
  });

  it('shows the agreement in force, its history, and the diff between two versions', async () => {
    await fund();
    const viewer = await as('viewer');
    const first = await viewer.get('/agreement');
    expect(first.status).toBe(200);
    expectAccessibleStructure(first.text, '/agreement');
    expect(first.text).toContain('<dt class="govuk-summary-list__key">Version</dt><dd class="govuk-summary-list__value">1</dd>');
    expect(first.text).toContain('Tiny Council £600.00, Tiny ICB £1,200.00');
    await loadAgreement(ctx(), CHANGED_AGREEMENT);
    const second = await viewer.get('/agreement');
    expect(second.text).toContain('<dd class="govuk-summary-list__value">2</dd>');
    expect(second.text).toContain('href="/agreement?from=1&amp;to=2#diff"');
    const diff = await viewer.get('/agreement?from=1&to=2');
    expect(diff.status).toBe(200);
    expectAccessibleStructure(diff.text, 'diff');
    expect(diff.text).toContain('<th scope="row" class="govuk-table__header">schemes.care.contributions.2025.council</th><td class="govuk-table__cell">changed</td><td class="govuk-table__cell">60000</td><td class="govuk-table__cell">65000</td>');
    expect((await viewer.get('/agreement?from=1&to=1')).text).toContain('Nothing changed between version 1 and version 1.');
    for (const url of ['/agreement?from=1&to=3', '/agreement?from=x&to=2', '/agreement?to=2']) expect((await viewer.get(url)).status, url).toBe(400);
  });

  it('escapes HTML in a reopen reason on the audit and close pages', async () => {
    await fund();
    await closePeriod(ctx(), { period: M01 });
    const reason = '<script>alert(1)</script> "quoted"';
    expect((await (await as('approver')).post('/close/2025-26-M01/reopen', { reason })).status).toBe(303);
    const finance = await as('finance');
    for (const url of ['/audit', '/close']) {
      const text = (await finance.get(url)).text;
      expect(text, url).not.toContain('<script>alert(1)');
      expect(text, url).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});
