// Dissolving the tiny fund (test/fixtures/tiny) at 31 May 2025, the end of M02, on both databases.
// The figures, worked by hand from the fixture (see test/report-data.test.ts for the actuals):
//
// Contributions to date (two twelfths of each annual contribution): care council £100, ICB £200;
// reable ICB £200; acute (aligned) ICB £400 — £900 in all. Spend to date: care £370 (council £320,
// ICB £50), reable £240 (ICB), acute £400 (ICB) — £1,010. Position: −£110 (a deficit), all in the
// netted core pool (acute: £400 − £400 = nil).
// Default rule (the pool's risk share: overspend proportional to annual contributions, council
// £600 of £3,000, capped at £30): council bears £22, the ICB £88. The ICB is not the host, so its
// £88 is journalled: ICB Dr contribution to pool £88 / Cr creditor council; council Dr debtor ICB
// / Cr pool income.
//
// The real dissolution is a decision of the joint committee (docs/governance.md): proposed with its
// date, refused under delegation and at an unquorate meeting, and effective at a quorate meeting
// with a majority for, which records the same statement and locks the fund in one transaction.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod, reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { approveDecision, proposeDecision, showDecision } from '../src/app/decisions.js';
import { dissolveFund } from '../src/app/dissolve.js';
import { importBatch } from '../src/app/import-batch.js';
import { remap } from '../src/app/remap.js';
import { journalTotals } from '../src/domain/journal.js';
import { sumPence } from '../src/domain/money.js';
import { periodKey } from '../src/domain/period.js';
import { monthlyContribution, yearToDate } from '../src/domain/phasing.js';
import type { Store } from '../src/store/types.js';
import { rejection } from './support/rejection.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const gbp = (pounds: number) => Math.round(pounds * 100);

/** A joint committee of two members per partner, quorum two each, and finance directors with wide delegation. */
const GOVERNANCE = `governance:
  committee:
    name: Tiny Joint Committee
    quorum: {council: 2, icb: 2}
    members:
      - {id: cm1, name: Councillor One, partner: council, role: cabinet_member}
      - {id: cm2, name: Councillor Two, partner: council, role: cabinet_member}
      - {id: ib1, name: ICB Member One, partner: icb, role: board_member}
      - {id: ib2, name: ICB Member Two, partner: icb, role: board_member}
  officers:
    - {id: council-fd, name: Council Director of Finance, partner: council, role: finance_director}
    - {id: icb-fd, name: ICB Director of Finance, partner: icb, role: finance_director}
  delegation:
    - {role: finance_director, decisions: [virement, budget_variation, risk_share_change, agreement_variation], up_to: "£100,000,000", jointly: true}
`;
const RESOLUTION = 'Joint committee resolution JC/25/14';
const votes = (spec: string) => spec.split(' ').map((pair) => ({ member: pair.split('=')[0]!, vote: pair.split('=')[1] as 'for' | 'against' | 'abstain' }));

/** The tiny agreement with extra top-level YAML (a dissolution section, accrue_settlement). */
function tinyAgreement(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-dissolve-'));
  const path = join(dir, 'agreement.yaml');
  writeFileSync(path, `${readFileSync(`${TINY}/agreement.yaml`, 'utf8')}\n${extra}`);
  return path;
}

function copyWithBlankLine(path: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'tandem-dissolve-')), 'again.csv');
  writeFileSync(copy, `${readFileSync(path, 'utf8')}\n`);
  return copy;
}

async function tinyFund(ctx: AppContext, agreement = `${TINY}/agreement.yaml`) {
  await loadAgreement(ctx, agreement);
  for (const f of ['council-m01', 'council-m02']) await importBatch(ctx, { ledgerId: 'council', path: `${TINY}/ledgers/${f}.csv` });
  for (const f of ['icb-m01', 'icb-m02']) await importBatch(ctx, { ledgerId: 'icb', path: `${TINY}/ledgers/${f}.csv` });
  await closePeriod(ctx, { period: periodKey(2025, 1) });
  await closePeriod(ctx, { period: periodKey(2025, 2), allowUnmapped: true });
}

