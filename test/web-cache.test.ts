// The dashboard's body is rendered once per stored close and reused (src/web/routes/dashboard.ts):
// each user still gets their own page frame around it, and a new close — a re-close after a
// reopen, or the next month — shows at once, never the body cached for an earlier one.

import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod, reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser } from '../src/app/users.js';
import { periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const USERS = { officer: 'officer@icb.example', admin: 'admin@tandem.example' } as const;

describeEachStore('dashboard body cache', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });
  const app = () => createWebApp({ store: current().store, now, secureCookies: false });

  async function dashboardAs(web: ReturnType<typeof app>, who: keyof typeof USERS): Promise<() => Promise<string>> {
    const res = await web.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USERS[who], password: PASSWORD }) });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    return async () => {
      const page = await web.request('/', { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      return page.text();
    };
  }

  const main = (text: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(text)![1]!;

  it('gives every user their own frame around one body, and shows each new close at once', async () => {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    await importBatch(ctx(), { ledgerId: 'council', path: `${TINY}/ledgers/council-m01.csv` });
    await importBatch(ctx(), { ledgerId: 'icb', path: `${TINY}/ledgers/icb-m01.csv` });
    await addUser(ctx(), { email: USERS.officer, partner: 'icb', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.admin, role: 'admin', password: PASSWORD });
    const web = app();
    const officer = await dashboardAs(web, 'officer');
    const admin = await dashboardAs(web, 'admin');
    expect(await officer()).toContain('No month has been closed yet.');

    await closePeriod(ctx(), { period: periodKey(2025, 1) });
    const first = await officer();
    expect(first).toContain('Dashboard: 2025-26 M01 (April 2025)');
    expect(first).toContain('close version 1.');
    expect(first).toContain('officer@icb.example (finance, icb)');
    const adminPage = await admin();
    expect(adminPage).toContain('admin@tandem.example (admin)');
    expect(adminPage).not.toContain('officer@icb.example');
    expect(main(adminPage)).toBe(main(first));
    expect(await officer()).toBe(first); // the cached body, in the same frame

    await reopenPeriod(ctx(), { period: periodKey(2025, 1), reason: 'late invoice' });
    await closePeriod(ctx(), { period: periodKey(2025, 1) });
    const reclosed = await admin();
    expect(reclosed).toContain('close version 2.');
    expect(reclosed).not.toContain('close version 1.');

    await importBatch(ctx(), { ledgerId: 'council', path: `${TINY}/ledgers/council-m02.csv` });
    await importBatch(ctx(), { ledgerId: 'icb', path: `${TINY}/ledgers/icb-m02.csv` });
    await closePeriod(ctx(), { period: periodKey(2025, 2), allowUnmapped: true });
    const may = await officer();
    expect(may).toContain('Dashboard: 2025-26 M02 (May 2025)');
    expect(main(await admin())).toBe(main(may));
  });
});
