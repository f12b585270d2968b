// Decisions that change the agreement (domain.md §4: budgets change only through a recorded
// decision), and what each does to the Agreement model once it takes effect. Pure: the model in,
// a new model out (the input is never mutated), or a DecisionError saying why not — a budget
// that would go negative, pooled money moved into an aligned budget (or back) without a
// variation of the agreement, a scheme or partner the agreement does not have.

import type { Agreement, DecisionType, RiskShare, Scheme } from './agreement.js';
import { formatPounds, sumPence, type Pence } from './money.js';
import { formatPeriod, formatYear, monthOf, yearOf, type PeriodKey, type YearStart } from './period.js';
import { annualBudget } from './phasing.js';
import { splitEqually } from './split.js';

export type DecisionChange =
  /** Moves `amountPence` of one partner's contribution for a year from one scheme to another. */
  | { type: 'virement'; year: YearStart; partner: string; from: string; to: string; amountPence: Pence }
  /** Changes one partner's contribution to a scheme for a year by `changePence` (either sign). */
  | { type: 'budget_variation'; year: YearStart; partner: string; scheme: string; changePence: Pence }
  /** Replaces a pool's risk-share rules, or (in a pool without netting) one pooled scheme's own. */
  | { type: 'risk_share_change'; pool: string; scheme: string | null; riskShare: RiskShare }
  /** Changes the fund's scope: adds a scheme, or removes one. */
  | { type: 'agreement_variation'; addScheme: Scheme | null; removeScheme: string | null }
  /**
   * Dissolves the fund at `date` (YYYY-MM-DD, the last day of a closed month). It changes no
   * agreement version: when it takes effect the app records the dissolution statement and locks
   * the fund (docs/dissolution.md). Only the joint committee may decide it (governance.ts).
   */
  | { type: 'dissolution'; date: string };

export type DecisionErrorCode =
  | 'DECISION_INVALID'
  | 'SCHEME_UNKNOWN'
  | 'PARTNER_UNKNOWN'
  | 'POOL_UNKNOWN'
  | 'BUDGET_NEGATIVE'
  | 'VIREMENT_POOLED_ALIGNED'
  | 'DECISION_SCHEME_IN_USE'
  | 'NO_GOVERNANCE'
  | 'DECISION_PERSON_UNKNOWN'
  | 'DECISION_NOT_AUTHORISED'
  | 'DECISION_NOT_QUORATE'
  | 'DECISION_NO_MAJORITY';

/** Why a decision cannot be taken or applied; the app turns it into a TandemError with the same code. */
export class DecisionError extends Error {
  constructor(
    readonly code: DecisionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DecisionError';
  }
}

export function schemeOf(agreement: Agreement, id: string): Scheme {
  const scheme = agreement.schemes.find((s) => s.id === id);
  if (!scheme) throw new DecisionError('SCHEME_UNKNOWN', `"${id}" is not a scheme of the agreement (the schemes are ${agreement.schemes.map((s) => s.id).join(', ')})`);
  return scheme;
}

function checkPartner(agreement: Agreement, id: string): void {
  if (!agreement.partners.some((p) => p.id === id)) {
    throw new DecisionError('PARTNER_UNKNOWN', `"${id}" is not a partner of the agreement (the partners are ${agreement.partners.map((p) => p.id).join(', ')})`);
  }
}

function checkYear(agreement: Agreement, year: YearStart, effectiveFrom: PeriodKey): void {
  if (!agreement.years.includes(year)) throw new DecisionError('DECISION_INVALID', `${formatYear(year)} is not a year of the agreement`);
  if (yearOf(effectiveFrom) !== year) {
    throw new DecisionError('DECISION_INVALID', `a change to ${formatYear(year)}'s budgets takes effect in that year, not from ${formatPeriod(effectiveFrom)}`);
  }
}

/** The largest annual budget of the schemes: what a change of scope or of risk share weighs. */
function largestAnnualBudget(agreement: Agreement, schemes: readonly Scheme[]): Pence {
  return agreement.years.reduce((most, year) => {
    const total = sumPence(schemes.map((s) => annualBudget(s, year)));
    return total > most ? total : most;
  }, 0);
}

export interface DecisionFacts {
  /** A delegation line can name every type but `dissolution`, which is never delegated. */
  type: DecisionType | 'dissolution';
  /** The amount the scheme of delegation's limits are compared with (docs/governance.md). */
  weightPence: Pence;
  /** The pools the decision touches, in agreement order. */
  pools: string[];
}

