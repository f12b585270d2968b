// The `dissolution:` section as the core's DissolutionTerms (camelCase, pence). Only called once
// validate-dissolution.ts found nothing wrong.

import type { DissolutionRule, DissolutionTerms } from '../domain/dissolution-terms.js';
import type { DissolutionDoc } from './schema-dissolution.js';

function rule(doc: DissolutionDoc): DissolutionRule {
  if (doc.rule === 'fixed') return { kind: 'fixed', percent: { ...(doc.percent ?? {}) } };
  if (doc.rule === 'lead') return { kind: 'lead', partner: doc.partner ?? '' };
  return { kind: doc.rule };
}

export function dissolutionTerms(doc: DissolutionDoc): DissolutionTerms {
  return {
    rule: rule(doc),
    commitments: doc.commitments.map((c) => ({
      name: c.name,
      scheme: c.scheme,
      leadCommissioner: c.lead_commissioner,
      ends: c.ends,
      monthlyPence: c.monthly ?? null,
      remainingPence: c.remaining ?? null,
      carriedBy: c.carried_by,
    })),
  };
}
