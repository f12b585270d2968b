// The year-end (docs/year-end.md): once every month of a year is closed, the M12 close's risk
// share is the year's settlement, and the agreement says what goes into the next year — the next
// year's contributions (stated in the agreement, or the ended year's uplifted by a percentage),
// retained underspends as a budget line of the host in the pool (the money is already in the
// host's ledger, so it moves nothing), and agreed overspend recovery plans as a reduction of a
// scheme's next-year contributions by what each partner bore. Pure: the agreement in, the next
// year's agreement and the lines that explain every change out (the input is never mutated).

import type { Agreement, Scheme } from './agreement.js';
import { formatPounds, invariant, sumPence, type Pence } from './money.js';
import { basisPoints } from './percent.js';
import { formatYear, type YearStart } from './period.js';
import { annualBudget } from './phasing.js';
import type { SharingUnit } from './sharing.js';

export interface SettlementUnit {
  unit: string;
  pool: string;
  variancePence: Pence;
  /** What each partner bears (positive: pays more; negative: handed back). */
  sharesPence: Record<string, Pence>;
  /** Underspend kept in the pool (negative or 0). */
  retainedPence: Pence;
}

export interface YearSettlement {
  units: SettlementUnit[];
  /** Each partner's total over the units, in agreement order. */
  byPartnerPence: Record<string, Pence>;
  retainedPence: Pence;
}

export type CarryLineKind = 'stated' | 'uplift' | 'carry_forward' | 'overspend_recovery' | 'not_carried';

/** One thing the year-end did to (or decided not to do to) the next year's budget. */
export interface CarryLine {
  kind: CarryLineKind;
  pool: string;
  scheme: string | null;
  partner: string | null;
  /** The change to the next year's contribution (uplift and stated: the whole contribution). */
  amountPence: Pence;
  /** Uplift: the ended year's contribution it was made from. */
  basePence: Pence | null;
  text: string;
}

export interface YearEndPlan {
  year: YearStart;
  /** Null when the agreement has no next year: nothing is carried, the year is only made final. */
  nextYear: YearStart | null;
  settlement: YearSettlement;
  lines: CarryLine[];
  next: Agreement | null;
}

/** Changes an earlier year-end made to a year's contributions: scheme → partner → pence. */
export type Adjustments = Readonly<Record<string, Readonly<Record<string, Pence>>>>;

export class YearEndError extends Error {
  constructor(
    readonly code: 'BUDGET_NEGATIVE',
    message: string,
  ) {
    super(message);
    this.name = 'YearEndError';
  }
}

export function settlementOf(agreement: Agreement, units: readonly SharingUnit[]): YearSettlement {
  const byPartnerPence: Record<string, Pence> = {};
  for (const p of agreement.partners) {
    const total = sumPence(units.map((u) => u.sharesPence[p.id] ?? 0));
    if (total !== 0 || units.some((u) => p.id in u.sharesPence)) byPartnerPence[p.id] = total;
  }
  const out = units.map((u) => ({ unit: u.id, pool: u.pool, variancePence: u.variancePence, sharesPence: { ...u.sharesPence }, retainedPence: u.retainedPence }));
  for (const u of out) invariant(sumPence(Object.values(u.sharesPence)) + u.retainedPence === u.variancePence, `unit ${u.unit}: shares and retained add back to its variance`);
  return { units: out, byPartnerPence, retainedPence: sumPence(units.map((u) => u.retainedPence)) };
}

/** base × percent / 100, rounded to the nearest penny (halves away from zero), added to base: one rounding. */
export function uplifted(base: Pence, percent: number): Pence {
  const product = BigInt(base) * BigInt(basisPoints(percent));
  const whole = product / 10_000n;
  const rest = product % 10_000n;
  const magnitude = rest < 0n ? -rest : rest;
  const rounded = magnitude * 2n >= 10_000n ? whole + (product < 0n ? -1n : 1n) : whole;
  return base + Number(rounded);
}

const pounds = (p: Pence) => `£${formatPounds(p)}`;

