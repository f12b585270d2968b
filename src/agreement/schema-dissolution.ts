// The optional `dissolution:` section (docs/dissolution.md, docs/agreement.md): how the fund's
// position is shared when the agreement is dissolved, and the contracts that run past a
// dissolution date. Without it, `tandem dissolve` shares the position by the agreement's own
// risk-share rules. References (partners, schemes) are checked in validate-dissolution.ts.

import * as z from 'zod';
import { NonNegativeAmount, percent, Ref } from './schema-values.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const Commitment = z
  .strictObject({
    name: z.string().min(1).describe('the contract or commitment, e.g. "Care home block contract"'),
    scheme: Ref.describe('the scheme whose money it commits'),
    lead_commissioner: Ref.nullable().default(null).describe('the partner holding the contract; default the scheme’s lead_commissioner'),
    ends: z
      .string()
      .refine((text) => ISO_DATE.test(text), { message: 'a date is written YYYY-MM-DD', params: { code: 'SCHEMA_VALUE' } })
      .describe('the last day of the commitment, YYYY-MM-DD'),
    monthly: NonNegativeAmount.optional().describe('the cost per calendar month; what remains is this times the months after the dissolution month up to `ends`'),
    remaining: NonNegativeAmount.optional().describe('or: the amount remaining after the dissolution date, as agreed'),
    carried_by: Ref.nullable().default(null).describe('who carries it after the date: a partner id, or "shared" (in proportion to contributions to the scheme); default the lead commissioner'),
  })
  .refine((c) => (c.monthly === undefined) !== (c.remaining === undefined), {
    message: 'a commitment gives exactly one of monthly and remaining',
    params: { code: 'SCHEMA_VALUE' },
  })
  .meta({ id: 'Commitment' });

export const Dissolution = z
  .strictObject({
    rule: z
      .enum(['risk_share', 'proportional', 'fixed', 'lead'])
      .default('risk_share')
      .describe('how the position at the date is shared: the agreement’s risk-share rules (a retained underspend is shared in proportion to contributions), in proportion to contributions, fixed percentages, or all to one partner'),
    percent: z.record(Ref, percent(100)).optional().describe('rule fixed: partner id → percentage, adding to 100'),
    partner: Ref.optional().describe('rule lead: the partner that bears (or keeps) the whole position'),
    commitments: z.array(Commitment).default([]).describe('contracts that may run past the dissolution date'),
  })
  .meta({ id: 'Dissolution', description: 'sharing the position and carrying commitments when the agreement is dissolved (docs/dissolution.md)' });

export type DissolutionDoc = z.output<typeof Dissolution>;
