// The joint finance report's HTML page, rendered from the Sheffield example's June 2025 close
// (test/fixtures/report/sheffield-m03.json): structure and accessibility, every scheme's figures
// in £000s as formatThousands gives them, exact shares, journals, balances, unmapped lines,
// provenance and escaping — then the page opened in real Chromium from a file: no console error,
// no request but the page itself, the accessibility basics, and the screenshots (test-artifacts/
// and docs/report-screenshot.png, which the README shows).

import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPounds, formatThousands } from '../src/domain/money.js';
import { launchChromium } from '../src/report/browser.js';
import { escapeHtml } from '../src/report/escape.js';
import { MAX_JOURNAL_LINES_SHOWN } from '../src/report/html-ledger.js';
import { renderReportHtml } from '../src/report/html.js';
import type { ReportData } from '../src/report/report-data.js';
import type { MemorandumReturn } from '../src/report/returns-data.js';
import { sheffieldYearReports } from './support/sheffield-year.js';
import { storeFactories, type TestStore } from './support/stores.js';

const fixture = (): ReportData => JSON.parse(readFileSync('test/fixtures/report/sheffield-m03.json', 'utf8')) as ReportData;
const data = fixture();
const page = renderReportHtml(data);
const AMOUNTS = ['annualBudgetPence', 'ytdBudgetPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const;

const all = (text: string, re: RegExp) => [...text.matchAll(re)];
const stripTags = (s: string) => s.replace(/<[^>]*>/g, '').trim();
/** The first element `<tag …attr…>…</tag>` (not nested in itself) whose opening tag contains `marker`. */
function element(text: string, tag: string, marker: string): string {
  const open = new RegExp(`<${tag}\\b[^>]*${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^>]*>`).exec(text);
  if (!open) throw new Error(`no <${tag}> with ${marker}`);
  const end = text.indexOf(`</${tag}>`, open.index);
  return text.slice(open.index, end + tag.length + 3);
}
const cells = (row: string) => all(row, /<td\b[^>]*>(.*?)<\/td>/gs).map((m) => stripTags(m[1]!));

describe('report HTML', () => {
  it('reconciles the budget: each scheme’s original budget, every approved change with its decision, the current budget', () => {
    const changed = fixture();
    const pkw = changed.budgetReconciliation.find((r) => r.scheme === 'pkw')!;
    pkw.changes = [{ decision: 1, version: 2, pence: 30_000_000 }, { decision: 2, version: 3, pence: -20_000_000 }];
    pkw.currentPence = pkw.originalPence + 10_000_000;
    const section = element(renderReportHtml(changed), 'section', 'id="budget"');
    const [original, changes, now] = cells(element(section, 'tr', 'data-budget="pkw"'));
    expect([original, now]).toEqual([formatPounds(1_600_000_000, { symbol: true }), formatPounds(1_610_000_000, { symbol: true })]);
    expect(changes).toContain(`Decision 1 (agreement version 2): +${formatPounds(30_000_000, { symbol: true })}`);
    expect(changes).toContain(`Decision 2 (agreement version 3): ${formatPounds(-20_000_000, { symbol: true })}`);
    expect(cells(element(section, 'tr', 'data-budget="nel"'))).toEqual([formatPounds(9_300_000_000, { symbol: true }), 'No change', formatPounds(9_300_000_000, { symbol: true })]);
    expect(cells(element(page, 'tr', 'data-budget="nel"'))[1]).toBe('No change');
  });

  it('shows each contract next to the money: value, activity, due, spend and spend − due, with a total', () => {
    const section = element(page, 'section', 'id="contracts"');
    const money = (p: number) => formatPounds(p, { symbol: true });
    expect(cells(element(section, 'tr', 'data-contract="intermediate-care"'))).toEqual(['Block', money(3_000_000_000), '', money(750_000_000), money(743_750_000), money(-6_250_000)]);
    expect(cells(element(section, 'tr', 'data-contract="step-down-beds"'))).toEqual(['Cost and volume', money(432_000_000), '5,385 units', money(107_700_000), money(111_000_000), money(3_300_000)]);
    expect(cells(element(section, 'tr', 'data-contract="carers-support"'))[2]).toBe('650 outcomes');
    const total = cells(element(section, 'tr', 'class="total"'));
    expect(total[4]).toBe(money(data.contracts!.rows.reduce((n, r) => n + r.spendYtdPence, 0)));
    expect(element(page, 'nav', 'class="contents"')).toContain('<a href="#contracts">Contracts</a>');
  });

  it('shows each metric’s plan, actual and RAG for the month as a word, and its trend to date', () => {
    const section = element(page, 'section', 'id="metrics"');
    const [plan, actual, difference, rag, trend] = cells(element(section, 'tr', 'data-metric="nel-admissions"'));
    expect([plan, actual, difference, rag]).toEqual(['5,450', '5,790', '340', 'Red']);
    expect(trend).toContain('2025-26 M01: 5,380 against 5,450 Green');
    expect(trend).toContain('2025-26 M02: 5,610 against 5,450 Amber');
    expect(cells(element(section, 'tr', 'data-metric="discharge-usual-place"')).slice(0, 4)).toEqual(['92.5', '90.2', '-2.3', 'Red']);
  });

  it('omits the contracts and metrics sections (and their contents links) for a fund without them', () => {
    const plain = fixture();
    plain.contracts = null;
    plain.metrics = null;
    const out = renderReportHtml(plain);
    expect(out).not.toMatch(/id="contracts"|id="metrics"|href="#contracts"|href="#metrics"/);
    expect(out).toContain('id="multi-year"');
  });

  it('shows the fund over the years: each partner’s contributions, actual and risk share, each scheme’s budget and outturn', () => {
    const section = element(page, 'section', 'id="multi-year"');
    const scc = data.multiYear.partners.find((p) => p.partner === 'scc')!;
    expect(cells(element(section, 'tr', 'data-multi-year-partner="scc-2025-26"'))).toEqual([formatThousands(scc.originalContributionPence), formatThousands(scc.currentContributionPence), formatThousands(scc.actualPence!), formatThousands(scc.riskSharePence!), formatThousands(0), 'closed to M03']);
    const nel = data.pools.flatMap((p) => p.schemes).find((s) => s.id === 'nel')!;
    expect(cells(element(section, 'tr', 'data-multi-year-scheme="nel"'))).toEqual([formatThousands(nel.annualBudgetPence), formatThousands(nel.ytdActualPence)]);
  });

  it('escapes contract, provider and metric names', () => {
    const evil = fixture();
    evil.contracts!.rows[0]!.name = '<script>alert("contract")</script>';
    evil.contracts!.rows[0]!.provider = '<b>provider</b>';
    evil.metrics!.rows[0]!.name = '<img src=x onerror=alert(1)>';
    const out = renderReportHtml(evil);
    expect(out).not.toMatch(/<script|<b>provider|<img/);
    expect(out).toContain('&lt;script&gt;alert(&quot;contract&quot;)&lt;/script&gt;');
  });

  it('is one self-contained page in British English, with no script and nothing to fetch', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|javascript:/i);
    expect(all(page, /\b(?:src|href)="([^"]*)"/g).map((m) => m[1]).filter((u) => !u!.startsWith('#'))).toEqual([]);
    expect(all(page, /url\(([^)]*)\)/g).map((m) => m[1]).filter((u) => !u!.startsWith('#'))).toEqual([]);
    expect(all(page, /https?:\/\/[^"\s<]*/g).map((m) => m[0])).toEqual(Array(data.series.length + 2).fill('http://www.w3.org/2000/svg'));
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(page).toMatch(/@media print \{[^]*section\.report-section \{ break-before: page;/);
    expect(page).toContain('@page { size: A4 landscape;');
  });

  it('has the title block and a heading hierarchy in report order', () => {
    const headings = all(page, /<h([1-6])\b[^>]*>(.*?)<\/h\1>/gs).map((m) => ({ level: Number(m[1]), text: stripTags(m[2]!) }));
    expect(headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual(['Sheffield Better Care Fund (section 75)']);
    expect(headings.filter((h) => h.level === 2).map((h) => h.text)).toEqual(['Fund summary', 'Schemes by pool', 'Budget reconciliation', 'Contracts', 'Outcome metrics', 'Risk share', 'Trends and variances', 'The fund over the years', 'Journals', 'Agreement of balances', 'Unmapped lines', 'Provenance']);
    headings.forEach((h, i) => expect(h.level, `${h.text} follows ${headings[i - 1]?.text}`).toBeLessThanOrEqual((headings[i - 1]?.level ?? 0) + 1));
    expect(headings[0]!.level).toBe(1);
    const title = element(page, 'header', 'report-header');
    for (const text of ['OFFICIAL', 'Joint finance report', 'June 2025', '2025-26 M03', 'version 1', '<dt>Closed</dt><dd>23 November 2026, 12:07 UTC</dd>', '<dt>Closed by</dt><dd>root</dd>']) expect(title).toContain(text);
  });

  it('gives every table a caption and every header cell a scope', () => {
    const tables = all(page, /<table\b[^>]*>\s*<caption>(.*?)<\/caption>/gs);
    expect(all(page, /<table\b/g).length).toBe(tables.length);
    expect(tables.length).toBeGreaterThan(10);
    const ths = all(page, /<th\b[^>]*>/g).map((m) => m[0]);
    expect(ths.filter((th) => !/\bscope="(col|row)"/.test(th))).toEqual([]);
  });

  it('shows the summary in £000s with integrated = pooled + aligned', () => {
    const [pooled, aligned, integrated] = data.summary as [ReportData['summary'][number], ReportData['summary'][number], ReportData['summary'][number]];
    const row = (id: string) => cells(element(page, 'tr', `data-summary="${id}"`));
    for (const [i, key] of AMOUNTS.entries()) {
      expect(integrated[key]).toBe(pooled[key] + aligned[key]);
      expect(row('integrated')[i]).toBe(formatThousands(pooled[key] + aligned[key]));
      expect(row('pooled')[i]).toBe(formatThousands(pooled[key]));
      expect(row('aligned')[i]).toBe(formatThousands(aligned[key]));
    }
    expect(row('integrated')).toEqual(['278,000.0', '68,670.0', '69,437.7', '767.7', '277,385.7', '-614.3', 'Green']);
    const broken = fixture();
    broken.summary[2]!.fotPence += 1;
    expect(() => renderReportHtml(broken)).toThrow(/integrated fotPence .* is not pooled \+ aligned/);
  });

  it("shows every scheme's figures in £000s as formatThousands gives them, with FOT basis, RAG in words and commentary", () => {
    const schemes = data.pools.flatMap((p) => p.schemes);
    expect(schemes).toHaveLength(5);
    for (const s of schemes) {
      const row = element(page, 'tr', `data-scheme="${s.id}"`);
      expect(stripTags(/<th scope="row">(.*?)<\/th>/s.exec(row)![1]!)).toMatch(new RegExp(`^${s.name}`));
      const label = { red: 'Red', amber: 'Amber', green: 'Green' }[s.rag];
      const basis = { plan: 'On plan', run_rate: 'Run rate' }[s.fotBasis as 'plan'];
      expect(cells(row)).toEqual([s.type === 'pooled' ? 'Pooled' : 'Aligned', ...AMOUNTS.map((k) => formatThousands(s[k])), basis, label]);
      expect(row).toContain(`<span class="rag rag-${s.rag}">${label}</span>`);
      expect(stripTags(element(page, 'tr', `data-commentary="${s.id}"`))).toBe('CommentaryNo commentary');
    }
    expect(cells(element(page, 'tr', 'data-scheme="lths"')).slice(-1)).toEqual(['Amber']);
    for (const pool of data.pools) expect(cells(element(page, 'tr', `data-pool-total="${pool.id}"`)).slice(1, 7)).toEqual(AMOUNTS.map((k) => formatThousands(pool[k])));
    const withNote = fixture();
    withNote.pools[0]!.schemes[3]!.commentary = { text: 'Placements up 4% on plan since April.', by: 'pool.manager', at: '2025-07-08T10:30:00.000Z' };
    expect(stripTags(element(renderReportHtml(withNote), 'tr', 'data-commentary="lths"'))).toBe('CommentaryPlacements up 4% on plan since April. — pool.manager, 8 July 2025, 10:30 UTC');
  });

  it('shows the risk share to the penny with its reasons, and each partner exposure', () => {
    const share = data.shares[0]!;
    expect(cells(element(page, 'tr', `data-unit="${share.unit}"`))).toEqual(['£2,474,627.20', '£1,221,097.38', '£1,253,529.82', '£0.00']);
    for (const reason of share.reasons) expect(page).toContain(`<li>${escapeHtml(reason)}</li>`);
    for (const e of data.exposure) expect(cells(element(page, 'tr', `data-partner="${e.partner}"`))).toEqual([formatPounds(e.sharePence, { symbol: true })]);
  });

  it("lists each ledger's journals in its own code columns, with exact debits and credits", () => {
    for (const ledger of data.journals) {
      for (const j of ledger.journals) {
        const table = element(page, 'table', `data-ledger="${ledger.ledger}" data-ref="${j.ref}"`);
        const heads = all(element(table, 'thead', ''), /<th scope="col"[^>]*>(.*?)<\/th>/g).map((m) => m[1]);
        expect(heads).toEqual([...ledger.codeColumns, 'Description', 'Debit', 'Credit']);
        const rows = all(element(table, 'tbody', ''), /<tr>(.*?)<\/tr>/gs).map((m) => cells(m[1]!));
        expect(rows).toEqual(j.lines.map((l) => [...ledger.codeColumns.map((c) => l.codes[c]), escapeHtml(l.description), l.debitPence ? formatPounds(l.debitPence) : '', l.creditPence ? formatPounds(l.creditPence) : '']));
      }
    }
    expect(page).toContain('<h3 id="ledger-scc">Sheffield City Council general ledger</h3>');
  });

  it('shows the first lines of a very long journal with its full totals, and points to the XLSX and CSV for the rest', () => {
    const big = fixture();
    const journal = big.journals[0]!.journals[1]!;
    const line = journal.lines.find((l) => l.role === 'spend' || l.role === 'recharge_income' || l.role === 'fund_spend')!;
    const extra = Array.from({ length: 100 }, () => ({ ...line, debitPence: line.creditPence, creditPence: line.debitPence }));
    journal.lines.push(...extra, ...extra.map((l) => ({ ...l, debitPence: l.creditPence, creditPence: l.debitPence })));
    const table = element(renderReportHtml(big), 'table', `data-ref="${journal.ref}"`);
    const rows = all(element(table, 'tbody', ''), /<tr>(.*?)<\/tr>/gs);
    expect(rows).toHaveLength(MAX_JOURNAL_LINES_SHOWN);
    expect(table).toContain(`… and ${(journal.lines.length - MAX_JOURNAL_LINES_SHOWN).toLocaleString('en-GB')} more lines`);
    const totals = cells(element(table, 'tfoot', ''));
    const sum = journal.lines.reduce((n, l) => n + l.debitPence, 0);
    expect(totals).toEqual([formatPounds(sum), formatPounds(sum)]);
  });

  it('shows agreement of balances at 0.00, and flags a difference when there is one', () => {
    expect(cells(element(page, 'tr', 'data-balance="scc-sccg"'))).toEqual(['NHS Sheffield CCG', '7,840,833.35', '7,432,412.48', '0.00', '23,545,000.05', '22,172,537.69', '0.00', '✓ Agreed']);
    expect(page).not.toContain('balance-warning');
    const broken = fixture();
    broken.balances[1]!.differencePence = 5;
    const flagged = renderReportHtml(broken);
    expect(flagged).toContain('<strong>Warning: balances do not agree</strong>');
    expect(element(flagged, 'tr', 'data-balance="sccg-scc"')).toContain('<td class="num flag">0.05 ⚠</td>');
    expect(cells(element(flagged, 'tr', 'data-balance="sccg-scc"')).at(-1)).toBe('⚠ Does not agree');
  });

  it('warns prominently about unmapped lines, and says so when there are none', () => {
    expect(element(page, 'div', 'unmapped-warning')).toContain('Warning: 12 unmapped ledger lines');
    expect(page).toContain('12 lines totalling £1,331,110.00 matched no mapping rule');
    expect(cells(element(page, 'tr', 'data-ledger="scc"'))).toEqual(['7', '812,360.00']);
    const clean = renderReportHtml({ ...fixture(), unmapped: [] });
    expect(clean).not.toContain('unmapped-warning');
    expect(clean).toContain('No unmapped lines');
  });

  it('gives the provenance: versions, close hash, who and when, every batch', () => {
    const section = element(page, 'section', 'id="provenance"');
    for (const text of ['c30adf4438315c4f7883f8319769064dcb672d928e3cb96fdad7836bde549d2b', '10 July 2025, 09:00 UTC', 'finance.officer', '<dd>None</dd>']) expect(section).toContain(text);
    for (const b of data.provenance.batches) expect(cells(element(section, 'tr', `data-batch="${b.id}"`))).toEqual([b.ledger, b.file, b.sha256.slice(0, 12), b.periods.join(', ')]);
  });

  it('escapes every text value: a <script> in a commentary, a file name, a fund name', () => {
    const evil = fixture();
    evil.fund.name = 'Fund <b>bold</b> & "quoted"';
    evil.pools[0]!.schemes[0]!.commentary = { text: '<script>alert("commentary")</script>', by: '<i>x</i>', at: '2025-07-01T00:00:00Z' };
    evil.provenance.batches[0]!.file = 'ledgers/<script>alert(1)</script>.csv';
    const out = renderReportHtml(evil);
    expect(out).not.toMatch(/<script|<b>bold|<i>x/);
    expect(out).toContain('&lt;script&gt;alert(&quot;commentary&quot;)&lt;/script&gt;');
    expect(out).toContain('ledgers/&lt;script&gt;alert(1)&lt;/script&gt;.csv');
    expect(out).toContain('<h1>Fund &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;</h1>');
  });

  it('draws the charts: a trend per series, the variance by scheme and the exposure', () => {
    expect(all(page, /<svg [^>]*role="img"/g)).toHaveLength(data.series.length + 2);
    for (const s of data.series) expect(page).toContain(`<title id="chart-trend-${s.id}-title">`);
    expect(all(element(page, 'svg', 'chart-variance'), /<rect class="bar /g)).toHaveLength(5);
    expect(page).toContain('>-3,088.9 underspend</text>');
  });
});

describe('report HTML of an M12 close: the memorandum account of the pooled budgets', () => {
  let store: TestStore;
  let m11 = '';
  let m12 = '';
  let memorandum: MemorandumReturn;
  let m12Data: ReportData;
  beforeAll(async () => {
    store = await storeFactories()[0]!.create();
    const reports = await sheffieldYearReports({ store: store.store, actor: 'tester', now: () => new Date('2026-04-20T09:00:00Z') });
    [m11, m12, memorandum, m12Data] = [renderReportHtml(reports.m11.data), renderReportHtml(reports.m12.data), reports.memorandum, reports.m12.data];
  }, 120_000);
  afterAll(() => store?.dispose());

  it('shows the account, the partners’ figures and the reasons exactly as tandem returns memorandum does, after the risk share', () => {
    const section = element(m12, 'section', 'id="memorandum"');
    expect(section).toContain('<h2 id="memorandum-heading">Memorandum account (pooled budgets)</h2>');
    const [pool] = memorandum.account.pools;
    const money = (p: number) => formatPounds(p, { symbol: true });
    const row = (label: string) => {
      const found = all(section, /<tr\b[^>]*>(.*?)<\/tr>/gs).map((m) => m[1]!).find((r) => stripTags(/<th\b[^>]*>(.*?)<\/th>/s.exec(r)?.[1] ?? '') === escapeHtml(label));
      expect(found, label).toBeDefined();
      return cells(found!);
    };
    for (const i of pool!.income) expect(row(`Contribution from ${i.name}`)).toEqual([money(i.contributionPence)]);
    expect(row('Total income')).toEqual([money(pool!.incomePence)]);
    for (const e of pool!.expenditure) expect(row(`${e.name} (${e.scheme})`)).toEqual([money(e.actualPence)]);
    expect(row('Total expenditure')).toEqual([money(pool!.expenditurePence)]);
    expect(row(pool!.surplusPence >= 0 ? 'Surplus for the year' : 'Deficit for the year')).toEqual([money(pool!.surplusPence)]);
    expect(row('Retained in the pool for next year')).toEqual([money(pool!.retainedPence)]);
    for (const x of pool!.shares) expect(row(x.name)).toEqual([money(x.contributionPence), money(x.shareOfSurplusPence), money(x.netContributionPence), x.settlementRef ?? 'host: none']);
    for (const r of pool!.reasons) expect(section).toContain(`<li>${escapeHtml(r)}</li>`);
    expect(all(section, /<table\b/g).length).toBe(all(section, /<table\b[^>]*>\s*<caption>/g).length);
    expect(all(section, /<th\b[^>]*>/g).map((m) => m[0]).filter((th) => !/\bscope="(col|row|rowgroup)"/.test(th))).toEqual([]);
    const h2 = all(m12, /<h2\b[^>]*>(.*?)<\/h2>/gs).map((m) => stripTags(m[1]!));
    expect(h2.slice(h2.indexOf('Risk share'), h2.indexOf('Risk share') + 2)).toEqual(['Risk share', 'Memorandum account (pooled budgets)']);
    expect(element(m12, 'nav', 'class="contents"')).toContain('<a href="#memorandum">Memorandum account (pooled budgets)</a>');
  });

  it('has no such section or contents entry before M12', () => {
    expect(m11).not.toMatch(/id="memorandum"|href="#memorandum"|Memorandum account/);
  });

  it('says why, in a short note, when the close cannot give the account', () => {
    const refused: ReportData = { ...m12Data, memorandum: { account: null, refusal: { code: 'OUTTURN_NOT_ACTUAL', reason: "the 2025-26 M12 close shared a lead's forecast outturn for scheme <lths>" } } };
    const section = element(renderReportHtml(refused), 'section', 'id="memorandum"');
    expect(stripTags(element(section, 'div', 'memorandum-warning'))).toBe("The memorandum account cannot be made from this closethe 2025-26 M12 close shared a lead&#39;s forecast outturn for scheme &lt;lths&gt; (OUTTURN_NOT_ACTUAL).");
    expect(section).not.toContain('<table');
  });
});

describe('report HTML in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const t = performance.now();
    browser = await launchChromium();
    console.log(`chromium launch: ${Math.round(performance.now() - t)} ms`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads from a file with no console error and no request but the page, and passes the accessibility basics', async () => {
    const t = performance.now();
    mkdirSync('test-artifacts', { recursive: true });
    const file = resolve('test-artifacts/report-m03.html');
    writeFileSync(file, page);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    const messages: string[] = [];
    const requests: string[] = [];
    tab.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    tab.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    tab.on('request', (r) => requests.push(r.url()));
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(messages.filter((m) => /^(error|warning|pageerror)/.test(m))).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const audit = await tab.evaluate(() => ({
      lang: document.documentElement.lang,
      tables: document.querySelectorAll('table').length,
      tablesWithoutCaption: [...document.querySelectorAll('table')].filter((t) => !t.caption || t.caption.textContent!.trim() === '').length,
      thWithoutScope: [...document.querySelectorAll('th')].filter((th) => !['col', 'row'].includes(th.getAttribute('scope') ?? '')).length,
      svgs: document.querySelectorAll('svg').length,
      badSvgs: [...document.querySelectorAll('svg')].filter((s) => s.getAttribute('role') !== 'img' || !s.querySelector(':scope > title')?.textContent || !s.querySelector(':scope > desc')?.textContent).length,
      emptySvgs: [...document.querySelectorAll('svg')].filter((s) => s.getBoundingClientRect().width < 300 || s.getBoundingClientRect().height < 100).length,
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent),
      ragWithoutText: [...document.querySelectorAll('.rag')].filter((r) => !['Red', 'Amber', 'Green'].includes(r.textContent ?? '')).length,
      rags: document.querySelectorAll('.rag').length,
      overflowing: document.documentElement.scrollWidth > window.innerWidth,
      widerThanPage: [...document.querySelectorAll('main table, main svg')].filter((el) => el.getBoundingClientRect().right > document.querySelector('main')!.getBoundingClientRect().right + 1).length,
    }));
    expect(audit).toEqual({
      lang: 'en-GB',
      tables: expect.any(Number) as number,
      tablesWithoutCaption: 0,
      thWithoutScope: 0,
      svgs: data.series.length + 2,
      badSvgs: 0,
      emptySvgs: 0,
      h1: [data.fund.name],
      ragWithoutText: 0,
      rags: expect.any(Number) as number,
      overflowing: false,
      widerThanPage: 0,
    });
    expect(audit.tables).toBeGreaterThan(10);
    // …and the four metrics: this month's RAG and the three months of the trend each.
    expect(audit.rags).toBe(3 + 1 + 5 + 2 + 4 * (1 + 3));

    await tab.screenshot({ path: 'test-artifacts/report-m03.png', fullPage: true });
    await tab.screenshot({ path: 'docs/report-screenshot.png', fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
    expect(statSync('test-artifacts/report-m03.png').size).toBeGreaterThan(50_000);
    expect(statSync('docs/report-screenshot.png').size).toBeLessThan(400_000);
    await context.close();
    console.log(`chromium page load, audit and screenshots: ${Math.round(performance.now() - t)} ms`);
  });
});
