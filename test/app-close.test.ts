// The month-end close end to end on both databases, on the Sheffield example. The expected
// figures are worked out here by hand from the agreement and EXPECTED.md (independently of the
// close code): phasing by largest remainder, on-plan and run-rate forecasts, the M03 contribution
// and recharge journals. The exported journals are read back with the real ledger-cli and hledger.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod, readClose, reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import type { TandemError } from '../src/app/errors.js';
import { importForecasts } from '../src/app/forecast-import.js';
import { importBatch } from '../src/app/import-batch.js';
import { exportJournals } from '../src/app/journal-export.js';
import { fundStatus } from '../src/app/status.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { periodKey } from '../src/domain/period.js';
import { balancesWithHledger, balancesWithLedger, checkStrict } from './support/ledger-tools.js';
import { describeEachStore } from './support/stores.js';
import { rejection } from './support/rejection.js';

const EXAMPLE = 'examples/sheffield';
const [M01, M02, M03, M04] = [1, 2, 3, 4].map((m) => periodKey(2025, m)) as [number, number, number, number];

// EXPECTED.md: YTD M03 mapped actuals, and the CCG's M03 pooled spend (recharged to the council).
const YTD_M03 = { pkw: 401109599, ils: 263102500, asr: 1294623925, lths: 2737156675, nel: 2247778000 };
const SCCG_POOLED_SPEND_M03 = 58051248 + 4500000 + 313750000 + 366940000;
// The CCG's M03 contribution: equal profiles give the 4 (pkw, asr) or 8 (lths) leftover pence
// to the first months, so M03 gets one each; ils phases £4.5m by its explicit amounts (850k of 10m).
const SCCG_CONTRIBUTION_M03 = 58333334 + 320833334 + 366666667 + 38250000;


async function loadExample(ctx: AppContext, agreement = join(EXAMPLE, 'agreement.yaml')) {
  await loadAgreement(ctx, agreement);
  for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx, { ledgerId: e.ledgerId, path: e.path });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tandem-close-'));
}

