import { describe, expect, it } from 'vitest';
import type { Agreement, RiskShare, UnderspendRule } from './agreement.js';
import { agreementOfBalances } from './balances.js';
import { agreement, closeInput, coding, gbp, months, partner, pool, scheme, YEAR } from './close-fixtures.test-support.js';
import { closeJournals, JournalSetupError, type RechargeSource } from './close-journals.js';
import { computeClose, type CloseComputation, type CloseInput } from './close.js';
import { assertBalanced, type Journal } from './journal.js';
import { monthlyContribution } from './phasing.js';

// Host: the council. Non-host: the ICB, whose codes are Entity / Cost Centre / Account.
const icb = partner('icb', 'icb', 'NHS Example ICB');
const council = partner('council', 'council', 'Example Council');
const ICB = (account: string) => ({ Entity: 'ICB-E', 'Cost Centre': 'ICB-CC', Account: account });
const COUNCIL = (subjective: string) => ({ 'Cost Centre': 'COUNCIL-CC', Subjective: subjective });

interface Setup {
  asr?: Record<string, number>;
  underspend?: UnderspendRule;
  accrueSettlement?: boolean;
  rechargeIncome?: boolean;
}

function fund(o: Setup = {}): Agreement {
  const rule: RiskShare = { overspend: { kind: 'proportional' }, underspend: o.underspend ?? { kind: 'proportional' } };
  const schemes = [
    scheme('asr', 'bcf', o.asr ?? { icb: gbp(6_000_000), council: gbp(4_000_000) }),
    scheme('dfg', 'bcf', { icb: gbp(120_000), council: 0 }),
    scheme('acute', 'bcf', { icb: gbp(1_000_000), council: gbp(1_000) }, { type: 'aligned' }),
  ];
  const a = agreement({ partners: [icb, council], pools: [pool('bcf', 'council', false, rule)], schemes, accrueSettlement: o.accrueSettlement ?? false });
  if (o.rechargeIncome) a.coding.icb = coding(icb, ['council'], true);
  return a;
}

/** dfg spends exactly its budget; asr spends `asrPounds` over the year. */
const yearEnd = (asrPounds: number) => ({ asr: { council: months(gbp(asrPounds), 12) }, dfg: { council: months(gbp(120_000), 12) } });

const post = (j: Journal) => j.lines.map((l) => [l.role, l.codes, l.debitPence, l.creditPence, l.scheme]);
const find = (c: { journals: Journal[] } | Journal[], kind: Journal['kind'], partnerId: string, variant: Journal['variant'] = 'standard') =>
  (Array.isArray(c) ? c : c.journals).filter((j) => j.kind === kind && j.partner === partnerId && j.variant === variant);

function expectAgreed(c: CloseComputation): void {
  for (const j of c.journals) {
    assertBalanced(j);
    expect(j.lines.reduce((t, l) => t + l.debitPence, 0)).toBe(j.lines.reduce((t, l) => t + l.creditPence, 0));
  }
  expect(c.agreementOfBalances.map((r) => [r.partner, r.counterparty])).toEqual([
    ['icb', 'council'],
    ['council', 'icb'],
  ]);
  for (const r of c.agreementOfBalances) expect([r.differencePence, r.ytdDifferencePence]).toEqual([0, 0]);
}

describe('close journals: contributions (§8)', () => {
  it("posts the non-host partner's phased contribution in each ledger's own codes", () => {
    const a = fund({ asr: { icb: 600_000_005, council: gbp(4_000_000) } });
    const c = computeClose(closeInput(a, 3));
    expect(monthlyContribution(a.schemes[0]!, YEAR, 'icb')[2]).toBe(50_000_001); // 600,000,005 = 12 × 50,000,000 + 5
    const [p, h] = [find(c, 'contribution', 'icb'), find(c, 'contribution', 'council')];
    expect(p).toHaveLength(1);
    expect(h).toHaveLength(1);
    expect(p[0]).toMatchObject({ ledger: 'icb-gl', counterparty: 'council', pool: 'bcf', period: '2025-26 M03', date: '2025-06-30', ref: 'T2526M03-CON-BCF-ICB' });
    expect(h[0]).toMatchObject({ ledger: 'council-gl', counterparty: 'icb', ref: p[0]!.ref, date: '2025-06-30' });
    expect(post(p[0]!)).toEqual([
      ['contribution_to_pool', ICB('CTP'), 50_000_001, 0, 'asr'],
      ['contribution_to_pool', ICB('CTP'), 1_000_000, 0, 'dfg'],
      ['creditor', ICB('CR-COUNCIL'), 0, 51_000_001, null],
    ]);
    expect(post(h[0]!)).toEqual([
      ['debtor', COUNCIL('DR-ICB'), 51_000_001, 0, null],
      ['pool_income', COUNCIL('INC'), 0, 50_000_001, 'asr'],
      ['pool_income', COUNCIL('INC'), 0, 1_000_000, 'dfg'],
    ]);
    expect(c.journals.map((j) => j.kind)).toEqual(['contribution', 'contribution']); // the host posts nothing for itself
    expectAgreed(c);
  });

  it("adds each partner's months back to its annual contribution by M12", () => {
    const a = fund({ asr: { icb: 600_000_005, council: gbp(4_000_000) } });
    const total = Array.from({ length: 12 }, (_, i) => computeClose(closeInput(a, i + 1)))
      .flatMap((c) => find(c, 'contribution', 'icb'))
      .reduce((t, j) => t + j.lines.find((l) => l.role === 'creditor')!.creditPence, 0);
    expect(total).toBe(600_000_005 + gbp(120_000));
  });
});

