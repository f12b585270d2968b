// The imports and suspense-queue pages in process (Hono's app.request), on the tiny fund, on both
// databases: an ICB finance officer uploads the ICB extract as a multipart form and follows the
// job to its batch; a bad file lists every problem and writes nothing; a wrong type, another
// partner's ledger, a viewer and an oversized file are refused before anything starts; a job is
// visible only to the session that started it. On the suspense queue the officer makes a rule
// from a group (a new agreement version, audited) and re-applies it, which empties that group.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { agreementInForce, loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser } from '../src/app/users.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const USERS = { icb: 'officer@icb.example', council: 'officer@council.example', viewer: 'viewer@icb.example' } as const;
const ICB_M02 = readFileSync(`${TINY}/ledgers/icb-m02.csv`, 'utf8');

describeEachStore('web imports and suspense queue', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });

  async function fund() {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    for (const [ledger, f] of [['council', 'council-m01'], ['icb', 'icb-m01']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
    await addUser(ctx(), { email: USERS.icb, partner: 'icb', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.council, partner: 'council', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.viewer, partner: 'icb', role: 'viewer', password: PASSWORD });
  }

  async function as(who: keyof typeof USERS, options: { maxUploadBytes?: number } = {}) {
    const app = createWebApp({ store: current().store, now, secureCookies: false, ...options });
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USERS[who], password: PASSWORD }) });
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    const get = async (url: string, headers: Record<string, string> = { Cookie: cookie }) => {
      const r = await app.request(url, { headers });
      return { status: r.status, location: r.headers.get('Location'), text: await r.text() };
    };
    const csrf = async () => /name="_csrf" value="([^"]+)"/.exec((await get('/imports')).text)![1]!;
    const post = async (url: string, fields: Record<string, string | File>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries({ ...fields, _csrf: await csrf() })) body.append(k, v);
      const r = await app.request(url, { method: 'POST', headers: { Cookie: cookie }, body });
      return { status: r.status, location: r.headers.get('Location'), text: await r.text() };
    };
    const upload = (ledger: string, name: string, content: string | Uint8Array<ArrayBuffer>) => post('/imports', { ledger, file: new File([content], name) });
    /** Follows a job's status until it ends, then returns its page. */
    const finish = async (jobUrl: string) => {
      for (let i = 0; i < 200; i++) {
        const status = JSON.parse((await get(`${jobUrl}/status`)).text) as { state: string; percent: number };
        if (status.state !== 'running') return { status, page: await get(jobUrl) };
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the import job did not end');
    };
    return { app, cookie, get, post, upload, finish };
  }

  const batchCount = async () => (await current().store.listBatches('tiny')).length;

  it('imports an upload of the officer’s own ledger as a job, shows the batch, and lists it in the history', async () => {
    await fund();
    const icb = await as('icb');
    const form = await icb.get('/imports');
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).toMatch(/<select class="govuk-select" id="ledger" name="ledger"><option value="icb"/);
    expect(form.text).not.toContain('<option value="council"');
    const res = await icb.upload('icb', 'icb-m02.csv', ICB_M02);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/imports\/jobs\/[A-Za-z0-9_-]{24}$/);
    const { status, page } = await icb.finish(res.location!);
    expect(status).toMatchObject({ state: 'imported', percent: 100 });
    const batch = (await current().store.listBatches('tiny', 'icb')).at(-1)!;
    expect(batch).toMatchObject({ fileName: 'icb-m02.csv', importedBy: USERS.icb });
    expect(page.text).toContain(`Imported batch ${batch.id}`);
    expect((await icb.get('/imports')).text).toMatch(new RegExp(`<table class="govuk-table" id="batches">[\\s\\S]*data-batch="${batch.id}"[\\s\\S]*icb-m02.csv`));
    // The same bytes again: recognised, nothing changes.
    const again = await icb.finish((await icb.upload('icb', 'icb-m02.csv', ICB_M02)).location!);
    expect(again.page.text).toContain(`Already imported as batch ${batch.id}: nothing changed`);
    expect(await batchCount()).toBe(3);
    // Another session (even of the same user) cannot see the job.
    const other = await as('icb');
    expect((await other.get(res.location!)).status).toBe(404);
    expect((await other.get(`${res.location!}/status`)).status).toBe(404);
  });

  it('lists every problem of a bad file with line and column, and writes nothing', async () => {
    await fund();
    const icb = await as('icb');
    const lines = ICB_M02.trimEnd().split('\r\n');
    lines[1] = lines[1]!.replace(/,[^,]*$/, ',12.3.4');
    lines[2] = lines[2]!.replace(/^[^,]*/, '31/02/2025');
    const { status, page } = await icb.finish((await icb.upload('icb', 'bad.csv', `${lines.join('\r\n')}\r\n`)).location!);
    expect(status.state).toBe('rejected');
    expect(page.text).toContain('govuk-error-summary');
    const rows = [...page.text.split('id="problems"')[1]!.matchAll(/<tr class="govuk-table__row"><td class="govuk-table__cell">(\d+)<\/td><td class="govuk-table__cell">([^<]*)<\/td>/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(rows).toEqual(['2:Amount', '3:Date']);
    expect(await batchCount()).toBe(2);
  });

  it('refuses a wrong file type, another partner’s ledger, a viewer and an oversized file before anything starts', async () => {
    await fund();
    const icb = await as('icb');
    const xlsx = await icb.upload('icb', 'icb-m02.xlsx', ICB_M02);
    expect(xlsx.status).toBe(415);
    expect(xlsx.text).toContain('icb-m02.xlsx is not a .csv file');
    const zip = await icb.upload('icb', 'book.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(zip.status).toBe(415);
    expect(zip.text).toContain('perhaps a workbook');
    expect((await icb.upload('council', 'council-m02.csv', readFileSync(`${TINY}/ledgers/council-m02.csv`, 'utf8'))).status).toBe(403);
    expect((await (await as('viewer')).upload('icb', 'icb-m02.csv', ICB_M02)).status).toBe(403);
    const small = await as('icb', { maxUploadBytes: 1000 });
    const big = await small.upload('icb', 'big.csv', `${ICB_M02}${'10/05/2025,ACC1,x,1.00\n'.repeat(5000)}`);
    expect(big.status).toBe(413);
    expect(big.text).toContain('The file is too large');
    expect(await batchCount()).toBe(2);
  });

  it('makes a rule from a suspense group as a new agreement version and re-applies it', async () => {
    await fund();
    const icb = await as('icb');
    // The ICB's M02 extract has a line on account ACC9, which no rule maps.
    await icb.finish((await icb.upload('icb', 'icb-m02.csv', ICB_M02)).location!);
    const queue = await icb.get('/suspense');
    const link = /href="(\/suspense\/rule\?ledger=icb&amp;codes=[^"]+)"/.exec(queue.text)![1]!.replaceAll('&amp;', '&');
    expect(decodeURIComponent(link)).toContain('["ACC9"]');
    // The council's officer does not see the ICB's lines, so not the group either.
    expect((await (await as('council')).get('/suspense')).text).not.toContain('ACC9');
    const form = await icb.get(link);
    expect(form.text).toContain('name="use_Account"');
    const missing = await icb.post('/suspense/rule', { ledger: 'icb', codes: '["ACC9"]', version: '1', use_Account: 'yes', target: '', reapply: 'yes' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Choose where the lines go');
    expect((await current().store.listAgreementVersions('tiny')).length).toBe(1);

    const done = await icb.post('/suspense/rule', { ledger: 'icb', codes: '["ACC9"]', version: '1', use_Account: 'yes', target: 'acute', note: 'block contract', reapply: 'yes' });
    expect(done).toMatchObject({ status: 303, location: '/suspense?added=2&mapped=1&kept=0' });
    const rules = (await agreementInForce(ctx(), 'tiny')).agreement.ledgers.find((l) => l.id === 'icb')!.rules;
    expect(rules.at(-1)).toMatchObject({ target: { scheme: 'acute' }, note: 'block contract' });
    expect((await current().store.listAudit({ action: 'agreement.rule.add' })).map((a) => a.actor)).toEqual([USERS.icb]);
    const after = await icb.get(done.location!);
    expect(after.text).toContain('Rule added: the agreement is now version 2');
    expect(after.text).not.toContain('ACC9');
    // The council's officer may not map the ICB's ledger, whatever the form says.
    const council = await as('council');
    expect((await council.post('/suspense/reapply', { ledger: 'icb' })).status).toBe(403);
  });
});
