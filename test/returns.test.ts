// Statutory returns on both databases (docs/returns.md): the Sheffield example closed through
// M12 (the hand-made M01–M03 extracts and the demo's synthetic M04–M12), its memorandum account
// reconciled by hand — income from the agreement's contributions, expenditure from the ledgers'
// mapped totals (not from the close), the deficit shared by the agreement's tiered, capped rule
// worked out here independently — the BCF year-end workbook read back with exceljs, the BCF
// minimum check passing and failing, and every refusal writing nothing.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { checkBcf, writeBcfYearEndFiles, writeMemorandumFiles } from '../src/app/returns.js';
import { periodKey } from '../src/domain/period.js';
import { EXPENDITURE_COLUMNS } from '../src/report/bcf-year-end-xlsx.js';
import { rejection } from './support/rejection.js';
import { closeSheffieldMonth, loadSheffieldYear } from './support/sheffield-year.js';
import { describeEachStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const POOLED = ['pkw', 'ils', 'asr', 'lths'] as const;
// The agreement's contributions to the pooled schemes (examples/sheffield/agreement.yaml), pence.
const CONTRIBUTIONS = { scc: (9_000_000 + 5_500_000 + 13_500_000 + 63_000_000) * 100, sccg: (7_000_000 + 4_500_000 + 38_500_000 + 44_000_000) * 100 };
const BUDGET = { pkw: 16_000_000_00, ils: 10_000_000_00, asr: 52_000_000_00, lths: 107_000_000_00 };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tandem-returns-'));
}

/** Two-way largest remainder, ties to the first: `amount × a / (a + b)` and the rest. */
function twoWay(amount: bigint, a: bigint, b: bigint): [bigint, bigint] {
  const first = (amount * a) / (a + b);
  const second = (amount * b) / (a + b);
  const left = amount - first - second;
  if (left === 0n) return [first, second];
  return (amount * a) % (a + b) >= (amount * b) % (a + b) ? [first + left, second] : [first, second + left];
}

/**
 * The Sheffield overspend rule by hand: the first £2m pro rata to contributions (91 : 94), the
 * rest 50:50; the council capped at £1.5m, the CCG at 5% of £94m (£4.7m); beyond both caps the
 * council (excess_to). An underspend is retained.
 */
function sheffieldShares(variance: number): { scc: number; sccg: number; retained: number } {
  if (variance <= 0) return { scc: 0, sccg: 0, retained: variance };
  const v = BigInt(variance);
  const band1 = v < 200_000_000n ? v : 200_000_000n;
  const [a1, b1] = twoWay(band1, BigInt(CONTRIBUTIONS.scc), BigInt(CONTRIBUTIONS.sccg));
  const [a2, b2] = twoWay(v - band1, 1n, 1n);
  let scc = a1 + a2;
  let sccg = b1 + b2;
  if (scc > 150_000_000n) [scc, sccg] = [150_000_000n, sccg + scc - 150_000_000n];
  if (sccg > 470_000_000n) [scc, sccg] = [scc + sccg - 470_000_000n, 470_000_000n];
  return { scc: Number(scc), sccg: Number(sccg), retained: 0 };
}

