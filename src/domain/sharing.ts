// Sharing units (domain.md §7): a netted pool is one unit whose variance is the sum of its
// pooled schemes' FOT variances; in a pool without netting each pooled scheme is a unit, under
// its own rules or the pool's. Aligned schemes are in no unit. The result carries each partner's
// share, any retained underspend, and the reasons as data and as sentences.

import type { Agreement, Pool, RiskShare } from './agreement.js';
import type { SchemeFigures } from './close-figures.js';
import { explainReason, explainRetained } from './explain.js';
import { invariant, sumPence, type Pence } from './money.js';
import type { YearStart } from './period.js';
import { contribution } from './phasing.js';
import { RiskShareError, shareVariance, type ShareReason } from './risk-share.js';

export type Reason = ShareReason & { partner: string; unit: string; text: string };
export type UnitReason = { kind: 'retain'; partner: null; unit: string; retainedPence: Pence; text: string };

export interface SharingUnit {
  /** `pool:<id>` for a netted pool, `scheme:<id>` otherwise. */
  id: string;
  pool: string;
  host: string;
  schemes: string[];
  variancePence: Pence;
  /** Partners' contributions to the unit for the year (what `proportional` weighs). */
  contributionsPence: Record<string, Pence>;
  sharesPence: Record<string, Pence>;
  retainedPence: Pence;
  reasons: (Reason | UnitReason)[];
}

export class SharingError extends Error {
  constructor(
    readonly unit: string,
    message: string,
  ) {
    super(`${unit}: ${message}`);
    this.name = 'SharingError';
  }
}

function shareUnit(agreement: Agreement, unit: Omit<SharingUnit, 'sharesPence' | 'retainedPence' | 'reasons'>, rule: RiskShare): SharingUnit {
  const partners = agreement.partners.map((p) => p.id);
  let result;
  try {
    result = shareVariance({ variancePence: unit.variancePence, partners, contributionsPence: unit.contributionsPence, overspend: rule.overspend, underspend: rule.underspend });
  } catch (e) {
    if (e instanceof RiskShareError) throw new SharingError(unit.id, e.message);
    throw e;
  }
  const names = Object.fromEntries(agreement.partners.map((p) => [p.id, p.name]));
  const involved = partners.filter((p) => (unit.contributionsPence[p] ?? 0) !== 0 || result.sharesPence[p] !== 0);
  const reasons: (Reason | UnitReason)[] = [];
  for (const p of involved) {
    for (const r of result.reasons[p] ?? []) {
      reasons.push({ ...r, partner: p, unit: unit.id, text: explainReason(names[p] ?? p, r, unit.contributionsPence, p) });
    }
  }
  if (result.retainedPence !== 0) {
    reasons.push({ kind: 'retain', partner: null, unit: unit.id, retainedPence: result.retainedPence, text: explainRetained(result.retainedPence) });
  }
  return {
    ...unit,
    sharesPence: Object.fromEntries(involved.map((p) => [p, result.sharesPence[p]!])),
    retainedPence: result.retainedPence,
    reasons,
  };
}

function contributions(agreement: Agreement, schemes: readonly SchemeFigures[], year: YearStart): Record<string, Pence> {
  const byId = new Map(agreement.schemes.map((s) => [s.id, s]));
  const out: Record<string, Pence> = {};
  for (const p of agreement.partners) {
    const total = sumPence(schemes.map((f) => contribution(byId.get(f.id)!, year, p.id)));
    if (total !== 0) out[p.id] = total;
  }
  return out;
}

function poolUnits(agreement: Agreement, pool: Pool, pooled: readonly SchemeFigures[], year: YearStart): SharingUnit[] {
  if (pooled.length === 0) return [];
  invariant(pool.host !== null, `pool ${pool.id} has pooled schemes and so needs a host`);
  if (pool.netting) {
    invariant(pool.riskShare !== null, `netted pool ${pool.id} needs a risk share`);
    const unit = {
      id: `pool:${pool.id}`,
      pool: pool.id,
      host: pool.host,
      schemes: pooled.map((s) => s.id),
      variancePence: sumPence(pooled.map((s) => s.fotVariancePence)),
      contributionsPence: contributions(agreement, pooled, year),
    };
    return [shareUnit(agreement, unit, pool.riskShare)];
  }
  return pooled.map((s) => {
    const rule = agreement.schemes.find((x) => x.id === s.id)!.riskShare ?? pool.riskShare;
    invariant(rule !== null, `pooled scheme ${s.id} needs a risk share (its own or its pool's)`);
    const unit = { id: `scheme:${s.id}`, pool: pool.id, host: pool.host!, schemes: [s.id], variancePence: s.fotVariancePence, contributionsPence: contributions(agreement, [s], year) };
    return shareUnit(agreement, unit, rule);
  });
}

/** Every sharing unit of the agreement, pools in agreement order, schemes in agreement order. */
export function shareUnits(agreement: Agreement, year: YearStart, schemes: readonly SchemeFigures[]): SharingUnit[] {
  const order = new Map(agreement.schemes.map((s, i) => [s.id, i]));
  const sorted = [...schemes].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return agreement.pools.flatMap((pool) => poolUnits(agreement, pool, sorted.filter((s) => s.pool === pool.id && s.type === 'pooled'), year));
}
