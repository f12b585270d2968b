// Checks on the `dissolution:` section (docs/dissolution.md): a fixed rule gives percentages for
// partners that exist, adding to 100; a lead rule names a partner; each commitment names a scheme
// and partners of the agreement, and has someone to carry it (its own lead commissioner, or the
// scheme's).

import { finding, type Finding, type Segment } from './problems.js';
import type { AgreementDoc } from './schema.js';
import { percentHundredths } from './schema-values.js';
import { checkPartnerKeys, checkRef, type Known } from './validate-context.js';

function checkRule(doc: NonNullable<AgreementDoc['dissolution']>, at: Segment[], known: Known): Finding[] {
  if (doc.rule === 'lead') {
    if (doc.partner === undefined) return [finding('UNKNOWN_PARTNER', [...at, 'partner'], 'rule lead needs the partner that bears the whole position (partner: …)')];
    return checkRef('partner', doc.partner, [...at, 'partner'], known);
  }
  if (doc.rule !== 'fixed') return [];
  const total = Object.values(doc.percent ?? {}).reduce((sum, p) => sum + (percentHundredths(p) ?? 0), 0);
  const sum = total === 10000 ? [] : [finding('FIXED_SHARES_NOT_100', [...at, 'percent'], `fixed shares add to ${total / 100}%, not 100%`)];
  return [...checkPartnerKeys(doc.percent, [...at, 'percent'], known), ...sum];
}

export function checkDissolution(doc: AgreementDoc, known: Known): Finding[] {
  const d = doc.dissolution;
  if (d === undefined) return [];
  const at: Segment[] = ['dissolution'];
  const findings = checkRule(d, at, known);
  d.commitments.forEach((c, i) => {
    const here: Segment[] = [...at, 'commitments', i];
    findings.push(...checkRef('scheme', c.scheme, [...here, 'scheme'], known));
    findings.push(...checkRef('partner', c.lead_commissioner, [...here, 'lead_commissioner'], known));
    if (c.carried_by !== 'shared') findings.push(...checkRef('partner', c.carried_by, [...here, 'carried_by'], known));
    const schemeLead = doc.schemes.find((s) => s.id === c.scheme)?.lead_commissioner ?? null;
    if (c.lead_commissioner === null && c.carried_by === null && schemeLead === null && known.schemes.has(c.scheme)) {
      findings.push(finding('UNKNOWN_PARTNER', [...here, 'lead_commissioner'], `scheme ${c.scheme} has no lead_commissioner, so the commitment must name its lead_commissioner or carried_by`));
    }
  });
  return findings;
}
