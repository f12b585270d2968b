// Checks on ledgers (domain.md §5): whose ledger it is, how its amounts are read, and whether
// each mapping rule says where its lines go and can be run at all.

import { anchoredPattern, conditionsOf, hasAnyTest } from './conditions.js';
import { finding, type Finding, type Segment } from './problems.js';
import type { ExtractDoc, LedgerDoc, MappingRuleDoc } from './schema-ledger.js';
import { checkRef, type Known } from './validate-context.js';

function checkAmountColumns(extract: ExtractDoc, at: Segment[]): Finding[] {
  const { amount, debit, credit } = extract.columns;
  const here = [...at, 'columns'];
  if (amount !== undefined && (debit !== undefined || credit !== undefined)) {
    return [finding('AMOUNT_COLUMNS_CONFLICT', [...here, 'amount'], 'give either one amount column, or debit and credit columns, not both')];
  }
  if ((debit === undefined) !== (credit === undefined)) {
    const given = debit !== undefined ? 'debit' : 'credit';
    return [finding('DEBIT_CREDIT_UNPAIRED', [...here, given], `a ${given} column needs its ${given === 'debit' ? 'credit' : 'debit'} column too`)];
  }
  if (amount === undefined && debit === undefined) {
    return [finding('AMOUNT_COLUMN_MISSING', here, 'name the amount column, or the debit and credit columns')];
  }
  return [];
}

function patternProblem(pattern: string): string | undefined {
  try {
    anchoredPattern(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function checkRule(rule: MappingRuleDoc, at: Segment[], known: Known): Finding[] {
  const findings: Finding[] = [];
  const toScheme = rule.scheme !== undefined;
  if (toScheme === (rule.out_of_scope === true)) {
    const message = toScheme ? 'a rule sends lines to a scheme or out of scope, not both' : 'a rule needs scheme: <id> or out_of_scope: true';
    findings.push(finding('RULE_TARGET_INVALID', at, message));
  }
  findings.push(...checkRef('scheme', rule.scheme, [...at, 'scheme'], known));
  const conditions = conditionsOf(rule.when, [...at, 'when']);
  if (conditions.length === 0) findings.push(finding('CONDITION_EMPTY', [...at, 'when'], 'a rule needs at least one condition'));
  for (const condition of conditions) {
    if (!hasAnyTest(condition.tests)) {
      findings.push(finding('CONDITION_EMPTY', condition.at, `the condition on "${condition.column}" tests nothing: give equals, in, prefix, range or pattern`));
    }
    const pattern = condition.tests.pattern;
    const problem = pattern === undefined ? undefined : patternProblem(pattern);
    if (problem !== undefined) findings.push(finding('PATTERN_INVALID', [...condition.at, 'pattern'], problem));
  }
  return findings;
}

export function checkLedger(ledger: LedgerDoc, index: number, known: Known): Finding[] {
  const at: Segment[] = ['ledgers', index];
  const extract = ledger.extract
    ? checkAmountColumns(ledger.extract, [...at, 'extract'])
    : [finding('SCHEMA_REQUIRED', [...at, 'extract'], `ledger ${ledger.id} needs its extract settings, in the agreement or in its ledger file`)];
  return [
    ...checkRef('partner', ledger.partner, [...at, 'partner'], known),
    ...extract,
    ...ledger.rules.flatMap((rule, r) => checkRule(rule, [...at, 'rules', r], known)),
  ];
}