describe('close journals: recharges of pooled spend (§8)', () => {
  const recharges: RechargeSource[] = [
    { ledger: 'icb-gl', scheme: 'asr', codes: ['ICB-E', '709100', '521000', 'ASR01'], amountPence: 2_500_000 },
    { ledger: 'icb-gl', scheme: 'asr', codes: ['ICB-E', '709100', '521010', 'ASR02'], amountPence: -300_000 }, // a credit note
    { ledger: 'icb-gl', scheme: 'acute', codes: ['ICB-E', '709100', '521000', 'AC01'], amountPence: 999 }, // aligned: stays put
    { ledger: 'icb-gl', scheme: 'dfg', codes: ['ICB-E', '709100', '521000', 'DFG'], amountPence: 0 },
    { ledger: 'council-gl', scheme: 'asr', codes: ['C100', '5000'], amountPence: 777 }, // already in the host's ledger
  ];
  const analysis1 = { Entity: 'ICB-E', 'Cost Centre': '709100', Account: '521000', 'Analysis Code': 'ASR01' };
  const analysis2 = { Entity: 'ICB-E', 'Cost Centre': '709100', Account: '521010', 'Analysis Code': 'ASR02' };

  it('credits the spend back to its own codes and debits fund spend at the host, keeping the analysis', () => {
    const c = computeClose(closeInput(fund(), 3, { recharges }));
    const [p, h] = [find(c, 'recharge', 'icb'), find(c, 'recharge', 'council')];
    expect(p).toHaveLength(1);
    expect(h).toHaveLength(1);
    expect(p[0]!.ref).toBe('T2526M03-RCH-BCF-ICB');
    expect(post(p[0]!)).toEqual([
      ['debtor', ICB('DR-COUNCIL'), 2_200_000, 0, null],
      ['spend', { Entity: 'ICB-E', 'Cost Centre': '709100', Account: '521000' }, 0, 2_500_000, 'asr'],
      ['spend', { Entity: 'ICB-E', 'Cost Centre': '709100', Account: '521010' }, 300_000, 0, 'asr'],
    ]);
    expect(post(h[0]!)).toEqual([
      ['fund_spend', COUNCIL('SPEND'), 2_500_000, 0, 'asr'],
      ['fund_spend', COUNCIL('SPEND'), 0, 300_000, 'asr'],
      ['creditor', COUNCIL('CR-ICB'), 0, 2_200_000, null],
    ]);
    expect(h[0]!.lines.map((l) => l.analysis)).toEqual([analysis1, analysis2, null]);
    expect(p[0]!.lines.map((l) => l.analysis)).toEqual([null, analysis1, analysis2]);
    expect(p[0]!.lines[0]!.counterparty).toBe('council');
    expectAgreed(c);
  });

  it('credits a recharge-income code instead when the spender has one', () => {
    const c = computeClose(closeInput(fund({ rechargeIncome: true }), 3, { recharges }));
    expect(post(find(c, 'recharge', 'icb')[0]!).slice(1)).toEqual([
      ['recharge_income', ICB('RCHINC'), 0, 2_500_000, 'asr'],
      ['recharge_income', ICB('RCHINC'), 300_000, 0, 'asr'],
    ]);
    expectAgreed(c);
  });

  it("refuses a recharge it cannot code back to the spender's own columns", () => {
    const a = fund();
    a.ledgers[0]!.file.columns.codes = ['Entity', 'Cost Centre'];
    expect(() => computeClose(closeInput(a, 3, { recharges }))).toThrow(JournalSetupError);
  });
});

