// What a register's social investments mean, checked against the agreement in force and the
// register's metrics (docs/contracts.md#social-investment), and their model. Beyond the names
// existing, the journal must come back right: the payment's debit is checked against the paying
// ledger's own mapping rules, so the spend it becomes is the arrangement's scheme's, and the
// credit must not map to a scheme (it would cancel the spend when the extract comes back).

import type { Segment } from '../agreement/problems.js';
import type { Agreement } from '../domain/agreement.js';
import type { Metric } from '../domain/contracts.js';
import type { Investment } from '../domain/investment-payments.js';
import { mappingOfCodes, payingLedger } from '../domain/investment-journal.js';
import { formatPeriod, monthOf, parsePeriodArg, parseYear, yearOf } from '../domain/period.js';
import type { InvestmentDocOut } from './schema-investments.js';

export const INVESTMENT_PROBLEM_CODES = [
  'INVESTMENT_METRIC_UNKNOWN',
  'INVESTMENT_METRIC_DIRECTION',
  'INVESTMENT_TERM_INVALID',
  'INVESTMENT_BASELINE_INVALID',
  'INVESTMENT_CAPITAL_INVALID',
  'INVESTMENT_CODING_MISSING',
  'INVESTMENT_SPEND_NOT_MAPPED',
  'INVESTMENT_CREDITOR_MAPPED',
] as const;

export type InvestmentProblemCode = (typeof INVESTMENT_PROBLEM_CODES)[number] | 'UNKNOWN_SCHEME' | 'UNKNOWN_PARTNER' | 'CODING_COLUMN_UNKNOWN' | 'DUPLICATE_ID';

export interface InvestmentFinding {
  code: InvestmentProblemCode;
  at: Segment[];
  message: string;
}

function termFindings(doc: InvestmentDocOut, at: Segment[]): InvestmentFinding[] {
  const found: InvestmentFinding[] = [];
  const start = parsePeriodArg(doc.start);
  const end = parsePeriodArg(doc.end);
  if (start === undefined) found.push({ code: 'INVESTMENT_TERM_INVALID', at: [...at, 'start'], message: `"${doc.start}" is not a period (write 2025-26 M01)` });
  if (end === undefined) found.push({ code: 'INVESTMENT_TERM_INVALID', at: [...at, 'end'], message: `"${doc.end}" is not a period (write 2027-28 M12)` });
  if (start === undefined || end === undefined) return found;
  if (end < start) found.push({ code: 'INVESTMENT_TERM_INVALID', at: [...at, 'end'], message: `the term ends (${formatPeriod(end)}) before it starts (${formatPeriod(start)})` });
  if (doc.outcome.baseline_per === 'year' && (monthOf(start) !== 1 || monthOf(end) !== 12)) {
    found.push({ code: 'INVESTMENT_BASELINE_INVALID', at: [...at, 'outcome', 'baseline_per'], message: 'a yearly baseline measures whole financial years: the term must start at an M01 and end at an M12' });
  }
  for (const year of Object.keys(doc.outcome.baseline_by_year)) {
    const y = parseYear(year)!;
    if (y < yearOf(start) || y > yearOf(end)) {
      found.push({ code: 'INVESTMENT_BASELINE_INVALID', at: [...at, 'outcome', 'baseline_by_year', year], message: `${year} is outside the term (${formatPeriod(start)} to ${formatPeriod(end)})` });
    }
  }
  return found;
}

function metricFindings(doc: InvestmentDocOut, at: Segment[], metrics: readonly Pick<Metric, 'id' | 'direction'>[]): InvestmentFinding[] {
  const metric = metrics.find((m) => m.id === doc.outcome.metric);
  const here = [...at, 'outcome', 'metric'];
  if (!metric) return [{ code: 'INVESTMENT_METRIC_UNKNOWN', at: here, message: `"${doc.outcome.metric}" is not one of the register's metrics (${metrics.map((m) => m.id).join(', ') || 'none'})` }];
  if (metric.direction !== 'lower_is_better') return [{ code: 'INVESTMENT_METRIC_DIRECTION', at: here, message: `${metric.id} is higher_is_better: an outcome paid per one avoided needs a metric where lower is better` }];
  return [];
}

