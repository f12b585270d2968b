// Contracts, activity, outcomes and metrics on both databases, on the Sheffield example: the
// register checked against the agreement (problems placed at file, line and column), each
// import all-or-nothing and idempotent, spend matched from the example ledgers' stored totals,
// and each contract's payment worked out here by hand from the register's terms.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { contractsReport } from '../src/app/contract-report.js';
import type { AppContext } from '../src/app/context.js';
import { loadContracts } from '../src/app/contracts.js';
import { importBatch } from '../src/app/import-batch.js';
import { importMeasures } from '../src/app/measure-import.js';
import { metricsReport } from '../src/app/metrics.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { periodKey } from '../src/domain/period.js';
import { rejection } from './support/rejection.js';
import { describeEachStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const M02 = periodKey(2025, 2);
const M03 = periodKey(2025, 3);

function write(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tandem-contracts-')), name);
  writeFileSync(path, text);
  return path;
}

describeEachStore('contracts, activity, outcomes and metrics', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });

  async function loadExample(withLedgers = true) {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    if (withLedgers) for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx(), { ledgerId: e.ledgerId, path: e.path });
    await loadContracts(ctx(), { path: join(EXAMPLE, 'contracts.yaml') });
  }

  it('matches spend on the example ledgers and works out what each mechanism makes due', async () => {
    await loadExample();
    await importMeasures(ctx(), 'activity', { path: join(EXAMPLE, 'activity/2025-26-Q1.csv') });
    await importMeasures(ctx(), 'outcomes', { path: join(EXAMPLE, 'outcomes/2025-26-Q1.csv') });
    const report = await contractsReport(ctx(), { period: M03 });
    const row = (id: string) => report.contracts.find((c) => c.id === id)!;
    // Block: £30m a year in equal twelfths (£2.5m, no leftover pence), three months.
    // Spend: the CCG's ASR01 lines, £2.5m a month less the June CQUIN adjustment of £62,500.
    expect(row('intermediate-care')).toMatchObject({ dueYtdPence: 750000000, dueMonthPence: 250000000, spendYtdPence: 750000000 - 6250000, spendMonthPence: 250000000 - 6250000, spendMinusDuePence: -6250000 });
    // Cost and volume: 1,780 + 1,845 + 1,760 = 5,385 bed days at £200, below the 21,600 threshold.
    // Spend: cost centre C4302, £356,000 a month and £42,000 of winter-tail beds in May.
    expect(row('step-down-beds')).toMatchObject({ unitsYtd: 5385, dueYtdPence: 5385 * 20000, dueMonthPence: 1760 * 20000, spendYtdPence: (356000 * 3 + 42000) * 100 });
    // 47,120 items at £45. Spend: C4201 with subjective 5004 only (loans and specials), not the
    // recycled-equipment credits (9210) or the depreciation (8100, out of scope) on the same cost centre.
    expect(row('community-equipment')).toMatchObject({ unitsYtd: 47120, dueYtdPence: 47120 * 4500, spendYtdPence: (612400 + 84600 + 628150 + 79880 + 634700 + 81320) * 100, matchedOutsideSchemesPence: 0 });
    // Outcome: 650 outcomes; the first 600 of the year at £450, the next 50 at £300; under the cap.
    // M03 alone: YTD £285,000 less M02's (419 × £450 = £188,550).
    expect(row('carers-support')).toMatchObject({ outcomesYtd: 650, dueYtdPence: (600 * 450 + 50 * 300) * 100, dueMonthPence: (600 * 450 + 50 * 300 - 419 * 450) * 100, spendYtdPence: 96500 * 3 * 100 });
    expect(report.totals.dueYtdPence).toBe(report.contracts.reduce((n, c) => n + c.dueYtdPence, 0));
    expect(report.warnings).toEqual([]);
    // Up to M02 only: activity after it and ledger lines after it are not counted.
    const m02 = await contractsReport(ctx(), { period: M02 });
    expect(m02.contracts.find((c) => c.id === 'step-down-beds')).toMatchObject({ unitsYtd: 3625, dueYtdPence: 3625 * 20000, spendYtdPence: (356000 * 2 + 42000) * 100 });
  });

  it('rejects a register with every problem placed, stores nothing, and stores an identical file once', async () => {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    const bad = write(
      'contracts.yaml',
      [
        'providers:',
        '  - {id: acme, name: Acme Care}',
        'contracts:',
        '  - id: c1',
        '    name: Home care',
        '    provider: nobody',
        '    lead_commissioner: scc',
        '    schemes: [lths, nope]',
        '    value: 1000',
        '    start: 2025-26 M06',
        '    end: 2025-26 M01',
        '    payment: {kind: block}',
        '    spend:',
        '      - ledger: scc',
        '        when: {Description: ACME}',
        '',
      ].join('\n'),
    );
    const e = await rejection(loadContracts(ctx(), { path: bad, displayName: 'contracts.yaml' }));
    expect(e.code).toBe('CONTRACTS_INVALID');
    expect(e.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['CONTRACT_PROVIDER_UNKNOWN', 6, 5],
      ['UNKNOWN_SCHEME', 8, 21],
      ['CONTRACT_TERM_INVALID', 11, 5],
      ['CONTRACT_COLUMN_NOT_CODE', 15, 16],
    ]);
    expect(e.problems.every((p) => p.file === 'contracts.yaml')).toBe(true);
    expect(await ctx().store.listContractRegisters('sheffield')).toEqual([]);
    const shape = await rejection(loadContracts(ctx(), { path: write('c.yaml', 'contracts:\n  - id: c1\n    payment: {kind: barter}\n') }));
    expect(shape.problems.map((p) => p.code)).toContain('SCHEMA_VALUE');

    const first = await loadContracts(ctx(), { path: join(EXAMPLE, 'contracts.yaml') });
    const again = await loadContracts(ctx(), { path: join(EXAMPLE, 'contracts.yaml') });
    expect([first.created, first.version, again.created, again.version]).toEqual([true, 1, false, 1]);
    expect((await ctx().store.listAudit({ fundId: 'sheffield', action: 'contracts.load' })).length).toBe(1);
  });

  it('imports activity from an XLSX sheet as from CSV, and names the real line after blank lines and quoted line breaks', async () => {
    await loadExample(false);
    // The example's Q1 activity as a workbook: numbers as numbers, the note column left empty on one row.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Activity');
    const csv = readFileSync(join(EXAMPLE, 'activity/2025-26-Q1.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    for (const [i, row] of csv.entries()) sheet.addRow(i === 0 ? row : [row[0], row[1], Number(row[2]), i === 2 ? null : row[3]]);
    const xlsx = join(mkdtempSync(join(tmpdir(), 'tandem-contracts-')), 'activity.xlsx');
    await book.xlsx.writeFile(xlsx);
    const fromXlsx = await importMeasures(ctx(), 'activity', { path: xlsx });
    expect(fromXlsx).toMatchObject({ status: 'imported', lines: csv.length - 1 });
    const inForce = await ctx().store.measuresInForce('sheffield', 'activity');
    expect(inForce.find((m) => m.subject === 'step-down-beds' && m.period === M02)?.value).toBe(1845);

    // CSV: a blank line and a note with a line break inside quotes come before the bad line.
    const bad = write('late.csv', 'contract,period,units,note\n\nstep-down-beds,2025-26 M04,10,"two\nlines"\nstep-down-beds,2025-26 M05,ten,\n');
    const e = await rejection(importMeasures(ctx(), 'activity', { path: bad }));
    expect(e.problems.map((p) => [p.line, p.column, p.code])).toEqual([[5, 'units', 'MEASURE_COUNT_INVALID']]); // header 1, blank 2, the note's two lines 3–4
    const broken = write('broken.csv', 'contract,period,units\nstep-down-beds,2025-26 M04,"10\n');
    expect((await rejection(importMeasures(ctx(), 'activity', { path: broken }))).problems.map((p) => p.code)).toEqual(['CSV_MALFORMED']);
  });

  it('rejects an activity file with every bad line and writes nothing; the same file twice counts once', async () => {
    await loadExample(false);
    const bad = write(
      'activity.csv',
      [
        'contract,period,units',
        'step-down-beds,2025-26 M01,1780',
        'nobody,2025-26 M01,10',
        'step-down-beds,2025-26 M13,10',
        'step-down-beds,2025-26 M02,12.5',
        'step-down-beds,2027-28 M01,10',
        'step-down-beds,2025-06,10,extra',
        'step-down-beds,2025-04,5',
      ].join('\n'),
    );
    const e = await rejection(importMeasures(ctx(), 'activity', { path: bad, displayName: 'activity.csv' }));
    expect(e.code).toBe('ACTIVITY_REJECTED');
    expect(e.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [3, 'contract', 'MEASURE_CONTRACT_UNKNOWN'],
      [4, 'period', 'PERIOD_INVALID'],
      [5, 'units', 'MEASURE_COUNT_INVALID'],
      [6, 'period', 'MEASURE_OUTSIDE_TERM'],
      [7, '', 'FIELD_COUNT'],
      [8, 'period', 'MEASURE_DUPLICATE'],
    ]);
    expect(await ctx().store.listMeasureBatches('sheffield')).toEqual([]);
    expect(await ctx().store.listAudit({ fundId: 'sheffield', action: 'activity.import' })).toEqual([]);
    const missing = await rejection(importMeasures(ctx(), 'outcomes', { path: write('o.csv', 'contract,period,units\ncarers-support,2025-26 M01,3\n') }));
    expect([missing.code, missing.problems[0]!.code, missing.problems[0]!.column]).toEqual(['OUTCOMES_REJECTED', 'COLUMN_MISSING', 'outcomes']);

    const file = join(EXAMPLE, 'activity/2025-26-Q1.csv');
    const first = await importMeasures(ctx(), 'activity', { path: file });
    const again = await importMeasures(ctx(), 'activity', { path: file });
    expect([first.status, again.status, again.batchId]).toEqual(['imported', 'already-imported', first.batchId]);
    expect((await ctx().store.listMeasureBatches('sheffield', 'activity')).length).toBe(1);
    expect((await ctx().store.measuresInForce('sheffield', 'activity')).length).toBe(9);
    // A correction: a later file's line for the same contract and month is the one in force.
    await importMeasures(ctx(), 'activity', { path: write('fix.csv', 'contract,period,units\nstep-down-beds,2025-26 M02,1800\n') });
    const beds = (await ctx().store.measuresInForce('sheffield', 'activity')).filter((m) => m.subject === 'step-down-beds').map((m) => m.value);
    expect(beds).toEqual([1780, 1800, 1760]);
    expect((await ctx().store.listAudit({ fundId: 'sheffield', action: 'activity.import' })).length).toBe(2);
  });

  it('imports metrics and shows each month against plan with its RAG', async () => {
    await loadExample(false);
    const bad = await rejection(importMeasures(ctx(), 'metrics', { path: write('m.csv', 'metric,period,plan,actual\nnel-admissions,2025-26 M01,,\nwho,2025-26 M01,1,1\nnel-admissions,2025-26 M02,5450,12.345\n') }));
    expect(bad.code).toBe('METRICS_REJECTED');
    expect(bad.problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'MEASURE_VALUE_MISSING'],
      [3, 'MEASURE_METRIC_UNKNOWN'],
      [4, 'MEASURE_VALUE_INVALID'],
    ]);
    expect(await ctx().store.listMeasureBatches('sheffield')).toEqual([]);
    await importMeasures(ctx(), 'metrics', { path: join(EXAMPLE, 'metrics/2025-26-Q1.csv') });
    const report = await metricsReport(ctx());
    const rags = Object.fromEntries(report.metrics.map((m) => [m.id, m.periods.map((p) => p.rag)]));
    // nel: +160 on 5,450 is 2.9% worse (amber, over 0%), +340 is 6.2% (red, over 5%).
    // discharge: 92.0 against 92.5 is 0.54% worse (amber), 90.2 is 2.49% (red, over 2%).
    expect(rags).toEqual({
      'nel-admissions': ['green', 'amber', 'red'],
      'discharge-usual-place': ['green', 'amber', 'red'],
      'care-home-admissions-65': ['green', 'amber', 'green'],
      'reablement-91-days': ['green', 'amber', 'green'],
    });
    const nel = report.metrics.find((m) => m.id === 'nel-admissions')!;
    expect(nel.latest).toEqual({ period: '2025-26 M03', planHundredths: 545000, actualHundredths: 579000, differenceHundredths: 34000, rag: 'red' });
  });
});
