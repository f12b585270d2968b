// The contract register's shape (docs/contracts.md): providers, contracts with their payment
// mechanism and the ledger lines that are their spend, and the fund's outcome metrics. Written
// like the agreement: snake_case keys, amounts in pounds (exact pence), percentages with at most
// two decimals; spend conditions are written exactly as a mapping rule's `when`.

import * as z from 'zod';
import { When } from '../agreement/schema-ledger.js';
import { Id, NonNegativeAmount, percent, Ref } from '../agreement/schema-values.js';
import { InvestmentDoc } from './schema-investments.js';

const Count = z.int().min(0);

const Block = z.strictObject({
  kind: z.literal('block'),
  weights: z.array(z.int().min(0)).optional().describe('twelve month weights M01..M12 phasing the annual value; default equal twelfths'),
});

const CostAndVolume = z.strictObject({
  kind: z.literal('cost_and_volume'),
  price_per_unit: NonNegativeAmount,
  threshold: z
    .strictObject({ units: Count, marginal_percent: percent(100) })
    .optional()
    .describe('units a year above `units` are paid at marginal_percent of the price'),
  cap_units: Count.optional().describe('units a year above this are not paid'),
});

const Tier = z.strictObject({
  outcomes: Count.nullable().describe('the next this many outcomes of the year; null: all the rest (the last tier)'),
  price: NonNegativeAmount,
});

const Outcome = z.strictObject({
  kind: z.literal('outcome'),
  tiers: z.array(Tier).min(1),
  cap: NonNegativeAmount.optional().describe('the most the outcomes of a year can earn'),
});

const Payment = z.discriminatedUnion('kind', [Block, CostAndVolume, Outcome]);

const Spend = z.strictObject({
  ledger: Ref.describe('the ledger whose lines are matched'),
  when: When.describe('conditions on the ledger’s analysis code columns; all must hold'),
});

const ContractDoc = z.strictObject({
  id: Id,
  name: z.string().min(1),
  provider: Ref,
  lead_commissioner: Ref.describe('the partner that holds the contract'),
  schemes: z.array(Ref).min(1).describe('the schemes the contract is paid from'),
  value: NonNegativeAmount.describe('what the contract is expected to cost in a full year (a block contract’s annual value)'),
  start: z.string().describe('the first period of the term, e.g. 2025-26 M01'),
  end: z.string().describe('the last period of the term, e.g. 2027-28 M12'),
  payment: Payment,
  spend: z.array(Spend).default([]).describe('the ledger lines that are the contract’s spend (any entry matching)'),
  unit: z.string().min(1).optional().describe('what one unit of activity is, e.g. bed day'),
  outcome: z.string().min(1).optional().describe('what counts as one outcome'),
  description: z.string().optional(),
});

const MetricDoc = z.strictObject({
  id: Id,
  name: z.string().min(1),
  unit: z.string().min(1).describe('how values are read: admissions, %, per 100,000'),
  direction: z.enum(['lower_is_better', 'higher_is_better']),
  amber_percent: percent(100).default(0).describe('worse than plan by more than this % of plan: Amber'),
  red_percent: percent(100).default(5).describe('worse than plan by more than this % of plan: Red'),
});

export const ContractRegisterSchema = z.strictObject({
  providers: z.array(z.strictObject({ id: Id, name: z.string().min(1) })).default([]),
  contracts: z.array(ContractDoc).default([]),
  metrics: z.array(MetricDoc).default([]),
  investments: z.array(InvestmentDoc).default([]).describe('social investments repaid per outcome (docs/contracts.md#social-investment)'),
});

export type ContractRegisterDoc = z.output<typeof ContractRegisterSchema>;
export type ContractDocOut = z.output<typeof ContractDoc>;