/** What the approval rules need to know about a change (its schemes and partner must exist). */
export function decisionFacts(agreement: Agreement, change: DecisionChange): DecisionFacts {
  const poolsOf = (ids: string[]) => agreement.pools.map((p) => p.id).filter((id) => ids.includes(id));
  switch (change.type) {
    case 'virement':
      return { type: change.type, weightPence: change.amountPence, pools: poolsOf([schemeOf(agreement, change.from).pool, schemeOf(agreement, change.to).pool]) };
    case 'budget_variation':
      return { type: change.type, weightPence: Math.abs(change.changePence), pools: poolsOf([schemeOf(agreement, change.scheme).pool]) };
    case 'risk_share_change': {
      const schemes = change.scheme === null ? agreement.schemes.filter((s) => s.pool === change.pool && s.type === 'pooled') : [schemeOf(agreement, change.scheme)];
      return { type: change.type, weightPence: largestAnnualBudget(agreement, schemes), pools: [change.pool] };
    }
    case 'agreement_variation': {
      const scheme = change.addScheme ?? schemeOf(agreement, change.removeScheme ?? '');
      return { type: change.type, weightPence: largestAnnualBudget(agreement, [scheme]), pools: [scheme.pool] };
    }
    case 'dissolution':
      // Ends every scheme: it weighs the whole fund and touches every pool.
      return { type: change.type, weightPence: largestAnnualBudget(agreement, agreement.schemes), pools: agreement.pools.map((p) => p.id) };
  }
}

/** The agreement as it is once the decision has taken effect from `effectiveFrom`. */
export function applyDecision(agreement: Agreement, change: DecisionChange, effectiveFrom: PeriodKey): Agreement {
  const next = structuredClone(agreement);
  switch (change.type) {
    case 'virement':
      return applyVirement(next, change, effectiveFrom);
    case 'budget_variation':
      checkPartner(next, change.partner);
      checkYear(next, change.year, effectiveFrom);
      if (change.changePence === 0) throw new DecisionError('DECISION_INVALID', 'a budget variation must change the contribution');
      adjustContribution(schemeOf(next, change.scheme), change.year, change.partner, change.changePence, effectiveFrom);
      return next;
    case 'risk_share_change':
      return applyRiskShare(next, change);
    case 'agreement_variation':
      return applyVariation(next, change);
    case 'dissolution':
      // Nothing in the agreement changes: the app records the statement and locks the fund instead.
      throw new DecisionError('DECISION_INVALID', 'a dissolution makes no agreement version: when it takes effect the dissolution statement is recorded and the fund locked');
  }
}

function applyVirement(next: Agreement, change: Extract<DecisionChange, { type: 'virement' }>, effectiveFrom: PeriodKey): Agreement {
  checkPartner(next, change.partner);
  checkYear(next, change.year, effectiveFrom);
  if (change.amountPence <= 0) throw new DecisionError('DECISION_INVALID', 'a virement moves an amount of more than nothing');
  if (change.from === change.to) throw new DecisionError('DECISION_INVALID', 'a virement moves budget between two different schemes');
  const from = schemeOf(next, change.from);
  const to = schemeOf(next, change.to);
  if (from.type !== to.type) {
    // Pooled money sits in the host's fund and is shared; aligned money stays in its owner's
    // budget. Moving between them changes what is pooled: that is a variation of the agreement.
    throw new DecisionError('VIREMENT_POOLED_ALIGNED', `${from.id} is ${from.type} and ${to.id} is ${to.type}: moving budget between pooled and aligned money changes the agreement's scope, which needs an agreement variation, not a virement`);
  }
  adjustContribution(from, change.year, change.partner, -change.amountPence, effectiveFrom);
  adjustContribution(to, change.year, change.partner, change.amountPence, effectiveFrom);
  return next;
}

/**
 * Changes a partner's contribution. A scheme phased by explicit monthly amounts keeps them adding
 * to its annual budget: the change is spread equally (largest remainder) over the months from the
 * effective month to M12, so months already past keep their budget.
 */
