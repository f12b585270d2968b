// The year-end end to end on both databases (docs/year-end.md), on a small two-year fund whose
// figures are worked out here by hand: a netted pool that retains its underspend and uplifts its
// contributions by 5.66%, and an aligned scheme whose next-year contribution the agreement states.
// All twelve months of 2025-26 are closed, the year is ended, and M01 of 2026-27 is closed on the
// version the year-end made. A year-end with M12 still open closes it first, in its own
// transaction. Each refusal is checked to write nothing, the M12 close included.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod, reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { multiYear } from '../src/app/multi-year.js';
import { verify } from '../src/app/verify.js';
import { runYearEnd } from '../src/app/year-end.js';
import { calendarMonthOf, periodKey } from '../src/domain/period.js';
import { rejection } from './support/rejection.js';
import { describeEachStore } from './support/stores.js';

const AGREEMENT = `
fund: {id: yr, name: Year Test Fund}
years: ["2025-26", "2026-27"]
partners:
  - {id: council, name: Year Council, kind: council}
  - {id: icb, name: Year ICB, kind: icb}
pools:
  - id: core
    name: Core pool
    host: council
    netting: true
    risk_share:
      overspend: {rule: proportional}
      underspend: {rule: retain}
  - {id: hospital, name: Aligned hospital, host: null, netting: false}
schemes:
  - {id: care, name: Care at home, pool: core, type: pooled, contributions: {"2025-26": {council: 1234.56, icb: 2400}}}
  - {id: reable, name: Reablement, pool: core, type: pooled, contributions: {"2025-26": {icb: 1200}}}
  - {id: acute, name: Acute admissions, pool: hospital, type: aligned, contributions: {"2025-26": {icb: 2400}, "2026-27": {icb: 3000}}}
ledgers:
  - id: council
    name: Council ledger
    partner: council
    extract: {format: csv, date_format: DD/MM/YYYY, columns: {date: Date, amount: Amount, description: Description, codes: [Cost Centre]}}
    rules:
      - {when: {Cost Centre: CC100}, scheme: care}
  - id: icb
    name: ICB ledger
    partner: icb
    extract: {format: csv, date_format: DD/MM/YYYY, columns: {date: Date, amount: Amount, description: Description, codes: [Account]}}
    rules:
      - {when: {Account: ACC1}, scheme: care}
      - {when: {Account: ACC2}, scheme: reable}
      - {when: {Account: ACC3}, scheme: acute}
coding:
  council:
    code_columns: [Cost Centre]
    contribution_to_pool: {Cost Centre: CC900}
    pool_income: {Cost Centre: CC901}
    debtor: {icb: {Cost Centre: CC910}}
    creditor: {icb: {Cost Centre: CC920}}
    fund_spend: {Cost Centre: CC930}
  icb:
    code_columns: [Account]
    contribution_to_pool: {Account: ACC900}
    pool_income: {Account: ACC901}
    debtor: {council: {Account: ACC910}}
    creditor: {council: {Account: ACC920}}
    fund_spend: {Account: ACC930}
year_end:
  uplift:
    - {pool: core, percent: 5.66}
`;

/** Care's council contribution cut to £100, so the core pool (budget £3,700, actuals £4,080) overspends by £380. */
const OVERSPENT = AGREEMENT.replace('{council: 1234.56, icb: 2400}', '{council: 100, icb: 2400}');

const Y = 2025;
const NEXT = 2026;

