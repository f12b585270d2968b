// The scenario file's shape (docs/scenarios.md): snake_case keys, amounts in pounds, years as
// 2025-26, percentages with at most two decimals. The fund itself — partners, pools with their
// risk share, schemes with base-year contributions — is written exactly as in an agreement (and
// read by the agreement's own schema and checks, parse.ts), or taken from an agreement file.

import * as z from 'zod';
import { Amount, Id, NonNegativeAmount, percent, Ref, YearText } from '../agreement/schema-values.js';
import { FUNDING_SOURCES } from '../domain/scenario.js';

const Admissions = z.int().min(0).describe('a whole number of admissions');

const ByYear = <T extends z.ZodType>(value: T) => z.record(YearText, value);

const Shift = z.strictObject({
  from: z.array(Ref).min(1).describe('acute schemes the budget moves out of'),
  to: z.record(Ref, percent(100)).describe('prevention scheme → percent of the moved budget, adding to 100'),
  amounts: ByYear(NonNegativeAmount).describe('year → budget moved that year (the level for the year, not an increment)'),
  savings_realised_percent: ByYear(percent(100)).describe('year → percent of that year’s moved budget the acute schemes save'),
});

const Funding = z.strictObject({
  source: z.enum(FUNDING_SOURCES),
  partner: Ref,
  scheme: Ref,
  amounts: ByYear(NonNegativeAmount),
});

const DoubleRunning = z.strictObject({
  from: YearText,
  to: YearText,
  funding: z.array(Funding).default([]),
});

const Investment = z.strictObject({
  id: Id,
  name: z.string().min(1),
  investor: z.string().min(1),
  scheme: Ref.describe('the pooled scheme the capital pays for; the outcome payments are its spend'),
  capital: ByYear(NonNegativeAmount),
  per_avoided_admission: NonNegativeAmount,
  baseline_admissions: Admissions.describe('emergency admissions a year expected without the scheme'),
  minimum_avoided: Admissions.default(0).describe('fewer avoided in a year is a missed outcome: nothing due'),
  cap_total: NonNegativeAmount,
  cap_per_year: NonNegativeAmount.nullable().default(null),
  planned_admissions: ByYear(Admissions).describe('year → planned admissions, from which the repayments are forecast'),
});

export const ScenarioSchema = z.strictObject({
  scenario: z.strictObject({ id: Id, name: z.string().min(1), description: z.string().nullable().default(null) }),
  years: z.array(YearText).min(1).describe('consecutive financial years, ascending; the first is the base year'),
  agreement: z.string().min(1).optional().describe('an agreement YAML file (relative to this file) to take the fund from'),
  // Read by the agreement's schema in parse.ts, so that it is written exactly as in an agreement.
  fund: z.record(z.string(), z.unknown()).optional().describe('the fund inline: id, name, partners, pools, schemes'),
  base_year_spend: z.record(Ref, Amount).default({}).describe('scheme → base-year expected spend; default its budget'),
  groups: z.record(Id, z.array(Ref).min(1)).default({}).describe('group name → schemes, for demand growth'),
  funding_growth_percent: z.record(Ref, percent(100)).default({}).describe('partner → yearly growth of its contributions'),
  demand_growth_percent: z.record(Ref, percent(100)).default({}).describe('scheme or group → yearly growth of demand'),
  price_inflation_percent: percent(100).default(0),
  shift: Shift.nullable().default(null),
  double_running: DoubleRunning.nullable().default(null),
  social_investment: z.array(Investment).default([]),
});

export type ScenarioDoc = z.output<typeof ScenarioSchema>;
