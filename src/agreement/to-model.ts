// The validated document (snake_case, as written) becomes the core's Agreement (camelCase, pence,
// YearStart numbers). Only called once validate.ts found nothing, so what it checked is asserted
// here, not handled again.

import type {
  Agreement,
  Cap,
  Condition,
  ExtractLimits,
  FileSettings,
  Ledger,
  MappingRule,
  OverspendRule,
  PartnerCoding,
  Profile,
  RiskShare,
  Scheme,
  SimpleShareRule,
  TierBand,
  UnderspendRule,
} from '../domain/agreement.js';
import { invariant, type Pence } from '../domain/money.js';
import { parseYear, type YearStart } from '../domain/period.js';
import { conditionsOf } from './conditions.js';
import { bcfSchemeInfo, bcfSettings } from './to-model-bcf.js';
import { dissolutionTerms } from './to-model-dissolution.js';
import { governance } from './to-model-governance.js';
import { yearEndRules } from './to-model-year-end.js';
import type { AgreementDoc, PartnerCodingDoc, SchemeDoc } from './schema.js';
import type { ExtractDoc, ExtractLimitsDoc, LedgerDoc, MappingRuleDoc } from './schema-ledger.js';
import type { OverspendRuleDoc, RiskShareDoc, TierBandDoc, UnderspendRuleDoc } from './schema-risk-share.js';

function year(text: string): YearStart {
  const start = parseYear(text);
  invariant(start !== undefined, `year ${text} passed the schema`);
  return start;
}

function byYear<T, U>(record: Record<string, T>, convert: (value: T) => U): Record<YearStart, U> {
  return Object.fromEntries(Object.entries(record).map(([text, value]) => [year(text), convert(value)]));
}

function simpleRule(rule: TierBandDoc | OverspendRuleDoc | UnderspendRuleDoc): SimpleShareRule {
  if (rule.rule === 'proportional') return { kind: 'proportional' };
  if (rule.rule === 'fixed') return { kind: 'fixed', percent: { ...rule.percent } };
  invariant(rule.rule === 'lead', `a ${rule.rule} rule where a simple rule belongs passed validation`);
  return { kind: 'lead', partner: rule.partner };
}

function shareRule(rule: OverspendRuleDoc | UnderspendRuleDoc): SimpleShareRule | { kind: 'tiered'; bands: TierBand[] } {
  if (rule.rule !== 'tiered') return simpleRule(rule);
  return { kind: 'tiered', bands: rule.bands.map((band) => ({ upToPence: band.up_to, rule: simpleRule(band) })) };
}

function cap(doc: { amount: Pence } | { percent_of_contribution: number }): Cap {
  return 'amount' in doc ? { amountPence: doc.amount } : { percentOfContribution: doc.percent_of_contribution };
}

function overspendRule(doc: OverspendRuleDoc): OverspendRule {
  invariant(doc.rule !== 'retain', 'retain for an overspend passed validation');
  const rule: OverspendRule = shareRule(doc);
  if (doc.caps !== undefined) rule.caps = Object.fromEntries(Object.entries(doc.caps).map(([partner, c]) => [partner, cap(c)]));
  if (doc.excess_to !== undefined) rule.excessTo = doc.excess_to;
  return rule;
}

function underspendRule(doc: UnderspendRuleDoc): UnderspendRule {
  return doc.rule === 'retain' ? { kind: 'retain' } : shareRule(doc);
}

export function riskShare(doc: RiskShareDoc | null): RiskShare | null {
  return doc === null ? null : { overspend: overspendRule(doc.overspend), underspend: underspendRule(doc.underspend) };
}

function profile(doc: SchemeDoc['profile']): Profile {
  if (doc === 'equal') return { kind: 'equal' };
  if (doc.weights !== undefined) return { kind: 'weights', weights: [...doc.weights] };
  invariant(doc.amounts !== undefined, 'a profile with neither weights nor amounts passed validation');
  return { kind: 'amounts', amountsPence: byYear(doc.amounts, (months) => [...months]) };
}

export function scheme(doc: SchemeDoc): Scheme {
  return {
    id: doc.id,
    name: doc.name,
    pool: doc.pool,
    type: doc.type,
    areaOfNeed: doc.area_of_need,
    leadCommissioner: doc.lead_commissioner,
    contributions: byYear(doc.contributions, (byPartner) => ({ ...byPartner })),
    profile: profile(doc.profile),
    fotMethod: doc.fot_method,
    riskShare: riskShare(doc.risk_share),
    ...(doc.bcf === undefined ? {} : { bcf: bcfSchemeInfo(doc.bcf) }),
  };
}

