// The demo year generator: files in exactly each ledger's shape (the council's Windows-1252 with
// title and totals lines, the CCG's UTF-8 with a BOM and CRLF), byte-identical for a seed, the
// same money whatever the number of lines, fast at 100,000 lines a month — and, imported after
// the hand-made M01–M03 extracts with the app layer into a SQLite store, a year that tells the
// intended story: every file clean, every scheme within 15% of its budget, lths over it, lines in
// suspense every month, and the lths lead's forecast accepted.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementInForce, loadAgreement } from '../app/agreements.js';
import type { AppContext } from '../app/context.js';
import { importForecasts } from '../app/forecast-import.js';
import { importBatch, type ImportResult } from '../app/import-batch.js';
import { fundStatus } from '../app/status.js';
import { exampleExtracts } from '../cli/commands/demo.js';
import { parseAmount } from '../domain/money.js';
import { periodKey } from '../domain/period.js';
import { annualBudget, monthlyBudget } from '../domain/phasing.js';
import { openStore } from '../store/open.js';
import { DEFAULT_SEED, writeLeadForecast, writeYearExtracts, type WrittenExtract } from './generate-year.js';
import { CCG_HEADER, COUNCIL_HEADER } from './lines.js';
import { monthCalendar, monthlyPlan, schemeTargets, type SchemeId } from './plan.js';

const EXAMPLE = 'examples/sheffield';
const MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12];

function pence(text: string): number {
  const result = parseAmount(text);
  if (!result.ok) throw new Error(result.reason);
  return result.pence;
}

function rows(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

// Windows-1252 by its table: Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1
// control characters (nodejs/node#60888), so it cannot tell a right encoding from a wrong one.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function decodeWindows1252(bytes: Buffer): string {
  for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) expect(bytes.includes(b)).toBe(false);
  return bytes.toString('latin1').replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80]!);
}

/** A council file's data rows (title, header and totals dropped), checked on the way. */
function councilRows(path: string, month: number): { data: string[][]; total: number } {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
  const text = decodeWindows1252(bytes);
  const cal = monthCalendar(month);
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe(`Sheffield City Council – Financial Ledger – BCF cost centres – Period ${month} 2025/26 (${cal.name} ${cal.year})`);
  expect(lines[1]).toBe(COUNCIL_HEADER);
  const all = rows(lines.slice(1).join('\r\n'));
  const data = all.slice(1, -1);
  const totals = all[all.length - 1]!;
  expect(totals.slice(0, 5)).toEqual(['', '', '', 'Total for period', '']);
  // Checked row by row without expect (100,000 rows), the bad ones reported together.
  const bad = data.filter((row) => {
    const [d, m, y] = row[4]!.split('/').map(Number);
    const amountShape = /^(\(\d{1,3}(,\d{3})*\.\d\d\)|\d{1,3}(,\d{3})*\.\d\d)$/.test(row[5]!);
    return row.length !== 6 || m !== cal.calendarMonth || y !== cal.year || !(d! >= 1 && d! <= cal.days) || !amountShape;
  });
  expect(bad.slice(0, 5)).toEqual([]);
  return { data, total: pence(totals[5]!) };
}

