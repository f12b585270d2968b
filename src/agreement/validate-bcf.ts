// Checks on the Better Care Fund parts of the agreement (docs/returns.md): the BCF pools exist
// and hold pooled schemes; minimums are for the agreement's years and name its partners; a
// scheme's per-partner sources of funding name partners.

import { parseYear } from '../domain/period.js';
import { finding, type Finding } from './problems.js';
import type { AgreementDoc } from './schema.js';
import { checkPartnerKeys, checkRef, type Known } from './validate-context.js';

export function checkBcf(doc: AgreementDoc, known: Known): Finding[] {
  const findings: Finding[] = [];
  const section = doc.bcf;
  if (section !== undefined) {
    section.pools.forEach((pool, i) => {
      const unknown = checkRef('pool', pool, ['bcf', 'pools', i], known);
      findings.push(...unknown);
      if (unknown.length === 0 && !doc.schemes.some((s) => s.pool === pool && s.type === 'pooled')) {
        findings.push(finding('SCHEMA_VALUE', ['bcf', 'pools', i], `pool ${pool} has no pooled schemes, so it adds nothing to the BCF pooled budget`));
      }
    });
    for (const [year, byPartner] of Object.entries(section.minimums)) {
      const start = parseYear(year);
      if (start !== undefined && !known.years.has(start)) findings.push(finding('YEAR_NOT_IN_FUND', ['bcf', 'minimums', year], `${year} is not one of the agreement's years`));
      findings.push(...checkPartnerKeys(byPartner, ['bcf', 'minimums', year], known));
    }
  }
  doc.schemes.forEach((scheme, index) => {
    const source = scheme.bcf?.source_of_funding;
    if (source !== undefined && typeof source !== 'string') findings.push(...checkPartnerKeys(source, ['schemes', index, 'bcf', 'source_of_funding'], known));
  });
  return findings;
}
