// The `governance:` section as the core's Governance (camelCase, pence). Only called once
// validate-governance.ts found nothing wrong.

import type { Governance, GovernancePerson } from '../domain/agreement.js';
import type { GovernanceDoc } from './schema-governance.js';

function person(doc: GovernanceDoc['officers'][number]): GovernancePerson {
  return { id: doc.id, name: doc.name, partner: doc.partner, role: doc.role };
}

export function governance(doc: GovernanceDoc): Governance {
  return {
    committee: { name: doc.committee.name, members: doc.committee.members.map(person), quorum: { ...doc.committee.quorum }, chair: doc.committee.chair },
    officers: doc.officers.map(person),
    delegation: doc.delegation.map((d) => ({ role: d.role, decisions: [...d.decisions], upToPence: d.up_to, withinPool: d.within_pool, jointly: d.jointly })),
  };
}
