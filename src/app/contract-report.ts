// `tandem contracts` (docs/contracts.md): each contract of the register in force with its value,
// its spend to date from the ledgers, and what it is due by its payment mechanism from the
// activity and outcomes imported, for the financial year of a period up to that period.
//
// Spend is read from line_totals (Store.liveTotals grouped by period, status, scheme and code
// combination) rather than from the lines: a contract's spend conditions are on the ledger's
// analysis code columns, which line_totals holds, so a year's spend is a few hundred total rows
// however many lines the ledgers hold. Spend counts lines mapped to one of the contract's schemes;
// lines its conditions match that are mapped elsewhere, out of scope or unmapped are shown apart
// (as "matched outside its schemes"), never silently added or dropped.

import type { CalcStep } from '../domain/calc-step.js';
import type { Agreement } from '../domain/agreement.js';
import { contractDue, type Contract, type ContractRegister } from '../domain/contracts.js';
import { compileRules, type LineMapper } from '../domain/mapping.js';
import { sumPence, type Pence } from '../domain/money.js';
import { formatPeriod, formatYear, monthOf, periodKey, yearOf, type PeriodKey } from '../domain/period.js';
import type { MeasureInForce } from '../store/contract-types.js';
import type { LiveTotalRow } from '../store/types.js';
import { agreementForPeriod, resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { registerInForce } from './contracts.js';
import { TandemError } from './errors.js';

export interface ContractRow {
  id: string;
  name: string;
  provider: { id: string; name: string };
  leadCommissioner: string;
  schemes: string[];
  mechanism: Contract['payment']['kind'];
  annualValuePence: Pence;
  start: string;
  end: string;
  inTerm: boolean;
  /** Units delivered and outcomes achieved, year to date. */
  unitsYtd: number;
  outcomesYtd: number;
  dueYtdPence: Pence;
  dueMonthPence: Pence;
  dueSteps: CalcStep[];
  spendYtdPence: Pence;
  spendMonthPence: Pence;
  /** Lines the contract's conditions match that are not mapped to one of its schemes, year to date. */
  matchedOutsideSchemesPence: Pence;
  /** Spend − due, year to date: positive when more was spent than the mechanism makes due. */
  spendMinusDuePence: Pence;
}

export interface ContractsReport {
  fundId: string;
  year: string;
  period: string;
  registerVersion: number;
  agreementVersion: number;
  contracts: ContractRow[];
  totals: { annualValuePence: Pence; dueYtdPence: Pence; spendYtdPence: Pence };
  warnings: string[];
}

function monthlyCounts(measures: readonly MeasureInForce[], contractId: string, period: PeriodKey): number[] {
  const months = Array.from({ length: 12 }, () => 0);
  for (const m of measures) {
    if (m.subject === contractId && yearOf(m.period) === yearOf(period) && m.period <= period) months[monthOf(m.period) - 1] = m.value ?? 0;
  }
  return months;
}

/** The latest period with ledger data, activity or outcomes: what `tandem contracts` shows without --period. */
async function latestPeriod(ctx: AppContext, fundId: string): Promise<PeriodKey> {
  const ledger = (await ctx.store.liveTotals({ fundId }, ['period'])).map((r) => r.period);
  const measured = [...(await ctx.store.measuresInForce(fundId, 'activity')), ...(await ctx.store.measuresInForce(fundId, 'outcomes'))].map((m) => m.period);
  const all = [...ledger, ...measured];
  if (all.length === 0) throw new TandemError('USAGE', 'there is no ledger data, activity or outcomes yet: say which period with --period', [], 2);
  return Math.max(...all);
}

/** What the rows are made from: the register, the agreement, and the year's measures and totals. */
export interface ContractRowsInput {
  register: ContractRegister;
  agreement: Agreement;
  agreementVersion: number;
  period: PeriodKey;
  activity: readonly MeasureInForce[];
  outcomes: readonly MeasureInForce[];
  /** Per ledger, its totals of the contract year up to the period by period, status, scheme and codes. */
  totalsByLedger: ReadonlyMap<string, readonly Omit<LiveTotalRow, 'ledgerId'>[]>;
}

/** Each contract's row (pure): `tandem contracts` reads live totals; the monthly report those its close read. */
export function contractRows(input: ContractRowsInput): { rows: ContractRow[]; warnings: string[] } {
  const { register, agreement, period } = input;
  const warnings: string[] = [];
  const rows = register.contracts.map((contract): ContractRow => {
    const spend = { ytd: 0, month: 0, outside: 0 };
    const matchers: { ledger: string; map: LineMapper }[] = [];
    for (const s of contract.spend) {
      const ledger = agreement.ledgers.find((l) => l.id === s.ledger);
      const compiled = ledger ? compileRules([s.rule], ledger.file.columns.codes) : undefined;
      if (compiled?.ok) matchers.push({ ledger: s.ledger, map: compiled.map });
      else warnings.push(`${contract.id}: spend entry ${s.rule.index + 1} (ledger ${s.ledger}) no longer fits the agreement in force (version ${input.agreementVersion}): the ledger or its code column is gone`);
    }
    for (const m of matchers) {
      for (const row of input.totalsByLedger.get(m.ledger) ?? []) {
        if (m.map(JSON.parse(row.codes) as string[]).status !== 'mapped') continue;
        if (row.status === 'mapped' && row.schemeId !== null && contract.schemes.includes(row.schemeId)) {
          spend.ytd += row.amountPence;
          if (row.period === period) spend.month += row.amountPence;
        } else spend.outside += row.amountPence;
      }
    }
    for (const scheme of contract.schemes) if (!agreement.schemes.some((s) => s.id === scheme)) warnings.push(`${contract.id}: scheme ${scheme} is not in the agreement in force (version ${input.agreementVersion})`);
    const units = monthlyCounts(input.activity, contract.id, period);
    const achieved = monthlyCounts(input.outcomes, contract.id, period);
    const due = contractDue(contract, period, contract.payment.kind === 'outcome' ? achieved : units);
    const provider = register.providers.find((p) => p.id === contract.provider);
    return {
      id: contract.id,
      name: contract.name,
      provider: { id: contract.provider, name: provider?.name ?? contract.provider },
      leadCommissioner: contract.leadCommissioner,
      schemes: contract.schemes,
      mechanism: contract.payment.kind,
      annualValuePence: contract.annualValuePence,
      start: formatPeriod(contract.start),
      end: formatPeriod(contract.end),
      inTerm: period >= contract.start && period <= contract.end,
      unitsYtd: units.reduce((a, b) => a + b, 0),
      outcomesYtd: achieved.reduce((a, b) => a + b, 0),
      dueYtdPence: due.ytdPence,
      dueMonthPence: due.monthPence,
      dueSteps: due.steps,
      spendYtdPence: spend.ytd,
      spendMonthPence: spend.month,
      matchedOutsideSchemesPence: spend.outside,
      spendMinusDuePence: spend.ytd - due.ytdPence,
    };
  });
  return { rows, warnings };
}

/** The register's totals row. */
export function contractTotals(rows: readonly ContractRow[]): ContractsReport['totals'] {
  return {
    annualValuePence: sumPence(rows.map((r) => r.annualValuePence)),
    dueYtdPence: sumPence(rows.map((r) => r.dueYtdPence)),
    spendYtdPence: sumPence(rows.map((r) => r.spendYtdPence)),
  };
}

export async function contractsReport(ctx: AppContext, options: { fundId?: string; period?: PeriodKey } = {}): Promise<ContractsReport> {
  const fundId = await resolveFund(ctx, options.fundId);
  const { record: registerRecord, register } = await registerInForce(ctx, fundId);
  const period = options.period ?? (await latestPeriod(ctx, fundId));
  const { agreement, record } = await agreementForPeriod(ctx, fundId, period);
  const activity = await ctx.store.measuresInForce(fundId, 'activity');
  const outcomes = await ctx.store.measuresInForce(fundId, 'outcomes');

  const yearStart = periodKey(yearOf(period), 1);
  const totalsByLedger = new Map<string, LiveTotalRow[]>();
  for (const ledgerId of new Set(register.contracts.flatMap((c) => c.spend.map((s) => s.ledger)))) {
    totalsByLedger.set(ledgerId, await ctx.store.liveTotals({ fundId, ledgerId, fromPeriod: yearStart, toPeriod: period }, ['period', 'status', 'scheme', 'codes']));
  }
  const { rows, warnings } = contractRows({ register, agreement, agreementVersion: record.version, period, activity, outcomes, totalsByLedger });
  return {
    fundId,
    year: formatYear(yearOf(period)),
    period: formatPeriod(period),
    registerVersion: registerRecord.version,
    agreementVersion: record.version,
    contracts: rows,
    totals: contractTotals(rows),
    warnings,
  };
}
