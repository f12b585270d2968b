// The semantic checks (problem codes in docs/agreement.md): everything a well-shaped agreement
// can still get wrong — references to things that do not exist, duplicate ids, shares that do
// not add up, profiles that do not phase the budget, rules that cannot run. Pure: document in,
// every finding out, so a finance officer sees all of them at once.

import { parseYear } from '../domain/period.js';
import { finding, type Finding, type Segment } from './problems.js';
import type { AgreementDoc, PartnerCodingDoc } from './schema.js';
import { checkPartnerKeys, checkRef, knownIds, type Known } from './validate-context.js';
import { checkBcf } from './validate-bcf.js';
import { checkDissolution } from './validate-dissolution.js';
import { checkGovernance } from './validate-governance.js';
import { checkLedger } from './validate-ledgers.js';
import { checkSharingUnits } from './validate-risk-share.js';
import { checkYearEnd } from './validate-year-end.js';
import { checkPool, checkScheme } from './validate-schemes.js';

function checkDuplicateIds(list: readonly { id: string }[], key: 'partners' | 'pools' | 'schemes' | 'ledgers'): Finding[] {
  const seen = new Set<string>();
  return list.flatMap((item, index) => {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      return [];
    }
    return [finding('DUPLICATE_ID', [key, index, 'id'], `another of the ${key} already has the id "${item.id}"`)];
  });
}

function checkYears(years: readonly string[]): Finding[] {
  const seen = new Set<number | undefined>();
  return years.flatMap((year, index) => {
    const start = parseYear(year);
    if (!seen.has(start)) {
      seen.add(start);
      return [];
    }
    return [finding('YEAR_DUPLICATE', ['years', index], `${year} is listed more than once`)];
  });
}

function checkCodeMap(codes: Record<string, string> | null, columns: ReadonlySet<string>, at: Segment[]): Finding[] {
  return Object.keys(codes ?? {}).flatMap((column) =>
    columns.has(column) ? [] : [finding('CODING_COLUMN_UNKNOWN', [...at, column], `"${column}" is not one of code_columns (${[...columns].join(', ')})`)],
  );
}

function checkCoding(partner: string, coding: PartnerCodingDoc, known: Known): Finding[] {
  const at: Segment[] = ['coding', partner];
  const columns = new Set(coding.code_columns);
  const byCounterparty = (key: 'debtor' | 'creditor') => [
    ...checkPartnerKeys(coding[key], [...at, key], known),
    ...Object.entries(coding[key]).flatMap(([other, codes]) => checkCodeMap(codes, columns, [...at, key, other])),
  ];
  return [
    ...checkRef('partner', partner, at, known),
    ...checkCodeMap(coding.contribution_to_pool, columns, [...at, 'contribution_to_pool']),
    ...checkCodeMap(coding.pool_income, columns, [...at, 'pool_income']),
    ...checkCodeMap(coding.fund_spend, columns, [...at, 'fund_spend']),
    ...checkCodeMap(coding.recharge_income, columns, [...at, 'recharge_income']),
    ...byCounterparty('debtor'),
    ...byCounterparty('creditor'),
  ];
}

function checkRag(doc: AgreementDoc): Finding[] {
  const { amber_percent, red_percent } = doc.rag;
  if (amber_percent <= red_percent) return [];
  return [finding('RAG_ORDER', ['rag'], `amber_percent (${amber_percent}) must not be above red_percent (${red_percent})`)];
}

export function validateAgreement(doc: AgreementDoc): Finding[] {
  const known = knownIds(doc);
  return [
    ...checkYears(doc.years),
    ...checkDuplicateIds(doc.partners, 'partners'),
    ...checkDuplicateIds(doc.pools, 'pools'),
    ...checkDuplicateIds(doc.schemes, 'schemes'),
    ...checkDuplicateIds(doc.ledgers, 'ledgers'),
    ...doc.pools.flatMap((pool, index) => checkPool(pool, index, known)),
    ...doc.schemes.flatMap((scheme, index) => checkScheme(scheme, index, known)),
    ...checkSharingUnits(doc),
    ...doc.ledgers.flatMap((ledger, index) => checkLedger(ledger, index, known)),
    ...Object.entries(doc.coding).flatMap(([partner, coding]) => checkCoding(partner, coding, known)),
    ...checkRag(doc),
    ...checkGovernance(doc, known),
    ...checkDissolution(doc, known),
    ...checkBcf(doc, known),
    ...checkYearEnd(doc, known),
  ];
}
