// The report's data for a tiny fund (test/fixtures/tiny), every figure worked out by hand:
//
// care (pooled): budget £1,800 (£600 council, £1,200 ICB), £150 a month; actuals M01 £150 (council
//   £160 less a £10 credit note) + £20 (ICB), M02 £170 + £30: YTD £370 against £300. On plan:
//   FOT £370 + 10 × £150 = £1,870, variance +£70 (3.9%: Amber).
// reable (pooled, run rate): £1,200, £100 a month; actuals £130 + £110 = £240; FOT £240 × 12 / 2 =
//   £1,440, variance +£240 (20%: Red).
// acute (aligned, ICB only): £2,400, £200 a month; actuals £210 + £190 = £400 = budget; FOT £2,400.
// Core pool nets: +£310. Proportional to contributions (council £600, ICB £2,400 of £3,000):
//   council £62, ICB £248; council capped at £30, so £32 passes to the ICB: council £30, ICB £280.
// Journals M02: the ICB's contribution £100 (care) + £100 (reable) = £200; its pooled spend
//   recharged to the council £30 (care) + £110 (reable) = £140. Year to date (M01 + M02): council's
//   debtor from the ICB £400, creditor to it £140 + £150 = £290.
// The golden file (test/golden/report-tiny-m02.json) holds the whole document; it was reviewed by
// eye against the figures above. Regenerate with UPDATE_GOLDEN=1 and review the diff.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { buildReport, reportLines } from '../src/app/report.js';
import { setCommentary } from '../src/app/commentary.js';
import { loadContracts } from '../src/app/contracts.js';
import { importMeasures } from '../src/app/measure-import.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { periodKey } from '../src/domain/period.js';
import { reopenPeriod } from '../src/app/close.js';
import { importForecasts } from '../src/app/forecast-import.js';
import { buildMemorandum } from '../src/app/returns.js';
import { rejection } from './support/rejection.js';
import { closeSheffieldMonth, sheffieldYearReports } from './support/sheffield-year.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const GOLDEN = 'test/golden/report-tiny-m02.json';
const gbp = (pounds: number) => Math.trunc(pounds * 100);

async function tinyFund(ctx: AppContext) {
  await loadAgreement(ctx, `${TINY}/agreement.yaml`);
  for (const f of ['council-m01', 'council-m02']) await importBatch(ctx, { ledgerId: 'council', path: `${TINY}/ledgers/${f}.csv` });
  for (const f of ['icb-m01', 'icb-m02']) await importBatch(ctx, { ledgerId: 'icb', path: `${TINY}/ledgers/${f}.csv` });
  await closePeriod(ctx, { period: periodKey(2025, 1) });
  await setCommentary(ctx, { schemeId: 'reable', period: periodKey(2025, 2), text: 'Winter discharge pressures started early.' });
  await closePeriod(ctx, { period: periodKey(2025, 2), allowUnmapped: true });
}

