// The Better Care Fund compliance check (docs/returns.md): each partner's contributions to the
// BCF pooled budget for a year — its contributions to the pooled schemes of the BCF pools, from
// the agreement in force — against the national minimum the agreement records for it. Pure and
// exact: margins are pence, percentages integer basis points (truncated towards zero).

import type { Agreement, Scheme } from './agreement.js';
import { invariant, sumPence, type Pence } from './money.js';
import type { YearStart } from './period.js';
import { contribution } from './phasing.js';

/** The agreement's `bcf:` section. */
export interface BcfSettings {
  /** Pools whose pooled schemes make up the BCF pooled budget; empty: every pool. */
  pools: string[];
  /** year → partner → national minimum contribution. */
  minimumsPence: Record<YearStart, Record<string, Pence>>;
}

/** A scheme's `bcf:` metadata, as the national year-end template describes a scheme. */
export interface BcfSchemeInfo {
  schemeType: string | null;
  subType: string | null;
  areaOfSpend: string | null;
  providerType: string | null;
  /** One source for the whole scheme, or partner → source; null when not stated. */
  sourceOfFunding: string | Record<string, string> | null;
}

/** The pooled schemes that make up the BCF pooled budget, in agreement order. */
export function bcfSchemes(agreement: Agreement): Scheme[] {
  const pools = agreement.bcf?.pools ?? [];
  return agreement.schemes.filter((s) => s.type === 'pooled' && (pools.length === 0 || pools.includes(s.pool)));
}

export interface BcfPartnerCheck {
  partner: string;
  name: string;
  pooledPence: Pence;
  minimumPence: Pence;
  /** pooled − minimum: positive is headroom, negative a shortfall. */
  marginPence: Pence;
  /** margin as a share of the minimum in basis points (1234 = 12.34%); null when the minimum is 0. */
  marginBasisPoints: number | null;
  pass: boolean;
}

export interface BcfCheck {
  year: YearStart;
  /** Partners with a minimum for the year, in agreement order. */
  partners: BcfPartnerCheck[];
  /** Partners that pool into the BCF but have no minimum that year: not checked. */
  unchecked: { partner: string; name: string; pooledPence: Pence }[];
  total: Omit<BcfPartnerCheck, 'partner' | 'name'>;
  pass: boolean;
}

/** margin × 10,000 / minimum, truncated towards zero (exact integer arithmetic). */
export function basisPointsOf(margin: Pence, minimum: Pence): number | null {
  if (minimum === 0) return null;
  return Number((BigInt(margin) * 10_000n) / BigInt(minimum));
}

/** `1234` → `+12.34%`; `-5` → `-0.05%`; the sign is the margin's, so a shortfall under 0.01% shows `-0.00%`. */
export function formatBasisPoints(bp: number | null, marginPence: Pence): string {
  if (bp === null) return 'n/a';
  const abs = Math.abs(bp);
  return `${marginPence < 0 ? '-' : '+'}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

function line(pooled: Pence, minimum: Pence): Omit<BcfPartnerCheck, 'partner' | 'name'> {
  const margin = pooled - minimum;
  return { pooledPence: pooled, minimumPence: minimum, marginPence: margin, marginBasisPoints: basisPointsOf(margin, minimum), pass: margin >= 0 };
}

/** Returns null when the agreement records no minimums for the year. */
export function checkBcfMinimums(agreement: Agreement, year: YearStart): BcfCheck | null {
  const minimums = agreement.bcf?.minimumsPence[year];
  if (minimums === undefined || Object.keys(minimums).length === 0) return null;
  const schemes = bcfSchemes(agreement);
  const pooled = (partner: string) => sumPence(schemes.map((s) => contribution(s, year, partner)));
  const partners: BcfPartnerCheck[] = [];
  const unchecked: BcfCheck['unchecked'] = [];
  for (const p of agreement.partners) {
    const minimum = minimums[p.id];
    if (minimum !== undefined) partners.push({ partner: p.id, name: p.name, ...line(pooled(p.id), minimum) });
    else if (pooled(p.id) !== 0) unchecked.push({ partner: p.id, name: p.name, pooledPence: pooled(p.id) });
  }
  const total = line(sumPence(agreement.partners.map((p) => pooled(p.id))), sumPence(partners.map((p) => p.minimumPence)));
  invariant(total.pooledPence === sumPence(partners.map((p) => p.pooledPence)) + sumPence(unchecked.map((u) => u.pooledPence)), 'the partners’ pooled contributions add to the BCF total');
  return { year, partners, unchecked, total, pass: partners.every((p) => p.pass) };
}
