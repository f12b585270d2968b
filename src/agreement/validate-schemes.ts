// Checks on pools and schemes (domain.md §§4, 7): references, contribution years, hosts of
// pooled money, where a scheme may state its own risk share, and profiles that phase exactly
// the annual budget.

import { formatPounds, sumPence } from '../domain/money.js';
import { parseYear } from '../domain/period.js';
import { finding, type Finding, type Segment } from './problems.js';
import type { PoolDoc, SchemeDoc } from './schema.js';
import { checkPartnerKeys, checkRef, type Known } from './validate-context.js';
import { checkRiskShare } from './validate-risk-share.js';

const MONTHS = 12;

export function checkPool(pool: PoolDoc, index: number, known: Known): Finding[] {
  const at: Segment[] = ['pools', index];
  return [
    ...checkRef('partner', pool.host, [...at, 'host'], known),
    ...(pool.risk_share ? checkRiskShare(pool.risk_share, [...at, 'risk_share'], known) : []),
  ];
}

function checkYear(year: string, at: Segment[], known: Known): Finding[] {
  const start = parseYear(year);
  if (start === undefined || known.years.has(start)) return [];
  return [finding('YEAR_NOT_IN_FUND', at, `${year} is not one of the agreement's years`)];
}

function checkContributions(scheme: SchemeDoc, at: Segment[], known: Known): Finding[] {
  return Object.entries(scheme.contributions).flatMap(([year, byPartner]) => [
    ...checkYear(year, [...at, year], known),
    ...checkPartnerKeys(byPartner, [...at, year], known),
  ]);
}

function checkWeights(weights: number[], at: Segment[]): Finding[] {
  const wholeAndNonNegative = weights.every((w) => Number.isSafeInteger(w) && w >= 0);
  const positive = weights.reduce((sum, w) => sum + w, 0) > 0;
  if (weights.length === MONTHS && wholeAndNonNegative && positive) return [];
  return [finding('PROFILE_WEIGHTS_INVALID', at, `weights must be ${MONTHS} whole numbers, none negative, not all zero (found ${weights.length})`)];
}

function annualBudget(scheme: SchemeDoc, yearStart: number): number | undefined {
  const entry = Object.entries(scheme.contributions).find(([year]) => parseYear(year) === yearStart);
  return entry ? sumPence(Object.values(entry[1])) : undefined;
}

function checkAmounts(scheme: SchemeDoc, amounts: Record<string, number[]>, at: Segment[], known: Known): Finding[] {
  const findings: Finding[] = [];
  for (const [year, months] of Object.entries(amounts)) {
    const here = [...at, year];
    const start = parseYear(year);
    const budget = start === undefined ? undefined : annualBudget(scheme, start);
    if (start !== undefined && !known.years.has(start)) findings.push(...checkYear(year, here, known));
    else if (budget === undefined) findings.push(finding('PROFILE_AMOUNTS_YEARS', here, `scheme ${scheme.id} has no contributions for ${year}`));
    else if (months.length !== MONTHS) findings.push(finding('PROFILE_AMOUNTS_COUNT', here, `${MONTHS} monthly amounts are needed, found ${months.length}`));
    else if (sumPence(months) !== budget) {
      const message = `the monthly amounts add to £${formatPounds(sumPence(months))}, but the ${year} budget (the sum of the contributions) is £${formatPounds(budget)}`;
      findings.push(finding('PROFILE_AMOUNTS_SUM', here, message));
    }
  }
  const phased = new Set(Object.keys(amounts).map((y) => parseYear(y)));
  for (const year of Object.keys(scheme.contributions)) {
    if (!phased.has(parseYear(year))) findings.push(finding('PROFILE_AMOUNTS_YEARS', at, `no monthly amounts for ${year}, a year scheme ${scheme.id} has contributions for`));
  }
  return findings;
}

function checkProfile(scheme: SchemeDoc, at: Segment[], known: Known): Finding[] {
  const profile = scheme.profile;
  if (profile === 'equal') return [];
  if ((profile.weights === undefined) === (profile.amounts === undefined)) {
    return [finding('PROFILE_INVALID', at, 'a profile is equal, or a mapping with either weights or amounts (not both)')];
  }
  if (profile.weights) return checkWeights(profile.weights, [...at, 'weights']);
  return checkAmounts(scheme, profile.amounts ?? {}, [...at, 'amounts'], known);
}

function checkOwnRiskShare(scheme: SchemeDoc, at: Segment[], known: Known): Finding[] {
  if (!scheme.risk_share) return [];
  const here = [...at, 'risk_share'];
  if (scheme.type === 'aligned') {
    return [finding('RISK_SHARE_ON_ALIGNED', here, `scheme ${scheme.id} is aligned: each partner bears its own variance, so it shares nothing`)];
  }
  const pool = known.pools.get(scheme.pool);
  if (pool?.netting) {
    return [finding('SCHEME_RISK_SHARE_IN_NETTED_POOL', here, `pool ${pool.id} nets its schemes and shares the net figure by the pool's rule; a scheme of it cannot have its own`)];
  }
  return checkRiskShare(scheme.risk_share, here, known);
}

export function checkScheme(scheme: SchemeDoc, index: number, known: Known): Finding[] {
  const at: Segment[] = ['schemes', index];
  const pool = known.pools.get(scheme.pool);
  const noHost =
    scheme.type === 'pooled' && pool !== undefined && pool.host === null
      ? [finding('POOLED_SCHEME_NO_HOST', [...at, 'type'], `scheme ${scheme.id} is pooled, but its pool ${pool.id} has no host to hold the money`)]
      : [];
  return [
    ...checkRef('pool', scheme.pool, [...at, 'pool'], known),
    ...checkRef('partner', scheme.lead_commissioner, [...at, 'lead_commissioner'], known),
    ...noHost,
    ...checkContributions(scheme, [...at, 'contributions'], known),
    ...checkProfile(scheme, [...at, 'profile'], known),
    ...checkOwnRiskShare(scheme, at, known),
  ];
}