describeEachStore('the year-end', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2026-04-20T09:00:00Z') });
  const dir = mkdtempSync(join(tmpdir(), 'tandem-year-end-'));
  const written = async () => ({
    versions: (await current().store.listAgreementVersions('yr')).length,
    audit: (await current().store.listAudit({ fundId: 'yr' })).length,
    yearEnds: (await current().store.listYearEnds('yr')).length,
    closes: (await current().store.listCloses('yr')).length,
    periodEvents: (await current().store.listPeriodEvents('yr')).length,
  });

  /** Each month: council £100 on care; ICB £150 on care, £90 on reablement, £200 on acute. */
  async function importMonth(year: number, month: number): Promise<void> {
    const { year: cy, month: cm } = calendarMonthOf(periodKey(year, month));
    const date = `15/${String(cm).padStart(2, '0')}/${cy}`;
    const council = join(dir, `council-${year}-${month}.csv`);
    const icb = join(dir, `icb-${year}-${month}.csv`);
    writeFileSync(council, `Date,Cost Centre,Description,Amount\n${date},CC100,Home care,100.00\n`);
    writeFileSync(icb, `Date,Account,Description,Amount\n${date},ACC1,Care contract,150.00\n${date},ACC2,Reablement team,90.00\n${date},ACC3,Admissions,200.00\n`);
    await importBatch(ctx(), { ledgerId: 'council', path: council });
    await importBatch(ctx(), { ledgerId: 'icb', path: icb });
  }

  async function closeMonths(year: number, upTo: number): Promise<void> {
    for (let m = 1; m <= upTo; m++) {
      await importMonth(year, m);
      await closePeriod(ctx(), { period: periodKey(year, m) });
    }
  }

  async function setUp(text = AGREEMENT): Promise<void> {
    const file = join(dir, `agreement-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    await loadAgreement(ctx(), file);
  }

  it('is refused while a month M01..M11 is open, and writes nothing (M12 is not closed either)', async () => {
    await setUp();
    await closeMonths(Y, 10);
    await importMonth(Y, 11);
    await importMonth(Y, 12);
    const before = await written();
    const e = await rejection(runYearEnd(ctx(), { year: Y }));
    expect(e.code).toBe('YEAR_NOT_CLOSED');
    expect(e.problems.map((p) => p.message)).toEqual(['2025-26 M11 is open']);
    expect(await written()).toEqual(before);
    expect(before.yearEnds).toBe(0);
    expect(await current().store.getClose('yr', periodKey(Y, 12))).toBeUndefined();
  });

  it('closes M12 itself when it is open, as a normal close of M12, and ends the year', async () => {
    await setUp(OVERSPENT);
    await closeMonths(Y, 11);
    await importMonth(Y, 12);
    // The same data closed normally, then reopened: the year-end's close must match it.
    const { document: normal } = await closePeriod(ctx(), { period: periodKey(Y, 12) });
    await reopenPeriod(ctx(), { period: periodKey(Y, 12), reason: 'to let the year-end close it' });
    const result = await runYearEnd(ctx(), { year: Y });
    expect(result.created).toBe(true);
    expect(result.document).toMatchObject({ closedM12: true, closeVersion: 2, year: '2025-26', nextYear: '2026-27' });
    expect(result.close!.document).toMatchObject({ period: '2025-26 M12', closeVersion: 2, previousVersion: 1, changes: [] });
    const record = (await current().store.getClose('yr', periodKey(Y, 12)))!;
    expect(record.version).toBe(2);
    expect(record.documentSha256).toBe(result.close!.sha256);
    const made = JSON.parse(record.documentJson) as typeof normal;
    expect(made.journals).toEqual(normal.journals);
    expect(made.pools).toEqual(normal.pools);
    // £380 overspent, shared in proportion to contributions: the settlement journals exist and are the year's.
    const settlement = [...new Set(made.journals.filter((j) => j.kind === 'settlement' && j.variant === 'standard').map((j) => j.ref))];
    expect(settlement.length).toBeGreaterThan(0);
    expect(result.document.settlementJournals).toEqual(settlement);
    expect(result.document.settlement.units[0]!.variancePence).toBe(38_000);
    const events = await current().store.listPeriodEvents('yr');
    expect(events.at(-1)).toMatchObject({ period: periodKey(Y, 12), action: 'close', closeId: record.id });
    const actions = (await current().store.listAudit({ fundId: 'yr' })).map((e) => `${e.action} ${e.subject}`).slice(-3);
    expect(actions).toEqual(['close close:2025-26 M12:v2', 'year.end year-end:2025-26', 'year.end.version agreement:2']);
    // A second run changes nothing and says the stored year-end closed M12.
    const again = await runYearEnd(ctx(), { year: Y });
    expect(again).toEqual({ created: false, document: result.document, sha256: result.sha256 });
  });

  it('closes an open M12 in the same transaction: a refusal after the close leaves M12 open and writes nothing', async () => {
    // The council bears part of the £380 overspend, and the recovery plan takes it off its 2026-27
    // contribution to reablement, which it has none of: BUDGET_NEGATIVE, after the M12 close.
    await setUp(OVERSPENT.replace('year_end:\n', 'year_end:\n  overspend_recovery:\n    - {pool: core, from_scheme: reable}\n'));
    await closeMonths(Y, 11);
    await importMonth(Y, 12);
    const before = await written();
    const e = await rejection(runYearEnd(ctx(), { year: Y }));
    expect(e.code).toBe('BUDGET_NEGATIVE');
    expect(await written()).toEqual(before);
    expect(await current().store.getClose('yr', periodKey(Y, 12))).toBeUndefined();
    // M12 is open and closes normally afterwards.
    const { document } = await closePeriod(ctx(), { period: periodKey(Y, 12) });
    expect(document.closeVersion).toBe(1);
  });

  it('passes --allow-unmapped to the close of M12 it makes', async () => {
    await setUp();
    await closeMonths(Y, 11);
    await importMonth(Y, 12);
    // M12's council extract again, with a line no rule maps.
    const stray = join(dir, 'council-unmapped.csv');
    writeFileSync(stray, 'Date,Cost Centre,Description,Amount\n15/03/2026,CC100,Home care,100.00\n20/03/2026,CC555,Unknown,12.34\n');
    await importBatch(ctx(), { ledgerId: 'council', path: stray });
    const before = await written();
    expect((await rejection(runYearEnd(ctx(), { year: Y }))).code).toBe('CLOSE_UNMAPPED');
    expect(await written()).toEqual(before);
    const result = await runYearEnd(ctx(), { year: Y, allowUnmapped: true });
    expect(result.document.closedM12).toBe(true);
    expect(result.close!.document.unmapped).toEqual([{ ledger: 'council', lines: 1, amountPence: 1_234 }]);
  });

  it('carries the retained underspend and the uplifted contributions into the next year, which its closes use', async () => {
    await setUp();
    await closeMonths(Y, 12);
    const result = await runYearEnd(ctx(), { year: Y });
    expect(result.created).toBe(true);
    expect(result.close).toBeUndefined();
    const d = result.document;
    expect(d.closedM12).toBe(false);
    // Core pool: budget £1,234.56 + £2,400 + £1,200 = £4,834.56; actuals 12 × (£100 + £150 + £90)
    // = £4,080; variance −£754.56, retained (underspend rule retain): nobody is handed anything.
    expect(d.settlement.units).toEqual([{ unit: 'pool:core', pool: 'core', variancePence: -75_456, sharesPence: { council: 0, icb: 0 }, retainedPence: -75_456 }]);
    expect(d.settlement.retainedPence).toBe(-75_456);
    expect(d).toMatchObject({ year: '2025-26', nextYear: '2026-27', closeVersion: 1, agreementVersion: 2, effectiveFrom: '2026-27 M01' });
    // Uplift 5.66% once, nearest penny: care council 123,456p × 566 / 10,000 = 6,987.6096p → 6,988p,
    // so 130,444p; care ICB 240,000p → 253,584p; reablement ICB 120,000p → 126,792p (both exact).
    // Acute keeps the £3,000 the agreement states. The carry-forward line: the host's 75,456p.
    expect(d.nextContributions).toEqual({
      care: { council: 130_444, icb: 253_584 },
      reable: { icb: 126_792 },
      'core-carry-forward-2025-26': { council: 75_456 },
      acute: { icb: 300_000 },
    });
    expect(d.lines.map((l) => [l.kind, l.scheme, l.partner, l.amountPence, l.basePence])).toEqual([
      ['uplift', 'care', 'council', 130_444, 123_456],
      ['uplift', 'care', 'icb', 253_584, 240_000],
      ['uplift', 'reable', 'icb', 126_792, 120_000],
      ['stated', 'acute', null, 300_000, null],
      ['carry_forward', 'core-carry-forward-2025-26', 'council', 75_456, null],
    ]);
    const versions = await current().store.listAgreementVersions('yr');
    expect(versions.map((v) => [v.version, v.effectiveFrom, v.sourceFile])).toEqual([
      [1, null, versions[0]!.sourceFile],
      [2, periodKey(NEXT, 1), 'year-end:2025-26'],
    ]);
    const actions = (await current().store.listAudit({ fundId: 'yr' })).map((e) => `${e.action} ${e.subject}`).filter((a) => a.startsWith('year.end'));
    expect(actions).toEqual(['year.end year-end:2025-26', 'year.end.version agreement:2']);

    // M01 of 2026-27 on version 2. Care: 384,028p in twelve parts of 32,002p with 4p over (M01..M04
    // take one each): 32,003p. Carry-forward: 75,456p / 12 = 6,288p. Reablement: 10,566p.
    await importMonth(NEXT, 1);
    const { document: m01 } = await closePeriod(ctx(), { period: periodKey(NEXT, 1) });
    expect(m01.agreementVersion).toBe(2);
    const scheme = (id: string) => m01.schemes.find((s) => s.id === id)!;
    expect(scheme('care')).toMatchObject({ annualBudgetPence: 384_028, ytdBudgetPence: 32_003 });
    expect(scheme('core-carry-forward-2025-26')).toMatchObject({ annualBudgetPence: 75_456, ytdBudgetPence: 6_288, ytdActualPence: 0, pool: 'core', type: 'pooled' });
    expect(scheme('reable')).toMatchObject({ annualBudgetPence: 126_792, ytdBudgetPence: 10_566 });
    expect(scheme('acute')).toMatchObject({ annualBudgetPence: 300_000, ytdBudgetPence: 25_000 });
    // The ICB's M01 contribution to the council's pool: care 253,584p / 12 = 21,132p and
    // reablement 10,566p; the carry-forward is already the council's, so it moves nothing.
    const contribution = m01.journals.find((j) => j.ledger === 'icb' && j.kind === 'contribution')!;
    expect(contribution.lines.reduce((n, l) => n + l.debitPence, 0)).toBe(21_132 + 10_566);
    // The version the year-end made is audited as verify expects of every version.
    const report = await verify(ctx());
    expect(report.checks.filter((c) => c.status === 'failure')).toEqual([]);
    expect(report.ok).toBe(true);

    // The multi-year view.
    const view = await multiYear(ctx());
    const row = (year: string, id: string) => view.schemes.find((s) => s.year === year && s.scheme === id)!;
    expect(row('2025-26', 'care')).toMatchObject({ originalBudgetPence: 363_456, currentBudgetPence: 363_456, outturnPence: 300_000, closedTo: 'M12', carriedInPence: 0, final: true });
    expect(row('2025-26', 'reable')).toMatchObject({ originalBudgetPence: 120_000, outturnPence: 108_000 });
    expect(view.schemes.some((s) => s.year === '2025-26' && s.scheme === 'core-carry-forward-2025-26')).toBe(false);
    expect(row('2026-27', 'core-carry-forward-2025-26')).toMatchObject({ originalBudgetPence: 75_456, currentBudgetPence: 75_456, outturnPence: 0, closedTo: 'M01', carriedInPence: 75_456, final: false });
    expect(row('2026-27', 'care')).toMatchObject({ originalBudgetPence: 384_028, outturnPence: 25_000 });
    const partner = (year: string, id: string) => view.partners.find((p) => p.year === year && p.partner === id)!;
    expect(partner('2025-26', 'council')).toMatchObject({ originalContributionPence: 123_456, currentContributionPence: 123_456, actualPence: 120_000, riskSharePence: 0, carriedInPence: 0, final: true });
    expect(partner('2025-26', 'icb')).toMatchObject({ originalContributionPence: 600_000, actualPence: 528_000, riskSharePence: 0 });
    expect(partner('2026-27', 'council')).toMatchObject({ originalContributionPence: 130_444 + 75_456, actualPence: 10_000, carriedInPence: 75_456, closedTo: 'M01' });
    expect(partner('2026-27', 'icb')).toMatchObject({ originalContributionPence: 253_584 + 126_792 + 300_000, actualPence: 44_000 });
  });

  it('makes the year final: its months cannot be reopened, and a second run changes nothing', async () => {
    await setUp();
    await closeMonths(Y, 12);
    const first = await runYearEnd(ctx(), { year: Y });
    const before = await written();
    const e = await rejection(reopenPeriod(ctx(), { period: periodKey(Y, 12), reason: 'a late invoice' }));
    expect(e.code).toBe('YEAR_FINAL');
    expect(await written()).toEqual(before);
    const again = await runYearEnd(ctx(), { year: Y });
    expect(again).toEqual({ ...first, created: false });
    expect(await written()).toEqual(before);
  });

  it('refuses once the next year has a closed month, and writes nothing', async () => {
    // Here the agreement states care's 2026-27 contributions, so M01 can close before the year-end.
    await setUp(AGREEMENT.replace('{"2025-26": {council: 1234.56, icb: 2400}}', '{"2025-26": {council: 1234.56, icb: 2400}, "2026-27": {council: 1300, icb: 2500}}'));
    await closeMonths(Y, 12);
    await importMonth(NEXT, 1);
    await closePeriod(ctx(), { period: periodKey(NEXT, 1) });
    const before = await written();
    expect((await rejection(runYearEnd(ctx(), { year: Y }))).code).toBe('YEAR_END_NEXT_YEAR_STARTED');
    expect(await written()).toEqual(before);
  });
});