describe('writeYearExtracts', () => {
  let dir = '';
  let out = '';
  let written: WrittenExtract[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-year-'));
    out = join(dir, 'year');
    written = await writeYearExtracts(out, {});
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one file per ledger and month, M04 to M12, about 40 lines each', () => {
    expect(written.map((w) => `${w.ledger} ${w.month}`)).toEqual(MONTHS.flatMap((m) => [`scc ${m}`, `sccg ${m}`]));
    for (const ledger of ['scc', 'sccg']) {
      expect(readdirSync(join(out, 'ledgers', ledger))).toEqual(MONTHS.map((m) => `2025-26-M${String(m).padStart(2, '0')}.csv`));
    }
    for (const w of written) {
      expect(w.lines).toBeGreaterThanOrEqual(35);
      expect(w.lines).toBeLessThanOrEqual(45);
    }
  });

  it('gives byte-identical files for the same seed and different ones for another', async () => {
    const again = await writeYearExtracts(join(dir, 'again'), {});
    const other = await writeYearExtracts(join(dir, 'other'), { seed: 7, fromMonth: 4, toMonth: 4 });
    for (const [i, w] of written.entries()) expect(readFileSync(again[i]!.path).equals(readFileSync(w.path))).toBe(true);
    expect(readFileSync(other[0]!.path).equals(readFileSync(written[0]!.path))).toBe(false);
  });

  it('writes the council files in Windows-1252 with a title, the header and a totals line equal to the sum', () => {
    for (const w of written.filter((w) => w.ledger === 'scc')) {
      const { data, total } = councilRows(w.path, w.month);
      const sum = data.reduce((a, row) => a + pence(row[5]!), 0);
      expect(sum).toBe(total);
      expect(total).toBe(w.totalPence);
      expect(data).toHaveLength(w.lines);
      expect(data.some((row) => row[5]!.startsWith('('))).toBe(true);
      // Windows-1252 read back: the en dash, é and £ survive (as UTF-8 they would not).
      expect(data.some((row) => row[3]!.startsWith('Direct payment – Renée Marsh') && row[3]!.includes('@ £312.50'))).toBe(true);
      expect(data.some((row) => row[0] === 'C4990' && row[1] === '9350' && row[5] === '(7,833,333.33)')).toBe(true);
      expect(data.some((row) => /^8\d{3}$/.test(row[1]!))).toBe(true);
    }
  });

  it('writes the CCG files as UTF-8 with a byte-order mark and CRLF, period and year columns', () => {
    for (const w of written.filter((w) => w.ledger === 'sccg')) {
      const bytes = readFileSync(w.path);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
      expect(text).not.toMatch(/(?<!\r)\n/);
      expect(text.endsWith('\r\n')).toBe(true);
      const [header, ...data] = rows(text);
      expect(header!.join(',')).toBe(CCG_HEADER);
      expect(data).toHaveLength(w.lines);
      let total = 0;
      for (const row of data) {
        expect(row.slice(0, 1).concat(row.slice(5, 7))).toEqual(['03N', '2025/26', String(w.month)]);
        expect((row[7] === '') !== (row[8] === '')).toBe(true);
        total += row[7] !== '' ? pence(row[7]!) : -pence(row[8]!);
      }
      expect(total).toBe(w.totalPence);
      expect(data.filter((row) => row[2] === '521900' && row[7] === '7833333.33')).toHaveLength(1);
      expect(data.some((row) => row[1] === '709900')).toBe(true);
      expect(data.some((row) => row[8] !== '')).toBe(true);
    }
  });

  it('spreads the same money over 100,000 lines a month, streamed at over 200,000 lines a second', async () => {
    const started = performance.now();
    const big = await writeYearExtracts(join(dir, 'big'), { linesPerMonth: 100_000, fromMonth: 10, toMonth: 10 });
    const seconds = (performance.now() - started) / 1000;
    const lines = big.reduce((a, w) => a + w.lines, 0);
    expect(lines).toBeGreaterThanOrEqual(199_000);
    expect(lines / seconds).toBeGreaterThan(200_000);
    const small = written.filter((w) => w.month === 10);
    expect(big.map((w) => w.totalPence)).toEqual(small.map((w) => w.totalPence));
    // Per cost centre and subjective, the council's money is the same however many lines carry it.
    const byCodes = (data: string[][]) => {
      const sums = new Map<string, number>();
      for (const row of data) sums.set(`${row[0]}/${row[1]}`, (sums.get(`${row[0]}/${row[1]}`) ?? 0) + pence(row[5]!));
      return Object.fromEntries([...sums].sort());
    };
    const bigCouncil = councilRows(big[0]!.path, 10);
    expect(bigCouncil.total).toBe(big[0]!.totalPence);
    expect(byCodes(bigCouncil.data)).toEqual(byCodes(councilRows(small[0]!.path, 10).data));
  });

  it('imports after the hand-made M01–M03: every file clean, schemes near budget, lths over, suspense every month', async () => {
    const ctx: AppContext = { store: await openStore(join(dir, 'tandem.db')), actor: 'test', now: () => new Date('2026-04-10T09:00:00Z') };
    try {
      const { fundId } = await loadAgreement(ctx, join(EXAMPLE, 'agreement.yaml'));
      for (const e of exampleExtracts(EXAMPLE)) expect((await importBatch(ctx, e)).status).toBe('imported');
      const results: ImportResult[] = [];
      for (const e of exampleExtracts(out)) results.push(await importBatch(ctx, e));
      expect(results).toHaveLength(written.length);
      for (const r of results) {
        const w = written.find((w) => w.path === r.file)!;
        expect(r.status).toBe('imported');
        expect(r.periods).toEqual([`2025-26 M${String(w.month).padStart(2, '0')}`]);
        expect([r.lines, r.controlTotalPence]).toEqual([w.lines, w.totalPence]);
        expect(r.unmapped.lines).toBeGreaterThanOrEqual(1);
        expect(r.unmapped.lines).toBeLessThanOrEqual(3);
        expect(r.outOfScope.lines).toBeGreaterThanOrEqual(2);
      }

      const { agreement } = await agreementInForce(ctx, fundId);
      const status = await fundStatus(ctx, { fundId });
      expect(status.period).toBe('2025-26 M12');
      const actual = Object.fromEntries(status.schemes.map((s) => [s.id, s.ytdActualTotalPence]));
      const budget = Object.fromEntries(agreement.schemes.map((s) => [s.id, annualBudget(s, 2025)]));
      expect(Object.keys(actual).sort()).toEqual(['asr', 'ils', 'lths', 'nel', 'pkw']);
      for (const s of agreement.schemes) {
        expect(Math.abs(actual[s.id]! - budget[s.id]!)).toBeLessThanOrEqual(budget[s.id]! * 0.15);
        // The generator's plan is the agreement's phasing (to the penny).
        monthlyBudget(s, 2025).forEach((b, i) => expect(Math.abs(monthlyPlan(s.id as SchemeId, i + 1) - b)).toBeLessThanOrEqual(1));
      }
      // Month by month, the rules place exactly the spend the generator meant for each scheme.
      const mapped = await ctx.store.liveTotals({ fundId, status: 'mapped', fromPeriod: periodKey(2025, 4) }, ['period', 'scheme']);
      const nel: number[] = [];
      for (const month of MONTHS) {
        const got = Object.fromEntries(mapped.filter((r) => r.period === periodKey(2025, month)).map((r) => [r.schemeId, r.amountPence]));
        expect(got).toEqual(schemeTargets(DEFAULT_SEED, month));
        nel.push(got.nel!);
      }
      // nel's winter peak: November to February above the months before.
      expect(Math.min(...nel.slice(4, 8))).toBeGreaterThan(Math.max(...nel.slice(0, 4)));
      const lthsOver = actual.lths! - budget.lths!;
      expect(lthsOver).toBeGreaterThan(2_000_000_00);
      expect(lthsOver).toBeLessThan(4_000_000_00);
      expect(actual.asr!).toBeLessThan(budget.asr!);
      expect(actual.pkw!).toBeLessThan(budget.pkw!);
      expect(Math.abs(actual.ils! - budget.ils!)).toBeLessThan(budget.ils! * 0.02);
      expect(status.schemes.find((s) => s.id === 'nel')!.ytdActualPence.scc).toBe(0);

      const forecast = writeLeadForecast(dir);
      const imported = await importForecasts(ctx, { path: forecast.path });
      expect(imported.status).toBe('imported');
      expect(imported.forecasts.map((f) => f.period)).toEqual(['2025-26 M06', '2025-26 M09']);
      for (const f of imported.forecasts) {
        expect(f.scheme).toBe('lths');
        expect(f.amountPence).toBeGreaterThan(109_000_000_00);
        expect(f.amountPence).toBeLessThan(110_500_000_00);
      }
    } finally {
      await ctx.store.close();
    }
  });
});
