// What can be wrong with an agreement, as data: every problem has a stable code (listed in
// docs/agreement.md), where it is as a path in the agreement (`pools.bcf.risk_share.overspend`),
// and, where the YAML node can be found, the file, line and column a person should look at.

export const AGREEMENT_PROBLEM_CODES = [
  // Reading the files.
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_ENCODING',
  'YAML_SYNTAX',
  'YAML_DUPLICATE_KEY',
  'INCLUDE_NOT_FOUND',
  'INCLUDE_PATH_INVALID',
  'INCLUDE_NOT_MAPPING',
  'INCLUDE_KEY_NOT_ALLOWED',
  'INCLUDE_KEY_CONFLICT',
  // The shape of the document (the zod schema).
  'SCHEMA_REQUIRED',
  'SCHEMA_UNKNOWN_KEY',
  'SCHEMA_TYPE',
  'SCHEMA_VALUE',
  'ID_INVALID',
  'YEAR_INVALID',
  'PERCENT_INVALID',
  'AMOUNT_EMPTY',
  'AMOUNT_INVALID',
  'AMOUNT_TOO_PRECISE',
  'AMOUNT_OUT_OF_RANGE',
  'AMOUNT_NEGATIVE',
  // What the document means (src/agreement/validate.ts).
  'DUPLICATE_ID',
  'YEAR_DUPLICATE',
  'YEAR_NOT_IN_FUND',
  'UNKNOWN_PARTNER',
  'UNKNOWN_POOL',
  'UNKNOWN_SCHEME',
  'POOLED_SCHEME_NO_HOST',
  'RISK_SHARE_MISSING',
  'SCHEME_RISK_SHARE_IN_NETTED_POOL',
  'RISK_SHARE_ON_ALIGNED',
  'RETAIN_FOR_OVERSPEND',
  'FIXED_SHARES_NOT_100',
  'TIER_FINAL_BAND',
  'TIER_BAND_WIDTH',
  'CAPS_ALL_NO_EXCESS_TO',
  'PROFILE_INVALID',
  'PROFILE_WEIGHTS_INVALID',
  'PROFILE_AMOUNTS_COUNT',
  'PROFILE_AMOUNTS_SUM',
  'PROFILE_AMOUNTS_YEARS',
  'RULE_TARGET_INVALID',
  'CONDITION_EMPTY',
  'PATTERN_INVALID',
  'DEBIT_CREDIT_UNPAIRED',
  'AMOUNT_COLUMN_MISSING',
  'AMOUNT_COLUMNS_CONFLICT',
  'CODING_COLUMN_UNKNOWN',
  'RAG_ORDER',
  'QUORUM_INVALID',
  'CHAIR_NOT_MEMBER',
  'DELEGATION_ROLE_UNKNOWN',
  'YEAR_END_RULE_INVALID',
] as const;

export type AgreementProblemCode = (typeof AGREEMENT_PROBLEM_CODES)[number];

export interface AgreementProblem {
  code: AgreementProblemCode;
  /** Dotted path in the agreement; list items are named by their id where they have one. '' is the whole file. */
  path: string;
  /** 1-based line and column of the YAML node, or null where it cannot be found. */
  line: number | null;
  column: number | null;
  message: string;
  /** The file the line and column refer to: the agreement, or a ledger file it includes. */
  file: string;
}

/** One step into the parsed document: a mapping key or a list index. */
export type Segment = string | number;

/** A problem before it is placed: its path as steps through the (merged) document. */
export interface Finding {
  code: AgreementProblemCode;
  at: Segment[];
  message: string;
}

/** A problem whose place is already known (a YAML syntax error, an unreadable file). */
export interface PlacedFinding {
  code: AgreementProblemCode;
  message: string;
  file: string;
  line: number | null;
  column: number | null;
}

export function finding(code: AgreementProblemCode, at: Segment[], message: string): Finding {
  return { code, at, message };
}
