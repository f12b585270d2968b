// The governance pages in process (Hono's app.request), on the tiny fund with a governance section,
// BCF minimums and a scheme whose name is HTML. First with M01 and M02 closed and four decisions
// (effective by delegation, effective at a meeting, rejected, pending): the decisions, the budget
// reconciliation, the years, the returns (no M12 yet) and the dissolution preview at 31 May 2025,
// whose figures are worked out by hand in test/app-dissolve.test.ts. Then with all twelve months
// closed and the year ended: the settlement, the memorandum account and BCF check worked out here
// by hand, the two return workbooks, and the recorded statement once the fund is dissolved.
// Every page escapes what users wrote, and a bad query is a 400 page that says why.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { approveDecision, proposeDecision, rejectDecision } from '../src/app/decisions.js';
import { importBatch } from '../src/app/import-batch.js';
import { multiYear } from '../src/app/multi-year.js';
import { addUser } from '../src/app/users.js';
import { runYearEnd } from '../src/app/year-end.js';
import { calendarMonthOf, periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { gbp } from '../src/web/views/governance.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const dir = mkdtempSync(join(tmpdir(), 'tandem-web-governance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCHEME_NAME = 'Care <b>at</b> home';
const TITLE = '<script>alert("x")</script> & more care';
const REASON = '<img src=x onerror=alert(1)> not now';
const GOVERNANCE = `
governance:
  committee:
    name: Tiny Committee
    quorum: {council: 2, icb: 2}
    members:
      - {id: cm1, name: Councillor One, partner: council, role: cabinet_member}
      - {id: cm2, name: Councillor Two, partner: council, role: cabinet_member}
      - {id: ib1, name: ICB Member One, partner: icb, role: board_member}
      - {id: ib2, name: ICB Member Two, partner: icb, role: board_member}
  officers:
    - {id: pool-manager, name: Core Pool Manager, partner: council, role: pool_manager}
    - {id: icb-fd, name: ICB Director of Finance, partner: icb, role: finance_director}
  delegation:
    - {role: pool_manager, decisions: [virement], up_to: "£250,000", within_pool: true}
bcf:
  minimums:
    "2025-26": {council: 500, icb: 2500}
`;
const AGREEMENT = join(dir, 'agreement.yaml');
writeFileSync(AGREEMENT, `${readFileSync(`${TINY}/agreement.yaml`, 'utf8').replace('name: Care at home', `name: "${SCHEME_NAME}"`)}\n${GOVERNANCE}`);
const USER = 'viewer@icb.example';

/** Each month from M03: council £100 on care; ICB £50 on care, £100 on reablement, £200 on acute. */
function monthFiles(month: number): { council: string; icb: string } {
  const { year, month: cm } = calendarMonthOf(periodKey(2025, month));
  const date = `15/${String(cm).padStart(2, '0')}/${year}`;
  const council = join(dir, `council-${month}.csv`);
  const icb = join(dir, `icb-${month}.csv`);
  writeFileSync(council, `Date,Cost Centre,Description,Amount\n${date},CC100,Home care,100.00\n`);
  writeFileSync(icb, `Date,Account,Description,Amount\n${date},ACC1,Care contract,50.00\n${date},ACC2,Reablement team,100.00\n${date},ACC3,Admissions,200.00\n`);
  return { council, icb };
}

/** The cells (text, tags stripped) of each row of the table whose caption starts with `caption`. */
function tableRows(text: string, caption: string): string[][] {
  const tables = text.split('<table').slice(1);
  const table = tables.find((t) => plain(/<caption[^>]*>([\s\S]*?)<\/caption>/.exec(t)?.[1] ?? '').startsWith(caption));
  expect(table, `a table captioned "${caption}"`).toBeDefined();
  const body = table!.split('<tbody')[1]!.split('</table>')[0]!;
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => plain(c[1]!)));
}