function adjustContribution(scheme: Scheme, year: YearStart, partner: string, changePence: Pence, effectiveFrom: PeriodKey): void {
  const contributions = (scheme.contributions[year] ??= {});
  const before = contributions[partner] ?? 0;
  const after = before + changePence;
  if (after < 0) {
    throw new DecisionError('BUDGET_NEGATIVE', `${partner}'s ${formatYear(year)} contribution to ${scheme.id} is £${formatPounds(before)}; taking £${formatPounds(-changePence)} from it would leave £${formatPounds(after)}`);
  }
  contributions[partner] = after;
  if (scheme.profile.kind !== 'amounts') return;
  const months = scheme.profile.amountsPence[year];
  if (months === undefined) return;
  const first = monthOf(effectiveFrom);
  const spread = splitEqually(changePence, 13 - first);
  const adjusted = months.map((m, i) => (i + 1 >= first ? m + spread[i + 1 - first]! : m));
  const negative = adjusted.findIndex((m) => m < 0);
  if (negative >= 0) {
    throw new DecisionError('BUDGET_NEGATIVE', `${scheme.id}'s explicit budget for month M${String(negative + 1).padStart(2, '0')} of ${formatYear(year)} would be £${formatPounds(adjusted[negative]!)}`);
  }
  scheme.profile.amountsPence[year] = adjusted;
}

function applyRiskShare(next: Agreement, change: Extract<DecisionChange, { type: 'risk_share_change' }>): Agreement {
  const pool = next.pools.find((p) => p.id === change.pool);
  if (!pool) throw new DecisionError('POOL_UNKNOWN', `"${change.pool}" is not a pool of the agreement (the pools are ${next.pools.map((p) => p.id).join(', ')})`);
  if (change.scheme === null) {
    pool.riskShare = change.riskShare;
    return next;
  }
  const scheme = schemeOf(next, change.scheme);
  if (scheme.pool !== pool.id) throw new DecisionError('DECISION_INVALID', `scheme ${scheme.id} is in pool ${scheme.pool}, not ${pool.id}`);
  if (scheme.type !== 'pooled') throw new DecisionError('DECISION_INVALID', `scheme ${scheme.id} is aligned: each partner bears its own variance, so it has no risk share`);
  if (pool.netting) throw new DecisionError('DECISION_INVALID', `pool ${pool.id} nets its schemes and shares the net figure by the pool's rule; change the pool's rule instead`);
  scheme.riskShare = change.riskShare;
  return next;
}

function applyVariation(next: Agreement, change: Extract<DecisionChange, { type: 'agreement_variation' }>): Agreement {
  if ((change.addScheme === null) === (change.removeScheme === null)) throw new DecisionError('DECISION_INVALID', 'an agreement variation adds one scheme or removes one');
  if (change.removeScheme !== null) {
    const scheme = schemeOf(next, change.removeScheme);
    const rules = next.ledgers.flatMap((l) => l.rules.filter((r) => 'scheme' in r.target && r.target.scheme === scheme.id).map((r) => `${l.id} rule ${r.index}`));
    if (rules.length > 0) {
      throw new DecisionError('DECISION_SCHEME_IN_USE', `mapping rules still send lines to ${scheme.id} (${rules.join(', ')}); change them (tandem agreement load) before the scheme is removed`);
    }
    next.schemes = next.schemes.filter((s) => s.id !== scheme.id);
    return next;
  }
  const scheme = change.addScheme!;
  if (next.schemes.some((s) => s.id === scheme.id)) throw new DecisionError('DECISION_INVALID', `the agreement already has a scheme ${scheme.id}`);
  const pool = next.pools.find((p) => p.id === scheme.pool);
  if (!pool) throw new DecisionError('POOL_UNKNOWN', `"${scheme.pool}" is not a pool of the agreement (the pools are ${next.pools.map((p) => p.id).join(', ')})`);
  if (scheme.type === 'pooled' && pool.host === null) throw new DecisionError('DECISION_INVALID', `scheme ${scheme.id} is pooled, but pool ${pool.id} has no host to hold the money`);
  for (const [year, byPartner] of Object.entries(scheme.contributions)) {
    if (!next.years.includes(Number(year))) throw new DecisionError('DECISION_INVALID', `scheme ${scheme.id} has contributions for ${formatYear(Number(year))}, not a year of the agreement`);
    for (const partner of Object.keys(byPartner)) checkPartner(next, partner);
  }
  if (scheme.leadCommissioner !== null) checkPartner(next, scheme.leadCommissioner);
  next.schemes.push(scheme);
  return next;
}
