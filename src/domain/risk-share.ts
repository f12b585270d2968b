// Sharing a sharing unit's variance between partners (domain.md §7). Pure: given the variance,
// the partners in agreement order, their contributions to the unit, and the rule, it returns
// each partner's share in pence and why. Every split is largest-remainder (ties to the partner
// listed first), so the shares plus any retained underspend add back exactly to the variance.
// Percentages have at most two decimals and are used as integer basis points.

import type { Cap, OverspendRule, SimpleShareRule, TierBand, UnderspendRule } from './agreement.js';
import { assertPence, invariant, type Pence } from './money.js';
import { basisPoints, percentOf } from './percent.js';
import { splitByWeights } from './split.js';

export type ShareReason =
  | { kind: 'rule'; rule: 'proportional' | 'fixed' | 'lead'; band: number | null; bandPence: Pence; sharePence: Pence }
  | { kind: 'cap'; capPence: Pence; movedPence: Pence }
  | { kind: 'excess'; receivedPence: Pence; from: 'capped' | 'all-capped' };

export interface ShareResult {
  sharesPence: Record<string, Pence>;
  /** Underspend kept in the pool under `retain`; 0 otherwise. */
  retainedPence: Pence;
  reasons: Record<string, ShareReason[]>;
}

export interface ShareInput {
  variancePence: Pence;
  /** Agreement order: breaks ties. */
  partners: readonly string[];
  contributionsPence: Readonly<Record<string, Pence>>;
  overspend: OverspendRule;
  underspend: UnderspendRule;
}

export class RiskShareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RiskShareError';
  }
}

function shareSimple(amount: Pence, rule: SimpleShareRule, input: ShareInput): Pence[] {
  const { partners } = input;
  if (rule.kind === 'lead') return partners.map((p) => (p === rule.partner ? amount : 0));
  if (rule.kind === 'fixed') return splitByWeights(amount, partners.map((p) => basisPoints(rule.percent[p] ?? 0)));
  const weights = partners.map((p) => input.contributionsPence[p] ?? 0);
  if (weights.every((w) => w === 0)) throw new RiskShareError('a proportional share needs at least one partner with a contribution');
  return splitByWeights(amount, weights);
}

/** Cut |amount| into the tier bands; each piece keeps the amount's sign. */
function bandPieces(amount: Pence, bands: readonly TierBand[]): Pence[] {
  const sign = amount < 0 ? -1 : 1;
  let left = Math.abs(amount);
  return bands.map((band) => {
    const piece = band.upToPence === null ? left : Math.min(left, band.upToPence);
    left -= piece;
    return sign * piece + 0;
  });
}

function applyRule(amount: Pence, rule: SimpleShareRule | { kind: 'tiered'; bands: TierBand[] }, input: ShareInput, result: ShareResult): void {
  const add = (shares: Pence[], simple: SimpleShareRule, band: number | null, bandPence: Pence) => {
    input.partners.forEach((p, i) => {
      result.sharesPence[p] = (result.sharesPence[p] ?? 0) + shares[i]!;
      if (shares[i] !== 0 || simple.kind !== 'lead') result.reasons[p]!.push({ kind: 'rule', rule: simple.kind, band, bandPence, sharePence: shares[i]! });
    });
  };
  if (rule.kind !== 'tiered') return add(shareSimple(amount, rule, input), rule, null, amount);
  const last = rule.bands[rule.bands.length - 1];
  invariant(last !== undefined && last.upToPence === null, 'a tiered rule ends with an unbounded band');
  bandPieces(amount, rule.bands).forEach((piece, b) => {
    if (piece !== 0) add(shareSimple(piece, rule.bands[b]!.rule, input), rule.bands[b]!.rule, b + 1, piece);
  });
}

function capPence(cap: Cap, contribution: Pence): Pence {
  if ('amountPence' in cap) return cap.amountPence;
  // Rounded down to the penny (domain.md §7).
  return percentOf(contribution, cap.percentOfContribution);
}

/**
 * Apply overspend caps: what a capped partner cannot take is re-shared among the partners not
 * yet at their cap in proportion to what they already bear (or to contributions if they bear
 * nothing), repeated until nobody is over; if everyone is capped, `excessTo` takes the rest.
 */
function applyCaps(rule: OverspendRule, input: ShareInput, result: ShareResult): void {
  if (!rule.caps) return;
  const caps = new Map(Object.entries(rule.caps).map(([p, c]) => [p, capPence(c, input.contributionsPence[p] ?? 0)] as const));
  const atCap = new Set<string>();
  for (let round = 0; round <= input.partners.length; round++) {
    let excess = 0;
    for (const p of input.partners) {
      const cap = caps.get(p);
      const share = result.sharesPence[p]!;
      if (cap === undefined || share <= cap) continue;
      excess += share - cap;
      result.sharesPence[p] = cap;
      result.reasons[p]!.push({ kind: 'cap', capPence: cap, movedPence: share - cap });
      atCap.add(p);
    }
    if (excess === 0) return;
    // The uncapped partners *of the unit*: contributing to it or already bearing part of it. A
    // partner of the agreement outside the unit takes nothing; if nobody is left, excess_to does.
    const open = input.partners.filter((p) => !atCap.has(p) && ((input.contributionsPence[p] ?? 0) > 0 || result.sharesPence[p]! > 0));
    if (open.length === 0) {
      if (!rule.excessTo) throw new RiskShareError('every partner is at its cap and the rule names no excess_to partner');
      result.sharesPence[rule.excessTo] = result.sharesPence[rule.excessTo]! + excess;
      result.reasons[rule.excessTo]!.push({ kind: 'excess', receivedPence: excess, from: 'all-capped' });
      return;
    }
    const borne = open.map((p) => Math.max(0, result.sharesPence[p]!));
    const weights = borne.some((b) => b > 0) ? borne : open.map((p) => input.contributionsPence[p] ?? 0);
    const parts = splitByWeights(excess, weights.every((w) => w === 0) ? open.map(() => 1) : weights);
    open.forEach((p, i) => {
      if (parts[i] === 0) return;
      result.sharesPence[p] = result.sharesPence[p]! + parts[i]!;
      result.reasons[p]!.push({ kind: 'excess', receivedPence: parts[i]!, from: 'capped' });
    });
  }
  invariant(false, 'cap re-sharing settles within one round per partner');
}

export function shareVariance(input: ShareInput): ShareResult {
  assertPence(input.variancePence, 'variance');
  const result: ShareResult = {
    sharesPence: Object.fromEntries(input.partners.map((p) => [p, 0])),
    retainedPence: 0,
    reasons: Object.fromEntries(input.partners.map((p) => [p, [] as ShareReason[]])),
  };
  const v = input.variancePence;
  if (v > 0) {
    applyRule(v, input.overspend, input, result);
    applyCaps(input.overspend, input, result);
  } else if (v < 0) {
    if (input.underspend.kind === 'retain') result.retainedPence = v;
    else applyRule(v, input.underspend, input, result);
  }
  const total = Object.values(result.sharesPence).reduce((a, b) => a + b, 0) + result.retainedPence;
  invariant(total === v, `risk-share parts (${total}) must add back to the variance (${v})`);
  return result;
}
