// Approval rules, table-tested: every decision type × limit band × who approved, on the delegated
// route; quorum per partner and majority at a meeting.

import { describe, expect, it } from 'vitest';
import { DecisionError, decisionFacts, type DecisionChange } from './decisions.js';
import { GOVERNANCE, pounds, scheme, testAgreement, Y } from './governance-fixtures.test-support.js';
import { authorisedApproval, delegatedOutcome, governanceOf, meetingApproval, type Approval, type VoteChoice } from './governance.js';

const virement = (from: string, to: string, amount: number): DecisionChange => ({ type: 'virement', year: Y, partner: 'sccg', from, to, amountPence: pounds(amount) });
const variation = (amount: number): DecisionChange => ({ type: 'budget_variation', year: Y, partner: 'scc', scheme: 'pkw', changePence: pounds(amount) });
const riskShare: DecisionChange = { type: 'risk_share_change', pool: 'bcf', scheme: null, riskShare: { overspend: { kind: 'fixed', percent: { scc: 50, sccg: 50 } }, underspend: { kind: 'retain' } } };
const addScheme: DecisionChange = { type: 'agreement_variation', addScheme: scheme('new', 'bcf', 'pooled', { scc: pounds(100_000) }), removeScheme: null };
const dissolution: DecisionChange = { type: 'dissolution', date: '2025-09-30' };

/** Approve one by one; the outcome after the last, or the code of the first refusal. */
function approveAll(change: DecisionChange, people: string[]): string {
  const agreement = testAgreement();
  const facts = decisionFacts(agreement, change);
  const approvals: Approval[] = [];
  try {
    for (const id of people) approvals.push(authorisedApproval(governanceOf(agreement), facts, id));
  } catch (e) {
    if (e instanceof DecisionError) return e.code;
    throw e;
  }
  const outcome = delegatedOutcome(agreement, facts, approvals);
  return outcome.met ? `effective by ${outcome.delegation!.role}` : `pending ${outcome.waitingFor.join(',')}`;
}