describe('close journals: settlement (§8)', () => {
  it('shows the forecast settlement before M12 but posts it only at M12 by default', () => {
    const m6 = computeClose(closeInput(fund(), 6, { leadForecasts: { asr: gbp(10_600_000) } }));
    expect(m6.units.find((u) => u.id === 'scheme:asr')!.sharesPence).toEqual({ icb: gbp(360_000), council: gbp(240_000) });
    expect(m6.journals.filter((j) => j.kind === 'settlement')).toEqual([]);
    const m12 = computeClose(closeInput(fund(), 12, { actuals: yearEnd(10_600_000) }));
    const [p, h] = [find(m12, 'settlement', 'icb'), find(m12, 'settlement', 'council')];
    expect(p[0]!.ref).toBe('T2526M12-SET-BCF-ICB');
    expect(post(p[0]!)).toEqual([
      ['contribution_to_pool', ICB('CTP'), gbp(360_000), 0, 'asr'],
      ['creditor', ICB('CR-COUNCIL'), 0, gbp(360_000), null],
    ]);
    expect(post(h[0]!)).toEqual([
      ['debtor', COUNCIL('DR-ICB'), gbp(360_000), 0, null],
      ['pool_income', COUNCIL('INC'), 0, gbp(360_000), 'asr'],
    ]);
    expectAgreed(m12);
  });

  it('hands an underspend back: Dr debtor · Cr contribution for P, Dr pool income · Cr creditor for H', () => {
    const c = computeClose(closeInput(fund(), 12, { actuals: yearEnd(9_500_000) }));
    expect(post(find(c, 'settlement', 'icb')[0]!)).toEqual([
      ['contribution_to_pool', ICB('CTP'), 0, gbp(300_000), 'asr'],
      ['debtor', ICB('DR-COUNCIL'), gbp(300_000), 0, null],
    ]);
    expect(post(find(c, 'settlement', 'council')[0]!)).toEqual([
      ['creditor', COUNCIL('CR-ICB'), 0, gbp(300_000), null],
      ['pool_income', COUNCIL('INC'), gbp(300_000), 0, 'asr'],
    ]);
    expectAgreed(c);
  });

  it('posts nothing for a retained underspend', () => {
    const c = computeClose(closeInput(fund({ underspend: { kind: 'retain' } }), 12, { actuals: yearEnd(9_500_000) }));
    expect(c.units.find((u) => u.id === 'scheme:asr')!.retainedPence).toBe(gbp(-500_000));
    expect(c.journals.filter((j) => j.kind === 'settlement')).toEqual([]);
    expect(c.journals.map((j) => j.kind)).toEqual(['contribution', 'contribution']);
  });

  it('accrues monthly when the agreement says so, reversing last month’s accrual', () => {
    const a = fund({ accrueSettlement: true });
    const m3 = computeClose(closeInput(a, 3, { leadForecasts: { asr: gbp(10_600_000), dfg: gbp(120_000) } }));
    const accrual = find(m3, 'settlement', 'icb', 'accrual');
    expect(accrual).toHaveLength(1);
    expect(accrual[0]).toMatchObject({ ref: 'T2526M03-SETA-BCF-ICB', period: '2025-26 M03', date: '2025-06-30' });
    expect(accrual[0]!.lines.find((l) => l.role === 'creditor')!.creditPence).toBe(gbp(360_000));
    expect(find(m3, 'settlement', 'council', 'accrual')).toHaveLength(1);
    expectAgreed(m3);

    const m4 = computeClose(closeInput(a, 4, { leadForecasts: { asr: gbp(10_300_000), dfg: gbp(120_000) }, previousJournals: m3.journals, earlierJournals: m3.journals }));
    const reversals = m4.journals.filter((j) => j.variant === 'reversal');
    expect(reversals.map((j) => [j.partner, j.ref, j.period, j.date])).toEqual([
      ['icb', 'T2526M04-SETR-BCF-ICB', '2025-26 M04', '2025-07-01'],
      ['council', 'T2526M04-SETR-BCF-ICB', '2025-26 M04', '2025-07-01'],
    ]);
    expect(reversals[0]!.lines.map((l) => [l.role, l.debitPence, l.creditPence])).toEqual(accrual[0]!.lines.map((l) => [l.role, l.creditPence, l.debitPence]));
    expect(find(m4, 'settlement', 'icb', 'accrual')[0]!.lines.find((l) => l.role === 'creditor')!.creditPence).toBe(gbp(180_000));
    expectAgreed(m4);
    const row = m4.agreementOfBalances.find((r) => r.partner === 'icb')!;
    const due = gbp(500_000) + gbp(10_000); // a month's contributions: asr £6m/12, dfg £120k/12
    expect(row.creditorPence).toBe(due - gbp(360_000) + gbp(180_000));
    expect(row.ytdCreditorPence).toBe(2 * due + gbp(180_000));

    // M12: November's accrual reversed, the settlement posted for real.
    const m11 = computeClose(closeInput(a, 11, { leadForecasts: { asr: gbp(10_600_000), dfg: gbp(120_000) } }));
    const m12 = computeClose(closeInput(a, 12, { actuals: yearEnd(10_600_000), previousJournals: m11.journals }));
    expect(m12.journals.filter((j) => j.kind === 'settlement').map((j) => [j.partner, j.variant])).toEqual([
      ['icb', 'reversal'],
      ['council', 'reversal'],
      ['icb', 'standard'],
      ['council', 'standard'],
    ]);
  });

  it('reverses only settlement accruals', () => {
    const m3 = computeClose(closeInput(fund(), 3));
    const m4 = computeClose(closeInput(fund(), 4, { previousJournals: m3.journals }));
    expect(m4.journals.some((j) => j.variant === 'reversal')).toBe(false);
  });
});

