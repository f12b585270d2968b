// The year-end's pure planning (src/domain/year-end.ts) and the `year_end:` section's checks, on
// small agreements whose figures are worked out by hand: the uplift's one rounding, carry-forward
// to a named scheme, retain_underspend false, an overspend recovery plan, and an earlier
// year-end's carry-forward left out of the next uplift.

import { describe, expect, it } from 'vitest';
import { parseAgreement } from '../src/agreement/load.js';
import type { Agreement } from '../src/domain/agreement.js';
import type { SharingUnit } from '../src/domain/sharing.js';
import { planYearEnd, uplifted, YearEndError } from '../src/domain/year-end.js';

const BASE = `
fund: {id: p, name: Plan}
years: ["2025-26", "2026-27"]
partners:
  - {id: la, name: Council, kind: council}
  - {id: icb, name: ICB, kind: icb}
pools:
  - id: bcf
    name: BCF
    host: la
    netting: true
    risk_share: {overspend: {rule: proportional}, underspend: {rule: retain}}
schemes:
  - {id: a, name: A, pool: bcf, type: pooled, contributions: {"2025-26": {la: 1000, icb: 3000}}}
  - {id: b, name: B, pool: bcf, type: pooled, contributions: {"2025-26": {icb: 500}}}
`;

function agreement(yearEnd: string): Agreement {
  const loaded = parseAgreement(`${BASE}${yearEnd}`, { fileName: 'plan.yaml' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.agreement;
}

function unit(variancePence: number, sharesPence: Record<string, number>, retainedPence: number): SharingUnit {
  return { id: 'pool:bcf', pool: 'bcf', host: 'la', schemes: ['a', 'b'], variancePence, contributionsPence: { la: 100_000, icb: 350_000 }, sharesPence, retainedPence, reasons: [] };
}

describe('the year-end plan', () => {
  it('rounds an uplift to the nearest penny once, halves away from zero', () => {
    expect(uplifted(123_456, 5.66)).toBe(130_444); // 6,987.6096p → 6,988p
    expect(uplifted(50, 1)).toBe(51); // 0.5p → 1p
    expect(uplifted(49, 1)).toBe(49); // 0.49p → 0p
    expect(uplifted(100_000, 0)).toBe(100_000);
  });

  it('carries a retained underspend to the named scheme as the host’s contribution', () => {
    const plan = planYearEnd(agreement('year_end:\n  carry_forward: {to_scheme: {bcf: b}}\n  uplift: [{scheme: a, percent: 2}]\n'), 2025, [unit(-12_345, { la: 0, icb: 0 }, -12_345)]);
    const next = plan.next!;
    // a: £1,000 → £1,020 and £3,000 → £3,060; b has no uplift and no 2026-27 contributions, so only the carry-forward.
    expect(next.schemes.find((s) => s.id === 'a')!.contributions[2026]).toEqual({ la: 102_000, icb: 306_000 });
    expect(next.schemes.find((s) => s.id === 'b')!.contributions[2026]).toEqual({ la: 12_345 });
    expect(next.schemes.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('records a retained underspend it does not carry when retain_underspend is false', () => {
    const plan = planYearEnd(agreement('year_end:\n  carry_forward: {retain_underspend: false}\n'), 2025, [unit(-500, { la: 0, icb: 0 }, -500)]);
    expect(plan.lines.map((l) => [l.kind, l.amountPence])).toEqual([['not_carried', 500]]);
    expect(plan.next!.schemes.every((s) => s.contributions[2026] === undefined)).toBe(true);
  });

  it('takes an agreed overspend recovery off each partner’s next-year contribution by the share it bore', () => {
    const text = 'year_end:\n  overspend_recovery: [{pool: bcf, from_scheme: a}]\n  uplift: [{pool: bcf, percent: 0}]\n';
    // An overspend of £200, of which the M12 close gave the council £40 and the ICB £160.
    const plan = planYearEnd(agreement(text), 2025, [unit(20_000, { la: 4_000, icb: 16_000 }, 0)]);
    expect(plan.next!.schemes.find((s) => s.id === 'a')!.contributions[2026]).toEqual({ la: 96_000, icb: 284_000 });
    expect(plan.lines.filter((l) => l.kind === 'overspend_recovery').map((l) => [l.partner, l.amountPence])).toEqual([['la', -4_000], ['icb', -16_000]]);
    // A recovery larger than the contribution is refused.
    expect(() => planYearEnd(agreement(text), 2025, [unit(2_000_000, { la: 200_000, icb: 1_800_000 }, 0)])).toThrow(YearEndError);
  });

  it('does not uplift what an earlier year-end carried into the year', () => {
    const a = agreement('year_end:\n  uplift: [{pool: bcf, percent: 10}]\n');
    a.years.push(2027);
    const first = planYearEnd(a, 2025, [unit(-10_000, { la: 0, icb: 0 }, -10_000)]);
    const cf = 'bcf-carry-forward-2025-26';
    expect(first.next!.schemes.find((s) => s.id === cf)!.contributions[2026]).toEqual({ la: 10_000 });
    const second = planYearEnd(first.next!, 2026, [unit(0, { la: 0, icb: 0 }, 0)], { [cf]: { la: 10_000 } });
    // a: £1,100 → £1,210 for the council; the carry-forward line is not uplifted into 2027-28.
    expect(second.next!.schemes.find((s) => s.id === 'a')!.contributions[2027]).toEqual({ la: 121_000, icb: 363_000 });
    expect(second.next!.schemes.find((s) => s.id === cf)!.contributions[2027]).toBeUndefined();
  });

  it('is checked when the agreement is read', () => {
    const bad = parseAgreement(`${BASE}year_end:\n  carry_forward: {to_scheme: {bcf: zzz}}\n  uplift: [{percent: 2}, {pool: bcf, scheme: a, percent: 2}]\n`, { fileName: 'plan.yaml' });
    expect(bad.ok ? [] : bad.problems.map((p) => [p.code, p.path])).toEqual([
      ['UNKNOWN_SCHEME', 'year_end.carry_forward.to_scheme.bcf'],
      ['YEAR_END_RULE_INVALID', 'year_end.uplift.0'],
      ['YEAR_END_RULE_INVALID', 'year_end.uplift.1'],
    ]);
  });
});
