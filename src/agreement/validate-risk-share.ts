// Checks on risk-share rules (domain.md §7): the rules themselves (references, fixed shares
// adding to 100, tier bands, retain only for underspends) and the sharing units they apply to
// (a pooled scheme with no rule; every partner of a unit capped with nobody named for the excess).

import { finding, type Finding, type Segment } from './problems.js';
import type { AgreementDoc, PoolDoc, SchemeDoc } from './schema.js';
import type { OverspendRuleDoc, RiskShareDoc, TierBandDoc, UnderspendRuleDoc } from './schema-risk-share.js';
import { percentHundredths } from './schema-values.js';
import { checkPartnerKeys, checkRef, type Known } from './validate-context.js';

type SimpleRule = TierBandDoc | OverspendRuleDoc | UnderspendRuleDoc;

function checkSimple(rule: SimpleRule, at: Segment[], known: Known): Finding[] {
  if (rule.rule === 'lead') return checkRef('partner', rule.partner, [...at, 'partner'], known);
  if (rule.rule !== 'fixed') return [];
  const total = Object.values(rule.percent).reduce((sum, p) => sum + (percentHundredths(p) ?? 0), 0);
  const sum =
    total === 10000
      ? []
      : [finding('FIXED_SHARES_NOT_100', [...at, 'percent'], `fixed shares add to ${total / 100}%, not 100%`)];
  return [...checkPartnerKeys(rule.percent, [...at, 'percent'], known), ...sum];
}

function checkBands(bands: TierBandDoc[], at: Segment[], known: Known): Finding[] {
  const findings = bands.flatMap((band, index) => {
    const here = [...at, index];
    const width =
      band.up_to !== null && band.up_to <= 0
        ? [finding('TIER_BAND_WIDTH', [...here, 'up_to'], 'a band’s width (up_to) must be more than nothing')]
        : [];
    return [...width, ...checkSimple(band, here, known)];
  });
  const unbounded = bands.flatMap((band, index) => (band.up_to === null ? [index] : []));
  if (unbounded.length !== 1 || unbounded[0] !== bands.length - 1) {
    findings.push(
      finding('TIER_FINAL_BAND', at, `a tiered rule needs exactly one band with up_to: null, and it must be the last (found ${unbounded.length})`),
    );
  }
  return findings;
}

function checkRule(rule: SimpleRule | OverspendRuleDoc, at: Segment[], known: Known): Finding[] {
  return rule.rule === 'tiered' ? checkBands(rule.bands, [...at, 'bands'], known) : checkSimple(rule, at, known);
}

/** A risk share on its own, wherever it is written. */
export function checkRiskShare(share: RiskShareDoc, at: Segment[], known: Known): Finding[] {
  const over = share.overspend;
  const overAt = [...at, 'overspend'];
  const retain =
    over.rule === 'retain'
      ? [finding('RETAIN_FOR_OVERSPEND', [...overAt, 'rule'], 'retain applies to underspends only: an overspend must be shared by some partner')]
      : [];
  return [
    ...retain,
    ...checkRule(over, overAt, known),
    ...checkPartnerKeys(over.caps, [...overAt, 'caps'], known),
    ...checkRef('partner', over.excess_to, [...overAt, 'excess_to'], known),
    ...checkRule(share.underspend, [...at, 'underspend'], known),
  ];
}

function contributorsOf(schemes: readonly SchemeDoc[]): Set<string> {
  return new Set(schemes.flatMap((s) => Object.values(s.contributions).flatMap((byPartner) => Object.keys(byPartner))));
}

/** Every partner of the unit capped and no `excess_to`: an overspend beyond all caps would have nowhere to go. */
function uncoveredUnits(share: RiskShareDoc, units: readonly SchemeDoc[][]): string[] {
  const { caps, excess_to } = share.overspend;
  if (caps === undefined || excess_to !== undefined) return [];
  return units.flatMap((unit) => {
    const partners = [...contributorsOf(unit)];
    return partners.length > 0 && partners.every((p) => p in caps) ? [unit.map((s) => s.id).join(' + ')] : [];
  });
}

function capsFinding(at: Segment[], units: string[]): Finding[] {
  if (units.length === 0) return [];
  const message = `every partner of ${units.join('; ')} is capped, so excess_to must name who takes an overspend beyond the caps`;
  return [finding('CAPS_ALL_NO_EXCESS_TO', [...at, 'overspend', 'caps'], message)];
}

function checkPoolUnits(pool: PoolDoc, poolIndex: number, doc: AgreementDoc): Finding[] {
  const poolAt: Segment[] = ['pools', poolIndex];
  const pooled = doc.schemes.flatMap((s, index) => (s.pool === pool.id && s.type === 'pooled' ? [{ s, index }] : []));
  if (pooled.length === 0) return [];
  if (pool.netting) {
    if (!pool.risk_share) return [finding('RISK_SHARE_MISSING', poolAt, `pool ${pool.id} nets its pooled schemes but has no risk_share`)];
    return capsFinding([...poolAt, 'risk_share'], uncoveredUnits(pool.risk_share, [pooled.map(({ s }) => s)]));
  }
  const findings: Finding[] = [];
  const underPoolRule: SchemeDoc[][] = [];
  for (const { s, index } of pooled) {
    if (s.risk_share) findings.push(...capsFinding(['schemes', index, 'risk_share'], uncoveredUnits(s.risk_share, [[s]])));
    else if (pool.risk_share) underPoolRule.push([s]);
    else findings.push(finding('RISK_SHARE_MISSING', ['schemes', index], `pooled scheme ${s.id} has no risk_share, and neither has its pool ${pool.id}`));
  }
  if (pool.risk_share) findings.push(...capsFinding([...poolAt, 'risk_share'], uncoveredUnits(pool.risk_share, underPoolRule)));
  return findings;
}

/** Each sharing unit — a netted pool, or each pooled scheme of a pool without netting — and its rule. */
export function checkSharingUnits(doc: AgreementDoc): Finding[] {
  const first = (pool: PoolDoc, index: number) => doc.pools.findIndex((p) => p.id === pool.id) === index;
  return doc.pools.flatMap((pool, index) => (first(pool, index) ? checkPoolUnits(pool, index, doc) : []));
}
