import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agreement, Cap, OverspendRule, RiskShare, Scheme, SimpleShareRule, TierBand, UnderspendRule } from './agreement.js';
import type { Actuals } from './close-figures.js';
import { agreement, closeInput, months, partner, pool, scheme, YEAR } from './close-fixtures.test-support.js';
import type { RechargeSource } from './close-journals.js';
import { computeClose, type CloseComputation, type CloseInput } from './close.js';
import { assertBalanced, type Journal } from './journal.js';
import type { Pence } from './money.js';
import { percentOf } from './percent.js';
import { annualBudget, monthlyContribution } from './phasing.js';
import type { SharingUnit } from './sharing.js';

// Random agreements: 2–4 partners (p0 a council, the others NHS bodies, each coded in its own
// columns), 1–2 pools with a random host, netting on or off, 1–5 pooled and 0–2 aligned schemes
// with random contributions (zeros included, never all zero), random rules, caps and actuals.

const IDS = ['p0', 'p1', 'p2', 'p3'];
const RUNS = { numRuns: 150 };

type Tiered = { kind: 'tiered'; bands: TierBand[] };

function simpleRule(ids: readonly string[]): fc.Arbitrary<SimpleShareRule> {
  // Fixed shares: cut 100.00% at random basis points, so they add to exactly 100 with ≤ 2 decimals.
  const fixed = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: ids.length - 1, maxLength: ids.length - 1 }).map((cuts): SimpleShareRule => {
    const edges = [0, ...[...cuts].sort((a, b) => a - b), 10_000];
    return { kind: 'fixed', percent: Object.fromEntries(ids.map((p, i) => [p, (edges[i + 1]! - edges[i]!) / 100])) };
  });
  const lead = fc.constantFrom(...ids).map((p): SimpleShareRule => ({ kind: 'lead', partner: p }));
  return fc.oneof(fc.constant<SimpleShareRule>({ kind: 'proportional' }), fixed, lead);
}

function tiered(ids: readonly string[]): fc.Arbitrary<Tiered> {
  const bounded = fc.array(fc.tuple(fc.integer({ min: 1, max: 50_000_000 }), simpleRule(ids)), { minLength: 1, maxLength: 2 });
  return fc.tuple(bounded, simpleRule(ids)).map(([bands, last]) => ({
    kind: 'tiered',
    bands: [...bands.map(([width, rule]): TierBand => ({ upToPence: width, rule })), { upToPence: null, rule: last }],
  }));
}

const cap: fc.Arbitrary<Cap> = fc.oneof(
  fc.integer({ min: 0, max: 50_000_000 }).map((amountPence): Cap => ({ amountPence })),
  fc.integer({ min: 0, max: 10_000 }).map((bp): Cap => ({ percentOfContribution: bp / 100 })),
);

function overspend(ids: readonly string[]): fc.Arbitrary<OverspendRule> {
  const caps = fc.array(fc.option(cap, { nil: undefined }), { minLength: ids.length, maxLength: ids.length });
  return fc.tuple(fc.oneof(simpleRule(ids), tiered(ids)), caps, fc.constantFrom(...ids)).map(([base, list, excessTo]): OverspendRule => {
    const entries = ids.flatMap((p, i): [string, Cap][] => (list[i] === undefined ? [] : [[p, list[i]]]));
    // excess_to is always named with caps, so every unit can settle.
    return entries.length === 0 ? base : { ...base, caps: Object.fromEntries(entries), excessTo };
  });
}

function underspend(ids: readonly string[]): fc.Arbitrary<UnderspendRule> {
  return fc.oneof(simpleRule(ids), tiered(ids), fc.constant<UnderspendRule>({ kind: 'retain' }));
}

