// The optional Better Care Fund parts of the agreement (docs/agreement.md, docs/returns.md): the
// top-level `bcf:` section (which pools make up the BCF pooled budget, and the national minimum
// each partner must pool in each year) and each scheme's `bcf:` metadata for the national
// year-end template (scheme type, sub type, area of spend, provider type, source of funding).
// The template's choice lists change from year to year, so the values are free text; the lists
// of the current template are in docs/returns.md. References are checked in validate-bcf.ts.

import * as z from 'zod';
import { NonNegativeAmount, Ref, YearText } from './schema-values.js';

const Label = z.string().min(1);

export const BcfSection = z
  .strictObject({
    pools: z.array(Ref).default([]).describe('the pools whose pooled schemes make up the BCF pooled budget; empty or absent: every pool'),
    minimums: z
      .record(YearText, z.record(Ref, NonNegativeAmount))
      .default({})
      .describe('year → partner → the national minimum it must pool into the BCF that year (pounds)'),
  })
  .meta({ id: 'BcfSection', description: 'the Better Care Fund: its pools and the national minimum contributions (docs/returns.md)' });

export const BcfSchemeFields = z
  .strictObject({
    scheme_type: Label.optional().describe('the BCF template’s scheme type, e.g. "Home Care or Domiciliary Care"'),
    sub_type: Label.optional().describe('the scheme type’s sub type, e.g. "Domiciliary care packages"'),
    area_of_spend: Label.optional().describe('e.g. Social Care, Community Health, Mental Health, Continuing Care, Primary Care, Acute, Other'),
    provider_type: Label.optional().describe('e.g. Local Authority, Private Sector, NHS Community Provider, Charity / Voluntary Sector'),
    source_of_funding: z
      .union([Label, z.record(Ref, Label)])
      .optional()
      .describe('one source for the whole scheme, or partner → source (its share of the spend, pro rata to contributions)'),
  })
  .meta({ id: 'BcfSchemeFields', description: 'how the scheme is described in the national BCF year-end template (docs/returns.md)' });

export type BcfSectionDoc = z.output<typeof BcfSection>;
export type BcfSchemeFieldsDoc = z.output<typeof BcfSchemeFields>;