function upliftRuleFor(agreement: Agreement, scheme: Scheme): { percent: number; by: string } | null {
  const rules = agreement.yearEnd?.uplift ?? [];
  const own = rules.find((r) => r.scheme === scheme.id);
  if (own) return { percent: own.percent, by: `scheme ${scheme.id}` };
  const pool = rules.find((r) => r.pool === scheme.pool);
  return pool ? { percent: pool.percent, by: `pool ${scheme.pool}` } : null;
}

function applyUplifts(next: Agreement, year: YearStart, nextYear: YearStart, adjustments: Adjustments, lines: CarryLine[]): void {
  for (const scheme of next.schemes) {
    const rule = upliftRuleFor(next, scheme);
    if (scheme.contributions[nextYear] !== undefined) {
      const stated = annualBudget(scheme, nextYear);
      lines.push({ kind: 'stated', pool: scheme.pool, scheme: scheme.id, partner: null, amountPence: stated, basePence: null, text: `${scheme.id}: ${formatYear(nextYear)} contributions as the agreement states them, ${pounds(stated)} in all${rule ? ` (the uplift of ${rule.by} applies only to schemes the agreement gives none)` : ''}` });
      continue;
    }
    if (rule === null) continue;
    const made: Record<string, Pence> = {};
    for (const [partner, pence] of Object.entries(scheme.contributions[year] ?? {})) {
      // The uplift is of the partner's own contribution: an earlier year-end's carry-forward or recovery is not uplifted.
      const base = pence - (adjustments[scheme.id]?.[partner] ?? 0);
      if (base === 0) continue;
      made[partner] = uplifted(base, rule.percent);
      lines.push({ kind: 'uplift', pool: scheme.pool, scheme: scheme.id, partner, amountPence: made[partner]!, basePence: base, text: `${scheme.id}, ${partner}: ${formatYear(year)} ${pounds(base)} × (1 + ${rule.percent}%) = ${pounds(made[partner]!)} (uplift of ${rule.by}, rounded to the nearest penny once)` });
    }
    if (Object.keys(made).length > 0) scheme.contributions[nextYear] = made;
  }
}

function addContribution(scheme: Scheme, year: YearStart, partner: string, change: Pence): void {
  const byPartner = (scheme.contributions[year] ??= {});
  const now = (byPartner[partner] ?? 0) + change;
  if (now < 0) throw new YearEndError('BUDGET_NEGATIVE', `the recovery would leave ${partner}'s ${formatYear(year)} contribution to ${scheme.id} at ${pounds(now)}, below zero; agree a smaller plan or another scheme`);
  byPartner[partner] = now;
}

/** The new pooled line a pool's carry-forward goes to when the agreement names no scheme for it. */
function carryForwardScheme(next: Agreement, poolId: string, year: YearStart, retainingSchemes: readonly string[]): Scheme {
  const pool = next.pools.find((p) => p.id === poolId)!;
  const id = `${poolId}-carry-forward-${formatYear(year)}`;
  invariant(!next.schemes.some((s) => s.id === id), `scheme ${id} is made once, by the year-end of ${formatYear(year)}`);
  // In a pool without netting and without rules of its own, the line shares as the scheme that retained did.
  const own = pool.netting || pool.riskShare !== null ? null : (next.schemes.find((s) => retainingSchemes.includes(s.id))?.riskShare ?? null);
  const scheme: Scheme = { id, name: `Carry-forward ${formatYear(year)}`, pool: poolId, type: 'pooled', areaOfNeed: null, leadCommissioner: pool.host, contributions: {}, profile: { kind: 'equal' }, fotMethod: 'plan', riskShare: own };
  const after = next.schemes.map((s) => s.pool).lastIndexOf(poolId);
  next.schemes.splice(after + 1, 0, scheme);
  return scheme;
}