function world(n: number) {
  const ids = IDS.slice(0, n);
  const riskShare: fc.Arbitrary<RiskShare> = fc.record({ overspend: overspend(ids), underspend: underspend(ids) });
  const schemeArb = fc.record({
    pool: fc.nat(1),
    contributions: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000_000 })), { minLength: n, maxLength: n }),
    anchor: fc.nat(n - 1),
    own: fc.option(riskShare, { nil: null }),
    fotMethod: fc.constantFrom<Scheme['fotMethod']>('plan', 'run_rate', 'lead'),
    weights: fc.option(fc.array(fc.nat(10), { minLength: 12, maxLength: 12 }), { nil: null }),
    actuals: fc.array(fc.option(fc.integer({ min: -100_000_000, max: 1_200_000_000 }), { nil: null }), { minLength: n, maxLength: n }),
    lead: fc.option(fc.integer({ min: -10_000_000, max: 2_000_000_000 }), { nil: null }),
  });
  return fc.record({
    pools: fc.array(fc.record({ host: fc.constantFrom(...ids), netting: fc.boolean(), riskShare }), { minLength: 1, maxLength: 2 }),
    pooled: fc.array(schemeArb, { minLength: 1, maxLength: 5 }),
    aligned: fc.array(schemeArb, { maxLength: 2 }),
    month: fc.integer({ min: 1, max: 12 }),
    accrue: fc.boolean(),
    recharges: fc.array(fc.record({ p: fc.nat(n - 1), s: fc.nat(4), amount: fc.integer({ min: -5_000_000, max: 50_000_000 }), code: fc.constantFrom('A', 'B') }), { maxLength: 4 }),
    order: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
  });
}

type Raw = ReturnType<typeof world> extends fc.Arbitrary<infer T> ? T : never;
const worlds = fc.integer({ min: 2, max: 4 }).chain((n) => world(n).map((raw) => ({ n, raw })));

function build(n: number, raw: Raw): { input: CloseInput; shuffled: CloseInput } {
  const ids = IDS.slice(0, n);
  const partners = ids.map((id, i) => partner(id, i === 0 ? 'council' : 'icb'));
  const pools = raw.pools.map((p, i) => pool(`pool${i}`, p.host, p.netting, p.riskShare));
  const actuals: Record<string, Record<string, Pence[]>> = {};
  const leadForecasts: Record<string, Pence> = {};
  const make = (s: Raw['pooled'][number], id: string, type: Scheme['type']): Scheme => {
    const contributions = Object.fromEntries(ids.map((p, i) => [p, s.contributions[i]!]));
    if (s.contributions.every((c) => c === 0)) contributions[ids[s.anchor]!] = 1 + s.anchor * 1_000_003;
    const poolIndex = s.pool % pools.length;
    const riskShare = type === 'pooled' && !pools[poolIndex]!.netting ? s.own : null;
    const profile: Scheme['profile'] = s.weights ? { kind: 'weights', weights: s.weights } : { kind: 'equal' };
    ids.forEach((p, i) => {
      const ytd = s.actuals[i];
      if (ytd !== null && ytd !== undefined) (actuals[id] ??= {})[p] = months(ytd, raw.month);
    });
    if (s.lead !== null) leadForecasts[id] = s.lead;
    return scheme(id, `pool${poolIndex}`, contributions, { type, riskShare, fotMethod: s.fotMethod, profile });
  };
  const schemes = [...raw.pooled.map((s, i) => make(s, `s${i}`, 'pooled')), ...raw.aligned.map((s, i) => make(s, `a${i}`, 'aligned'))];
  const a = agreement({ partners, pools, schemes, accrueSettlement: raw.accrue });
  const recharges: RechargeSource[] = raw.recharges.map((r) => ({
    ledger: `${ids[r.p]}-gl`,
    scheme: `s${r.s % raw.pooled.length}`,
    codes: r.p === 0 ? ['CC1', `SUB${r.code}`] : ['E1', 'CC1', `ACC${r.code}`, 'AN1'],
    amountPence: r.amount,
  }));
  const input = closeInput(a, raw.month, { actuals: actuals as Actuals, leadForecasts, recharges });
  const order = schemes.map((_, i) => i).sort((x, y) => raw.order[x]! - raw.order[y]! || x - y);
  return { input, shuffled: { ...input, agreement: { ...a, schemes: order.map((i) => schemes[i]!) } } };
}

const sum = (values: Iterable<number>) => [...values].reduce((t, v) => t + v, 0);

function ruleOf(a: Agreement, unit: SharingUnit): RiskShare {
  const p = a.pools.find((x) => x.id === unit.pool)!;
  if (unit.id.startsWith('pool:')) return p.riskShare!;
  return a.schemes.find((s) => s.id === unit.schemes[0])!.riskShare ?? p.riskShare!;
}

