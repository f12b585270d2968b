// Decisions end to end on both databases, on the Sheffield example (its governance section: the
// pool manager up to £250k within a pool, both finance directors jointly up to £1m, the committee
// with a quorum of two per partner). A virement's effect on the next close is checked against
// figures worked out here by hand; each refusal is checked to write nothing.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { approveDecision, budgetReconciliationFor, listDecisions, proposeDecision, rejectDecision, showDecision, type ChangeRequest } from '../src/app/decisions.js';
import { importBatch } from '../src/app/import-batch.js';
import { buildReport } from '../src/app/report.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { periodKey } from '../src/domain/period.js';
import { rejection } from './support/rejection.js';
import { describeEachStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const Y = 2025;
const [M01, M02, M03, M04] = [1, 2, 3, 4].map((m) => periodKey(Y, m)) as [number, number, number, number];
const POUNDS = 100;

// £300,000 of the CCG's Active Support and Recovery budget to People Keeping Well (both pooled, pool bcf).
const VIREMENT: ChangeRequest = { type: 'virement', year: Y, partner: 'sccg', from: 'asr', to: 'pkw', amountPence: 300_000 * POUNDS };

describeEachStore('decisions on the Sheffield example', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });
  const propose = (change: ChangeRequest, effectiveFrom = M03, title = 'a decision') => proposeDecision(ctx(), { title, effectiveFrom, change });
  const byOfficer = (id: number, by: string) => approveDecision(ctx(), { id, on: '2025-07-01', route: 'delegated', by });
  /** What a refusal must leave as it was. */
  const written = async () => ({
    decisions: JSON.stringify(await current().store.listDecisions('sheffield')),
    versions: (await current().store.listAgreementVersions('sheffield')).length,
    audit: (await current().store.listAudit({ fundId: 'sheffield' })).length,
  });

  async function loadExample(): Promise<void> {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx(), { ledgerId: e.ledgerId, path: e.path });
  }

  it('takes effect once both finance directors approve, and the next close uses the new budgets while earlier closes keep theirs', async () => {
    await loadExample();
    for (const period of [M01, M02]) await closePeriod(ctx(), { period, allowUnmapped: true });
    const proposed = await propose(VIREMENT, M03, 'ASR to PKW');
    expect(proposed).toMatchObject({ id: 1, status: 'pending', effectiveFrom: '2025-26 M03', approvals: [] });
    // £300,000 is above the pool manager's £250,000: the finance directors, jointly.
    const half = await byOfficer(1, 'scc-fd');
    expect(half).toMatchObject({ status: 'pending', agreementVersion: null, approvals: [{ person: 'scc-fd', partner: 'scc', role: 'finance_director', on: '2025-07-01' }] });
    const done = await byOfficer(1, 'sccg-fd');
    expect(done).toMatchObject({ status: 'effective', agreementVersion: 2 });
    expect((await current().store.listAgreementVersions('sheffield')).map((v) => [v.version, v.effectiveFrom, v.decisionId])).toEqual([[1, null, null], [2, M03, 1]]);

    const { document: d } = await closePeriod(ctx(), { period: M03, allowUnmapped: true });
    expect(d.agreementVersion).toBe(2);
    const scheme = (id: string) => d.schemes.find((s) => s.id === id)!;
    // pkw: £16,000,000 + £300,000 = £16,300,000 = 1,630,000,000p. Twelve equal parts: 135,833,333p
    // each with 4p left over, one each to M01..M04, so M01..M03 are 135,833,334p: YTD 407,500,002p.
    // FOT on plan: YTD actual 401,109,599p + the rest of the budget (1,630,000,000 − 407,500,002 =
    // 1,222,499,998p) = 1,623,609,597p; variance 1,623,609,597 − 1,630,000,000 = −6,390,403p.
    expect(scheme('pkw')).toMatchObject({ annualBudgetPence: 1_630_000_000, ytdBudgetPence: 407_500_002, ytdActualPence: 401_109_599, fotPence: 1_623_609_597, fotVariancePence: -6_390_403 });
    // asr: £52,000,000 − £300,000 = £51,700,000 = 5,170,000,000p; twelve parts of 430,833,333p and
    // 4p over (M01..M04 get 430,833,334p): YTD 1,292,500,002p.
    expect(scheme('asr')).toMatchObject({ annualBudgetPence: 5_170_000_000, ytdBudgetPence: 1_292_500_002 });
    // The CCG's M03 contribution to the council's pool: pkw £7,300,000 → 60,833,334p (M03 takes one
    // of the 4 leftover pence), asr £38,200,000 → 318,333,334p; with lths 366,666,667p and ils
    // 38,250,000p (its explicit amounts): 784,083,335p — the same total as before the virement
    // (58,333,334 + 320,833,334 = 60,833,334 + 318,333,334), as both schemes are in one pool.
    const contribution = d.journals.find((j) => j.ledger === 'sccg' && j.kind === 'contribution')!;
    expect(contribution.lines.reduce((n, l) => n + l.debitPence, 0)).toBe(60_833_334 + 318_333_334 + 366_666_667 + 38_250_000);
    const closedBefore = JSON.parse((await current().store.getClose('sheffield', M02))!.documentJson) as typeof d;
    expect(closedBefore.agreementVersion).toBe(1);
    expect(closedBefore.schemes.find((s) => s.id === 'pkw')!.annualBudgetPence).toBe(1_600_000_000);

    const actions = (await current().store.listAudit({ fundId: 'sheffield' })).map((e) => e.action).filter((a) => a.startsWith('decision.'));
    expect(actions).toEqual(['decision.propose', 'decision.approve', 'decision.approve', 'decision.effective']);
    expect((await rejection(byOfficer(1, 'pool-manager'))).code).toBe('DECISION_NOT_PENDING');
  });

  it('reconciles each scheme’s budget: the file’s, each decision’s change, and the budget now', async () => {
    await loadExample();
    await byOfficer((await propose(VIREMENT, M03)).id, 'scc-fd');
    await byOfficer(1, 'sccg-fd');
    // A £200,000 cut to the council's pkw contribution from M04, carried 3–1 at a quorate meeting.
    const cut = await propose({ type: 'budget_variation', year: Y, partner: 'scc', scheme: 'pkw', changePence: -200_000 * POUNDS }, M04);
    const votes = [
      { member: 'scc-cm-health', vote: 'for' as const },
      { member: 'scc-cm-finance', vote: 'for' as const },
      { member: 'sccg-chair', vote: 'for' as const },
      { member: 'sccg-lay', vote: 'against' as const },
    ];
    expect(await approveDecision(ctx(), { id: cut.id, on: '2025-07-05', route: 'meeting', votes })).toMatchObject({ status: 'effective', agreementVersion: 3, meetings: [{ for: 3, against: 1, abstain: 0 }] });
    const rows = await budgetReconciliationFor(ctx(), { year: Y });
    const row = (id: string) => rows.find((r) => r.scheme === id)!;
    // pkw: £16,000,000 + £300,000 (decision 1) − £200,000 (decision 2) = £16,100,000
    expect(row('pkw')).toEqual({ scheme: 'pkw', name: 'People Keeping Well', originalPence: 1_600_000_000, changes: [{ decision: 1, version: 2, pence: 30_000_000 }, { decision: 2, version: 3, pence: -20_000_000 }], currentPence: 1_610_000_000 });
    // asr: £52,000,000 − £300,000 (decision 1) = £51,700,000
    expect(row('asr')).toMatchObject({ originalPence: 5_200_000_000, changes: [{ decision: 1, version: 2, pence: -30_000_000 }], currentPence: 5_170_000_000 });
    expect(row('nel')).toMatchObject({ originalPence: 9_300_000_000, changes: [], currentPence: 9_300_000_000 });
    expect((await listDecisions(ctx())).map((d) => [d.id, d.type, d.status, d.agreementVersion])).toEqual([[1, 'virement', 'effective', 2], [2, 'budget_variation', 'effective', 3]]);

    // The monthly report shows the reconciliation as at its close's agreement version: M03 closes
    // under version 2, so decision 1 is in its budgets and decision 2 (from M04) is not yet.
    for (const period of [M01, M02, M03]) await closePeriod(ctx(), { period, allowUnmapped: true });
    const report = (period: number) => buildReport(ctx(), { period }).then((r) => r.data.budgetReconciliation.find((x) => x.scheme === 'pkw'));
    expect(await report(M03)).toEqual({ scheme: 'pkw', name: 'People Keeping Well', originalPence: 1_600_000_000, changes: [{ decision: 1, version: 2, pence: 30_000_000 }], currentPence: 1_630_000_000 });
    expect(await report(M02)).toMatchObject({ changes: [], currentPence: 1_600_000_000 });
  });

  it('refuses, writing nothing: no authority, an unquorate committee, a negative budget, pooled to aligned, unknown scheme or partner, a closed period', async () => {
    await loadExample();
    await closePeriod(ctx(), { period: M01, allowUnmapped: true });
    const id = (await propose(VIREMENT, M03)).id;
    const cases: [string, () => Promise<unknown>][] = [
      ['DECISION_NOT_AUTHORISED', () => byOfficer(id, 'pool-manager')], // £300,000 > its £250,000
      ['DECISION_NOT_AUTHORISED', () => byOfficer(id, 'scc-cm-health')], // a member, no delegated role
      ['DECISION_PERSON_UNKNOWN', () => byOfficer(id, 'someone')],
      ['DECISION_PERSON_UNKNOWN', () => approveDecision(ctx(), { id, on: null, route: 'delegated', by: 'scc-fd', partner: 'sccg' })],
      // three council members and one CCG member: four present, but the CCG's quorum is two
      ['DECISION_NOT_QUORATE', () => approveDecision(ctx(), { id, on: null, route: 'meeting', votes: ['scc-cm-health', 'scc-cm-finance', 'scc-cm-housing', 'sccg-chair'].map((member) => ({ member, vote: 'for' as const })) })],
      ['DECISION_NO_MAJORITY', () => approveDecision(ctx(), { id, on: null, route: 'meeting', votes: ['scc-cm-health', 'scc-cm-finance', 'sccg-chair', 'sccg-lay'].map((member, i) => ({ member, vote: i < 2 ? ('for' as const) : ('against' as const) })) })],
      ['DECISION_UNKNOWN', () => byOfficer(99, 'scc-fd')],
      // the CCG gives pkw £7,000,000: £7,000,000.01 would leave it below zero
      ['BUDGET_NEGATIVE', () => propose({ ...VIREMENT, from: 'pkw', to: 'asr', amountPence: 700_000_001 } as ChangeRequest)],
      ['VIREMENT_POOLED_ALIGNED', () => propose({ ...VIREMENT, to: 'nel' } as ChangeRequest)],
      ['SCHEME_UNKNOWN', () => propose({ ...VIREMENT, to: 'zzz' } as ChangeRequest)],
      ['PARTNER_UNKNOWN', () => propose({ ...VIREMENT, partner: 'nhs' } as ChangeRequest)],
      ['DECISION_PERIOD_CLOSED', () => propose(VIREMENT, M01)],
      ['DECISION_INVALID', () => proposeDecision(ctx(), { title: 'no period', change: VIREMENT })], // only a dissolution goes without --effective
      ['DECISION_INVALID', () => propose({ type: 'risk_share_change', pool: 'bcf', scheme: null, riskShareYaml: 'overspend: {rule: fixed, percent: {scc: 40, sccg: 40}}\nunderspend: {rule: retain}\n' })],
    ];
    for (const [code, attempt] of cases) {
      const before = await written();
      expect((await rejection(attempt())).code, code).toBe(code);
      expect(await written(), code).toEqual(before);
    }
    expect(await showDecision(ctx(), { id })).toMatchObject({ status: 'pending', approvals: [] });
  });

  it('records a rejection, after which the decision can no longer be approved', async () => {
    await loadExample();
    const { id } = await propose({ type: 'risk_share_change', pool: 'bcf', scheme: null, riskShareYaml: 'overspend: {rule: fixed, percent: {scc: 50, sccg: 50}}\nunderspend: {rule: retain}\n' });
    // A risk-share change is not delegated: an officer cannot approve it.
    expect((await rejection(byOfficer(id, 'scc-fd'))).code).toBe('DECISION_NOT_AUTHORISED');
    const rejected = await rejectDecision(ctx(), { id, by: 'sccg-chair', on: '2025-07-06', reason: 'not this year' });
    expect(rejected).toMatchObject({ status: 'rejected', rejected: { by: 'sccg-chair', on: '2025-07-06', reason: 'not this year' } });
    expect((await rejection(byOfficer(id, 'scc-fd'))).code).toBe('DECISION_NOT_PENDING');
    expect((await current().store.listAgreementVersions('sheffield')).length).toBe(1);
  });
});
