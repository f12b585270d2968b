// Social investments on both databases, on the Sheffield example's Keeping Well bond: £1,500 per
// emergency admission avoided against 5,600 a month, nothing for a month under 100 avoided, at
// most £1,500,000 a year and £4,000,000 in all. Every figure is worked out here by hand; the
// journals are checked line by line and for balance; a bad register is refused, placed, unstored.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { loadContracts } from '../src/app/contracts.js';
import { investmentJournals } from '../src/app/investment-journals.js';
import { investmentsReport } from '../src/app/investments.js';
import { importMeasures } from '../src/app/measure-import.js';
import { journalTotals } from '../src/domain/journal.js';
import { periodKey } from '../src/domain/period.js';
import { rejection } from './support/rejection.js';
import { describeEachStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const M = (month: number) => periodKey(2025, month);
const REGISTER = readFileSync(join(EXAMPLE, 'contracts.yaml'), 'utf8');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tandem-investments-'));
}

function write(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

/** 1-based line and column of `value` on the first line of `text` containing `marker` (problems point at the key). */
function placeOf(text: string, marker: string, value: string): [number, number] {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  return [index + 1, lines[index]!.indexOf(value, lines[index]!.indexOf(marker)) + 1];
}

// Actuals after Q1 (M01 5,380: 220 avoided; M02 5,610 and M03 5,790: none), plans kept.
const ACTUALS_M04_M08 = ['metric,period,plan,actual', 'nel-admissions,2025-26 M04,5450,5400', 'nel-admissions,2025-26 M05,5450,5350', 'nel-admissions,2025-26 M06,5450,5300', 'nel-admissions,2025-26 M07,5450,5450', 'nel-admissions,2025-26 M08,5500,5500'].join('\n');

describeEachStore('social investments', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-12-08T09:00:00Z') });

  async function loadExample() {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    await loadContracts(ctx(), { path: join(EXAMPLE, 'contracts.yaml') });
    await importMeasures(ctx(), 'metrics', { path: join(EXAMPLE, 'metrics/2025-26-Q1.csv') });
    await importMeasures(ctx(), 'metrics', { path: join(EXAMPLE, 'metrics/2025-26-plan.csv') });
  }

  it('works out Q1 from the actuals and the rest of the year from the plan, the year cap reached in the forecast', async () => {
    await loadExample();
    const report = await investmentsReport(ctx());
    expect(report.period).toBe('2025-26 M03'); // the latest month with an actual
    const bond = report.investments[0]!;
    // M01: 5,600 − 5,380 = 220 avoided × £1,500 = £330,000. M02 and M03: above the baseline, nothing.
    expect(bond.periods.map((p) => [p.label, p.basis, p.avoided, p.duePence])).toEqual([
      ['2025-26 M01', 'actual', 220, 33_000_000],
      ['2025-26 M02', 'actual', 0, 0],
      ['2025-26 M03', 'actual', 0, 0],
    ]);
    // Plan: 150 avoided a month (5,450) M04–M07 → £225,000 each (cum. £1,230,000); M08 100 →
    // £150,000 (£1,380,000); M09, M10 50 < 100 → missed; M11 100 → £150,000 earned, only
    // £1,500,000 − £1,380,000 = £120,000 of the year cap left; M12 £225,000 earned, £0 left.
    expect(bond.forecast.map((p) => p.duePence)).toEqual([22_500_000, 22_500_000, 22_500_000, 22_500_000, 15_000_000, 0, 0, 12_000_000, 0]);
    expect(bond.forecast[7]!.steps.map((s) => s.label)).toEqual(['avoided', 'earned', 'capped_year', 'due']);
    expect(bond.forecast[5]!.steps.at(-1)!.text).toContain('50 avoided is below the minimum of 100');
    expect(bond.forecast[0]!.steps[0]!.text).toBe('avoided admissions = max(0, baseline 5,600 − planned 5,450) = 150');
    expect(bond).toMatchObject({
      capitalPence: 300_000_000,
      capitalToDatePence: 300_000_000,
      duePeriodPence: 0,
      dueYearToDatePence: 33_000_000,
      dueToDatePence: 33_000_000,
      forecastRestOfYearPence: 117_000_000,
      forecastYearPence: 150_000_000,
      totalCapLeftPence: 400_000_000 - 33_000_000,
      returnToDatePence: 33_000_000 - 300_000_000,
      missingActuals: [],
    });
    // Asked for M05 with no actuals after M03: M04 and M05 are due nothing until they come.
    const m05 = (await investmentsReport(ctx(), { period: M(5) })).investments[0]!;
    expect([m05.duePeriodPence, m05.dueYearToDatePence, m05.missingActuals]).toEqual([0, 33_000_000, ['2025-26 M04', '2025-26 M05']]);
  });

  it('reaches the year cap mid-year on the actuals, and pays nothing once it is reached', async () => {
    await loadExample();
    await importMeasures(ctx(), 'metrics', { path: write('actuals.csv', ACTUALS_M04_M08) });
    const bond = (await investmentsReport(ctx(), { period: M(8) })).investments[0]!;
    // M04 200 → £300,000 (cum. £630,000); M05 250 → £375,000 (£1,005,000); M06 300 → £450,000
    // (£1,455,000); M07 150 → £225,000 earned, £45,000 left of the year cap; M08 100 → £150,000
    // earned, nothing left. The forecast M09–M12 is all capped too.
    expect(bond.periods.map((p) => p.duePence)).toEqual([33_000_000, 0, 0, 30_000_000, 37_500_000, 45_000_000, 4_500_000, 0]);
    expect(bond.periods[6]!.steps.map((s) => s.text)).toEqual([
      'avoided admissions = max(0, baseline 5,600 − actual 5,450) = 150',
      '150 × £1,500.00 = £225,000.00',
      'capped by what is left of the year cap: £1,500,000.00 − £1,455,000.00 already due this year = £45,000.00',
      'due for 2025-26 M07: £45,000.00',
    ]);
    expect([bond.dueYearToDatePence, bond.forecastYearPence, bond.forecast.map((p) => p.duePence)]).toEqual([150_000_000, 150_000_000, [0, 0, 0, 0]]);

    const out = tempDir();
    const m07 = await investmentJournals(ctx(), { period: M(7), format: 'csv', outDir: out });
    expect(m07.raised).toEqual([{ investment: 'keeping-well-bond', ref: 'T2526M07-SIP-KEEPING-WELL-BOND', ledger: 'scc', duePence: 4_500_000, steps: bond.periods[6]!.steps.map((s) => s.text) }]);
    const journal = m07.journals[0]!;
    expect(journal).toMatchObject({ ledger: 'scc', partner: 'scc', pool: 'bcf', kind: 'outcome_payment', date: '2025-10-31', period: '2025-26 M07' });
    expect(journal.lines.map((l) => [l.codes, l.debitPence, l.creditPence, l.role, l.scheme])).toEqual([
      [{ 'Cost Centre': 'C4150', Subjective: '5950' }, 4_500_000, 0, 'fund_spend', 'pkw'],
      [{ 'Cost Centre': 'C4990', Subjective: 'B4190' }, 0, 4_500_000, 'creditor', null],
    ]);
    expect(journalTotals(journal)).toEqual({ debitPence: 4_500_000, creditPence: 4_500_000 });
    // The CSV `tandem journals` writes, one row per line, in the council's code columns.
    const file = m07.files[0]!;
    expect([file.ledger, file.journals, file.debitPence, file.path]).toEqual(['scc', 1, 4_500_000, join(out, 'sheffield-2025-26-M07-investments-scc.csv')]);
    const rows = Papa.parse<string[]>(readFileSync(file.path, 'utf8').trim()).data;
    expect(rows[0]).toEqual(['Date', 'Period', 'Journal Ref', 'Cost Centre', 'Subjective', 'Debit', 'Credit', 'Description', 'Scheme', 'Original Analysis']);
    expect(rows.slice(1).map((r) => [r[3], r[4], r[5], r[6], r[8]])).toEqual([
      ['C4150', '5950', '45000.00', '', 'pkw'],
      ['C4990', 'B4190', '', '45000.00', ''],
    ]);
    const ledgerText = await investmentJournals(ctx(), { period: M(7), format: 'ledger', outDir: out });
    expect(readFileSync(ledgerText.files[0]!.path, 'utf8')).toMatch(/scc:C4150:5950\s+45000\.00 GBP\n\s+scc:C4990:B4190\s+-45000\.00 GBP/);

    // M08: the cap is reached; M02: admissions above the baseline. No journal, no file, and why.
    const empty = tempDir();
    const m08 = await investmentJournals(ctx(), { period: M(8), format: 'csv', outDir: join(empty, 'm08') });
    expect([m08.raised, m08.files, m08.journals]).toEqual([[], [], []]);
    expect(m08.nothingDue[0]!.reason).toContain('£1,500,000.00 − £1,500,000.00 already due this year = £0.00');
    const m02 = await investmentJournals(ctx(), { period: M(2), format: 'csv', outDir: join(empty, 'm02') });
    expect(m02.nothingDue[0]!.reason).toContain('outcome missed (no admissions were avoided)');
    expect(readdirSync(empty)).toEqual([]);
  });

  it('pays nothing for a month below the minimum avoided, and refuses a metric that is not whole', async () => {
    await loadExample();
    // 5,600 − 5,501 = 99 avoided: one short of the minimum of 100, so £148,500 is not earned.
    await importMeasures(ctx(), 'metrics', { path: write('m04.csv', 'metric,period,plan,actual\nnel-admissions,2025-26 M04,5450,5501\n') });
    const m04 = (await investmentsReport(ctx(), { period: M(4) })).investments[0]!;
    expect(m04.periods[3]).toMatchObject({ avoided: 99, outcomeMet: false, earnedPence: 0, duePence: 0 });
    await importMeasures(ctx(), 'metrics', { path: write('m05.csv', 'metric,period,plan,actual\nnel-admissions,2025-26 M05,5450,5400.5\n') });
    expect((await rejection(investmentsReport(ctx(), { period: M(5) }))).code).toBe('INVESTMENT_MEASURE_NOT_WHOLE');
  });

  it('refuses a register with an unknown metric or scheme or a negative price, placed, and stores nothing', async () => {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    const meaning = REGISTER.replace('      metric: nel-admissions', '      metric: nel-admisions').replace('    scheme: pkw', '    scheme: prevention');
    const e = await rejection(loadContracts(ctx(), { path: write('c.yaml', meaning), displayName: 'contracts.yaml' }));
    expect(e.code).toBe('CONTRACTS_INVALID');
    expect(e.problems.map((p) => [p.code, p.file, p.line, p.column, p.path])).toEqual([
      ['UNKNOWN_SCHEME', 'contracts.yaml', ...placeOf(meaning, '    scheme: prevention', 'scheme'), 'investments.keeping-well-bond.scheme'],
      ['INVESTMENT_METRIC_UNKNOWN', 'contracts.yaml', ...placeOf(meaning, 'metric: nel-admisions', 'metric'), 'investments.keeping-well-bond.outcome.metric'],
      // The debit's codes map to pkw, not to the scheme named.
      ['INVESTMENT_SPEND_NOT_MAPPED', 'contracts.yaml', ...placeOf(meaning, '      spend: {Cost Centre: C4150', 'spend'), 'investments.keeping-well-bond.journal.spend'],
    ]);
    const negative = REGISTER.replace('      price: 1500', '      price: -1500');
    const n = await rejection(loadContracts(ctx(), { path: write('c.yaml', negative), displayName: 'contracts.yaml' }));
    expect(n.problems.map((p) => [p.code, p.line, p.column])).toEqual([['AMOUNT_NEGATIVE', ...placeOf(negative, 'price: -1500', 'price')]]);
    const credited = REGISTER.replace('creditor: {Cost Centre: C4990', 'creditor: {Cost Centre: C4101');
    expect((await rejection(loadContracts(ctx(), { path: write('c.yaml', credited) }))).problems.map((p) => p.code)).toEqual(['INVESTMENT_CREDITOR_MAPPED']);
    expect(await ctx().store.listContractRegisters('sheffield')).toEqual([]);
    expect(await ctx().store.listAudit({ fundId: 'sheffield', action: 'contracts.load' })).toEqual([]);
  });
});
