// The audit log page (src/web/routes/audit.ts) on both databases: a finance officer sees their
// own fund's events only — not another fund's, not the events of no fund (admin users, their
// tokens, init's migrations), which only an admin sees — filtered by action, actor and a range
// of UTC days, 100 a page with the filters kept in the page links, and bad filters are a 400.
// (test/web-manage.test.ts has the first checks: newest first, the action filter, 403 for a
// viewer, escaping of a reopen reason.)

import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { addUser, createApiToken } from '../src/app/users.js';
import { createWebApp } from '../src/web/app.js';
import type { AuditEventInput } from '../src/store/types.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const USERS = { finance: 'officer@icb.example', admin: 'admin@tandem.example' } as const;

const ROW = /<tr class="govuk-table__row" data-audit-id="(\d+)">.*?tandem-audit-action">([^<]+)<\/td><td class="govuk-table__cell">([^<]*)<\/td>/g;

describeEachStore('audit log page', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });

  /** The tiny fund, its users (audited), and `extra` events of tiny, of another fund and of none, one a day from 1 June. */
  async function fund(extra = 0) {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    await addUser(ctx(), { email: USERS.finance, partner: 'icb', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.admin, role: 'admin', password: PASSWORD });
    await createApiToken({ ...ctx(), actor: 'root' }, { email: USERS.admin, name: 'ops' });
    const base: Omit<AuditEventInput, 'fundId' | 'action' | 'at'> = { actor: 'someone@council.example', subject: null, details: {}, inputSha256: null };
    for (let n = 0; n < extra; n++) {
      const at = `2025-06-${String(1 + (n % 30)).padStart(2, '0')}T12:00:00.000Z`;
      await current().store.appendAudit({ ...base, fundId: 'tiny', action: 'commentary.set', at, details: { n } });
    }
    await current().store.appendAudit({ ...base, fundId: 'other', actor: 'elsewhere@other.example', action: 'close', at: '2025-06-02T00:00:00.000Z' });
    await current().store.appendAudit({ ...base, fundId: null, actor: 'root', action: 'init', at: '2025-06-01T00:00:00.000Z' });
  }

  async function as(who: keyof typeof USERS) {
    const app = createWebApp({ store: current().store, now, secureCookies: false });
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USERS[who], password: PASSWORD }) });
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    return async (url: string) => {
      const r = await app.request(url, { headers: { Cookie: cookie } });
      const text = await r.text();
      return { status: r.status, text, rows: [...text.matchAll(ROW)].map((m) => ({ id: Number(m[1]), action: m[2]!, subject: m[3]! })) };
    };
  }

  it("shows a finance officer their fund's events only, and an admin every event, those of no fund included", async () => {
    await fund();
    const all = await current().store.listAudit({});
    const finance = await (await as('finance'))('/audit');
    expect(finance.status).toBe(200);
    expect(finance.rows.map((r) => r.id)).toEqual(all.filter((e) => e.fundId === 'tiny').map((e) => e.id).reverse());
    expect(finance.rows.map((r) => r.action)).toEqual(['user.add', 'agreement.load']); // the officer's own user.add is the fund's
    expect(finance.text).not.toContain('elsewhere@other.example');
    expect(finance.text).not.toContain('token.create');
    expect(finance.text).not.toContain('>root<'); // not even in the actor list
    const admin = await (await as('admin'))('/audit');
    expect(admin.rows.map((r) => r.id)).toEqual(all.map((e) => e.id).reverse());
    expect(admin.rows.map((r) => r.action)).toEqual(['init', 'close', 'token.create', 'user.add', 'user.add', 'agreement.load']);
    expect(admin.text).toContain('<option value="root">root</option>');
  });

  it('filters by action, actor and a range of UTC days, and keeps the filters in the page links', async () => {
    await fund(130);
    const get = await as('finance');
    const byActor = await get('/audit?actor=someone%40council.example');
    expect(byActor.text).toContain('Events 1 to 100 of 130 by someone@council.example, newest first.');
    expect(byActor.text).toContain('<option value="someone@council.example" selected>');
    expect(byActor.text).toContain('href="/audit?actor=someone%40council.example&amp;page=2"');
    expect((await get('/audit?actor=someone%40council.example&page=2')).rows).toHaveLength(30);
    expect((await get('/audit?actor=someone%40council.example&page=3')).status).toBe(404);

    // Event n (0..129) falls on 1 + n mod 30 June: the 10th holds 5 (n = 9, 39, …, 129), the 11th and 12th 4 each.
    const days = await get('/audit?action=commentary.set&from=2025-06-10&to=2025-06-12');
    expect(days.rows).toHaveLength(13);
    expect(days.text).toContain('Events 1 to 13 of 13 with action commentary.set from 2025-06-10 to 2025-06-12, newest first.');
    expect(days.text).toContain('value="2025-06-10"');
    const oneDay = await get('/audit?from=2025-06-08&to=2025-06-08');
    expect(oneDay.rows.map((r) => r.action).sort()).toEqual([...Array(5).fill('commentary.set'), 'agreement.load', 'user.add'].sort()); // the setup ran "on" 8 June
    expect((await get('/audit?actor=elsewhere%40other.example')).text).toContain('No audit events match these filters.'); // another fund's actor: nothing
    expect((await get('/audit?action=nope')).rows).toEqual([]);
  });

  it('refuses malformed filters with a 400 that says what is wrong', async () => {
    await fund();
    const get = await as('finance');
    for (const [url, message] of [
      ['/audit?from=2025-02-30', 'from must be a date written YYYY-MM-DD; got &quot;2025-02-30&quot;'],
      ['/audit?to=08%2F06%2F2025', 'to must be a date written YYYY-MM-DD'],
      ['/audit?from=2025-06-09&to=2025-06-08', 'the &quot;from&quot; day (2025-06-09) is after the &quot;to&quot; day (2025-06-08)'],
      ['/audit?actor=a%00b', 'actor may not contain control characters'],
      ['/audit?page=0', 'page must be a whole number'],
    ]) {
      const res = await get(url!);
      expect(res.status, url).toBe(400);
      expect(res.text, url).toContain(message);
    }
  });
});
