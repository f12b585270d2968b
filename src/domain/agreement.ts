// The section 75 agreement as the core sees it, after the YAML has been parsed and validated
// (src/agreement/ turns the file into this). Amounts are pence, years are YearStart numbers,
// periods are PeriodKeys. Order matters: partners are listed in agreement order, which breaks
// ties in splits; mapping rules are tried in order, first match wins.

import type { BcfSchemeInfo, BcfSettings } from './bcf.js';
import type { DissolutionTerms } from './dissolution-terms.js';
import type { Pence } from './money.js';
import type { YearStart } from './period.js';

export type PartnerKind = 'council' | 'icb' | 'trust' | 'other';

export interface Partner {
  id: string;
  name: string;
  kind: PartnerKind;
}

/** A partner's cap on its share of a sharing unit's overspend for the year. */
export type Cap = { amountPence: Pence } | { percentOfContribution: number };

/** Rules a band of a tiered rule may use. */
export type SimpleShareRule =
  | { kind: 'proportional' }
  | { kind: 'fixed'; percent: Record<string, number> }
  | { kind: 'lead'; partner: string };

export interface TierBand {
  /** Width of the band in pence; null for the final, unbounded band. */
  upToPence: Pence | null;
  rule: SimpleShareRule;
}

export type OverspendRule = (SimpleShareRule | { kind: 'tiered'; bands: TierBand[] }) & {
  caps?: Record<string, Cap>;
  /** Who takes what no capped partner can; required when every partner is capped. */
  excessTo?: string;
};

export type UnderspendRule = SimpleShareRule | { kind: 'tiered'; bands: TierBand[] } | { kind: 'retain' };

export interface RiskShare {
  overspend: OverspendRule;
  underspend: UnderspendRule;
}

export interface Pool {
  id: string;
  name: string;
  /** Partner whose ledger holds the pooled money; required if the pool has pooled schemes. */
  host: string | null;
  /** Net the pool's pooled schemes' variances before sharing (domain.md §7). */
  netting: boolean;
  /** The pool's rules; in a pool without netting a scheme may state its own instead. */
  riskShare: RiskShare | null;
}

export type Profile =
  | { kind: 'equal' }
  /** Twelve non-negative integer weights, M01..M12. */
  | { kind: 'weights'; weights: number[] }
  /** Explicit monthly amounts per year; they must add to that year's annual budget. */
  | { kind: 'amounts'; amountsPence: Record<YearStart, Pence[]> };

export type FotMethod = 'plan' | 'run_rate' | 'lead';

export interface Scheme {
  id: string;
  name: string;
  pool: string;
  type: 'pooled' | 'aligned';
  areaOfNeed: string | null;
  leadCommissioner: string | null;
  /** year → partner → contribution. */
  contributions: Record<YearStart, Record<string, Pence>>;
  profile: Profile;
  fotMethod: FotMethod;
  /** Only in a pool without netting; overrides the pool's rules for this scheme. */
  riskShare: RiskShare | null;
  /** How the national BCF year-end template describes it (docs/returns.md); absent when not given. */
  bcf?: BcfSchemeInfo;
}

/** One condition of a mapping rule; a rule's conditions must all hold. */
export interface Condition {
  /** An original column name of the extract (as in its header row). */
  column: string;
  equals?: string;
  in?: string[];
  prefix?: string;
  /** Inclusive range; numeric if both ends and the value are numbers, otherwise text order. */
  range?: { from: string; to: string };
  /** A regular expression (JavaScript syntax), tested against the whole value. */
  pattern?: string;
}

export interface MappingRule {
  /** Position in the ledger's list (0-based), recorded on every mapped line for traceability. */
  index: number;
  when: Condition[];
  /** Where matching lines go: a scheme id, or out of the fund's scope. */
  target: { scheme: string } | { outOfScope: true };
  note: string | null;
}

export type DateFormat = 'DD/MM/YYYY' | 'YYYY-MM-DD' | 'DD-MMM-YY' | 'DD-MMM-YYYY' | 'excel' | 'auto';

export interface FileSettings {
  /** auto: by the file's extension (.xlsx → xlsx, anything else → csv). */
  format: 'auto' | 'csv' | 'xlsx';
  encoding: 'utf-8' | 'windows-1252';
  delimiter: string;
  /** XLSX only: sheet name; default the first sheet. */
  sheet: string | null;
  /** Lines (CSV) or rows (XLSX) before the header row. */
  skipTop: number;
  /** Lines at the bottom (totals rows) that are not data. */
  skipBottom: number;
  columns: {
    date: string | null;
    period: string | null;
    /** A financial-year column, for files whose period column is a bare number. */
    year: string | null;
    amount: string | null;
    debit: string | null;
    credit: string | null;
    description: string | null;
    /** Transaction / line id column, if the ledger has one. */
    id: string | null;
    /** The ledger's analysis codes in order (cost centre, subjective, entity, ...). */
    codes: string[];
  };
  dateFormat: DateFormat;
  decimalComma: boolean;
  /** Where period 13 (and "adjustment" periods) go: default M12. */
  period13: 'M12' | 'reject';
  /** The ledger's own limits on an extract (src/import/limits.ts has the defaults); absent: the defaults. */
  limits?: ExtractLimits;
}

