import { describe, expect, it } from 'vitest';
import type { RiskShare } from './agreement.js';
import { checkBcfMinimums, formatBasisPoints } from './bcf.js';
import { bcfYearEnd, NOT_STATED } from './bcf-year-end.js';
import { agreement, closeInput, gbp, months, partner, pool, scheme } from './close-fixtures.test-support.js';
import { computeClose } from './close.js';
import { memorandumAccount, OutturnNotActualError } from './memorandum.js';
import { InvariantError } from './money.js';

const icb = partner('icb', 'icb', 'NHS Example ICB');
const council = partner('council', 'council', 'Example Council');
const partners = [icb, council];
// domain.md §7's worked example: first £200,000 pro rata, the rest 50:50, the council capped at £150,000.
const worked: RiskShare = {
  overspend: {
    kind: 'tiered',
    bands: [
      { upToPence: gbp(200_000), rule: { kind: 'proportional' } },
      { upToPence: null, rule: { kind: 'fixed', percent: { icb: 50, council: 50 } } },
    ],
    caps: { council: { amountPence: gbp(150_000) } },
  },
  underspend: { kind: 'retain' },
};
const asr = scheme('asr', 'bcf', { icb: gbp(6_000_000), council: gbp(4_000_000) }, { name: 'Active Support and Recovery', leadCommissioner: 'icb' });
const a = agreement({ partners, pools: [pool('bcf', 'council', true, worked)], schemes: [asr] });

describe('memorandumAccount', () => {
  it('states the worked example: £10m in, £10.6m spent, a £600,000 deficit shared ICB £450,000 / council £150,000', () => {
    const close = computeClose(closeInput(a, 12, { actuals: { asr: { council: months(gbp(10_000_000), 12), icb: months(gbp(600_000), 12) } } }));
    const account = memorandumAccount(close, partners);
    expect(account.pools).toHaveLength(1);
    const [p] = account.pools;
    expect(p).toMatchObject({ host: 'council', hostName: 'Example Council', incomePence: gbp(10_000_000), expenditurePence: gbp(10_600_000), surplusPence: -gbp(600_000), retainedPence: 0 });
    expect(p!.income).toEqual([
      { partner: 'icb', name: 'NHS Example ICB', contributionPence: gbp(6_000_000) },
      { partner: 'council', name: 'Example Council', contributionPence: gbp(4_000_000) },
    ]);
    expect(p!.expenditure).toEqual([{ scheme: 'asr', name: 'Active Support and Recovery', budgetPence: gbp(10_000_000), actualPence: gbp(10_600_000), variancePence: gbp(600_000) }]);
    expect(p!.shares).toEqual([
      { partner: 'icb', name: 'NHS Example ICB', contributionPence: gbp(6_000_000), shareOfSurplusPence: -gbp(450_000), netContributionPence: gbp(6_450_000), settlementRef: 'T2526M12-SET-BCF-ICB' },
      { partner: 'council', name: 'Example Council', contributionPence: gbp(4_000_000), shareOfSurplusPence: -gbp(150_000), netContributionPence: gbp(4_150_000), settlementRef: null },
    ]);
    expect(p!.reasons.some((r) => r.includes('capped at £150,000.00'))).toBe(true);
    expect(account.totals).toEqual({ incomePence: gbp(10_000_000), expenditurePence: gbp(10_600_000), surplusPence: -gbp(600_000), retainedPence: 0 });
  });

  it('keeps a retained underspend in the pool: the surplus is carried forward, nobody is handed anything', () => {
    const close = computeClose(closeInput(a, 12, { actuals: { asr: { council: months(949_999_999, 12) } } }));
    const [p] = memorandumAccount(close, partners).pools;
    expect(p).toMatchObject({ surplusPence: 50_000_001, retainedPence: 50_000_001 });
    expect(p!.shares.map((s) => [s.shareOfSurplusPence, s.netContributionPence, s.settlementRef])).toEqual([
      [0, gbp(6_000_000), null],
      [0, gbp(4_000_000), null],
    ]);
  });

  it('refuses a close whose outturn is a lead forecast rather than the actual, and any month but M12', () => {
    const actuals = { asr: { council: months(gbp(10_000_000), 12) } };
    const forecast = computeClose(closeInput(a, 12, { actuals, leadForecasts: { asr: gbp(10_100_000) } }));
    expect(() => memorandumAccount(forecast, partners)).toThrow(OutturnNotActualError);
    const m11 = computeClose(closeInput(a, 11, { actuals: { asr: { council: months(gbp(9_000_000), 11) } } }));
    expect(() => memorandumAccount(m11, partners)).toThrow(InvariantError);
  });
});