function names(rule: OverspendRule | UnderspendRule, p: string): boolean {
  const simple = (r: SimpleShareRule) => (r.kind === 'lead' ? r.partner === p : r.kind === 'fixed' ? (r.percent[p] ?? 0) > 0 : false);
  if (rule.kind === 'retain') return false;
  return rule.kind === 'tiered' ? rule.bands.some((b) => simple(b.rule)) : simple(rule);
}

/** What P's journals of a kind say P owes H (creditor) net of what H owes P (debtor). */
function netDue(journals: readonly Journal[], p: string, pool: string, kind: Journal['kind']): Pence {
  const mine = journals.filter((j) => j.partner === p && j.pool === pool && j.kind === kind && j.variant !== 'reversal');
  const lines = mine.flatMap((j) => j.lines);
  return sum(lines.map((l) => (l.role === 'creditor' ? l.creditPence - l.debitPence : l.role === 'debtor' ? l.creditPence - l.debitPence : 0)));
}

function expectAgreed(c: CloseComputation): void {
  for (const j of c.journals) {
    assertBalanced(j);
    expect(sum(j.lines.map((l) => l.debitPence))).toBe(sum(j.lines.map((l) => l.creditPence)));
  }
  for (const r of c.agreementOfBalances) expect([r.differencePence, r.ytdDifferencePence]).toEqual([0, 0]);
}

function checkClose(c: CloseComputation, input: CloseInput): void {
  const a = input.agreement;
  for (const unit of c.units) {
    // (a) shares plus retained add back to the variance, exactly.
    expect(sum(Object.values(unit.sharesPence)) + unit.retainedPence).toBe(unit.variancePence);
    const rule = ruleOf(a, unit);
    // (d) nothing to share, nothing shared.
    if (unit.variancePence === 0) expect([Object.values(unit.sharesPence).every((s) => s === 0), unit.retainedPence, unit.reasons]).toEqual([true, 0, []]);
    // (b) no capped partner above its cap, but the excess_to partner taking an all-capped excess.
    if (unit.variancePence > 0) {
      for (const [p, cp] of Object.entries(rule.overspend.caps ?? {})) {
        const capPence = 'amountPence' in cp ? cp.amountPence : percentOf(unit.contributionsPence[p] ?? 0, cp.percentOfContribution);
        const allCapped = unit.reasons.some((r) => r.kind === 'excess' && r.from === 'all-capped' && r.partner === p);
        if (allCapped) expect(p).toBe(rule.overspend.excessTo);
        else expect(unit.sharesPence[p] ?? 0).toBeLessThanOrEqual(capPence);
      }
    }
    // A partner outside the unit (no contribution, not named by its rules) bears nothing of it.
    for (const p of a.partners.map((x) => x.id)) {
      const outside = (unit.contributionsPence[p] ?? 0) === 0 && !names(rule.overspend, p) && !names(rule.underspend, p) && rule.overspend.excessTo !== p;
      if (outside) expect(unit.sharesPence[p] ?? 0).toBe(0);
    }
  }
  // (f) aligned schemes: the partners' own variances add to the scheme's.
  for (const s of c.schemes.filter((x) => x.type === 'aligned')) {
    expect(sum(Object.values(s.partners).map((f) => f.fotVariancePence!))).toBe(s.fotVariancePence);
    expect(sum(Object.values(s.sharesPence))).toBe(s.fotVariancePence);
  }
  for (const k of ['annualBudgetPence', 'ytdActualPence', 'fotPence', 'fotVariancePence'] as const) {
    expect(c.totals.pooled[k] + c.totals.aligned[k]).toBe(c.totals.fund[k]);
  }
  // (e) every journal balances, the balances agree, and the journals carry exactly the close's money.
  expectAgreed(c);
  const settles = input.month === 12 || a.accrueSettlement;
  for (const pl of a.pools) {
    const pooled = a.schemes.filter((s) => s.pool === pl.id && s.type === 'pooled');
    if (pooled.length === 0 || pl.host === null) continue;
    for (const p of a.partners.map((x) => x.id).filter((x) => x !== pl.host)) {
      const units = c.units.filter((u) => u.pool === pl.id);
      expect(netDue(c.journals, p, pl.id, 'settlement')).toBe(settles ? sum(units.map((u) => u.sharesPence[p] ?? 0)) : 0);
      expect(netDue(c.journals, p, pl.id, 'contribution')).toBe(sum(pooled.map((s) => monthlyContribution(s, YEAR, p)[input.month - 1]!)));
      const spent = input.recharges.filter((r) => r.ledger === `${p}-gl` && pooled.some((s) => s.id === r.scheme));
      expect(0 - netDue(c.journals, p, pl.id, 'recharge')).toBe(sum(spent.map((r) => r.amountPence)));
    }
  }
  expect(c.journals.some((j) => j.partner === j.counterparty)).toBe(false);
}