describe('close journals: agreement of balances and setup (§8)', () => {
  const busy = (): CloseInput =>
    closeInput(fund(), 12, {
      actuals: yearEnd(10_600_000),
      recharges: [{ ledger: 'icb-gl', scheme: 'asr', codes: ['ICB-E', '709100', '521000', 'ASR01'], amountPence: 2_500_000 }],
    });

  it('balances every journal and agrees the balances, period and year to date', () => {
    const c = computeClose(busy());
    expect(c.journals.map((j) => `${j.kind}:${j.partner}`)).toEqual([
      'contribution:icb',
      'contribution:council',
      'recharge:icb',
      'recharge:council',
      'settlement:icb',
      'settlement:council',
    ]);
    expectAgreed(c);
    const row = c.agreementOfBalances.find((r) => r.partner === 'icb')!;
    expect(row).toMatchObject({ creditorPence: gbp(510_000) + gbp(360_000), debtorPence: 2_500_000 });
  });

  it('refuses a journal set whose two sides do not mirror', () => {
    const c = computeClose(busy());
    const tampered = structuredClone(c.journals);
    const hostContribution = tampered.find((j) => j.kind === 'contribution' && j.partner === 'council')!;
    hostContribution.lines[0]!.debitPence += 1; // debtor from the ICB
    hostContribution.lines[1]!.creditPence += 1; // still balances on its own
    assertBalanced(hostContribution);
    expect(() => agreementOfBalances(['icb', 'council'], tampered, [])).toThrow(/agreement of balances \(period\)/);
    expect(() => agreementOfBalances(['icb', 'council'], c.journals, tampered)).toThrow(/agreement of balances \(year to date\)/);
    expect(() => agreementOfBalances(['icb', 'council'], c.journals, c.journals)).not.toThrow();
  });

  it('refuses to journal for a partner that moves money without coding', () => {
    const a = fund();
    delete a.coding.icb;
    expect(() => computeClose(closeInput(a, 3))).toThrow(JournalSetupError);
    const b = fund();
    b.coding.icb = { ...b.coding.icb!, creditor: {} };
    expect(() => computeClose(closeInput(b, 3))).toThrow(JournalSetupError);
  });

  it('needs no coding for partners that move no money', () => {
    const trust = partner('trust', 'trust');
    const a = agreement({ partners: [icb, council, trust], pools: [pool('bcf', 'council', false, { overspend: { kind: 'proportional' }, underspend: { kind: 'retain' } })], schemes: [scheme('asr', 'bcf', { icb: gbp(1_200), council: gbp(1_200) })] });
    delete a.coding.trust;
    expect(computeClose(closeInput(a, 3)).journals).toHaveLength(2);
    // A pool funded by its host alone moves nothing, so even the host needs no coding.
    const own = agreement({ partners: [icb, council], pools: [pool('own', 'council', false, { overspend: { kind: 'lead', partner: 'council' }, underspend: { kind: 'retain' } })], schemes: [scheme('cs', 'own', { council: gbp(1_200) })], coding: {} });
    expect(computeClose(closeInput(own, 12, { actuals: { cs: { council: months(gbp(1_500), 12) } } })).journals).toEqual([]);
  });

  it('settles overspend on one scheme and underspend on another in one pair, intra-partner line on the net', () => {
    // No netting: asr overspends £600,000 (ICB £360,000), dfg spends nothing (ICB, its only contributor, gets £120,000 back).
    const c = computeClose(closeInput(fund(), 12, { actuals: { asr: yearEnd(10_600_000).asr } }));
    expect(post(find(c, 'settlement', 'icb')[0]!)).toEqual([
      ['contribution_to_pool', ICB('CTP'), gbp(360_000), 0, 'asr'],
      ['contribution_to_pool', ICB('CTP'), 0, gbp(120_000), 'dfg'],
      ['creditor', ICB('CR-COUNCIL'), 0, gbp(240_000), null],
    ]);
    expectAgreed(c);
    // The same units through closeJournals directly: the journals are a function of the units.
    const again = closeJournals({ agreement: fund(), year: YEAR, month: 12, units: c.units, recharges: [], previousAccruals: [] });
    expect(again).toEqual(c.journals);
  });
});
