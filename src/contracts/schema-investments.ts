// The shape of a contract register's `investments:` (docs/contracts.md#social-investment): social
// investments repaid per outcome. Written like the rest of the register: snake_case keys, amounts
// in pounds (exact pence), periods as `2025-26 M01`; the journal codes are the paying partner's
// own code columns, as in the agreement's `coding`.

import * as z from 'zod';
import { Code, ColumnName, Id, NonNegativeAmount, Ref, YearText } from '../agreement/schema-values.js';

const Count = z.int().min(0);
const Codes = z.record(ColumnName, Code);

const Capital = z.strictObject({
  amount: NonNegativeAmount.describe('pounds put in'),
  received: z.string().describe('the period the capital came in, e.g. 2025-26 M01'),
});

const Outcome = z.strictObject({
  metric: Ref.describe('the register metric measuring the outcome (lower is better), e.g. nel-admissions'),
  baseline: Count.describe('outcomes expected without the scheme, per month or per year (baseline_per)'),
  baseline_per: z.enum(['month', 'year']).default('month').describe('month: each month measured and paid; year: the year measured and paid at M12'),
  baseline_by_year: z.record(YearText, Count).default({}).describe('a different baseline for some years'),
  price: NonNegativeAmount.describe('paid per outcome avoided (baseline − actual)'),
  minimum: Count.default(0).describe('fewer avoided than this in a measured month (or year): the outcome is missed, nothing is due'),
});

export const InvestmentDoc = z.strictObject({
  id: Id,
  name: z.string().min(1),
  investor: z.string().min(1).describe('who put the capital in (not a partner of the fund)'),
  description: z.string().optional(),
  capital: z.array(Capital).min(1),
  scheme: Ref.describe('the scheme the capital pays for; the payments are its spend'),
  paid_by: Ref.describe('the partner that pays the investor, in whose ledger the journal is posted'),
  start: z.string().describe('the first period outcomes are measured, e.g. 2025-26 M01'),
  end: z.string().describe('the last period outcomes are measured, e.g. 2027-28 M12'),
  outcome: Outcome,
  caps: z.strictObject({
    year: NonNegativeAmount.optional().describe('the most paid for one financial year'),
    total: NonNegativeAmount.describe('the most paid over the whole arrangement'),
  }),
  journal: z.strictObject({
    creditor: Codes.describe('the investor’s creditor account in the paying partner’s ledger (its code columns)'),
    spend: Codes.optional().describe('the scheme spend debited; default: the paying partner’s coding fund_spend'),
  }),
});

export type InvestmentDocOut = z.output<typeof InvestmentDoc>;