/** The order-free content of a close: per unit, per scheme, per journal (by ref and ledger). */
function fingerprint(c: CloseComputation) {
  const byKey = <T>(entries: [string, T][]) => Object.fromEntries([...entries].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  const totals = (j: Journal) => [sum(j.lines.map((l) => l.debitPence)), sum(j.lines.map((l) => l.creditPence))];
  return {
    units: byKey(c.units.map((u) => [u.id, { v: u.variancePence, s: u.sharesPence, r: u.retainedPence, c: u.contributionsPence, schemes: [...u.schemes].sort() }])),
    schemes: byKey(c.schemes.map((s) => [s.id, { fot: s.fotPence, v: s.fotVariancePence, rag: s.rag, shares: s.sharesPence, unit: s.sharingUnit }])),
    pools: c.pools.map((p) => [p.id, p.sharesPence, p.retainedPence, p.figures]),
    journals: byKey(c.journals.map((j) => [`${j.ref}|${j.ledger}|${j.variant}`, totals(j)])),
    balances: c.agreementOfBalances,
    totals: c.totals,
  };
}

describe('the month-end close (properties)', () => {
  it('adds back, respects caps, balances and agrees, whatever the agreement and the actuals (a, b, d, e, f)', () => {
    fc.assert(
      fc.property(worlds, ({ n, raw }) => {
        const { input } = build(n, raw);
        const c = computeClose(input);
        checkClose(c, input);
        if (input.month < 12) {
          // The next month's close reverses this month's accruals and still agrees year to date.
          const next = computeClose({ ...input, month: input.month + 1, leadForecasts: {}, recharges: [], previousJournals: c.journals, earlierJournals: c.journals });
          checkClose(next, { ...input, month: input.month + 1, recharges: [] });
          const accruals = c.journals.filter((j) => j.variant === 'accrual');
          const reversals = next.journals.filter((j) => j.variant === 'reversal');
          expect(reversals.map((j) => [j.ledger, j.lines.map((l) => [l.creditPence, l.debitPence])])).toEqual(
            accruals.map((j) => [j.ledger, j.lines.map((l) => [l.debitPence, l.creditPence])]),
          );
        }
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the schemes in the agreement (c)', () => {
    fc.assert(
      fc.property(worlds, ({ n, raw }) => {
        const { input, shuffled } = build(n, raw);
        expect(fingerprint(computeClose(shuffled))).toEqual(fingerprint(computeClose(input)));
      }),
      RUNS,
    );
  });

  it('shares nothing and settles nothing when every forecast is exactly the budget (d)', () => {
    fc.assert(
      fc.property(worlds, ({ n, raw }) => {
        const { input } = build(n, raw);
        const leadForecasts = Object.fromEntries(input.agreement.schemes.map((s) => [s.id, annualBudget(s, YEAR)]));
        const c = computeClose({ ...input, leadForecasts });
        for (const u of c.units) expect([u.variancePence, Object.values(u.sharesPence).filter((s) => s !== 0), u.retainedPence, u.reasons]).toEqual([0, [], 0, []]);
        for (const s of c.schemes) expect([s.fotVariancePence, Object.values(s.sharesPence).filter((v) => v !== 0)]).toEqual([0, []]);
        expect(c.journals.filter((j) => j.kind === 'settlement')).toEqual([]);
        checkClose(c, { ...input, leadForecasts });
      }),
      RUNS,
    );
  });
});
