// Checks on the `year_end:` section (docs/year-end.md): every pool and scheme named exists; a
// carry-forward or recovery scheme is a pooled scheme of its pool (only pooled money is carried or
// recovered); an uplift names a pool or a scheme, not both, and no scheme twice; no scheme the
// year-end changes phases by explicit monthly amounts, which a changed budget would no longer match.

import { finding, type Finding, type Segment } from './problems.js';
import type { AgreementDoc } from './schema.js';
import { checkRef, type Known } from './validate-context.js';

function checkPooledSchemeOf(doc: AgreementDoc, pool: string, scheme: string, at: Segment[], known: Known): Finding[] {
  const found = checkRef('scheme', scheme, at, known);
  if (found.length > 0) return found;
  const s = doc.schemes.find((x) => x.id === scheme)!;
  if (s.pool !== pool || s.type !== 'pooled') return [finding('YEAR_END_RULE_INVALID', at, `"${scheme}" is not a pooled scheme of pool ${pool}`)];
  if (s.profile !== 'equal' && s.profile.amounts !== undefined) return [finding('YEAR_END_RULE_INVALID', at, `"${scheme}" phases by explicit monthly amounts, which a year-end change to its budget would not match; give it weights`)];
  return [];
}

export function checkYearEnd(doc: AgreementDoc, known: Known): Finding[] {
  const y = doc.year_end;
  if (y === undefined) return [];
  const at: Segment[] = ['year_end'];
  const findings: Finding[] = [];
  for (const [pool, scheme] of Object.entries(y.carry_forward.to_scheme)) {
    const here = [...at, 'carry_forward', 'to_scheme', pool];
    const unknownPool = checkRef('pool', pool, here, known);
    findings.push(...(unknownPool.length > 0 ? unknownPool : checkPooledSchemeOf(doc, pool, scheme, here, known)));
  }
  y.overspend_recovery.forEach((r, i) => {
    const here = [...at, 'overspend_recovery', i];
    const unknownPool = checkRef('pool', r.pool, [...here, 'pool'], known);
    findings.push(...(unknownPool.length > 0 ? unknownPool : checkPooledSchemeOf(doc, r.pool, r.from_scheme, [...here, 'from_scheme'], known)));
  });
  const named = new Set<string>();
  y.uplift.forEach((u, i) => {
    const here = [...at, 'uplift', i];
    if ((u.pool === undefined) === (u.scheme === undefined)) {
      findings.push(finding('YEAR_END_RULE_INVALID', here, 'an uplift names a pool or a scheme (one of them)'));
      return;
    }
    const key = u.pool !== undefined ? `pool:${u.pool}` : `scheme:${u.scheme}`;
    if (named.has(key)) findings.push(finding('YEAR_END_RULE_INVALID', here, `a second uplift for ${key.replace(':', ' ')}`));
    named.add(key);
    findings.push(...checkRef('pool', u.pool, [...here, 'pool'], known), ...checkRef('scheme', u.scheme, [...here, 'scheme'], known));
    const covered = doc.schemes.filter((s) => s.id === u.scheme || s.pool === u.pool);
    for (const s of covered) {
      const needsUplift = doc.years.some((year) => !(year in s.contributions));
      if (needsUplift && s.profile !== 'equal' && s.profile.amounts !== undefined) findings.push(finding('YEAR_END_RULE_INVALID', here, `scheme ${s.id} phases by explicit monthly amounts, which an uplifted budget would not match; give it weights or state its next-year contributions`));
    }
  });
  return findings;
}