function plain(markup: string): string {
  return markup.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

function expectSafePage(text: string, where: string): void {
  expect(text.match(/<h1\b/g)?.length, `${where}: one h1`).toBe(1);
  const tables = text.match(/<table\b[^>]*>/g) ?? [];
  expect(text.match(/<table\b[^>]*>\s*<caption\b/g)?.length ?? 0, `${where}: every table has a caption`).toBe(tables.length);
  for (const th of text.match(/<th\b[^>]*>/g) ?? []) expect(th, `${where}: th scope`).toMatch(/ scope="(col|row)"/);
  for (const raw of ['<b>at</b>', '<script>alert', '<img src=x', '<i>JC']) expect(text, `${where}: escaped`).not.toContain(raw);
}

describeEachStore('web governance pages', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });

  async function twoMonths(): Promise<void> {
    await loadAgreement(ctx(), AGREEMENT);
    for (const f of ['council-m01', 'council-m02']) await importBatch(ctx(), { ledgerId: 'council', path: `${TINY}/ledgers/${f}.csv` });
    for (const f of ['icb-m01', 'icb-m02']) await importBatch(ctx(), { ledgerId: 'icb', path: `${TINY}/ledgers/${f}.csv` });
    await closePeriod(ctx(), { period: periodKey(2025, 1) });
    await closePeriod(ctx(), { period: periodKey(2025, 2), allowUnmapped: true });
    await addUser(ctx(), { email: USER, partner: 'icb', role: 'viewer', password: PASSWORD });
  }

  /** £100 of the ICB's reablement budget to care from M03, approved by the pool manager. */
  async function virement(): Promise<void> {
    const d = await proposeDecision(ctx(), { title: 'Reablement to care', effectiveFrom: periodKey(2025, 3), change: { type: 'virement', year: 2025, partner: 'icb', from: 'reable', to: 'care', amountPence: 10_000 } });
    await approveDecision(ctx(), { id: d.id, on: '2025-06-01', route: 'delegated', by: 'pool-manager' });
  }

  async function signIn() {
    const app = createWebApp({ store: current().store, now, secureCookies: false });
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USER, password: PASSWORD }) });
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    return async (url: string) => {
      const r = await app.request(url, { headers: { Cookie: cookie } });
      const body = Buffer.from(await r.arrayBuffer());
      return { status: r.status, headers: r.headers, text: body.toString('utf8'), body };
    };
  }

  it('shows the decisions, the reconciliation, the years, the returns without M12 and the dissolution preview, escaped; bad queries are 400s', async () => {
    await twoMonths();
    await virement();
    const meeting = await proposeDecision(ctx(), { title: TITLE, effectiveFrom: periodKey(2025, 3), change: { type: 'budget_variation', year: 2025, partner: 'icb', scheme: 'care', changePence: 5_000 } });
    await approveDecision(ctx(), { id: meeting.id, on: '2025-06-05', route: 'meeting', votes: [{ member: 'cm1', vote: 'for' }, { member: 'cm2', vote: 'for' }, { member: 'ib1', vote: 'for' }, { member: 'ib2', vote: 'against' }] });
    const rejected = await proposeDecision(ctx(), { title: 'Less acute', effectiveFrom: periodKey(2025, 4), change: { type: 'budget_variation', year: 2025, partner: 'icb', scheme: 'acute', changePence: -2_000 } });
    await rejectDecision(ctx(), { id: rejected.id, by: 'icb-fd', on: '2025-06-06', reason: REASON });
    await proposeDecision(ctx(), { title: 'Pending virement', effectiveFrom: periodKey(2025, 4), change: { type: 'virement', year: 2025, partner: 'icb', from: 'reable', to: 'care', amountPence: 1_000 } });
    const get = await signIn();

    const hub = await get('/governance');
    expect(hub.status).toBe(200);
    expect(hub.text).toContain('aria-current="page">Governance</a>');
    expect(plain(hub.text)).toContain('4 decisions: 1 pending, 2 effective, 1 rejected.');
    for (const href of ['/governance/decisions', '/governance/years', '/governance/returns', '/governance/dissolution']) expect(hub.text).toContain(`href="${href}"`);

    const list = await get('/governance/decisions');
    expect(list.status).toBe(200);
    expect(tableRows(list.text, 'Every decision')).toEqual([
      ['Decision 1', 'Reablement to care', 'Virement', 'Effective', 'Delegated', '2025-06-01', '£100.00', '2025-26 M03', 'v2'],
      ['Decision 2', TITLE, 'Budget variation', 'Effective', 'Meeting', '2025-06-05', '£50.00', '2025-26 M03', 'v3'],
      ['Decision 3', 'Less acute', 'Budget variation', 'Rejected', '–', '2025-06-06', '-£20.00', '2025-26 M04', '–'],
      ['Decision 4', 'Pending virement', 'Virement', 'Pending', '–', '–', '£10.00', '2025-26 M04', '–'],
    ]);
    // care £600 + £1,200, +£100 (decision 1) +£50 (decision 2); reablement £1,200 − £100.
    expect(tableRows(list.text, 'Budget reconciliation 2025-26')).toEqual([
      [`${SCHEME_NAME} (care)`, '£1,800.00', 'decision 1 (v2) +£100.00; decision 2 (v3) +£50.00', '£1,950.00'],
      ['Reablement (reable)', '£1,200.00', 'decision 1 (v2) -£100.00', '£1,100.00'],
      ['Acute admissions (acute)', '£2,400.00', 'none', '£2,400.00'],
      ['Total', '£5,400.00', '£50.00', '£5,450.00'],
    ]);
    expect(list.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more care');

    const byMeeting = await get('/governance/decisions/2');
    expect(byMeeting.status).toBe(200);
    expect(plain(byMeeting.text)).toContain("Tiny ICB's contribution to Care <b>at</b> home (care) for 2025-26 increases by £50.00");
    expect(tableRows(byMeeting.text, 'Meeting 1 on 2025-06-05: 3 for, 1 against, 0 abstaining')).toEqual([
      ['Councillor One (cm1)', 'Tiny Council', 'for'],
      ['Councillor Two (cm2)', 'Tiny Council', 'for'],
      ['ICB Member One (ib1)', 'Tiny ICB', 'for'],
      ['ICB Member Two (ib2)', 'Tiny ICB', 'against'],
    ]);
    expect(byMeeting.text).toContain('href="/agreement?from=2&amp;to=3#diff"');
    const delegated = await get('/governance/decisions/1');
    expect(tableRows(delegated.text, 'Delegated approvals')).toEqual([['Core Pool Manager (pool-manager)', 'pool_manager', 'Tiny Council', '2025-06-01']]);
    expect(plain((await get('/governance/decisions/3')).text)).toContain(`by ICB Director of Finance (icb-fd) on 2025-06-06: ${REASON}`);
    expect((await get('/governance/decisions/99')).status).toBe(404);

    const years = await get('/governance/years');
    expect(years.status).toBe(200);
    expect(plain(years.text)).toContain('Open Closed to M02; not final');
    const view = await multiYear(ctx());
    const share = (p: string) => gbp(view.partners.find((r) => r.partner === p)!.riskSharePence);
    // The current budget is the version in force at the latest close (M02): the decisions start in M03.
    expect(tableRows(years.text, 'Schemes in 2025-26').map((r) => r.slice(0, 6))).toEqual([
      [`${SCHEME_NAME} (care)`, 'core', 'pooled', '£1,800.00', '£1,800.00', '£370.00'],
      ['Reablement (reable)', 'core', 'pooled', '£1,200.00', '£1,200.00', '£240.00'],
      ['Acute admissions (acute)', 'hospital', 'aligned', '£2,400.00', '£2,400.00', '£400.00'],
    ]);
    expect(tableRows(years.text, 'Partners in 2025-26')).toEqual([
      ['Tiny Council', '£600.00', '£600.00', '£320.00', share('council'), '£0.00'],
      ['Tiny ICB', '£4,800.00', '£4,800.00', '£690.00', share('icb'), '£0.00'],
    ]);

    const returns = await get('/governance/returns?year=2025-26');
    expect(returns.status).toBe(200);
    expect(plain(returns.text)).toContain('The memorandum account cannot be shown: the memorandum account of 2025-26 is made from the year-end close, and 2025-26 M12 is not closed; the latest closed month is 2025-26 M02');
    // BCF, on the version in force at M12 (both decisions): council £600 against £500; ICB
    // £1,350 + £1,100 = £2,450 against £2,500; in all £3,050 against £3,000 (50/3000 = 1.66%).
    expect(tableRows(returns.text, 'Contributions to the BCF')).toEqual([
      ['Tiny Council', '£600.00', '£500.00', '£100.00', '+20.00%', 'Pass'],
      ['Tiny ICB', '£2,450.00', '£2,500.00', '-£50.00', '-2.00%', 'Fail'],
      ['Total', '£3,050.00', '£3,000.00', '£50.00', '+1.66%', 'Pass'],
    ]);
    expect(plain(returns.text)).toContain('Overall: Fail');
    expect(returns.text).not.toContain('/governance/returns/2025-26/memorandum');
    expect((await get('/governance/returns/2025-26/memorandum')).status).toBe(422);

    const audit = (await current().store.listAudit({ fundId: 'tiny' })).length;
    const preview = await get('/governance/dissolution?at=2025-05-31');
    expect(preview.status).toBe(200);
    expect(plain(preview.text)).toContain('proposed with tandem decision propose dissolution --at DATE');
    expect(plain(preview.text)).toContain('Position a deficit of £110.00');
    expect(tableRows(preview.text, 'Each partner')).toEqual([
      ['Tiny Council', '£100.00', '£320.00', '-£22.00', '£0.00', '-£22.00', '£0.00', '£88.00'],
      ['Tiny ICB', '£800.00', '£690.00', '-£88.00', '£0.00', '-£88.00', '£0.00', '-£88.00'],
    ]);
    expect(tableRows(preview.text, 'T2526M02-DIS-CORE-ICB').map((r) => r.slice(1))).toEqual([
      ['ACC900', '£88.00', '–'],
      ['ACC920', '–', '£88.00'],
      ['', '£88.00', '£88.00'],
    ]);
    expect(preview.text.match(/data-ref="T2526M02-DIS-CORE-ICB"/g)).toHaveLength(2); // one journal in each ledger
    expect((await current().store.listAudit({ fundId: 'tiny' })).length).toBe(audit);
    expect((await get('/governance/dissolution')).text).toContain('value="2025-05-31"');
    const earlier = await get('/governance/dissolution?at=2025-04-30');
    expect([earlier.status, earlier.text.includes('data-code="LATER_PERIOD_CLOSED"')]).toEqual([422, true]);

    for (const url of ['/governance', '/governance/decisions', '/governance/decisions/1', '/governance/decisions/2', '/governance/decisions/3', '/governance/years', '/governance/returns', '/governance/dissolution?at=2025-05-31']) {
      expectSafePage((await get(url)).text, url);
    }
    const bad: [string, string][] = [
      ['/governance/returns?year=nonsense', 'year must be a financial year written like 2025-26; got &quot;nonsense&quot;'],
      ['/governance/returns?year=2030-31', '2030-31 is not a year of the agreement, which covers 2025-26'],
      ['/governance/decisions?year=%3Cb%3E', 'got &quot;&lt;b&gt;&quot;'],
      ['/governance/returns/nonsense/memorandum', 'year must be a financial year'],
      ['/governance/dissolution?at=2025-05-30', '2025-05-30 is not a month end'],
      ['/governance/dissolution?at=2025-02-30', 'the date must be written YYYY-MM-DD'],
      ['/governance/dissolution?at=nonsense', 'the date must be written YYYY-MM-DD'],
    ];
    for (const [url, reason] of bad) {
      const res = await get(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.text, url).toContain(reason);
    }
  });

  it('shows the year-end settlement, the memorandum account and the return files once M12 is closed, and the recorded statement once dissolved', async () => {
    await twoMonths();
    await virement();
    for (let m = 3; m <= 12; m++) {
      const files = monthFiles(m);
      await importBatch(ctx(), { ledgerId: 'council', path: files.council });
      await importBatch(ctx(), { ledgerId: 'icb', path: files.icb });
      await closePeriod(ctx(), { period: periodKey(2025, m), allowUnmapped: true });
    }
    await runYearEnd(ctx(), { year: 2025 });
    const get = await signIn();

    // Core pool: income £3,000 (the virement stays inside it); spend care £150 + £170 + £1,000
    // (council) + £20 + £30 + £500 (ICB) = £1,870, reablement £130 + £110 + £1,000 = £1,240:
    // £3,110, a deficit of £110, shared in proportion to contributions (council £600 of £3,000,
    // under its £30 cap): council £22, ICB £88.
    const years = await get('/governance/years');
    expect(plain(years.text)).toContain('Final The year-end ran');
    expect(tableRows(years.text, 'Settlement recorded for 2025-26')).toEqual([
      ['pool:core', 'core', '£110.00', '£22.00', '£88.00', '£0.00'],
      ['Total', '', '', '£22.00', '£88.00', '£0.00'],
    ]);
    expect(tableRows(years.text, 'Schemes in 2025-26').map((r) => r.slice(0, 6))).toEqual([
      [`${SCHEME_NAME} (care)`, 'core', 'pooled', '£1,800.00', '£1,900.00', '£1,870.00'],
      ['Reablement (reable)', 'core', 'pooled', '£1,200.00', '£1,100.00', '£1,240.00'],
      ['Acute admissions (acute)', 'hospital', 'aligned', '£2,400.00', '£2,400.00', '£2,400.00'],
    ]);

    const returns = await get('/governance/returns');
    expect(returns.status).toBe(200);
    expect(tableRows(returns.text, 'Income of Core pool')).toEqual([
      ['Tiny Council', '£600.00'],
      ['Tiny ICB', '£2,400.00'],
      ['Total income', '£3,000.00'],
    ]);
    expect(tableRows(returns.text, 'Expenditure of Core pool')).toEqual([
      [`${SCHEME_NAME} (care)`, '£1,900.00', '£1,870.00', '-£30.00'],
      ['Reablement (reable)', '£1,100.00', '£1,240.00', '£140.00'],
      ['Total expenditure', '', '£3,110.00', ''],
    ]);
    expect(plain(returns.text)).toContain('Deficit £110.00 (income less expenditure)');
    expect(tableRows(returns.text, "Each partner's share of the surplus (deficit) of Core pool")).toEqual([
      ['Tiny Council', '£600.00', '-£22.00', '£622.00', '–'],
      ['Tiny ICB', '£2,400.00', '-£88.00', '£2,488.00', 'T2526M12-SET-CORE-ICB'],
    ]);
    for (const [file, name] of [['memorandum', 'tiny-2025-26-memorandum.xlsx'], ['bcf-year-end', 'tiny-2025-26-bcf-year-end.xlsx']] as const) {
      const url = `/governance/returns/2025-26/${file}`;
      expect(returns.text).toContain(`href="${url}"`);
      const res = await get(url);
      expect([res.status, res.headers.get('Content-Type'), res.headers.get('Content-Disposition')]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `attachment; filename="${name}"`]);
      expect(res.body.subarray(0, 2).toString()).toBe('PK');
    }

    const preview = await get('/governance/dissolution?at=2026-03-31');
    expect(preview.status).toBe(200);
    expect(plain(preview.text)).toContain('Position a deficit of £110.00');
    // Dissolved by the committee: a dissolution decision carried at a quorate meeting.
    const decision = await proposeDecision(ctx(), { title: '<i>JC/26/01</i> resolution', change: { type: 'dissolution', date: '2026-03-31' } });
    const votes = ['cm1', 'cm2', 'ib1', 'ib2'].map((member) => ({ member, vote: 'for' as const }));
    const result = (await approveDecision(ctx(), { id: decision.id, on: '2026-04-20', route: 'meeting', votes })).dissolution!;
    const dissolved = await get('/governance/dissolution?at=2026-03-31');
    expect(dissolved.status).toBe(200);
    expect(plain(dissolved.text)).toContain(`audit event ${result.auditEvent}`);
    expect(plain(dissolved.text)).toContain(`Decided by decision ${decision.id} of the joint committee`);
    const page = await get(`/governance/decisions/${decision.id}`);
    expect(plain(page.text)).toContain('Type Dissolution of the fund');
    expect(plain(page.text)).toContain(`Dissolution recorded at 2026-03-31 (2025-26 M12), audit event ${result.auditEvent}`);
    expectSafePage(page.text, 'the dissolution decision');
    expect(plain(dissolved.text)).toContain('Resolution <i>JC/26/01</i> resolution');
    expect(dissolved.text).not.toContain('name="at"');
    expect(plain((await get('/governance')).text)).toContain('The fund was dissolved at 2026-03-31.');
    for (const url of ['/governance/years', '/governance/returns', '/governance/dissolution']) expectSafePage((await get(url)).text, url);
  });
});
