// What a contract register means, checked against the agreement in force once its shape is
// accepted: ids unique, every provider, partner, scheme and ledger named exists, spend conditions
// test something and only on the ledger's analysis code columns (spend is summed from the stored
// totals per code combination, which hold those columns and no others), terms in order, an
// outcome tariff's open tier last, a block profile of twelve weights, RAG thresholds in order.

import { anchoredPattern, conditionsOf, hasAnyTest } from '../agreement/conditions.js';
import type { AgreementProblemCode, Segment } from '../agreement/problems.js';
import type { Agreement } from '../domain/agreement.js';
import { basisPoints } from '../domain/percent.js';
import { formatPeriod, parsePeriodArg } from '../domain/period.js';
import { investmentFindings, type InvestmentProblemCode } from './investments.js';
import type { ContractDocOut, ContractRegisterDoc } from './schema.js';

export const CONTRACT_PROBLEM_CODES = ['CONTRACT_PROVIDER_UNKNOWN', 'CONTRACT_LEDGER_UNKNOWN', 'CONTRACT_COLUMN_NOT_CODE', 'CONTRACT_TERM_INVALID'] as const;

export type ContractProblemCode = AgreementProblemCode | (typeof CONTRACT_PROBLEM_CODES)[number] | InvestmentProblemCode;

export interface ContractFinding {
  code: ContractProblemCode;
  at: Segment[];
  message: string;
}

function duplicates(items: readonly { id: string }[], key: string, what: string): ContractFinding[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    if (!seen.has(item.id)) return (seen.add(item.id), []);
    return [{ code: 'DUPLICATE_ID' as const, at: [key, index, 'id'], message: `another ${what} already has the id "${item.id}"` }];
  });
}

function termFindings(contract: ContractDocOut, at: Segment[]): ContractFinding[] {
  const found: ContractFinding[] = [];
  const start = parsePeriodArg(contract.start);
  const end = parsePeriodArg(contract.end);
  if (start === undefined) found.push({ code: 'CONTRACT_TERM_INVALID', at: [...at, 'start'], message: `"${contract.start}" is not a period (write 2025-26 M01)` });
  if (end === undefined) found.push({ code: 'CONTRACT_TERM_INVALID', at: [...at, 'end'], message: `"${contract.end}" is not a period (write 2027-28 M12)` });
  if (start !== undefined && end !== undefined && end < start) {
    found.push({ code: 'CONTRACT_TERM_INVALID', at: [...at, 'end'], message: `the term ends (${formatPeriod(end)}) before it starts (${formatPeriod(start)})` });
  }
  return found;
}

function paymentFindings(contract: ContractDocOut, at: Segment[]): ContractFinding[] {
  const payment = contract.payment;
  if (payment.kind === 'block' && payment.weights !== undefined && payment.weights.length !== 12) {
    return [{ code: 'PROFILE_WEIGHTS_INVALID', at: [...at, 'payment', 'weights'], message: `a block profile has twelve month weights, M01..M12 (found ${payment.weights.length})` }];
  }
  if (payment.kind === 'outcome') {
    const open = payment.tiers.filter((t) => t.outcomes === null).length;
    if (open !== 1 || payment.tiers.at(-1)!.outcomes !== null) {
      return [{ code: 'TIER_FINAL_BAND', at: [...at, 'payment', 'tiers'], message: `an outcome tariff needs exactly one tier with outcomes: null, and it must be the last (found ${open})` }];
    }
  }
  return [];
}

function spendFindings(contract: ContractDocOut, at: Segment[], agreement: Agreement): ContractFinding[] {
  const found: ContractFinding[] = [];
  contract.spend.forEach((spend, s) => {
    const here = [...at, 'spend', s];
    const ledger = agreement.ledgers.find((l) => l.id === spend.ledger);
    if (!ledger) {
      found.push({ code: 'CONTRACT_LEDGER_UNKNOWN', at: [...here, 'ledger'], message: `"${spend.ledger}" is not a ledger of the agreement (${agreement.ledgers.map((l) => l.id).join(', ')})` });
    }
    const conditions = conditionsOf(spend.when, [...here, 'when']);
    if (conditions.length === 0) found.push({ code: 'CONDITION_EMPTY', at: [...here, 'when'], message: 'a spend entry needs at least one condition' });
    for (const condition of conditions) {
      if (!hasAnyTest(condition.tests)) found.push({ code: 'CONDITION_EMPTY', at: condition.at, message: `the condition on "${condition.column}" tests nothing: give equals, in, prefix, range or pattern` });
      if (ledger && !ledger.file.columns.codes.includes(condition.column)) {
        found.push({
          code: 'CONTRACT_COLUMN_NOT_CODE',
          at: condition.at,
          message: `"${condition.column}" is not an analysis code column of ledger ${ledger.id} (${ledger.file.columns.codes.join(', ')}): spend is matched on code columns only`,
        });
      }
      const pattern = condition.tests.pattern;
      if (pattern !== undefined) {
        try {
          anchoredPattern(pattern);
        } catch (error) {
          found.push({ code: 'PATTERN_INVALID', at: [...condition.at, 'pattern'], message: (error as Error).message });
        }
      }
    }
  });
  return found;
}

export function validateRegister(doc: ContractRegisterDoc, agreement: Agreement): ContractFinding[] {
  const providers = new Set(doc.providers.map((p) => p.id));
  const partners = new Set(agreement.partners.map((p) => p.id));
  const schemes = new Set(agreement.schemes.map((s) => s.id));
  const found: ContractFinding[] = [...duplicates(doc.providers, 'providers', 'provider'), ...duplicates(doc.contracts, 'contracts', 'contract'), ...duplicates(doc.metrics, 'metrics', 'metric')];
  doc.contracts.forEach((contract, index) => {
    const at: Segment[] = ['contracts', index];
    if (!providers.has(contract.provider)) {
      found.push({ code: 'CONTRACT_PROVIDER_UNKNOWN', at: [...at, 'provider'], message: `"${contract.provider}" is not one of the register's providers (${[...providers].join(', ') || 'none'})` });
    }
    if (!partners.has(contract.lead_commissioner)) {
      found.push({ code: 'UNKNOWN_PARTNER', at: [...at, 'lead_commissioner'], message: `"${contract.lead_commissioner}" is not a partner of the agreement (${[...partners].join(', ')})` });
    }
    contract.schemes.forEach((scheme, s) => {
      if (!schemes.has(scheme)) found.push({ code: 'UNKNOWN_SCHEME', at: [...at, 'schemes', s], message: `"${scheme}" is not a scheme of the agreement (${[...schemes].join(', ')})` });
    });
    found.push(...termFindings(contract, at), ...paymentFindings(contract, at), ...spendFindings(contract, at, agreement));
  });
  doc.metrics.forEach((metric, index) => {
    if (basisPoints(metric.amber_percent) > basisPoints(metric.red_percent)) {
      found.push({ code: 'RAG_ORDER', at: ['metrics', index, 'amber_percent'], message: `amber_percent (${metric.amber_percent}) must not be above red_percent (${metric.red_percent})` });
    }
  });
  found.push(...investmentFindings(doc.investments, doc.metrics, agreement));
  return found;
}
