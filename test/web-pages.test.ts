// The drill-down and download pages in process (Hono's app.request), on the tiny fund with a
// council April extract of 120 lines (so the lines page has three pages) replacing the April of
// an earlier April-and-May extract (whose April line must never show), and both months closed:
// pages render with one h1, captioned tables and scoped headers; the lines behind a scheme add
// up to the report's YTD actual over every page; paging, sorting and filters; line detail of
// another partner's ledger only as totals (unless the agreement shares it) while an admin sees
// all; downloads in every format with the report's pence; traversal in download names refused.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { buildReport } from '../src/app/report.js';
import { addUser } from '../src/app/users.js';
import { formatPounds, formatThousands, pence } from '../src/domain/money.js';
import { periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const dir = mkdtempSync(join(tmpdir(), 'tandem-web-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 120 April lines for cost centre CC100 (scheme care), amounts spread over ±£, some equal. */
const COUNCIL_M01 = join(dir, 'council-m01.csv');
writeFileSync(
  COUNCIL_M01,
  ['Date,Cost Centre,Description,Amount', ...Array.from({ length: 120 }, (_, i) => `${String((i % 28) + 1).padStart(2, '0')}/04/2025,CC100,Home care visit ${i + 1},${((((i * 37) % 500) - 100) / 4).toFixed(2)}`)].join('\n'),
);
/**
 * The council's first extract, April and May: its April is then replaced by COUNCIL_M01, its May
 * stays live (the tiny fund's May line). Its April line must never show.
 */
const COUNCIL_DRAFT = join(dir, 'council-draft.csv');
writeFileSync(COUNCIL_DRAFT, 'Date,Cost Centre,Description,Amount\n16/04/2025,CC100,Superseded draft,999.99\n15/05/2025,CC100,Home care May,170.00\n');
const SHARED_AGREEMENT = join(dir, 'agreement-shared.yaml');
writeFileSync(SHARED_AGREEMENT, `${readFileSync(`${TINY}/agreement.yaml`, 'utf8')}\ndata_sharing: {line_detail: all_partners}\n`);

const USERS = { finance: 'officer@icb.example', viewer: 'viewer@icb.example', admin: 'admin@tandem.example' } as const;

interface Row {
  ledger: string;
  batch: number;
  line: number;
  period: number;
  pence: number;
}

const ROW = /<tr class="govuk-table__row" data-ledger="([^"]+)" data-batch="(\d+)" data-line="(\d+)" data-period="(\d+)" data-amount-pence="(-?\d+)">/g;

function rowsOf(text: string): Row[] {
  return [...text.matchAll(ROW)].map((m) => ({ ledger: m[1]!, batch: Number(m[2]), line: Number(m[3]), period: Number(m[4]), pence: Number(m[5]) }));
}

const unescape = (href: string) => href.replace(/&amp;/g, '&');

function expectAccessibleStructure(text: string, where: string): void {
  expect(text.match(/<h1\b/g)?.length, `${where}: one h1`).toBe(1);
  const tables = text.match(/<table\b[^>]*>/g) ?? [];
  expect(text.match(/<table\b[^>]*>\s*<caption\b/g)?.length ?? 0, `${where}: every table has a caption`).toBe(tables.length);
  for (const th of text.match(/<th\b[^>]*>/g) ?? []) expect(th, `${where}: th scope`).toMatch(/ scope="(col|row)"/);
}

describeEachStore('web pages', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });
  const web = () => createWebApp({ store: current().store, now, secureCookies: false });

  async function fund(agreement = `${TINY}/agreement.yaml`) {
    await loadAgreement(ctx(), agreement);
    await importBatch(ctx(), { ledgerId: 'council', path: COUNCIL_DRAFT });
    await importBatch(ctx(), { ledgerId: 'council', path: COUNCIL_M01 });
    await importBatch(ctx(), { ledgerId: 'icb', path: `${TINY}/ledgers/icb-m01.csv` });
    await closePeriod(ctx(), { period: periodKey(2025, 1) });
    await importBatch(ctx(), { ledgerId: 'icb', path: `${TINY}/ledgers/icb-m02.csv` });
    await closePeriod(ctx(), { period: periodKey(2025, 2), allowUnmapped: true });
    await addUser(ctx(), { email: USERS.finance, partner: 'icb', role: 'finance', password: PASSWORD });
    await addUser(ctx(), { email: USERS.viewer, partner: 'icb', role: 'viewer', password: PASSWORD });
    await addUser(ctx(), { email: USERS.admin, role: 'admin', password: PASSWORD });
    return (await buildReport(ctx(), { period: periodKey(2025, 2) })).data;
  }

  async function as(who: keyof typeof USERS) {
    const app = web();
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: USERS[who], password: PASSWORD }) });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    return async (url: string) => {
      const r = await app.request(url, { headers: { Cookie: cookie } });
      return { status: r.status, headers: r.headers, text: await r.text(), res: r };
    };
  }

  /** Every row of a lines listing, following the pagination's Next link. */
  async function allRows(get: Awaited<ReturnType<typeof as>>, url: string): Promise<{ rows: Row[]; pages: string[] }> {
    const rows: Row[] = [];
    const pages: string[] = [];
    for (let next: string | undefined = url; next !== undefined; ) {
      const page = await get(next);
      expect(page.status, next).toBe(200);
      pages.push(page.text);
      rows.push(...rowsOf(page.text));
      const link = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(page.text)?.[1];
      next = link === undefined ? undefined : unescape(link);
    }
    return { rows, pages };
  }

  it('renders pools, a pool, the lines and downloads for a finance user: one h1, captioned tables, scoped headers', async () => {
    const data = await fund();
    const get = await as('finance');
    for (const url of ['/pools', '/pools/core', '/pools/hospital', '/lines?scheme=care', '/lines?scheme=acute&ledger=council', '/downloads']) {
      const page = await get(url);
      expect(page.status, url).toBe(200);
      expectAccessibleStructure(page.text, url);
    }
    const pools = (await get('/pools')).text;
    const care = data.pools[0]!.schemes.find((s) => s.id === 'care')!;
    expect(pools).toContain('Pools and schemes: 2025-26 M02');
    expect(pools).toContain(`<a class="govuk-link" href="/lines?scheme=care">${formatThousands(care.ytdActualPence)}<span class="govuk-visually-hidden">`);
    expect(pools).toMatch(/<strong class="tandem-rag tandem-rag--(red|amber|green)">(Red|Amber|Green)<\/strong>/);
    expect((await get('/pools/core')).text).toContain('href="/lines?scheme=care&amp;ledger=council"');
    expect((await get('/pools/nope')).status).toBe(404);
    expect((await get('/pools/..%2F..%2Fpackage.json')).status).toBe(404);
    const signedOut = await web().request('/lines?scheme=care');
    expect([signedOut.status, signedOut.headers.get('Location')]).toEqual([303, '/sign-in']);
  });

  it("adds the lines behind each scheme's actual up to the report's YTD actual, over every page, with every original column", async () => {
    const data = await fund();
    const get = await as('admin');
    for (const scheme of data.pools.flatMap((p) => p.schemes)) {
      const { rows, pages } = await allRows(get, `/lines?scheme=${scheme.id}`);
      expect(rows.reduce((n, r) => n + r.pence, 0), scheme.id).toBe(scheme.ytdActualPence);
      expect(new Set(rows.map((r) => `${r.batch}:${r.line}`)).size).toBe(rows.length);
      expect(pages[0]).toContain(`id="total-lines">${rows.length}<`);
    }
    const care = await allRows(get, '/lines?scheme=care');
    expect(care.pages.length).toBe(3); // 120 + 1 + 1 + 1 lines of care, 50 a page
    expect(rowsOf(care.pages[0]!)).toHaveLength(50);
    // Page 1 holds council lines only; the last mixes both ledgers, so it has both headers' columns.
    const columns = (text: string) => [...text.matchAll(/<th scope="col" class="govuk-table__header tandem-original">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(columns(care.pages[0]!)).toEqual(['Date', 'Cost Centre', 'Description', 'Amount']);
    expect(columns(care.pages[2]!)).toEqual(['Date', 'Cost Centre', 'Description', 'Amount', 'Account']);
    expect(care.pages[0]).toContain('<td class="govuk-table__cell">Home care visit 1</td>');
    expect(care.pages.join('')).not.toContain('Superseded draft');
    expect(care.pages[2]).toContain('<td class="govuk-table__cell">ACC1</td>');
  });

  it('pages, sorts by period, amount and line, and filters by ledger, period and code', async () => {
    await fund();
    const get = await as('admin');
    const byPeriod = (await allRows(get, '/lines?scheme=care')).rows;
    expect(byPeriod.map((r) => r.period)).toEqual([...byPeriod.map((r) => r.period)].sort((a, b) => a - b));
    const amountsAsc = (await allRows(get, '/lines?scheme=care&sort=amount')).rows.map((r) => r.pence);
    expect(amountsAsc).toEqual([...amountsAsc].sort((a, b) => a - b));
    expect(new Set(amountsAsc).size).toBeGreaterThan(50);
    const amountsDesc = (await allRows(get, '/lines?scheme=care&sort=amount&dir=desc')).rows.map((r) => r.pence);
    expect(amountsDesc).toEqual([...amountsAsc].reverse());
    const byLine = (await allRows(get, '/lines?scheme=care&sort=line&dir=desc')).rows.map((r) => r.batch * 1e6 + r.line);
    expect(byLine).toEqual([...byLine].sort((a, b) => b - a));
    expect(new Set(byLine).size).toBe(byPeriod.length);

    const icb = (await allRows(get, '/lines?scheme=care&ledger=icb')).rows;
    expect(icb.map((r) => r.ledger)).toEqual(['icb', 'icb']);
    const may = (await allRows(get, '/lines?scheme=care&period=2025-26-M02')).rows;
    expect(may.map((r) => [r.ledger, r.period, r.pence]).sort()).toEqual([['council', 202502, 17000], ['icb', 202502, 3000]].sort());
    expect((await allRows(get, '/lines?scheme=care&code=acc1')).rows.map((r) => r.ledger)).toEqual(['icb', 'icb']);
    const cc = (await allRows(get, '/lines?scheme=care&code=cc10')).rows; // not ACC1, which contains "CC1"
    expect([cc.length, cc.every((r) => r.ledger === 'council')]).toEqual([121, true]);
    expect((await get('/lines?scheme=care&code=%25')).text).toContain('No lines match these filters.'); // % is literal, not a wildcard
    const script = (await get('/lines?scheme=care&code=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text;
    expect([script.includes('<script>alert(1)'), script.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"')]).toEqual([false, true]);

    const page2 = await get('/lines?scheme=care&page=2');
    expect(page2.text).toContain('Lines 51 to 100 of 123');
    expect(rowsOf(page2.text)[0]).toEqual(byPeriod[50]);
    for (const [url, status] of [
      ['/lines?scheme=care&page=4', 404],
      ['/lines?scheme=nope', 404],
      ['/lines', 400],
      ['/lines?scheme=care&sort=raw', 400],
      ['/lines?scheme=care&dir=sideways', 400],
      ['/lines?scheme=care&page=0', 400],
      ['/lines?scheme=care&period=2025-26-M03', 400],
      ['/lines?scheme=care&period=..%2F..', 400],
      ['/lines?scheme=care&ledger=..%2Ficb', 400],
    ] as const) expect((await get(url)).status, url).toBe(status);
  });

  it("shows an ICB finance officer only the totals of the council's lines, with why, while an admin sees the lines", async () => {
    const data = await fund();
    const careActual = data.pools[0]!.schemes.find((s) => s.id === 'care')!.ytdActualPence;
    const finance = await as('finance');
    const own = await allRows(finance, '/lines?scheme=care');
    expect(new Set(own.rows.map((r) => r.ledger))).toEqual(new Set(['icb']));
    expect(own.pages[0]).toContain('Only the totals of Tiny Council ledger are shown, not its lines');
    expect(own.pages[0]).toContain('ledger.lines.view on a ledger of council is not allowed');
    expect(own.pages[0]).toContain(`id="total-amount">${formatPounds(careActual)}<`); // every ledger's total, as the report
    const council = await finance('/lines?scheme=care&ledger=council');
    expect(rowsOf(council.text)).toEqual([]);
    expect(council.text).toContain('There are no lines you may see here.');
    expect(council.text).toContain('id="total-lines">121<');
    const admin = await allRows(await as('admin'), '/lines?scheme=care&ledger=council');
    expect(admin.rows).toHaveLength(121);
    expect(admin.pages[0]).not.toContain('Only the totals');
  });

  it("shows another partner's lines when the agreement shares line detail (data_sharing.line_detail: all_partners)", async () => {
    await fund(SHARED_AGREEMENT);
    const { rows, pages } = await allRows(await as('viewer'), '/lines?scheme=care&ledger=council');
    expect(rows).toHaveLength(121);
    expect(pages[0]).not.toContain('Only the totals');
  });

  it("lists and serves the report in every format and each ledger's journals, the CSV re-reading to the report's pence", async () => {
    const data = await fund();
    const finance = await as('finance');
    const list = (await finance('/downloads')).text;
    for (const href of ['/downloads/report/2025-26-M02/pdf', '/downloads/report/2025-26-M01/xlsx', '/downloads/report/2025-26-M02/csv/schemes', '/downloads/journals/2025-26-M02/icb/csv', '/downloads/journals/2025-26-M02/icb/ledger']) {
      expect(list).toContain(`href="${href}"`);
    }
    expect(list).not.toContain('href="/downloads/journals/2025-26-M02/council/');
    expect(list).toContain('you cannot download these: ledger.journals.download on a ledger of council is not allowed');
    expect((await (await as('viewer'))('/downloads')).text).not.toContain('href="/downloads/journals/');

    const expectFile = async (url: string, type: string, name: string) => {
      const r = await finance(url);
      expect([r.status, r.headers.get('Content-Type'), r.headers.get('Content-Disposition')], url).toEqual([200, type, `attachment; filename="${name}"`]);
      return r;
    };
    expect((await expectFile('/downloads/report/2025-26-M02/html', 'text/html; charset=utf-8', 'tiny-2025-26-M02-report.html')).text).toContain('Tiny Test Fund');
    const xlsx = await finance('/downloads/report/2025-26-M02/xlsx');
    expect(xlsx.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const csv = await expectFile('/downloads/report/2025-26-M02/csv/schemes', 'text/csv; charset=utf-8', 'tiny-2025-26-M02-report-schemes.csv');
    const parsed = Papa.parse<Record<string, string>>(csv.text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
    const schemes = data.pools.flatMap((p) => p.schemes);
    for (const s of schemes) expect(pence(parsed.data.find((r) => r.Scheme === s.id)!['YTD actual £']!), s.id).toBe(s.ytdActualPence);
    expect((await expectFile('/downloads/journals/2025-26-M02/icb/csv', 'text/csv; charset=utf-8', 'tiny-2025-26-M02-v1-icb.csv')).text).toMatch(/ACC90\d/);
    expect((await expectFile('/downloads/journals/2025-26-M02/icb/ledger', 'text/plain; charset=utf-8', 'tiny-2025-26-M02-v1-icb.journal')).text).not.toBe('');
    expect((await finance('/downloads/journals/2025-26-M02/council/csv')).status).toBe(403);
    expect((await (await as('admin'))('/downloads/journals/2025-26-M02/council/csv')).status).toBe(200);
  });

  it('prints the report as PDF for download', async () => {
    await fund();
    const r = await (await as('viewer'))('/downloads/report/2025-26-M01/pdf');
    expect([r.status, r.headers.get('Content-Type'), r.headers.get('Content-Disposition')]).toEqual([200, 'application/pdf', 'attachment; filename="tiny-2025-26-M01-report.pdf"']);
    expect(r.text.startsWith('%PDF-')).toBe(true);
  });

  it('refuses traversal and unknown names in download addresses, without touching the file system', async () => {
    await fund();
    const get = await as('admin');
    for (const url of [
      '/downloads/report/..%2F..%2Fpackage.json/html',
      '/downloads/report/2025-26-M01/..%2F..%2Fpackage.json',
      '/downloads/report/2025-26-M01/exe',
      '/downloads/report/2025-26-M03/html',
      '/downloads/report/2025-26-M01/csv/..%2F..%2F..%2Fpackage',
      '/downloads/report/2025-26-M01/csv/..%2Fschemes',
      '/downloads/report/2025-26-M01/csv/nope',
      '/downloads/journals/2025-26-M01/..%2Ficb/csv',
      '/downloads/journals/2025-26-M01/icb%2F..%2Ficb/csv',
      '/downloads/journals/2025-26-M01/icb/..%2Fcsv',
      '/downloads/journals/..%2F2025-26-M01/icb/csv',
      '/downloads/journals/2025-26-M01/nope/csv',
    ]) {
      const r = await get(url);
      expect([400, 404], url).toContain(r.status);
      expect(r.headers.get('Content-Disposition'), url).toBeNull();
      expect(r.text, url).not.toContain('"devDependencies"');
    }
    expect((await get('/downloads/report/2025-26-M01/csv/summary')).status).toBe(200); // the same route does serve real tables
  });
});