describeEachStore('report data of the tiny fund', (current, dialect) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'finance.officer', now: () => new Date('2025-06-08T09:00:00Z') });

  it('has the hand-worked figures, and matches the reviewed golden file', async () => {
    await tinyFund(ctx());
    const { data } = await buildReport(ctx(), { period: periodKey(2025, 2) });
    const scheme = (id: string) => data.pools.flatMap((p) => p.schemes).find((s) => s.id === id)!;
    expect(scheme('care')).toMatchObject({ annualBudgetPence: gbp(1800), ytdBudgetPence: gbp(300), ytdActualPence: gbp(370), fotPence: gbp(1870), fotVariancePence: gbp(70), rag: 'amber', fotBasis: 'plan' });
    expect(scheme('reable')).toMatchObject({ ytdActualPence: gbp(240), fotPence: gbp(1440), fotVariancePence: gbp(240), rag: 'red', fotBasis: 'run_rate' });
    expect(scheme('reable').commentary?.text).toBe('Winter discharge pressures started early.');
    expect(scheme('acute')).toMatchObject({ ytdActualPence: gbp(400), fotPence: gbp(2400), fotVariancePence: 0, rag: 'green' });
    expect(data.summary.map((s) => [s.id, s.annualBudgetPence, s.ytdActualPence, s.fotPence, s.fotVariancePence, s.rag])).toEqual([
      ['pooled', gbp(3000), gbp(610), gbp(3310), gbp(310), 'red'],
      ['aligned', gbp(2400), gbp(400), gbp(2400), 0, 'green'],
      ['integrated', gbp(5400), gbp(1010), gbp(5710), gbp(310), 'red'],
    ]);
    expect(data.shares).toEqual([expect.objectContaining({ unit: 'pool:core', variancePence: gbp(310), sharesPence: { council: gbp(30), icb: gbp(280) }, retainedPence: 0 })]);
    expect(data.exposure.map((e) => e.sharePence)).toEqual([gbp(30), gbp(280)]);
    expect(data.series[0]!.monthlyActualPence).toEqual([gbp(150 + 20 + 130 + 210), gbp(170 + 30 + 110 + 190)]);
    const debit = (ledger: string, kind: string) =>
      data.journals.find((l) => l.ledger === ledger)!.journals.find((j) => j.kind === kind)!.lines.reduce((n, l) => n + l.debitPence, 0);
    expect([debit('icb', 'contribution'), debit('icb', 'recharge')]).toEqual([gbp(200), gbp(140)]);
    expect(data.balances.find((b) => b.partner === 'council')).toMatchObject({ debtorPence: gbp(200), creditorPence: gbp(140), ytdDebtorPence: gbp(400), ytdCreditorPence: gbp(290), differencePence: 0, ytdDifferencePence: 0 });
    expect(data.unmapped).toEqual([{ ledger: 'icb', lines: 1, amountPence: gbp(5) }]);

    // The golden file: everything but what differs by database (batch ids are the same; the
    // close's hash covers the closing time and actor, which are fixed here).
    const actual = JSON.stringify(data, null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN && dialect === 'sqlite') writeFileSync(GOLDEN, actual);
    expect(existsSync(GOLDEN)).toBe(true);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('streams the mapped lines behind the figures, only from the periods each batch supplied', async () => {
    await tinyFund(ctx());
    const report = await buildReport(ctx(), { period: periodKey(2025, 2) });
    const rows: [string, string, number][] = [];
    for (const batch of await reportLines(ctx(), report)) {
      for await (const chunk of batch.lines) for (const l of chunk) rows.push([batch.ledger, l.schemeId, l.amountPence]);
    }
    expect(rows.length).toBe(9); // 10 lines imported, one unmapped
    const total = (scheme: string) => rows.filter((r) => r[1] === scheme).reduce((n, r) => n + r[2], 0);
    expect([total('care'), total('reable'), total('acute')]).toEqual([gbp(370), gbp(240), gbp(400)]);
  });
});