describe('the delegated route: decision type × limit band × who approved', () => {
  it.each([
    // virement inside pool bcf: the pool manager alone up to £250k; the two FDs jointly up to £1m; above, the committee
    ['within pool, £250,000 (at the limit)', virement('asr', 'pkw', 250_000), ['pm'], 'effective by pool_manager'],
    ['within pool, £250,000', virement('asr', 'pkw', 250_000), ['scc-fd'], 'pending sccg'],
    ['within pool, £250,000', virement('asr', 'pkw', 250_000), ['scc-fd', 'sccg-fd'], 'effective by finance_director'],
    ['within pool, £250,000', virement('asr', 'pkw', 250_000), ['cllr1'], 'DECISION_NOT_AUTHORISED'],
    ['within pool, £250,000.01', { ...virement('asr', 'pkw', 250_000), amountPence: pounds(250_000) + 1 } as DecisionChange, ['pm'], 'DECISION_NOT_AUTHORISED'],
    ['within pool, £600,000', virement('asr', 'pkw', 600_000), ['pm'], 'DECISION_NOT_AUTHORISED'],
    ['within pool, £600,000', virement('asr', 'pkw', 600_000), ['sccg-fd'], 'pending scc'],
    ['within pool, £600,000', virement('asr', 'pkw', 600_000), ['sccg-fd', 'scc-fd'], 'effective by finance_director'],
    ['within pool, £1,000,000 (at the limit)', virement('asr', 'pkw', 1_000_000), ['sccg-fd', 'scc-fd'], 'effective by finance_director'],
    ['within pool, £1,500,000', virement('asr', 'pkw', 1_500_000), ['scc-fd'], 'DECISION_NOT_AUTHORISED'],
    ['within pool, £1,500,000', virement('asr', 'pkw', 1_500_000), ['pm'], 'DECISION_NOT_AUTHORISED'],
    // across pools: never the pool manager (within_pool); always an approver from each partner
    ['across pools, £100,000', virement('asr', 'mhc', 100_000), ['pm'], 'DECISION_NOT_AUTHORISED'],
    ['across pools, £100,000', virement('asr', 'mhc', 100_000), ['scc-fd'], 'pending sccg'],
    ['across pools, £100,000', virement('asr', 'mhc', 100_000), ['scc-fd', 'sccg-fd'], 'effective by finance_director'],
    ['across pools, £2,000,000', virement('asr', 'mhc', 2_000_000), ['scc-fd'], 'DECISION_NOT_AUTHORISED'],
    // a partner's contribution change: the FDs jointly up to £1m, either sign
    ['budget variation, +£100,000', variation(100_000), ['pm'], 'DECISION_NOT_AUTHORISED'],
    ['budget variation, +£100,000', variation(100_000), ['scc-fd'], 'pending sccg'],
    ['budget variation, -£100,000', variation(-100_000), ['scc-fd', 'sccg-fd'], 'effective by finance_director'],
    ['budget variation, -£1,000,000.01', { ...variation(-1_000_000), changePence: -pounds(1_000_000) - 1 } as DecisionChange, ['scc-fd'], 'DECISION_NOT_AUTHORISED'],
    // risk share and scope: not delegated at all, so only the committee
    ['risk-share change', riskShare, ['scc-fd'], 'DECISION_NOT_AUTHORISED'],
    ['risk-share change', riskShare, ['pm'], 'DECISION_NOT_AUTHORISED'],
    ['agreement variation', addScheme, ['scc-fd'], 'DECISION_NOT_AUTHORISED'],
    // dissolution: never delegated, to an officer or a member alone
    ['dissolution', dissolution, ['scc-fd'], 'DECISION_NOT_AUTHORISED'],
    ['dissolution', dissolution, ['pm'], 'DECISION_NOT_AUTHORISED'],
    ['dissolution', dissolution, ['cllr1'], 'DECISION_NOT_AUTHORISED'],
    ['dissolution', dissolution, ['nobody'], 'DECISION_PERSON_UNKNOWN'],
    ['somebody unknown', virement('asr', 'pkw', 1_000), ['nobody'], 'DECISION_PERSON_UNKNOWN'],
  ] as [string, DecisionChange, string[], string][])('%s approved by %j → %s', (_label, change, people, expected) => {
    expect(approveAll(change, people)).toBe(expected);
  });

  it('weighs a risk-share change by the pool budget and a scope change by the scheme budget', () => {
    const agreement = testAgreement();
    // bcf's pooled schemes: asr £10m + pkw £3m
    expect(decisionFacts(agreement, riskShare)).toEqual({ type: 'risk_share_change', weightPence: pounds(13_000_000), pools: ['bcf'] });
    expect(decisionFacts(agreement, addScheme)).toEqual({ type: 'agreement_variation', weightPence: pounds(100_000), pools: ['bcf'] });
    expect(decisionFacts(agreement, virement('mhc', 'asr', 5)).pools).toEqual(['bcf', 'mh']);
  });

  it('never delegates a dissolution, even when a delegation line names it', () => {
    // The schema cannot load such a line; the rule does not rely on that.
    const anything = { role: 'finance_director', decisions: ['dissolution' as 'virement'], upToPence: Number.MAX_SAFE_INTEGER, withinPool: false, jointly: false };
    const agreement = { ...testAgreement(), governance: { ...GOVERNANCE, delegation: [anything] } };
    const facts = decisionFacts(agreement, dissolution);
    expect(() => authorisedApproval(agreement.governance, facts, 'scc-fd')).toThrow(expect.objectContaining({ code: 'DECISION_NOT_AUTHORISED', message: expect.stringMatching(/never delegated.*quorate meeting of Joint Committee/) }));
    const approvals: Approval[] = [{ person: 'scc-fd', partner: 'scc', role: 'finance_director' }, { person: 'sccg-fd', partner: 'sccg', role: 'finance_director' }];
    expect(delegatedOutcome(agreement, facts, approvals)).toMatchObject({ met: false, delegation: null });
  });

  it('weighs a dissolution by the whole fund, across every pool', () => {
    // the largest year's budget of every scheme: £10m + £3m + £3m + £50m
    expect(decisionFacts(testAgreement(), dissolution)).toEqual({ type: 'dissolution', weightPence: pounds(66_000_000), pools: ['bcf', 'mh', 'acute'] });
  });

  it('refuses an approver who acts for another partner than the one named', () => {
    const agreement = testAgreement();
    const facts = decisionFacts(agreement, virement('asr', 'pkw', 1_000));
    expect(() => authorisedApproval(GOVERNANCE, facts, 'pm', 'sccg')).toThrow(/acts for scc, not sccg/);
  });

  it('needs a governance section', () => {
    const { governance: _, ...without } = testAgreement();
    expect(() => governanceOf(without)).toThrow(expect.objectContaining({ code: 'NO_GOVERNANCE' }));
  });
});

const votes = (spec: string) =>
  spec.split(' ').map((pair) => {
    const [member, vote] = pair.split('=') as [string, VoteChoice];
    return { member, vote };
  });

function meeting(spec: string): string {
  try {
    const outcome = meetingApproval(testAgreement(), votes(spec));
    return `carried ${outcome.for}-${outcome.against}-${outcome.abstain}`;
  } catch (e) {
    if (e instanceof DecisionError) return e.code;
    throw e;
  }
}

describe('the meeting route: quorum per partner and a majority', () => {
  it.each([
    ['cllr1=for cllr2=for gb1=for gb2=for', 'carried 4-0-0'],
    ['cllr1=for cllr2=against gb1=for gb2=abstain', 'carried 2-1-1'],
    // four council members and one CCG member: eight heads would be quorate overall, not per partner
    ['cllr1=for cllr2=for cllr3=for cllr4=for gb1=for', 'DECISION_NOT_QUORATE'],
    ['cllr1=for gb1=for gb2=for gb3=for', 'DECISION_NOT_QUORATE'],
    ['cllr1=for cllr2=for gb1=against gb2=against', 'DECISION_NO_MAJORITY'],
    ['cllr1=abstain cllr2=abstain gb1=abstain gb2=abstain', 'DECISION_NO_MAJORITY'],
    ['cllr1=for cllr2=for gb1=for gb2=for pm=for', 'DECISION_PERSON_UNKNOWN'],
    ['cllr1=for cllr1=for gb1=for gb2=for', 'DECISION_INVALID'],
  ])('%s → %s', (spec, expected) => {
    expect(meeting(spec)).toBe(expected);
  });
});