describe('bcfYearEnd and checkBcfMinimums', () => {
  it('apportions a scheme across its sources by contribution and says what the agreement leaves out', () => {
    const withInfo = { ...asr, bcf: { schemeType: 'Intermediate Care Services', subType: null, areaOfSpend: 'Community Health', providerType: null, sourceOfFunding: { icb: 'Minimum NHS Contribution', council: 'iBCF' } } };
    const bare = scheme('pkw', 'bcf', { council: gbp(1_000_000) }, { name: 'People Keeping Well' });
    const b = agreement({ partners, pools: [pool('bcf', 'council', true, worked)], schemes: [withInfo, bare] });
    // £10,000,000.01 split 6:4 → £6,000,000.01 / £4,000,000.00 (the odd penny to the larger remainder).
    const close = computeClose(closeInput(b, 12, { actuals: { asr: { council: months(1_000_000_001, 12) }, pkw: { council: months(gbp(1_000_000), 12) } } }));
    const y = bcfYearEnd(close, b);
    expect(y.rows.map((r) => [r.schemeId, r.commissioner, r.providerType, r.sourceOfFunding, r.expenditurePence])).toEqual([
      ['asr', 'NHS', NOT_STATED, 'Minimum NHS Contribution', 600_000_001],
      ['asr', 'NHS', NOT_STATED, 'iBCF', 400_000_000],
      ['pkw', 'Joint', NOT_STATED, NOT_STATED, gbp(1_000_000)],
    ]);
    expect(y.totalPence).toBe(1_000_000_001 + gbp(1_000_000));
    expect(y.by.schemeType).toEqual([
      { label: 'Intermediate Care Services', expenditurePence: 1_000_000_001 },
      { label: NOT_STATED, expenditurePence: gbp(1_000_000) },
    ]);
    expect(y.warnings).toEqual(['scheme asr (Active Support and Recovery) has no providerType in the agreement\'s bcf fields', "scheme pkw (People Keeping Well) has no schemeType, areaOfSpend, providerType, sourceOfFunding in the agreement's bcf fields"]);
  });

  it('checks minimums exactly: margins in pence and basis points, partners without one unchecked', () => {
    const b = { ...a, bcf: { pools: [], minimumsPence: { 2025: { icb: gbp(6_000_000.01), council: 0 } } } };
    const check = checkBcfMinimums(b, 2025)!;
    expect(check.partners.map((p) => [p.partner, p.marginPence, p.marginBasisPoints, p.pass])).toEqual([
      ['icb', -1, 0, false],
      ['council', gbp(4_000_000), null, true],
    ]);
    expect(check.pass).toBe(false);
    expect(formatBasisPoints(-105, -1)).toBe('-1.05%');
    expect(formatBasisPoints(0, -1)).toBe('-0.00%');
    expect(formatBasisPoints(242_777, 1)).toBe('+2427.77%');
    expect(formatBasisPoints(null, 5)).toBe('n/a');
    const some = checkBcfMinimums({ ...a, bcf: { pools: ['bcf'], minimumsPence: { 2025: { icb: gbp(1) } } } }, 2025)!;
    expect(some.unchecked).toEqual([{ partner: 'council', name: 'Example Council', pooledPence: gbp(4_000_000) }]);
    expect(some.total).toMatchObject({ pooledPence: gbp(10_000_000), minimumPence: gbp(1) });
    expect(checkBcfMinimums(a, 2025)).toBeNull();
  });
});