function fileSettings(doc: ExtractDoc): FileSettings {
  const c = doc.columns;
  return {
    format: doc.format,
    encoding: doc.encoding,
    delimiter: doc.delimiter,
    sheet: doc.sheet,
    skipTop: doc.skip_top,
    skipBottom: doc.skip_bottom,
    columns: {
      date: c.date ?? null,
      period: c.period ?? null,
      year: c.year ?? null,
      amount: c.amount ?? null,
      debit: c.debit ?? null,
      credit: c.credit ?? null,
      description: c.description ?? null,
      id: c.id ?? null,
      codes: [...c.codes],
    },
    dateFormat: doc.date_format,
    decimalComma: doc.decimal_comma,
    period13: doc.period13,
    // only when given, so the stored model of an agreement without limits is as it was
    ...(doc.limits === undefined ? {} : { limits: extractLimits(doc.limits) }),
  };
}

const MIB = 1024 * 1024;

function extractLimits(doc: ExtractLimitsDoc): ExtractLimits {
  const limits: ExtractLimits = {};
  if (doc.max_file_mb !== undefined) limits.maxFileBytes = doc.max_file_mb * MIB;
  if (doc.max_line_chars !== undefined) limits.maxLineChars = doc.max_line_chars;
  if (doc.max_columns !== undefined) limits.maxColumns = doc.max_columns;
  if (doc.max_lines !== undefined) limits.maxLines = doc.max_lines;
  if (doc.max_cell_chars !== undefined) limits.maxCellChars = doc.max_cell_chars;
  if (doc.max_xlsx_mb !== undefined) limits.maxXlsxBytes = doc.max_xlsx_mb * MIB;
  if (doc.max_shared_strings !== undefined) limits.maxSharedStrings = doc.max_shared_strings;
  if (doc.max_shared_string_chars !== undefined) limits.maxSharedStringChars = doc.max_shared_string_chars;
  return limits;
}

export function mappingRule(doc: MappingRuleDoc, index: number): MappingRule {
  const when: Condition[] = conditionsOf(doc.when, []).map(({ column, tests }) => {
    const condition: Condition = { column };
    if (tests.equals !== undefined) condition.equals = tests.equals;
    if (tests.in !== undefined) condition.in = [...tests.in];
    if (tests.prefix !== undefined) condition.prefix = tests.prefix;
    if (tests.range !== undefined) condition.range = { from: tests.range[0], to: tests.range[1] };
    if (tests.pattern !== undefined) condition.pattern = tests.pattern;
    return condition;
  });
  const target = doc.scheme !== undefined ? { scheme: doc.scheme } : { outOfScope: true as const };
  return { index, when, target, note: doc.note ?? null };
}

function ledger(doc: LedgerDoc): Ledger {
  invariant(doc.extract !== undefined, `ledger ${doc.id} without extract settings passed validation`);
  return { id: doc.id, partner: doc.partner, name: doc.name, mode: doc.mode, file: fileSettings(doc.extract), rules: doc.rules.map(mappingRule) };
}

function coding(doc: PartnerCodingDoc): PartnerCoding {
  return {
    codeColumns: [...doc.code_columns],
    contributionToPool: { ...doc.contribution_to_pool },
    poolIncome: { ...doc.pool_income },
    debtor: { ...doc.debtor },
    creditor: { ...doc.creditor },
    fundSpend: { ...doc.fund_spend },
    rechargeIncome: doc.recharge_income === null ? null : { ...doc.recharge_income },
  };
}

export function toAgreement(doc: AgreementDoc): Agreement {
  return {
    fund: { id: doc.fund.id, name: doc.fund.name },
    years: doc.years.map(year),
    partners: doc.partners.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    pools: doc.pools.map((p) => ({ id: p.id, name: p.name, host: p.host, netting: p.netting, riskShare: riskShare(p.risk_share) })),
    schemes: doc.schemes.map(scheme),
    ledgers: doc.ledgers.map(ledger),
    coding: Object.fromEntries(Object.entries(doc.coding).map(([partner, c]) => [partner, coding(c)])),
    rag: { amberPercent: doc.rag.amber_percent, redPercent: doc.rag.red_percent },
    accrueSettlement: doc.accrue_settlement,
    lineDetailSharedAcrossPartners: doc.data_sharing.line_detail === 'all_partners',
    // only when given, so the stored model of an agreement without governance is as it was
    ...(doc.governance === undefined ? {} : { governance: governance(doc.governance) }),
    ...(doc.dissolution === undefined ? {} : { dissolution: dissolutionTerms(doc.dissolution) }),
    ...(doc.bcf === undefined ? {} : { bcf: bcfSettings(doc.bcf) }),
    ...(doc.year_end === undefined ? {} : { yearEnd: yearEndRules(doc.year_end) }),
  };
}
