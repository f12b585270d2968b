// Checks on the `governance:` section (docs/governance.md): people act for partners that exist
// and have distinct ids; every partner has a quorum its members can meet (decisions need every
// organisation present, not just a headcount); the chair is a member; each delegated role is
// held by someone, so no line of the scheme of delegation is dead.

import { finding, type Finding, type Segment } from './problems.js';
import type { AgreementDoc } from './schema.js';
import { checkPartnerKeys, checkRef, type Known } from './validate-context.js';

export function checkGovernance(doc: AgreementDoc, known: Known): Finding[] {
  const g = doc.governance;
  if (g === undefined) return [];
  const at: Segment[] = ['governance'];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const people = [
    ...g.committee.members.map((p, i) => ({ p, here: [...at, 'committee', 'members', i] })),
    ...g.officers.map((p, i) => ({ p, here: [...at, 'officers', i] })),
  ];
  for (const { p, here } of people) {
    if (seen.has(p.id)) findings.push(finding('DUPLICATE_ID', [...here, 'id'], `another committee member or officer already has the id "${p.id}"`));
    seen.add(p.id);
    findings.push(...checkRef('partner', p.partner, [...here, 'partner'], known));
  }
  const quorumAt = [...at, 'committee', 'quorum'];
  findings.push(...checkPartnerKeys(g.committee.quorum, quorumAt, known));
  for (const partner of doc.partners) {
    const needed = g.committee.quorum[partner.id];
    const members = g.committee.members.filter((m) => m.partner === partner.id).length;
    if (needed === undefined) findings.push(finding('QUORUM_INVALID', quorumAt, `no quorum for partner ${partner.id}: every partner must be present for a decision, so each needs a minimum`));
    else if (needed > members) findings.push(finding('QUORUM_INVALID', [...quorumAt, partner.id], `the quorum for ${partner.id} is ${needed}, but the committee has only ${members} member(s) for it`));
  }
  const chair = g.committee.chair;
  if (chair !== null && !g.committee.members.some((m) => m.id === chair)) {
    findings.push(finding('CHAIR_NOT_MEMBER', [...at, 'committee', 'chair'], `"${chair}" is not a member of the committee`));
  }
  const roles = new Set(people.map(({ p }) => p.role));
  g.delegation.forEach((d, i) => {
    if (!roles.has(d.role)) findings.push(finding('DELEGATION_ROLE_UNKNOWN', [...at, 'delegation', i, 'role'], `no committee member or officer holds the role "${d.role}" (the roles are ${[...roles].join(', ')})`));
  });
  return findings;
}