/** Everything a dissolution could write: the audit trail, closes, lock history, agreement versions. */
async function footprint(store: Store) {
  return {
    audit: (await store.listAudit({})).length,
    closes: (await store.listCloses('tiny')).length,
    periodEvents: (await store.listPeriodEvents('tiny')).length,
    versions: (await store.listAgreementVersions('tiny')).length,
    decisions: JSON.stringify(await store.listDecisions('tiny')),
  };
}

describeEachStore('dissolving the tiny fund', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'chief.finance', now: () => new Date('2025-06-20T10:00:00Z') });

  it('states contributions, spend, the position and its shares, reconciled to the ledgers to the penny; the preview writes nothing', async () => {
    await tinyFund(ctx());
    const before = await footprint(current().store);
    const { document: d, preview, auditEvent } = await dissolveFund(ctx(), { date: '2025-05-31', preview: true });
    expect([preview, auditEvent]).toEqual([true, null]);
    expect(await footprint(current().store)).toEqual(before);

    expect(d).toMatchObject({ fund: 'tiny', date: '2025-05-31', period: '2025-26 M02', closeVersion: 1, agreementVersion: 1, rule: { kind: 'risk_share' } });
    expect(d.totals).toEqual({ incomePence: gbp(900), spendPence: gbp(1010), positionPence: gbp(-110), sharesPence: gbp(-110) });
    expect(d.schemes.map((s) => [s.id, s.incomePence, s.spendPence, s.positionPence])).toEqual([
      ['care', gbp(300), gbp(370), gbp(-70)],
      ['reable', gbp(200), gbp(240), gbp(-40)],
      ['acute', gbp(400), gbp(400), 0],
    ]);
    expect(d.units).toEqual([expect.objectContaining({ id: 'pool:core', positionPence: gbp(-110), sharesPence: { council: gbp(-22), icb: gbp(-88) } })]);
    expect(d.partners.map((p) => [p.id, p.contributionsPence, p.spendPence, p.sharePence, p.settledPence, p.settlementPence])).toEqual([
      ['council', gbp(100), gbp(320), gbp(-22), 0, gbp(88)],
      ['icb', gbp(800), gbp(690), gbp(-88), 0, gbp(-88)],
    ]);

    // Independently of the statement: the live ledger totals and the agreement's phasing.
    const live = await current().store.liveTotals({ fundId: 'tiny', fromPeriod: periodKey(2025, 1), toPeriod: periodKey(2025, 2), status: 'mapped' }, ['ledger']);
    expect(sumPence(live.map((r) => r.amountPence))).toBe(d.totals.spendPence);
    for (const ledger of ['council', 'icb']) expect(live.find((r) => r.ledgerId === ledger)!.amountPence).toBe(d.partners.find((p) => p.id === ledger)!.spendPence);
    const agreement = JSON.parse((await current().store.getAgreementVersion('tiny'))!.modelJson) as import('../src/domain/agreement.js').Agreement;
    const phased = agreement.schemes.flatMap((s) => agreement.partners.map((p) => yearToDate(monthlyContribution(s, 2025, p.id), 2)));
    expect(sumPence(phased)).toBe(d.totals.incomePence);
    expect(d.totals.incomePence - d.totals.spendPence).toBe(sumPence(d.partners.map((p) => p.sharePence)));

    // The final settlement: one pair, each journal balanced, in each ledger's own codes.
    expect(d.journals.map((j) => [j.ledger, j.ref, j.date, journalTotals(j).debitPence])).toEqual([
      ['icb', 'T2526M02-DIS-CORE-ICB', '2025-05-31', gbp(88)],
      ['council', 'T2526M02-DIS-CORE-ICB', '2025-05-31', gbp(88)],
    ]);
    for (const j of d.journals) expect(journalTotals(j).debitPence).toBe(journalTotals(j).creditPence);
    const icb = d.journals[0]!.lines.map((l) => [l.codes, l.debitPence, l.creditPence]);
    expect(icb).toEqual([
      [{ Account: 'ACC900' }, gbp(88), 0],
      [{ Account: 'ACC920' }, 0, gbp(88)],
    ]);
    expect(d.journals[1]!.lines.map((l) => [l.codes, l.debitPence, l.creditPence])).toEqual([
      [{ 'Cost Centre': 'CC910' }, gbp(88), 0],
      [{ 'Cost Centre': 'CC901' }, 0, gbp(88)],
    ]);
    expect(d.agreementOfBalances.every((b) => b.differencePence === 0)).toBe(true);
    expect(d.commitments).toEqual([]);
  });

  it('is a decision of the joint committee: refused under delegation and unquorate, effective at a quorate meeting with a majority, which records the statement and locks the fund', async () => {
    await tinyFund(ctx(), tinyAgreement(GOVERNANCE));
    const { document: previewed } = await dissolveFund(ctx(), { date: '2025-05-31', preview: true });
    const proposed = await proposeDecision(ctx(), { title: RESOLUTION, change: { type: 'dissolution', date: '2025-05-31' } });
    expect(proposed).toMatchObject({ type: 'dissolution', status: 'pending', effectiveFrom: '2025-26 M02', change: { type: 'dissolution', date: '2025-05-31' }, dissolution: null });
    const id = proposed.id;

    // Never delegated, whatever the scheme of delegation gives the finance directors.
    const before = await footprint(current().store);
    const delegated = await rejection(approveDecision(ctx(), { id, on: '2025-06-10', route: 'delegated', by: 'icb-fd' }));
    expect(delegated.code).toBe('DECISION_NOT_AUTHORISED');
    expect(delegated.message).toMatch(/never delegated.*quorate meeting of Tiny Joint Committee/);
    // Two councillors and one ICB member: the ICB's quorum is two.
    expect((await rejection(approveDecision(ctx(), { id, on: '2025-06-12', route: 'meeting', votes: votes('cm1=for cm2=for ib1=for') }))).code).toBe('DECISION_NOT_QUORATE');
    expect((await rejection(approveDecision(ctx(), { id, on: '2025-06-12', route: 'meeting', votes: votes('cm1=for cm2=against ib1=against ib2=abstain') }))).code).toBe('DECISION_NO_MAJORITY');
    expect(await footprint(current().store)).toEqual(before);

    const effective = await approveDecision(ctx(), { id, on: '2025-06-19', route: 'meeting', text: 'minute 7', votes: votes('cm1=for cm2=for ib1=for ib2=against') });
    const [event] = await current().store.listAudit({ fundId: 'tiny', action: 'fund.dissolve' });
    expect(effective).toMatchObject({ status: 'effective', agreementVersion: null, meetings: [{ on: '2025-06-19', for: 3, against: 1, abstain: 0 }], dissolution: { date: '2025-05-31', period: '2025-26 M02', auditEvent: event!.id, sha256: event!.inputSha256 } });
    expect(event).toMatchObject({ subject: 'fund:tiny', details: { date: '2025-05-31', period: '2025-26 M02', decision: id, positionPence: gbp(-110), text: RESOLUTION } });
    // The statement is the preview's: the same totals, shares and journals.
    const statement = event!.details.statement as typeof previewed;
    expect(statement.totals).toEqual({ incomePence: gbp(900), spendPence: gbp(1010), positionPence: gbp(-110), sharesPence: gbp(-110) });
    expect([statement.units, statement.partners, statement.journals]).toEqual([previewed.units, previewed.partners, previewed.journals]);
    // No agreement version, and no decision.effective event (that names a version): fund.dissolve records the effect.
    expect((await current().store.listAgreementVersions('tiny')).length).toBe(1);
    const actions = (await current().store.listAudit({ fundId: 'tiny' })).map((e) => e.action).filter((a) => a.startsWith('decision.') || a === 'fund.dissolve');
    expect(actions).toEqual(['decision.propose', 'decision.approve', 'fund.dissolve']);

    const locked = await footprint(current().store);
    const refused = [
      await rejection(closePeriod(ctx(), { period: periodKey(2025, 3) })),
      await rejection(reopenPeriod(ctx(), { period: periodKey(2025, 2), reason: 'after the end' })),
      await rejection(proposeDecision(ctx(), { title: 'more money', effectiveFrom: periodKey(2025, 4), change: { type: 'budget_variation', year: 2025, partner: 'icb', scheme: 'care', changePence: 100 } })),
      await rejection(proposeDecision(ctx(), { title: 'again', change: { type: 'dissolution', date: '2025-05-31' } })),
      await rejection(approveDecision(ctx(), { id, on: null, route: 'meeting', votes: votes('cm1=for cm2=for ib1=for ib2=for') })),
      await rejection(remap(ctx())),
      await rejection(dissolveFund(ctx(), { date: '2025-05-31', preview: true })),
      // new bytes (the M02 extract again with a blank line), so it is not "already imported"
      await rejection(importBatch(ctx(), { ledgerId: 'council', path: copyWithBlankLine(`${TINY}/ledgers/council-m02.csv`) })),
    ];
    expect(refused.map((e) => e.code)).toEqual(Array(8).fill('FUND_DISSOLVED'));
    expect(refused[0]!.message).toContain('dissolved at 2025-05-31');
    expect(await footprint(current().store)).toEqual(locked);
  });

  it('refuses a dissolution approval whose statement cannot be made, writing nothing: the decision stays pending', async () => {
    await tinyFund(ctx(), tinyAgreement(GOVERNANCE));
    const quorate = votes('cm1=for cm2=for ib1=for ib2=for');
    // M03 has not been closed; M02 is closed after April.
    const notClosed = (await proposeDecision(ctx(), { title: 'at the end of June', change: { type: 'dissolution', date: '2025-06-30' } })).id;
    const closedPast = (await proposeDecision(ctx(), { title: 'at the end of April', change: { type: 'dissolution', date: '2025-04-30' } })).id;
    const before = await footprint(current().store);
    expect((await rejection(approveDecision(ctx(), { id: notClosed, on: '2025-06-19', route: 'meeting', votes: quorate }))).code).toBe('DISSOLUTION_PERIOD_NOT_CLOSED');
    expect((await rejection(approveDecision(ctx(), { id: closedPast, on: '2025-06-19', route: 'meeting', votes: quorate }))).code).toBe('LATER_PERIOD_CLOSED');
    expect(await footprint(current().store)).toEqual(before);
    for (const id of [notClosed, closedPast]) expect(await showDecision(ctx(), { id })).toMatchObject({ status: 'pending', meetings: [], dissolution: null });
    // The fund is still open: once M02 is reopened, the April decision can take effect.
    await reopenPeriod(ctx(), { period: periodKey(2025, 2), reason: 'dissolve at the end of April' });
    expect(await approveDecision(ctx(), { id: closedPast, on: '2025-06-26', route: 'meeting', votes: quorate })).toMatchObject({ status: 'effective', dissolution: { date: '2025-04-30', period: '2025-26 M01' } });
    expect((await rejection(approveDecision(ctx(), { id: notClosed, on: '2025-06-26', route: 'meeting', votes: quorate }))).code).toBe('FUND_DISSOLVED');
  });

  it('refuses a dissolution proposal at a date that is not a month end, outside the agreement or with another effective period, and the real `dissolve` run without a decision', async () => {
    await tinyFund(ctx(), tinyAgreement(GOVERNANCE));
    const before = await footprint(current().store);
    const propose = async (date: string, effectiveFrom?: number) => (await rejection(proposeDecision(ctx(), { title: 'end', effectiveFrom, change: { type: 'dissolution', date } }))).code;
    expect(await propose('2025-05-30')).toBe('DISSOLUTION_DATE_INVALID');
    expect(await propose('2027-05-31')).toBe('PERIOD_OUTSIDE_AGREEMENT');
    expect(await propose('2025-05-31', periodKey(2025, 3))).toBe('DECISION_INVALID');
    const real = await rejection(dissolveFund(ctx(), { date: '2025-05-31', text: RESOLUTION }));
    expect(real.code).toBe('DISSOLUTION_NEEDS_DECISION');
    expect(real.message).toContain('tandem decision propose dissolution --at 2025-05-31');
    expect(await footprint(current().store)).toEqual(before);
  });

  it('refuses a date that is not a month end, a month not closed, a month closed past, and a date outside the agreement, writing nothing', async () => {
    await tinyFund(ctx());
    const before = await footprint(current().store);
    const code = async (date: string) => (await rejection(dissolveFund(ctx(), { date, preview: true }))).code;
    expect(await code('2025-05-30')).toBe('DISSOLUTION_DATE_INVALID');
    expect(await code('31/05/2025')).toBe('DISSOLUTION_DATE_INVALID');
    expect(await code('2025-06-30')).toBe('DISSOLUTION_PERIOD_NOT_CLOSED');
    expect(await code('2025-04-30')).toBe('LATER_PERIOD_CLOSED');
    expect(await code('2024-05-31')).toBe('PERIOD_OUTSIDE_AGREEMENT');
    expect(await code('2026-05-31')).toBe('PERIOD_OUTSIDE_AGREEMENT');
    expect(await footprint(current().store)).toEqual(before);
  });

  it('shares by the dissolution section’s own rule and lists the commitments past the date with who carries them', async () => {
    const path = tinyAgreement(`dissolution:
  rule: fixed
  percent: {council: 50, icb: 50}
  commitments:
    - name: Home care block contract
      scheme: care
      ends: 2026-03-31
      monthly: 10
    - name: Reablement beds
      scheme: care
      ends: 2025-12-31
      remaining: 50
      carried_by: shared
    - name: Ended pilot
      scheme: reable
      ends: 2025-04-30
      monthly: 99
`);
    await tinyFund(ctx(), path);
    const { document: d } = await dissolveFund(ctx(), { date: '2025-05-31', preview: true });
    expect(d.rule).toEqual({ kind: 'fixed', percent: { council: 50, icb: 50 } });
    expect(d.units[0]!.sharesPence).toEqual({ council: gbp(-55), icb: gbp(-55) });
    expect(d.partners.map((p) => [p.id, p.sharePence, p.settlementPence])).toEqual([
      ['council', gbp(-55), gbp(55)],
      ['icb', gbp(-55), gbp(-55)],
    ]);
    // June 2025 to March 2026: ten months at £10, carried by care's lead commissioner (the
    // council); £50 shared by contributions to care (£600 : £1,200), the odd penny by largest remainder.
    expect(d.commitments.map((c) => [c.name, c.leadCommissioner, c.remainingPence, c.carriedBy, c.carriedPence])).toEqual([
      ['Home care block contract', 'council', gbp(100), 'council', { council: gbp(100) }],
      ['Reablement beds', 'council', gbp(50), 'shared', { council: 1667, icb: 3333 }],
    ]);
  });

  it('deducts a settlement accrual the month’s close already journalled, so no share is paid twice', async () => {
    await tinyFund(ctx(), tinyAgreement('accrue_settlement: true\n'));
    const { document: d } = await dissolveFund(ctx(), { date: '2025-05-31', preview: true });
    // M02's accrual: the ICB's £280 share of the forecast overspend. On dissolution it bears £88.
    const icb = d.partners.find((p) => p.id === 'icb')!;
    expect([icb.sharePence, icb.settledPence, icb.settlementPence]).toEqual([gbp(-88), gbp(-280), gbp(192)]);
    const journal = d.journals.find((j) => j.ledger === 'icb')!;
    expect(journal.lines.map((l) => [l.role, l.debitPence, l.creditPence])).toEqual([
      ['contribution_to_pool', gbp(88), 0],
      ['contribution_to_pool', 0, gbp(280)],
      ['debtor', gbp(192), 0],
    ]);
    for (const j of d.journals) expect(journalTotals(j).debitPence).toBe(journalTotals(j).creditPence);
  });
});
