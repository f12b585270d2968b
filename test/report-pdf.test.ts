// The joint finance report as a PDF, printed by the distribution's Chromium from the report's HTML
// for the Sheffield example's June 2025 close, then read back with poppler (pdftotext, pdfinfo):
// fund, OFFICIAL, period and page numbers in the header and footer, the integrated fund's figures
// in £000s, A4 landscape. Also: a page that tries to fetch anything fails and writes no file, and
// a missing Chromium is a CHROMIUM_MISSING error that says how to install it. A copy of the PDF
// is left in test-artifacts/ for people to look at.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TandemError } from '../src/app/errors.js';
import { formatThousands } from '../src/domain/money.js';
import { renderReportHtml } from '../src/report/html.js';
import { renderReportPdf } from '../src/report/pdf.js';
import type { ReportData } from '../src/report/report-data.js';

const all = (text: string, re: RegExp) => [...text.matchAll(re)];
const data = JSON.parse(readFileSync('test/fixtures/report/sheffield-m03.json', 'utf8')) as ReportData;
const dir = mkdtempSync(join(tmpdir(), 'tandem-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report PDF', () => {
  const file = join(dir, 'sheffield-m03.pdf');
  let text = '';
  let info = '';

  it('prints the report with Chromium', async () => {
    const t = performance.now();
    await renderReportPdf(renderReportHtml(data), file, data);
    console.log(`renderReportPdf (launch, setContent, pdf, close): ${Math.round(performance.now() - t)} ms`);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    mkdirSync('test-artifacts', { recursive: true });
    copyFileSync(file, 'test-artifacts/report-m03.pdf');
  });

  it('is A4 landscape, several pages', () => {
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    expect(size, info).not.toBeNull();
    const [width, height] = [Number(size![1]), Number(size![2])];
    expect(Math.abs(width - 841.89)).toBeLessThan(2);
    expect(Math.abs(height - 595.28)).toBeLessThan(2);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(4);
  });

  it('has the fund, OFFICIAL and the period on every page, and "Page X of Y" in the footer', () => {
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    const total = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toHaveLength(total);
    pages.forEach((p, i) => {
      expect(p).toContain(data.fund.name);
      expect(p).toContain('OFFICIAL');
      expect(p).toContain('June 2025 · 2025-26 M03');
      expect(p).toContain(`Page ${i + 1} of ${total}`);
    });
    expect(text).toContain('Page 1 of');
  });

  it('prints the header and footer legibly, inside the margins (not the 1 pt text of an unstyled template)', () => {
    const words = all(execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }), /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g).map((m) => ({ x: Number(m[1]), y: Number(m[2]), h: Number(m[4]) - Number(m[2]), w: Number(m[3]) - Number(m[1]), text: m[5]! }));
    const header = words.filter((w) => w.y < 40);
    const footer = words.filter((w) => w.y > 595.28 - 40);
    expect(header.map((w) => w.text).join(' ')).toBe('Sheffield Better Care Fund (section 75) OFFICIAL Joint finance report · June 2025 · 2025-26 M03');
    expect(footer.map((w) => w.text).join(' ')).toMatch(/^Close version 1 · SHA-256 c30adf443831 OFFICIAL Page 1 of \d+$/);
    for (const w of [...header, ...footer]) {
      expect(w.h, w.text).toBeGreaterThan(6);
      expect(w.x, w.text).toBeGreaterThan(20);
      expect(w.x + w.w, w.text).toBeLessThan(841.89 - 20);
    }
    const official = header.find((w) => w.text === 'OFFICIAL')!;
    expect(Math.abs(official.x + official.w / 2 - 841.89 / 2)).toBeLessThan(10);
  });

  it("shows the integrated fund's annual budget and FOT in £000s as formatThousands gives them", () => {
    const fund = data.summary.find((s) => s.id === 'integrated')!;
    const row = text.split('\n').find((l) => l.includes('Integrated fund (pooled + aligned)') && /\d/.test(l));
    expect(row, text.slice(0, 3000)).toBeDefined();
    const figures = row!.trim().split(/\s{2,}/);
    expect(figures).toEqual(['Integrated fund (pooled + aligned)', ...[fund.annualBudgetPence, fund.ytdBudgetPence, fund.ytdActualPence, fund.ytdVariancePence, fund.fotPence, fund.fotVariancePence].map(formatThousands), 'Green']);
    expect(formatThousands(fund.annualBudgetPence)).toBe('278,000.0');
    expect(formatThousands(fund.fotPence)).toBe('277,385.7');
  });

  it('carries the sections, chart text and exact figures through to the PDF', () => {
    for (const heading of ['Fund summary', 'Schemes by pool', 'Risk share', 'Trends and variances', 'Journals', 'Agreement of balances', 'Unmapped lines', 'Provenance']) expect(text).toContain(heading);
    expect(text).toContain('£1,221,097.38');
    expect(text).toContain('2,486.3 overspend');
    expect(text).toContain('Warning: 12 unmapped ledger lines');
    expect(text).toContain(data.provenance.closeSha256);
  });
});

describe('report PDF safeguards', () => {
  it('fails, writing nothing, when the page tries to load anything from the network', async () => {
    const file = join(dir, 'leaky.pdf');
    const leaky = '<!DOCTYPE html><html lang="en-GB"><body><h1>Leaky</h1><img src="http://example.invalid/logo.png" alt=""></body></html>';
    await expect(renderReportPdf(leaky, file, data)).rejects.toThrow(/tried to load 1 resource\(s\), which were blocked: http:\/\/example\.invalid\/logo\.png/);
    expect(existsSync(file)).toBe(false);
  });

  it('says how to install Chromium when there is none', async () => {
    const saved = process.env.TANDEM_CHROMIUM;
    process.env.TANDEM_CHROMIUM = join(dir, 'no-such-chromium');
    try {
      const error = await renderReportPdf('<p>x</p>', join(dir, 'never.pdf'), data).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TandemError);
      expect((error as TandemError).code).toBe('CHROMIUM_MISSING');
      expect((error as TandemError).message).toMatch(/no-such-chromium does not exist.*apt-get install -y chromium.*TANDEM_CHROMIUM/);
    } finally {
      if (saved === undefined) delete process.env.TANDEM_CHROMIUM;
      else process.env.TANDEM_CHROMIUM = saved;
    }
  });
});