function carryForward(next: Agreement, year: YearStart, nextYear: YearStart | null, units: readonly SharingUnit[], lines: CarryLine[]): void {
  const rules = next.yearEnd?.carryForward ?? { retainUnderspend: true, toScheme: {} };
  for (const pool of next.pools) {
    const retaining = units.filter((u) => u.pool === pool.id && u.retainedPence !== 0);
    const amount = -sumPence(retaining.map((u) => u.retainedPence));
    if (amount === 0) continue;
    if (!rules.retainUnderspend || nextYear === null) {
      const why = nextYear === null ? 'the agreement has no next year' : 'the agreement does not carry retained underspends forward (year_end.carry_forward.retain_underspend: false)';
      lines.push({ kind: 'not_carried', pool: pool.id, scheme: null, partner: pool.host, amountPence: amount, basePence: null, text: `pool ${pool.id}: ${pounds(amount)} underspend retained in the pool and not carried into the budget: ${why}` });
      continue;
    }
    invariant(pool.host !== null, `pool ${pool.id} retained an underspend, so it has pooled schemes and a host`);
    const named = rules.toScheme[pool.id];
    const scheme = named !== undefined ? next.schemes.find((s) => s.id === named)! : carryForwardScheme(next, pool.id, year, retaining.flatMap((u) => u.schemes));
    addContribution(scheme, nextYear, pool.host, amount);
    lines.push({ kind: 'carry_forward', pool: pool.id, scheme: scheme.id, partner: pool.host, amountPence: amount, basePence: null, text: `pool ${pool.id}: ${pounds(amount)} underspend retained in ${formatYear(year)} carried forward to ${scheme.id} ("carry-forward ${formatYear(year)}") as the host ${pool.host}'s contribution; no money moves` });
  }
}

function recoverOverspends(next: Agreement, year: YearStart, nextYear: YearStart | null, units: readonly SharingUnit[], lines: CarryLine[]): void {
  for (const plan of next.yearEnd?.overspendRecovery ?? []) {
    const overspent = units.filter((u) => u.pool === plan.pool && u.variancePence > 0);
    for (const partner of next.partners.map((p) => p.id)) {
      const share = sumPence(overspent.map((u) => u.sharesPence[partner] ?? 0));
      if (share <= 0) continue;
      if (nextYear === null) {
        lines.push({ kind: 'not_carried', pool: plan.pool, scheme: plan.fromScheme, partner, amountPence: -share, basePence: null, text: `pool ${plan.pool}, ${partner}: the ${pounds(share)} overspend share is not recovered: the agreement has no next year` });
        continue;
      }
      const scheme = next.schemes.find((s) => s.id === plan.fromScheme);
      invariant(scheme !== undefined, `recovery scheme ${plan.fromScheme} exists (validated)`);
      addContribution(scheme, nextYear, partner, -share);
      lines.push({ kind: 'overspend_recovery', pool: plan.pool, scheme: scheme.id, partner, amountPence: -share, basePence: null, text: `pool ${plan.pool}, ${partner}: the ${pounds(share)} it bore of the ${formatYear(year)} overspend is recovered from its ${formatYear(nextYear)} contribution to ${scheme.id} ("overspend recovery ${formatYear(year)}")` });
    }
  }
}

/**
 * The year-end of `year` on the latest agreement, from the M12 close's sharing units.
 * `adjustments` are what the previous year-end added to this year's contributions (not uplifted).
 */
export function planYearEnd(agreement: Agreement, year: YearStart, units: readonly SharingUnit[], adjustments: Adjustments = {}): YearEndPlan {
  invariant(agreement.years.includes(year), `the agreement covers ${formatYear(year)}`);
  const settlement = settlementOf(agreement, units);
  const nextYear = agreement.years.includes(year + 1) ? year + 1 : null;
  const next = structuredClone(agreement);
  const lines: CarryLine[] = [];
  if (nextYear !== null) applyUplifts(next, year, nextYear, adjustments, lines);
  carryForward(next, year, nextYear, units, lines);
  recoverOverspends(next, year, nextYear, units, lines);
  return { year, nextYear, settlement, lines, next: nextYear === null ? null : next };
}

/** What a plan added to the next year's contributions (carry-forward and recovery), for the next year-end. */
export function adjustmentsOf(lines: readonly CarryLine[]): Record<string, Record<string, Pence>> {
  const out: Record<string, Record<string, Pence>> = {};
  for (const l of lines) {
    if ((l.kind !== 'carry_forward' && l.kind !== 'overspend_recovery') || l.scheme === null || l.partner === null) continue;
    const byPartner = (out[l.scheme] ??= {});
    byPartner[l.partner] = (byPartner[l.partner] ?? 0) + l.amountPence;
  }
  return out;
}