function journalFindings(doc: InvestmentDocOut, at: Segment[], agreement: Agreement): InvestmentFinding[] {
  const coding = agreement.coding[doc.paid_by];
  const ledger = payingLedger(agreement, doc.paid_by);
  if (!coding || !ledger) {
    return [{ code: 'INVESTMENT_CODING_MISSING', at: [...at, 'paid_by'], message: `partner ${doc.paid_by} needs a ledger and a coding in the agreement for its payment journal` }];
  }
  const columns = new Set(coding.codeColumns);
  const found: InvestmentFinding[] = [];
  for (const key of ['creditor', 'spend'] as const) {
    for (const column of Object.keys(doc.journal[key] ?? {})) {
      if (!columns.has(column)) found.push({ code: 'CODING_COLUMN_UNKNOWN', at: [...at, 'journal', key, column], message: `"${column}" is not one of ${doc.paid_by}'s code_columns (${[...columns].join(', ')})` });
    }
  }
  if (found.length > 0) return found;
  const spend = doc.journal.spend ?? coding.fundSpend;
  const debit = mappingOfCodes(ledger, spend);
  if (debit.status !== 'mapped' || debit.schemeId !== doc.scheme) {
    const now = debit.status === 'mapped' ? `scheme ${debit.schemeId}` : debit.status === 'out_of_scope' ? 'out of scope' : 'unmapped';
    const where = doc.journal.spend ? [...at, 'journal', 'spend'] : [...at, 'journal'];
    const whose = doc.journal.spend ? 'journal.spend' : `coding.${doc.paid_by}.fund_spend (give journal.spend)`;
    found.push({ code: 'INVESTMENT_SPEND_NOT_MAPPED', at: where, message: `${whose} would come back from ledger ${ledger.id} as ${now}, not as spend on ${doc.scheme}: the payment must map to its scheme` });
  }
  const credit = mappingOfCodes(ledger, doc.journal.creditor);
  if (credit.status === 'mapped') {
    found.push({ code: 'INVESTMENT_CREDITOR_MAPPED', at: [...at, 'journal', 'creditor'], message: `the creditor codes map to scheme ${credit.schemeId} in ledger ${ledger.id}: the credit would cancel the spend; use a balance sheet code the rules leave out of scope` });
  }
  return found;
}

export function investmentFindings(docs: readonly InvestmentDocOut[], metrics: readonly Pick<Metric, 'id' | 'direction'>[], agreement: Agreement): InvestmentFinding[] {
  const partners = new Set(agreement.partners.map((p) => p.id));
  const schemes = new Set(agreement.schemes.map((s) => s.id));
  const seen = new Set<string>();
  const found: InvestmentFinding[] = [];
  docs.forEach((doc, index) => {
    const at: Segment[] = ['investments', index];
    if (seen.has(doc.id)) found.push({ code: 'DUPLICATE_ID', at: [...at, 'id'], message: `another investment already has the id "${doc.id}"` });
    seen.add(doc.id);
    if (!schemes.has(doc.scheme)) found.push({ code: 'UNKNOWN_SCHEME', at: [...at, 'scheme'], message: `"${doc.scheme}" is not a scheme of the agreement (${[...schemes].join(', ')})` });
    if (!partners.has(doc.paid_by)) found.push({ code: 'UNKNOWN_PARTNER', at: [...at, 'paid_by'], message: `"${doc.paid_by}" is not a partner of the agreement (${[...partners].join(', ')})` });
    else found.push(...journalFindings(doc, at, agreement));
    doc.capital.forEach((c, i) => {
      if (parsePeriodArg(c.received) === undefined) found.push({ code: 'INVESTMENT_CAPITAL_INVALID', at: [...at, 'capital', i, 'received'], message: `"${c.received}" is not a period (write 2025-26 M01)` });
    });
    found.push(...termFindings(doc, at), ...metricFindings(doc, at, metrics));
  });
  return found;
}

export function toInvestment(doc: InvestmentDocOut): Investment {
  return {
    id: doc.id,
    name: doc.name,
    investor: doc.investor,
    description: doc.description ?? null,
    scheme: doc.scheme,
    paidBy: doc.paid_by,
    metric: doc.outcome.metric,
    capital: doc.capital.map((c) => ({ period: parsePeriodArg(c.received)!, pence: c.amount })),
    start: parsePeriodArg(doc.start)!,
    end: parsePeriodArg(doc.end)!,
    baselinePer: doc.outcome.baseline_per,
    baseline: doc.outcome.baseline,
    baselineByYear: { ...doc.outcome.baseline_by_year },
    pencePerOutcome: doc.outcome.price,
    minimumOutcomes: doc.outcome.minimum,
    yearCapPence: doc.caps.year ?? null,
    totalCapPence: doc.caps.total,
    spendCodes: doc.journal.spend ? { ...doc.journal.spend } : null,
    creditorCodes: { ...doc.journal.creditor },
  };
}
