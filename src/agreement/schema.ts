// The agreement file's shape (snake_case keys, amounts in pounds, years as 2025-26), as one zod
// schema. It is the single source for parsing, for the types validate.ts and to-model.ts work on,
// and for schema/agreement.schema.json (scripts/gen-schema.ts). Defaults live here and are
// listed in docs/agreement.md.

import * as z from 'zod';
import { BcfSchemeFields, BcfSection } from './schema-bcf.js';
import { Dissolution } from './schema-dissolution.js';
import { Governance } from './schema-governance.js';
import { Ledger } from './schema-ledger.js';
import { RiskShare } from './schema-risk-share.js';
import { YearEnd } from './schema-year-end.js';
import { Amount, Code, Id, NonNegativeAmount, percent, Ref, YearText } from './schema-values.js';

const Partner = z.strictObject({
  id: Id,
  name: z.string().min(1),
  kind: z.enum(['council', 'icb', 'trust', 'other']),
});

const Pool = z.strictObject({
  id: Id,
  name: z.string().min(1),
  host: Ref.nullable().default(null).describe('the partner whose ledger holds the pooled money; needed for pooled schemes'),
  netting: z.boolean().default(false).describe('net the pooled schemes’ variances before sharing'),
  risk_share: RiskShare.nullable().default(null),
});

const Profile = z
  .union([
    z.literal('equal'),
    z.strictObject({
      weights: z.array(z.number()).optional().describe('twelve non-negative whole numbers, M01..M12'),
      amounts: z.record(YearText, z.array(Amount)).optional().describe('year → twelve amounts adding to the year’s budget'),
    }),
  ])
  .default('equal')
  .describe('how the annual budget is phased over the months: equal, {weights: [...]} or {amounts: {...}}');

export const Scheme = z.strictObject({
  id: Id,
  name: z.string().min(1),
  pool: Ref,
  type: z.enum(['pooled', 'aligned']),
  area_of_need: z.string().nullable().default(null),
  lead_commissioner: Ref.nullable().default(null).describe('the partner that holds the contracts'),
  contributions: z.record(YearText, z.record(Ref, NonNegativeAmount)).describe('year → partner → pounds'),
  profile: Profile,
  fot_method: z.enum(['plan', 'run_rate', 'lead']).default('plan').describe('how the forecast outturn is made'),
  risk_share: RiskShare.nullable().default(null).describe('only in a pool without netting: this scheme’s own rules'),
  bcf: BcfSchemeFields.optional(),
});

const CodeMap = z.record(z.string(), Code).meta({ id: 'CodeMap', description: 'code column → code' });

const PartnerCoding = z.strictObject({
  code_columns: z.array(z.string().min(1)).min(1).describe('the code columns of this partner’s journal lines'),
  contribution_to_pool: CodeMap,
  pool_income: CodeMap,
  debtor: z.record(Ref, CodeMap).describe('counterparty partner → intra-partner debtor codes'),
  creditor: z.record(Ref, CodeMap).describe('counterparty partner → intra-partner creditor codes'),
  fund_spend: CodeMap.describe('host side: how recharged fund spend is coded'),
  recharge_income: CodeMap.nullable().default(null).describe('credited in the spender’s ledger instead of the spend’s own codes'),
});

const Rag = z
  .strictObject({
    amber_percent: percent(null).default(1).describe('FOT variance above this % of the annual budget is Amber'),
    red_percent: percent(null).default(5).describe('FOT variance above this % of the annual budget is Red'),
  })
  .default({ amber_percent: 1, red_percent: 5 });

export const AgreementSchema = z
  .strictObject({
    fund: z.strictObject({ id: Id, name: z.string().min(1) }),
    years: z.array(YearText).min(1).describe('the financial years the agreement covers'),
    partners: z.array(Partner).min(1).describe('in agreement order, which breaks ties in splits'),
    pools: z.array(Pool).default([]),
    schemes: z.array(Scheme).default([]),
    ledgers: z.array(Ledger).default([]),
    coding: z.record(Ref, PartnerCoding).default({}).describe('partner → how its journals are coded'),
    rag: Rag,
    accrue_settlement: z.boolean().default(false).describe('post the forecast settlement monthly as a reversing accrual'),
    data_sharing: z
      .strictObject({ line_detail: z.enum(['own_partner', 'all_partners']).default('own_partner') })
      .default({ line_detail: 'own_partner' })
      .describe("who may see line-level detail of a partner's ledger in the web app and API: only that partner's users (and admins), or every partner's"),
    governance: Governance.optional(),
    dissolution: Dissolution.optional(),
    bcf: BcfSection.optional(),
    year_end: YearEnd.optional(),
  })
  .meta({ title: 'Tandem section 75 agreement', description: 'The agreement file read by `tandem agreement load` (docs/agreement.md).' });

export type AgreementDoc = z.output<typeof AgreementSchema>;
export type SchemeDoc = AgreementDoc['schemes'][number];
export type PoolDoc = AgreementDoc['pools'][number];
export type PartnerCodingDoc = AgreementDoc['coding'][string];