describeEachStore('closing the Sheffield example', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });
  const close = (period: number) => closePeriod(ctx(), { period, allowUnmapped: true });

  it('computes budgets, forecasts and the netted risk share that add back exactly', async () => {
    await loadExample(ctx());
    await close(M01);
    await close(M02);
    const { document: d } = await close(M03);
    const scheme = (id: string) => d.schemes.find((s) => s.id === id)!;
    expect(Object.fromEntries(d.schemes.map((s) => [s.id, s.ytdActualPence]))).toEqual(YTD_M03);
    // The monthly series behind the trend charts: EXPECTED.md's per-month table.
    expect(scheme('pkw').monthlyActualPence).toEqual([131465298, 137941823, 131702478]);
    expect(scheme('nel').monthlyActualPence).toEqual([725238000, 754735000, 767805000]);
    expect(scheme('ils').monthlyBudgetPence).toEqual([900000, 850000, 850000, 800000, 800000, 800000, 850000, 800000, 800000, 800000, 800000, 950000].map((p) => p * 100));
    // pkw: £16m in twelve equal parts, 4 leftover pence to M01..M04; on plan from here.
    expect(scheme('pkw')).toMatchObject({ annualBudgetPence: 1600000000, ytdBudgetPence: 400000002, fotBasis: 'plan', fotPence: 401109599 + 1600000000 - 400000002 });
    // lths: run rate, YTD × 12 / 3.
    expect(scheme('lths')).toMatchObject({ fotBasis: 'run_rate', fotPence: 2737156675 * 4, fotVariancePence: 2737156675 * 4 - 10700000000 });
    // nel: aligned, the CCG bears all of its own variance; shares nothing in a pool.
    const nel = scheme('nel');
    expect(nel.sharesPence).toEqual({ sccg: nel.fotVariancePence });
    expect(nel.sharingUnit).toBeNull();
    // bcf nets its four pooled schemes, then shares by its tiered, capped rule.
    const bcf = d.pools.find((p) => p.id === 'bcf')!;
    const pooledVariance = ['pkw', 'ils', 'asr', 'lths'].reduce((n, id) => n + scheme(id).fotVariancePence, 0);
    expect(bcf.fotVariancePence).toBe(pooledVariance);
    expect(Object.values(bcf.sharesPence).reduce((a, b) => a + b, 0) + bcf.retainedPence).toBe(pooledVariance);
    expect(bcf.sharesPence.scc!).toBeLessThanOrEqual(150000000 + (bcf.reasons.some((r) => r.kind === 'excess' && r.partner === 'scc') ? pooledVariance : 0));
    expect(bcf.reasons.length).toBeGreaterThan(0);
    for (const r of bcf.reasons) expect(r.text).toMatch(/£[\d,]+\.\d\d/);
    expect(scheme('pkw').sharingUnit).toBe('pool:bcf');
    for (const k of ['annualBudgetPence', 'ytdActualPence', 'fotPence', 'fotVariancePence'] as const) {
      expect(d.totals.pooled[k] + d.totals.aligned[k]).toBe(d.totals.fund[k]);
    }
    expect(d.unmapped.map((u) => u.ledger)).toEqual(['scc', 'sccg']);
  });

  it('writes the M03 contribution and recharge journals, which ledger-cli and hledger read back to the same balances', async () => {
    await loadExample(ctx());
    for (const p of [M01, M02]) await close(p);
    const { document: d } = await close(M03);
    const journal = (ledger: string, kind: string) => d.journals.find((j) => j.ledger === ledger && j.kind === kind)!;
    const debit = (j: { lines: { debitPence: number }[] }) => j.lines.reduce((n, l) => n + l.debitPence, 0);
    expect(debit(journal('sccg', 'contribution'))).toBe(SCCG_CONTRIBUTION_M03);
    expect(debit(journal('scc', 'contribution'))).toBe(SCCG_CONTRIBUTION_M03);
    expect(debit(journal('sccg', 'recharge'))).toBe(SCCG_POOLED_SPEND_M03);
    expect(d.journals.some((j) => j.kind === 'settlement')).toBe(false); // settled at M12 only (accrue_settlement: false)
    expect(d.agreementOfBalances).toHaveLength(2);
    for (const row of d.agreementOfBalances) expect([row.differencePence, row.ytdDifferencePence]).toEqual([0, 0]);

    const out = tempDir();
    const exported = await exportJournals(ctx(), { period: M03, format: 'ledger', outDir: out });
    const file = (ledger: string) => exported.files.find((f) => f.ledger === ledger)!.path;
    const expected = {
      scc: { 'scc:C4990:B2105': SCCG_CONTRIBUTION_M03, 'scc:C4990:B4105': -SCCG_POOLED_SPEND_M03, 'scc:C4990:9350': -SCCG_CONTRIBUTION_M03, 'scc:C4995:5900': SCCG_POOLED_SPEND_M03 },
      sccg: {
        'sccg:03N:709100:521900:BCF00': SCCG_CONTRIBUTION_M03,
        'sccg:03N:709100:231100:LA001': -SCCG_CONTRIBUTION_M03,
        'sccg:03N:709100:131100:LA001': SCCG_POOLED_SPEND_M03,
        'sccg:03N:709100:410950:BCF00': -SCCG_POOLED_SPEND_M03,
      },
    };
    for (const ledger of ['scc', 'sccg'] as const) {
      await checkStrict(file(ledger));
      expect(Object.fromEntries(await balancesWithLedger(file(ledger)))).toEqual(expected[ledger]);
      expect(Object.fromEntries(await balancesWithHledger(file(ledger)))).toEqual(expected[ledger]);
    }
    const csv = await exportJournals(ctx(), { period: M03, format: 'csv', outDir: out });
    expect(readFileSync(csv.files.find((f) => f.ledger === 'sccg')!.path, 'utf8').split('\r\n')[0]).toBe(
      'Date,Period,Journal Ref,Entity,Cost Centre,Account,Analysis Code,Debit,Credit,Description,Scheme,Original Analysis',
    );
  });

  it('accrues the forecast settlement monthly when the agreement says so, reversing it the next month', async () => {
    const dir = tempDir();
    const text = readFileSync(join(EXAMPLE, 'agreement.yaml'), 'utf8').replace('accrue_settlement: false', 'accrue_settlement: true');
    writeFileSync(join(dir, 'agreement.yaml'), text);
    cpSync(join(EXAMPLE, 'ledgers'), join(dir, 'ledgers'), { recursive: true });
    await loadExample(ctx(), join(dir, 'agreement.yaml'));
    const m01 = (await close(M01)).document;
    const m02 = (await close(M02)).document;
    const accrual = m01.journals.find((j) => j.kind === 'settlement' && j.variant === 'accrual' && j.ledger === 'sccg')!;
    const bcfShare = m01.pools.find((p) => p.id === 'bcf')!.sharesPence.sccg!;
    expect(bcfShare).toBeGreaterThan(0);
    expect(accrual.lines.find((l) => l.role === 'contribution_to_pool')!.debitPence).toBe(bcfShare);
    const reversal = m02.journals.find((j) => j.variant === 'reversal' && j.ledger === 'sccg')!;
    expect(reversal.lines.find((l) => l.role === 'contribution_to_pool')!.creditPence).toBe(bcfShare);
    for (const row of m02.agreementOfBalances) expect([row.differencePence, row.ytdDifferencePence]).toEqual([0, 0]);
  });

  it('locks a closed period: imports, forecasts and a second close are refused until it is reopened; the next close lists what changed', async () => {
    await loadExample(ctx());
    await close(M01);
    const dir = tempDir();
    const m01 = exampleExtracts(EXAMPLE).find((e) => e.ledgerId === 'scc' && e.path.endsWith('M01.csv'))!;
    const changed = join(dir, 'scc-m01-revised.csv');
    const original = readFileSync(m01.path, 'latin1');
    const lines = original.split('\r\n');
    lines[2] = lines[2]!.replace(/"?([\d,]+)\.(\d\d)"?$/, (_m, pounds: string, pence: string) => `"${pounds}.${pence === '99' ? '98' : '99'}"`); // one penny on the first line
    writeFileSync(changed, Buffer.from(lines.join('\r\n'), 'latin1'));
    const batchesBefore = (await ctx().store.listBatches('sheffield')).length;
    expect((await rejection(importBatch(ctx(), { ledgerId: 'scc', path: changed }))).code).toBe('PERIOD_LOCKED');
    expect((await ctx().store.listBatches('sheffield')).length).toBe(batchesBefore);
    const forecast = join(dir, 'forecast.csv');
    writeFileSync(forecast, 'scheme,period,amount\nlths,2025-26 M01,"110,000,000.00"\n');
    expect((await rejection(importForecasts(ctx(), { path: forecast }))).code).toBe('PERIOD_LOCKED');
    expect((await rejection(close(M01))).code).toBe('PERIOD_LOCKED');

    await close(M02);
    expect((await rejection(reopenPeriod(ctx(), { period: M01, reason: 'revised extract' }))).code).toBe('LATER_PERIOD_CLOSED');
    await reopenPeriod(ctx(), { period: M02, reason: 'revised forecast' });
    expect((await fundStatus(ctx())).periods.map((p) => [p.period, p.state, p.closeVersion])).toEqual([
      ['2025-26 M01', 'closed', 1],
      ['2025-26 M02', 'reopened', 1],
    ]);
    writeFileSync(forecast, 'scheme,period,amount,note\nlths,2025-26 M02,"110,000,000.00",care home fee uplift\n');
    await importForecasts(ctx(), { path: forecast });
    const again = (await close(M02)).document;
    expect(again.closeVersion).toBe(2);
    expect(again.previousVersion).toBe(1);
    const lths = again.schemes.find((s) => s.id === 'lths')!;
    expect(lths).toMatchObject({ fotPence: 11000000000, fotBasis: 'lead' });
    expect(again.changes).toContainEqual(expect.objectContaining({ kind: 'changed', path: 'schemes.lths.fotPence', after: 11000000000 }));
    expect((await readClose(ctx(), { period: M02, version: 1 })).closeVersion).toBe(1);
    const audit = await ctx().store.listAudit({ fundId: 'sheffield', action: 'reopen' });
    expect(audit.map((a) => a.details.reason)).toEqual(['revised forecast']);
  });

  it('accepts a year-to-date extract that repeats a closed month exactly, keeping the closed month on its old batch; refuses one that changes it', async () => {
    await loadExample(ctx());
    const { document: m01 } = await close(M01);
    const read = (month: string) => readFileSync(join(EXAMPLE, 'ledgers', 'scc', `2025-26-${month}.csv`), 'latin1').split('\r\n');
    const [a, b] = [read('M01'), read('M02')];
    const data = (f: string[]) => f.slice(2).filter((l) => l !== '' && !l.includes('Total'));
    const ytd = [a[0]!, a[1]!, ...data(a), ...data(b), ',,,Total,,"0.00"', ''];
    const dir = tempDir();
    writeFileSync(join(dir, 'scc-ytd-m02.csv'), Buffer.from(ytd.join('\r\n'), 'latin1'));
    const result = await importBatch(ctx(), { ledgerId: 'scc', path: join(dir, 'scc-ytd-m02.csv') });
    expect(result.unchangedClosedPeriods).toEqual(['2025-26 M01']);
    expect(result.superseded.map((s) => s.period)).toEqual(['2025-26 M02']); // only the open month moves to the new batch
    const { document: m02 } = await close(M02);
    expect(m02.sources.batches.find((s) => s.id === result.batchId)?.periods).toEqual(['2025-26 M02']);
    expect(m02.schemes.map((s) => s.monthlyActualPence[0])).toEqual(m01.schemes.map((s) => s.monthActualPence));

    const changed = [...ytd];
    changed[2] = changed[2]!.replace(/"?([\d,]+)\.(\d\d)"?$/, (_m, pounds: string, pence: string) => `"${pounds}.${pence === '99' ? '98' : '99'}"`);
    writeFileSync(join(dir, 'scc-ytd-m02-changed.csv'), Buffer.from(changed.join('\r\n'), 'latin1'));
    await reopenPeriod(ctx(), { period: M02, reason: 'test' });
    const e = await rejection(importBatch(ctx(), { ledgerId: 'scc', path: join(dir, 'scc-ytd-m02-changed.csv') }));
    expect(e.code).toBe('PERIOD_LOCKED');
    expect(e.problems[0]!.message).toMatch(/^2025-26 M01 is closed with \d+ line\(s\), £[\d,]+\.\d\d; this file has/);
  });

  it('refuses a close with unmapped lines, before the data, or outside the agreement, and writes nothing', async () => {
    await loadExample(ctx());
    expect((await rejection(closePeriod(ctx(), { period: M01 }))).code).toBe('CLOSE_UNMAPPED');
    expect((await rejection(close(M04))).code).toBe('CLOSE_NO_DATA');
    expect((await rejection(close(periodKey(2026, 1)))).code).toBe('PERIOD_OUTSIDE_AGREEMENT');
    expect(await ctx().store.listCloses('sheffield')).toEqual([]);
    expect(await ctx().store.latestPeriodEvents('sheffield')).toEqual([]);
  });

  it('rejects a bad forecast file with every problem located, and stores nothing', async () => {
    await loadExample(ctx());
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, 'scheme,period,amount\nnope,2025-26 M03,100\nlths,2025-13,100\nasr,2025-26 M03,12.345\nasr,2025-26 M03,1\nasr,2025-26 M03,2\n');
    const e = await rejection(importForecasts(ctx(), { path: file }));
    expect(e.code).toBe('FORECAST_REJECTED');
    expect(e.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['FORECAST_SCHEME_UNKNOWN', 2, 'scheme'],
      ['PERIOD_INVALID', 3, 'period'],
      ['AMOUNT_TOO_PRECISE', 4, 'amount'],
      ['FORECAST_DUPLICATE', 6, 'period'],
    ]);
    expect(await ctx().store.leadForecasts('sheffield', M03)).toEqual([]);
  });

  it('imports the same file twice at once as one batch and one "already imported", not an error', async () => {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    const { openStore } = await import('../src/store/open.js');
    const second = await openStore(current().location);
    try {
      const other: AppContext = { store: second, actor: 'other', now: () => new Date('2025-07-08T09:00:01Z') };
      const path = join(EXAMPLE, 'ledgers', 'scc', '2025-26-M01.csv');
      const results = await Promise.all([importBatch(ctx(), { ledgerId: 'scc', path }), importBatch(other, { ledgerId: 'scc', path })]);
      expect(results.map((r) => r.status).sort()).toEqual(['already-imported', 'imported']);
      expect(new Set(results.map((r) => r.batchId)).size).toBe(1);
      expect((await ctx().store.listBatches('sheffield')).length).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('runs one close of a fund at a time: two at once give one close and one refusal', async () => {
    await loadExample(ctx());
    const { openStore } = await import('../src/store/open.js');
    const second = await openStore(current().location);
    try {
      const other: AppContext = { store: second, actor: 'other', now: () => new Date('2025-07-08T09:00:01Z') };
      const results = await Promise.allSettled([close(M01), closePeriod(other, { period: M01, allowUnmapped: true })]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failed.reason as TandemError).code).toBe('PERIOD_LOCKED');
      expect((await ctx().store.listCloses('sheffield')).map((c) => c.version)).toEqual([1]);
    } finally {
      await second.close();
    }
  });
});
