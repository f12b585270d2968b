// What each decision type does to the agreement once effective, and what it refuses.

import { describe, expect, it } from 'vitest';
import { applyDecision, DecisionError, type DecisionChange } from './decisions.js';
import { pounds, testAgreement, Y } from './governance-fixtures.test-support.js';
import { periodKey } from './period.js';
import { annualBudget, monthlyBudget } from './phasing.js';

const M07 = periodKey(Y, 7);

function codeOf(change: DecisionChange, agreement = testAgreement()): string {
  try {
    applyDecision(agreement, change, M07);
    return 'applied';
  } catch (e) {
    if (e instanceof DecisionError) return e.code;
    throw e;
  }
}

describe('applying a decision', () => {
  it('a virement moves one partner’s contribution between schemes, leaving the input as it was', () => {
    const before = testAgreement();
    const after = applyDecision(before, { type: 'virement', year: Y, partner: 'sccg', from: 'asr', to: 'mhc', amountPence: pounds(400_000) }, M07);
    const scheme = (a: typeof after, id: string) => a.schemes.find((s) => s.id === id)!;
    // asr: CCG £6,000,000 − £400,000 = £5,600,000; council's £4,000,000 untouched; budget £9,600,000
    expect(scheme(after, 'asr').contributions[Y]).toEqual({ scc: pounds(4_000_000), sccg: pounds(5_600_000) });
    expect(annualBudget(scheme(after, 'asr'), Y)).toBe(pounds(9_600_000));
    // mhc: £3,000,000 + £400,000
    expect(scheme(after, 'mhc').contributions[Y]).toEqual({ sccg: pounds(3_400_000) });
    expect(scheme(before, 'asr').contributions[Y]!.sccg).toBe(pounds(6_000_000));
  });

  it('a virement to a scheme the partner did not contribute to starts its contribution', () => {
    const after = applyDecision(testAgreement(), { type: 'virement', year: Y, partner: 'scc', from: 'pkw', to: 'mhc', amountPence: 1 }, M07);
    expect(after.schemes.find((s) => s.id === 'mhc')!.contributions[Y]).toEqual({ sccg: pounds(3_000_000), scc: 1 });
  });

  it('spreads a change to a scheme with explicit monthly amounts over the months from the effective month', () => {
    const agreement = testAgreement();
    const pkw = agreement.schemes.find((s) => s.id === 'pkw')!;
    pkw.profile = { kind: 'amounts', amountsPence: { [Y]: Array.from({ length: 12 }, () => pounds(250_000)) } };
    const after = applyDecision(agreement, { type: 'virement', year: Y, partner: 'scc', from: 'pkw', to: 'asr', amountPence: 100 }, M07);
    // £1.00 over M07..M12: 17p to each of M07..M10 (the first four take the leftover pence), 16p to M11 and M12
    const months = monthlyBudget(after.schemes.find((s) => s.id === 'pkw')!, Y);
    expect(months.slice(0, 6)).toEqual(Array.from({ length: 6 }, () => pounds(250_000)));
    expect(months.slice(6)).toEqual([17, 17, 17, 17, 16, 16].map((p) => pounds(250_000) - p));
  });

  it.each([
    ['a virement that would make a contribution negative', { type: 'virement', year: Y, partner: 'scc', from: 'pkw', to: 'asr', amountPence: pounds(2_000_000) + 1 }, 'BUDGET_NEGATIVE'],
    ['a virement of exactly the whole contribution', { type: 'virement', year: Y, partner: 'scc', from: 'pkw', to: 'asr', amountPence: pounds(2_000_000) }, 'applied'],
    ['a virement from a partner that gives nothing there', { type: 'virement', year: Y, partner: 'scc', from: 'mhc', to: 'asr', amountPence: 1 }, 'BUDGET_NEGATIVE'],
    ['a virement from pooled to aligned', { type: 'virement', year: Y, partner: 'sccg', from: 'asr', to: 'nel', amountPence: 1 }, 'VIREMENT_POOLED_ALIGNED'],
    ['a virement from aligned to pooled', { type: 'virement', year: Y, partner: 'sccg', from: 'nel', to: 'asr', amountPence: 1 }, 'VIREMENT_POOLED_ALIGNED'],
    ['a virement to an unknown scheme', { type: 'virement', year: Y, partner: 'sccg', from: 'asr', to: 'zzz', amountPence: 1 }, 'SCHEME_UNKNOWN'],
    ['a virement of an unknown partner', { type: 'virement', year: Y, partner: 'nhs', from: 'asr', to: 'pkw', amountPence: 1 }, 'PARTNER_UNKNOWN'],
    ['a virement to itself', { type: 'virement', year: Y, partner: 'sccg', from: 'asr', to: 'asr', amountPence: 1 }, 'DECISION_INVALID'],
    ['a virement of nothing', { type: 'virement', year: Y, partner: 'sccg', from: 'asr', to: 'pkw', amountPence: 0 }, 'DECISION_INVALID'],
    ['a virement for a year the agreement lacks', { type: 'virement', year: 2026, partner: 'sccg', from: 'asr', to: 'pkw', amountPence: 1 }, 'DECISION_INVALID'],
    ['a budget variation below zero', { type: 'budget_variation', year: Y, partner: 'scc', scheme: 'pkw', changePence: -pounds(2_000_000) - 1 }, 'BUDGET_NEGATIVE'],
    ['a budget variation of an unknown scheme', { type: 'budget_variation', year: Y, partner: 'scc', scheme: 'zzz', changePence: 5 }, 'SCHEME_UNKNOWN'],
    ['a risk share for an unknown pool', { type: 'risk_share_change', pool: 'zzz', scheme: null, riskShare: { overspend: { kind: 'proportional' }, underspend: { kind: 'proportional' } } }, 'POOL_UNKNOWN'],
    ['a scheme’s own risk share in a netted pool', { type: 'risk_share_change', pool: 'bcf', scheme: 'asr', riskShare: { overspend: { kind: 'proportional' }, underspend: { kind: 'proportional' } } }, 'DECISION_INVALID'],
    ['removing a scheme no rule maps to', { type: 'agreement_variation', addScheme: null, removeScheme: 'pkw' }, 'applied'],
    ['removing an unknown scheme', { type: 'agreement_variation', addScheme: null, removeScheme: 'zzz' }, 'SCHEME_UNKNOWN'],
  ] as [string, DecisionChange, string][])('%s → %s', (_label, change, expected) => {
    expect(codeOf(change)).toBe(expected);
  });

  it('a budget variation changes one partner’s contribution', () => {
    const after = applyDecision(testAgreement(), { type: 'budget_variation', year: Y, partner: 'scc', scheme: 'pkw', changePence: -pounds(500_000) }, M07);
    expect(after.schemes.find((s) => s.id === 'pkw')!.contributions[Y]).toEqual({ scc: pounds(1_500_000), sccg: pounds(1_000_000) });
  });

  it('a risk-share change replaces the pool’s rules, or a scheme’s own in a pool without netting', () => {
    const rules = { overspend: { kind: 'fixed' as const, percent: { scc: 50, sccg: 50 } }, underspend: { kind: 'retain' as const } };
    expect(applyDecision(testAgreement(), { type: 'risk_share_change', pool: 'bcf', scheme: null, riskShare: rules }, M07).pools[0]!.riskShare).toEqual(rules);
    const after = applyDecision(testAgreement(), { type: 'risk_share_change', pool: 'mh', scheme: 'mhc', riskShare: rules }, M07);
    expect(after.schemes.find((s) => s.id === 'mhc')!.riskShare).toEqual(rules);
  });

  it('an agreement variation adds a scheme, and refuses to remove one the mapping rules still use', () => {
    const agreement = testAgreement();
    const added = applyDecision(agreement, { type: 'agreement_variation', addScheme: { ...agreement.schemes[1]!, id: 'dfg', name: 'Disabled facilities' }, removeScheme: null }, M07);
    expect(added.schemes.map((s) => s.id)).toEqual(['asr', 'pkw', 'mhc', 'nel', 'dfg']);
    expect(codeOf({ type: 'agreement_variation', addScheme: agreement.schemes[1]!, removeScheme: null })).toBe('DECISION_INVALID');
    agreement.ledgers.push({ id: 'l', partner: 'scc', name: 'L', mode: 'replace', file: {} as never, rules: [{ index: 0, when: [], target: { scheme: 'pkw' }, note: null }] });
    expect(codeOf({ type: 'agreement_variation', addScheme: null, removeScheme: 'pkw' }, agreement)).toBe('DECISION_SCHEME_IN_USE');
  });
});
