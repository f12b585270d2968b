// The optional `governance:` section (docs/agreement.md, docs/governance.md): the joint committee
// (members per partner, a quorum per partner, a chair) and the scheme of delegation (which
// officer roles may approve which decision types up to which amount). Whether the references
// hold together (partners, the chair, roles, quorums) is checked in validate-governance.ts.

import * as z from 'zod';
import { Id, NonNegativeAmount, Ref } from './schema-values.js';

export const DECISION_TYPES = ['virement', 'budget_variation', 'risk_share_change', 'agreement_variation'] as const;

const Person = z
  .strictObject({
    id: Id,
    name: z.string().min(1),
    partner: Ref.describe('the partner the person acts for'),
    role: z.string().min(1).describe('e.g. cabinet_member, pool_manager, finance_director; delegation names roles'),
  })
  .meta({ id: 'GovernancePerson' });

const Delegation = z
  .strictObject({
    role: z.string().min(1).describe('holders of this role (officers or members) may approve'),
    decisions: z.array(z.enum(DECISION_TYPES)).min(1).describe('the decision types they may approve'),
    up_to: NonNegativeAmount.describe('the largest amount one decision may weigh (docs/governance.md)'),
    within_pool: z.boolean().default(false).describe('only decisions that stay inside one pool'),
    jointly: z.boolean().default(false).describe('a holder of the role from every partner must approve'),
  })
  .meta({ id: 'Delegation' });

export const Governance = z
  .strictObject({
    committee: z.strictObject({
      name: z.string().min(1),
      members: z.array(Person).min(1).describe('the voting members, each acting for one partner'),
      quorum: z.record(Ref, z.int().min(1)).describe('partner → the fewest of its members present for a quorate meeting; every partner needs one'),
      chair: Ref.nullable().default(null).describe('a member id'),
    }),
    officers: z.array(Person).default([]).describe('people who approve under delegation'),
    delegation: z.array(Delegation).default([]).describe('the scheme of delegation; anything beyond it goes to the committee'),
  })
  .meta({ id: 'Governance', description: 'the joint committee and the scheme of delegation (docs/governance.md)' });

export type GovernanceDoc = z.output<typeof Governance>;