describeEachStore('report data next to the money (Sheffield)', (current) => {
  const EXAMPLE = 'examples/sheffield';
  const M03 = periodKey(2025, 3);

  it('shows contracts and metrics as they stood at the close: a later register or correction file changes nothing', async () => {
    let tick = 0;
    const ctx: AppContext = { store: current().store, actor: 'finance.officer', now: () => new Date(Date.UTC(2025, 6, 8, 9, 0, tick++)) };
    await loadAgreement(ctx, join(EXAMPLE, 'agreement.yaml'));
    for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx, { ledgerId: e.ledgerId, path: e.path });
    await loadContracts(ctx, { path: join(EXAMPLE, 'contracts.yaml') });
    for (const kind of ['activity', 'outcomes', 'metrics'] as const) await importMeasures(ctx, kind, { path: join(EXAMPLE, `${kind}/2025-26-Q1.csv`) });
    for (const month of [1, 2, 3]) await closePeriod(ctx, { period: periodKey(2025, month), allowUnmapped: true });
    const before = (await buildReport(ctx, { period: M03 })).data;
    // The figures of docs/contracts.md (tandem contracts --period "2025-26 M03").
    expect(before.contracts!.rows.map((r) => [r.id, r.dueYtdPence, r.spendYtdPence, r.spendMinusDuePence])).toEqual([
      ['intermediate-care', 750_000_000, 743_750_000, -6_250_000],
      ['step-down-beds', 107_700_000, 111_000_000, 3_300_000],
      ['community-equipment', 212_040_000, 212_105_000, 65_000],
      ['carers-support', 28_500_000, 28_950_000, 450_000],
    ]);
    expect(before.metrics!.rows.find((m) => m.id === 'nel-admissions')!.periods.map((p) => [p.period, p.actualHundredths, p.rag])).toEqual([
      ['2025-26 M01', 538_000, 'green'],
      ['2025-26 M02', 561_000, 'amber'],
      ['2025-26 M03', 579_000, 'red'],
    ]);
    expect(before.multiYear.partners.map((p) => [p.partner, p.closedTo, p.riskSharePence])).toEqual(before.exposure.map((e) => [e.partner, 'M03', e.sharePence]));

    // After the close: a new register version (a dearer contract), a metric correction and more activity.
    const dir = mkdtempSync(join(tmpdir(), 'tandem-report-planning-'));
    writeFileSync(join(dir, 'contracts.yaml'), readFileSync(join(EXAMPLE, 'contracts.yaml'), 'utf8').replace('value: 30000000', 'value: 36000000'));
    await loadContracts(ctx, { path: join(dir, 'contracts.yaml') });
    writeFileSync(join(dir, 'metrics.csv'), 'metric,period,plan,actual\nnel-admissions,2025-26 M03,5450,5000\n');
    await importMeasures(ctx, 'metrics', { path: join(dir, 'metrics.csv') });
    writeFileSync(join(dir, 'activity.csv'), 'contract,period,units\nstep-down-beds,2025-26 M03,9999\n');
    await importMeasures(ctx, 'activity', { path: join(dir, 'activity.csv') });
    const after = (await buildReport(ctx, { period: M03 })).data;
    expect({ ...after, provenance: null }).toEqual({ ...before, provenance: null });
  });
});

describeEachStore('the M12 report: the memorandum account of the pooled budgets', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2026-04-20T09:00:00Z') });
  const M12 = periodKey(2025, 12);

  it('carries at M12 exactly the account tandem returns memorandum gives, none at M11; a forecast outturn becomes a note; each close version keeps its own', async () => {
    const { m11, m12, memorandum } = await sheffieldYearReports(ctx());
    expect(m11.data.memorandum).toBeNull();
    expect(m12.data.memorandum).toEqual({ account: memorandum.account, refusal: null });
    const account = m12.data.memorandum!.account!;
    // The same close as the rest of the report: its pooled actual and the bcf pool's shares.
    expect(account.pools.map((p) => p.pool)).toEqual(['bcf']);
    expect(account.totals.incomePence).toBe(185_000_000_00);
    expect(account.totals.expenditurePence).toBe(m12.data.summary[0]!.ytdActualPence);
    const bcf = m12.data.shares.find((u) => u.unit === 'pool:bcf')!;
    expect(account.pools[0]!.shares.map((x) => [x.partner, -x.shareOfSurplusPence + 0])).toEqual(Object.entries(bcf.sharesPence));

    // A lead's M12 forecast for lths, shared by a second close of M12: the account cannot reconcile.
    await reopenPeriod(ctx(), { period: M12, reason: 'lead forecast for lths' });
    const dir = mkdtempSync(join(tmpdir(), 'tandem-m12-forecast-'));
    writeFileSync(join(dir, 'forecast.csv'), 'scheme,period,amount\nlths,2025-26 M12,111234567.89\n');
    await importForecasts(ctx(), { path: join(dir, 'forecast.csv') });
    await closeSheffieldMonth(ctx(), 12);
    const forecast = (await buildReport(ctx(), { period: M12 })).data;
    expect(forecast.provenance.closeVersion).toBe(2);
    expect(forecast.memorandum).toEqual({ account: null, refusal: { code: 'OUTTURN_NOT_ACTUAL', reason: expect.stringContaining("lead's forecast outturn for scheme lths (£111,234,567.89)") } });
    const refused = await rejection(buildMemorandum(ctx(), { year: 2025 }));
    expect(refused.code).toBe('OUTTURN_NOT_ACTUAL');
    expect(refused.message).toBe(`${forecast.memorandum!.refusal!.reason}; nothing was written`);
    // The first close of M12, reported again, still gives its account.
    expect((await buildReport(ctx(), { period: M12, version: 1 })).data.memorandum).toEqual(m12.data.memorandum);
  }, 180_000);
});
