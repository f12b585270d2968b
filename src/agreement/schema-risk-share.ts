// Risk-share rules as they are written in the agreement (domain.md §7). Every rule is a mapping
// with a `rule:` key saying its kind, so a typo in the kind gets a clear message and editors can
// offer the choices. Whether the rules make sense together (shares adding to 100, bands, caps and
// `excess_to`, retain only for underspends) is checked in validate-risk-share.ts.

import * as z from 'zod';
import { Amount, NonNegativeAmount, percent, Ref } from './schema-values.js';

const proportional = { rule: z.literal('proportional').describe('in proportion to each partner’s contribution for the year') };
const fixed = {
  rule: z.literal('fixed').describe('stated percentages that add to 100'),
  percent: z.record(Ref, percent(100)).describe('partner id → percentage (at most two decimal places)'),
};
const lead = { rule: z.literal('lead').describe('all to one partner'), partner: Ref };
const retain = { rule: z.literal('retain').describe('underspends only: the underspend stays in the fund for next year') };

const upTo = {
  up_to: Amount.nullable().describe('width of the band in pounds; null for the final band, which takes the rest'),
};

export const TierBand = z
  .discriminatedUnion('rule', [
    z.strictObject({ ...upTo, ...proportional }),
    z.strictObject({ ...upTo, ...fixed }),
    z.strictObject({ ...upTo, ...lead }),
  ])
  .meta({ id: 'TierBand' });

const tiered = {
  rule: z.literal('tiered').describe('the variance is cut into bands, each shared by its own rule'),
  bands: z.array(TierBand).min(1),
};

export const Cap = z
  .union([z.strictObject({ amount: NonNegativeAmount }), z.strictObject({ percent_of_contribution: percent(null) })])
  .meta({ id: 'Cap' });

const capped = {
  caps: z.record(Ref, Cap).optional().describe('partner id → the most of the overspend it bears for the year'),
  excess_to: Ref.optional().describe('who takes what no capped partner can; required when every partner is capped'),
};

// `retain` is accepted here so that validate.ts can say exactly why it is wrong for an overspend.
export const OverspendRule = z
  .discriminatedUnion('rule', [
    z.strictObject({ ...proportional, ...capped }),
    z.strictObject({ ...fixed, ...capped }),
    z.strictObject({ ...lead, ...capped }),
    z.strictObject({ ...tiered, ...capped }),
    z.strictObject({ ...retain, ...capped }),
  ])
  .meta({ id: 'OverspendRule' });

export const UnderspendRule = z
  .discriminatedUnion('rule', [
    z.strictObject(proportional),
    z.strictObject(fixed),
    z.strictObject(lead),
    z.strictObject(tiered),
    z.strictObject(retain),
  ])
  .meta({ id: 'UnderspendRule' });

export const RiskShare = z.strictObject({ overspend: OverspendRule, underspend: UnderspendRule }).meta({
  id: 'RiskShare',
  description: 'how a sharing unit’s overspend and underspend for the year are split between the partners',
});

export type RiskShareDoc = z.output<typeof RiskShare>;
export type OverspendRuleDoc = z.output<typeof OverspendRule>;
export type UnderspendRuleDoc = z.output<typeof UnderspendRule>;
export type TierBandDoc = z.output<typeof TierBand>;