/** Limits on one extract, each optional (src/import/limits.ts). Sizes in bytes. */
export interface ExtractLimits {
  maxFileBytes?: number;
  maxLineChars?: number;
  maxColumns?: number;
  maxLines?: number;
  maxCellChars?: number;
  /** XLSX: the inflated bytes of the parts read. */
  maxXlsxBytes?: number;
  maxSharedStrings?: number;
  maxSharedStringChars?: number;
}

export interface Ledger {
  id: string;
  partner: string;
  name: string;
  /** replace: each extract is the complete record for the periods it covers; append: adds lines. */
  mode: 'replace' | 'append';
  file: FileSettings;
  rules: MappingRule[];
}

/** How a partner's journals are coded (used by the close, issue 4). */
export interface PartnerCoding {
  /** Code columns of this partner's journal lines, e.g. ['cost_centre','subjective']. */
  codeColumns: string[];
  contributionToPool: Record<string, string>;
  poolIncome: Record<string, string>;
  /** counterparty partner id → codes. */
  debtor: Record<string, Record<string, string>>;
  creditor: Record<string, Record<string, string>>;
  /** Host side: how recharged fund spend is coded; the spender's own analysis codes travel with each line. */
  fundSpend: Record<string, string>;
  /** Optional code credited in the spender's ledger instead of the spend's own codes. */
  rechargeIncome: Record<string, string> | null;
}

export interface RagThresholds {
  /** FOT variance as a percentage of annual budget: above red → Red, above amber → Amber. */
  amberPercent: number;
  redPercent: number;
}

/** The kinds of decision the joint committee or its delegates take (docs/governance.md). */
export type DecisionType = 'virement' | 'budget_variation' | 'risk_share_change' | 'agreement_variation';

/** A named person who may vote (a committee member) or approve under delegation (an officer). */
export interface GovernancePerson {
  id: string;
  name: string;
  partner: string;
  role: string;
}

/** One line of the scheme of delegation: holders of `role` may approve these decision types up to a limit. */
export interface Delegation {
  role: string;
  decisions: DecisionType[];
  /** The largest amount one decision may weigh (docs/governance.md says what a decision weighs). */
  upToPence: Pence;
  /** Only decisions that stay inside one pool. */
  withinPool: boolean;
  /** Needs a holder of the role from every partner, not just one. */
  jointly: boolean;
}

export interface Governance {
  committee: {
    name: string;
    members: GovernancePerson[];
    /** Partner → the fewest of its members present for a meeting to be quorate. */
    quorum: Record<string, number>;
    chair: string | null;
  };
  officers: GovernancePerson[];
  delegation: Delegation[];
}

/** The `year_end:` section (docs/year-end.md). */
export interface YearEndRules {
  carryForward: {
    /** Carry retained underspends into the next year's pool as a budget line. */
    retainUnderspend: boolean;
    /** Pool → the pooled scheme that takes its carry-forward; a pool not named gets a new line. */
    toScheme: Record<string, string>;
  };
  /** Agreed recovery plans: the pool's overspend shares come off this scheme's next-year contributions. */
  overspendRecovery: { pool: string; fromScheme: string }[];
  /** Next-year contributions for schemes the agreement gives none: the ended year's × (1 + percent/100). */
  uplift: { pool: string | null; scheme: string | null; percent: number }[];
}

export interface Agreement {
  fund: { id: string; name: string };
  years: YearStart[];
  partners: Partner[];
  pools: Pool[];
  schemes: Scheme[];
  ledgers: Ledger[];
  coding: Record<string, PartnerCoding>;
  rag: RagThresholds;
  /** Accrue the forecast settlement monthly (reversing next month), or only at M12. */
  accrueSettlement: boolean;
  /** May every partner's users see line-level detail of the other partners' ledgers (web app, API)? */
  lineDetailSharedAcrossPartners: boolean;
  /** The joint committee and scheme of delegation; absent in agreements (and stored versions) without one. */
  governance?: Governance;
  /** How the fund is wound up (docs/dissolution.md); absent: by the risk-share rules, no commitments listed. */
  dissolution?: DissolutionTerms;
  /** What the year-end carries into the next year (docs/year-end.md); absent: retained underspends carried, nothing else. */
  yearEnd?: YearEndRules;
  /** The Better Care Fund's pools and national minimums (docs/returns.md); absent when not given. */
  bcf?: BcfSettings;
}