describeEachStore('statutory returns', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2026-04-20T09:00:00Z') });

  const loadYear = () => loadSheffieldYear(ctx());
  const close = (month: number) => closeSheffieldMonth(ctx(), month);

  it('writes the memorandum account of the year closed through M12, reconciled to the penny by hand, and refuses before', async () => {
    await loadYear();
    for (let m = 1; m <= 11; m++) await close(m);
    const early = tempDir();
    const refused = await rejection(writeMemorandumFiles(ctx(), { year: 2025, outDir: join(early, 'out') }));
    expect(refused.code).toBe('M12_NOT_CLOSED');
    expect(refused.message).toContain('2025-26 M11');
    expect(existsSync(join(early, 'out'))).toBe(false);
    expect((await rejection(writeBcfYearEndFiles(ctx(), { year: 2025, outDir: join(early, 'out') }))).code).toBe('M12_NOT_CLOSED');
    expect((await rejection(writeMemorandumFiles(ctx(), { year: 2026, outDir: join(early, 'out') }))).code).toBe('PERIOD_OUTSIDE_AGREEMENT');
    expect(existsSync(join(early, 'out'))).toBe(false);

    await close(12);
    // Expenditure from the ledgers' mapped lines of the year, summed here (not read from the close).
    const mapped = await current().store.liveTotals({ fundId: 'sheffield', fromPeriod: periodKey(2025, 1), toPeriod: periodKey(2025, 12), status: 'mapped' }, ['scheme']);
    const spend = Object.fromEntries(POOLED.map((s) => [s, mapped.filter((r) => r.schemeId === s).reduce((n, r) => n + r.amountPence, 0)])) as Record<(typeof POOLED)[number], number>;
    const expenditure = POOLED.reduce((n, s) => n + spend[s], 0);
    const income = CONTRIBUTIONS.scc + CONTRIBUTIONS.sccg;
    expect(income).toBe(185_000_000_00);
    const surplus = income - expenditure;
    const shares = sheffieldShares(-surplus);

    const out = tempDir();
    const result = await writeMemorandumFiles(ctx(), { year: 2025, outDir: out });
    const [pool] = result.memorandum.account.pools;
    expect(result.memorandum.account.pools).toHaveLength(1);
    expect(pool).toMatchObject({ pool: 'bcf', host: 'scc', incomePence: income, expenditurePence: expenditure, surplusPence: surplus, retainedPence: -shares.retained + 0 });
    expect(pool!.income).toEqual([
      { partner: 'scc', name: 'Sheffield City Council', contributionPence: CONTRIBUTIONS.scc },
      { partner: 'sccg', name: 'NHS Sheffield CCG', contributionPence: CONTRIBUTIONS.sccg },
    ]);
    expect(pool!.expenditure.map((e) => [e.scheme, e.budgetPence, e.actualPence])).toEqual(POOLED.map((s) => [s, BUDGET[s], spend[s]]));
    const by = Object.fromEntries(pool!.shares.map((s) => [s.partner, s]));
    expect(by.scc).toMatchObject({ shareOfSurplusPence: -shares.scc + 0, netContributionPence: CONTRIBUTIONS.scc + shares.scc, settlementRef: null });
    expect(by.sccg).toMatchObject({ shareOfSurplusPence: -shares.sccg + 0, netContributionPence: CONTRIBUTIONS.sccg + shares.sccg });
    if (shares.sccg !== 0) expect(by.sccg!.settlementRef).toBe('T2526M12-SET-BCF-SCCG');
    // income − expenditure = surplus (deficit) = the partners' shares + what is retained.
    expect(by.scc!.shareOfSurplusPence + by.sccg!.shareOfSurplusPence + pool!.retainedPence).toBe(surplus);
    expect(result.files.map((f) => f.path.slice(out.length + 1))).toEqual(['sheffield-2025-26-memorandum.xlsx', 'sheffield-2025-26-memorandum.md', 'sheffield-2025-26-memorandum.html']);
    expect(readdirSync(out).filter((f) => f.endsWith('.part'))).toEqual([]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'sheffield-2025-26-memorandum.xlsx'));
    const sheet = book.getWorksheet('Memorandum account')!;
    const value = (label: string) => {
      let found: ExcelJS.Cell | undefined;
      sheet.eachRow((row) => {
        if (found === undefined && row.getCell(1).value === label) found = row.getCell(2);
      });
      expect(found, label).toBeDefined();
      return found!;
    };
    const amount = (cell: ExcelJS.Cell) => (typeof cell.value === 'number' ? cell.value : (cell.value as { result: number }).result);
    expect(amount(value('Total income'))).toBe(income / 100);
    expect(value('Total income').numFmt).toContain('£');
    expect(amount(value('Total expenditure'))).toBe(expenditure / 100);
    expect(amount(value(surplus >= 0 ? 'Surplus for the year' : 'Deficit for the year'))).toBe(surplus / 100);
    expect((value(surplus >= 0 ? 'Surplus for the year' : 'Deficit for the year').value as { formula: string }).formula).toMatch(/^ROUND\(B\d+-B\d+,2\)$/);
    expect(amount(value('Contribution from NHS Sheffield CCG'))).toBe(CONTRIBUTIONS.sccg / 100);
    const markdown = readFileSync(join(out, 'sheffield-2025-26-memorandum.md'), 'utf8');
    expect(markdown).toContain('| **Total income** | **£185,000,000.00** |');
    expect(readFileSync(join(out, 'sheffield-2025-26-memorandum.html'), 'utf8')).toContain('Contribution from Sheffield City Council');

    // The BCF year-end: one row per scheme and source of funding, spend apportioned by contribution.
    const yearEndDir = tempDir();
    const yearEnd = await writeBcfYearEndFiles(ctx(), { year: 2025, outDir: yearEndDir });
    const figures = yearEnd.yearEnd.figures;
    expect(figures.totalPence).toBe(expenditure);
    expect(figures.warnings).toEqual([]);
    const lths = figures.rows.filter((r) => r.schemeId === 'lths');
    expect(lths.map((r) => r.sourceOfFunding)).toEqual(['Additional LA Contribution', 'Additional NHS Contribution']);
    const [lthsScc, lthsSccg] = twoWay(BigInt(spend.lths), 63_000_000n, 44_000_000n);
    expect(lths.map((r) => r.expenditurePence)).toEqual([Number(lthsScc), Number(lthsSccg)]);
    expect(figures.rows.find((r) => r.schemeId === 'asr')).toMatchObject({ commissioner: 'NHS', providerType: 'NHS Community Provider', schemeType: 'Intermediate Care Services' });
    expect(figures.by.commissioner).toEqual([
      { label: 'Local Authority', expenditurePence: spend.pkw + spend.ils + spend.lths },
      { label: 'NHS', expenditurePence: spend.asr },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(yearEnd.files[0]!.path);
    const expenditureSheet = workbook.getWorksheet('Expenditure')!;
    let header = 0;
    expenditureSheet.eachRow((row, n) => {
      if (header === 0 && row.getCell(1).value === 'Scheme ID') header = n;
    });
    expect((expenditureSheet.getRow(header).values as unknown[]).slice(1)).toEqual([...EXPENDITURE_COLUMNS]);
    const rows: unknown[][] = [];
    for (let n = header + 1; n <= header + figures.rows.length; n++) rows.push((expenditureSheet.getRow(n).values as unknown[]).slice(1));
    expect(rows).toEqual(figures.rows.map((r) => [r.schemeId, r.schemeName, r.schemeType, r.subType, r.areaOfSpend, r.commissioner, r.providerType, r.sourceOfFunding, r.expenditurePence / 100]));
    const total = expenditureSheet.getRow(header + figures.rows.length + 1).getCell(9);
    expect((total.value as { result: number }).result).toBe(expenditure / 100);
    expect(total.numFmt).toContain('£');
    const summary = workbook.getWorksheet('Summary')!;
    const commissionerCells: [unknown, unknown][] = [];
    summary.eachRow((row) => {
      if (row.getCell(1).value === 'Local Authority' || row.getCell(1).value === 'NHS') commissionerCells.push([row.getCell(1).value, (row.getCell(2).value as { result: number }).result]);
    });
    expect(commissionerCells).toEqual([
      ['Local Authority', (spend.pkw + spend.ils + spend.lths) / 100],
      ['NHS', spend.asr / 100],
    ]);

    // Reopened M12: refused again, nothing written.
    await reopenPeriod(ctx(), { period: periodKey(2025, 12), reason: 'late invoice' });
    const again = tempDir();
    const reopened = await rejection(writeMemorandumFiles(ctx(), { year: 2025, outDir: join(again, 'out') }));
    expect(reopened.code).toBe('M12_NOT_CLOSED');
    expect(reopened.message).toContain('reopened');
    expect(existsSync(join(again, 'out'))).toBe(false);
  }, 120_000);

  it('checks the BCF minimums from the agreement in force: pass and fail with margins, no close needed', async () => {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    const pass = await checkBcf(ctx(), { year: 2025 });
    expect(pass.pass).toBe(true);
    expect(pass.partners).toEqual([
      { partner: 'scc', name: 'Sheffield City Council', pooledPence: 91_000_000_00, minimumPence: 3_600_000_00, marginPence: 87_400_000_00, marginBasisPoints: 242_777, pass: true },
      { partner: 'sccg', name: 'NHS Sheffield CCG', pooledPence: 94_000_000_00, minimumPence: 37_400_000_00, marginPence: 56_600_000_00, marginBasisPoints: 15_133, pass: true },
    ]);
    expect(pass.total).toMatchObject({ pooledPence: 185_000_000_00, minimumPence: 41_000_000_00, marginPence: 144_000_000_00, marginBasisPoints: 35_121 });

    // A variation raising the CCG's minimum above what it pools: it fails by £1,000,000.01.
    const dir = tempDir();
    cpSync(EXAMPLE, join(dir, 'sheffield'), { recursive: true });
    const file = join(dir, 'sheffield', 'agreement.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('sccg: "£37,400,000"', 'sccg: "£95,000,000.01"'));
    await loadAgreement(ctx(), file);
    const fail = await checkBcf(ctx(), { year: 2025 });
    expect(fail.pass).toBe(false);
    expect(fail.partners[1]).toEqual({ partner: 'sccg', name: 'NHS Sheffield CCG', pooledPence: 94_000_000_00, minimumPence: 95_000_000_01, marginPence: -1_000_000_01, marginBasisPoints: -105, pass: false });
    expect(fail.partners[0]!.pass).toBe(true);
    expect(fail.agreementVersion).toBe(2);

    expect((await rejection(checkBcf(ctx(), { year: 2026 }))).code).toBe('PERIOD_OUTSIDE_AGREEMENT');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\nbcf:\n {2}pools: \[bcf\]\n {2}minimums:\n.*\n/, '\n'));
    await loadAgreement(ctx(), file);
    expect((await rejection(checkBcf(ctx(), { year: 2025 }))).code).toBe('BCF_NOT_CONFIGURED');
  });
});
