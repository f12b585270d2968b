// What a scenario file means, checked after its shape (schema.ts) and its fund (the agreement's
// own checks) are accepted: years consecutive and ascending, every year key one of the
// scenario's years, every scheme, partner and group named exists, the shift's percentages add to
// 100, every year with a shift says how much of it is realised, one-off money falls inside the
// double-running period, and a social investment pays for a pooled scheme. Each problem is a
// finding with the path of the key it is about; parse.ts places it at a line and column.

import type { AgreementProblemCode, Segment } from '../agreement/problems.js';
import { basisPoints } from '../domain/percent.js';
import { parseYear } from '../domain/period.js';
import type { ScenarioDoc } from './schema.js';

export const SCENARIO_PROBLEM_CODES = [
  'FUND_SOURCE',
  'YEAR_ORDER',
  'YEAR_NOT_IN_SCENARIO',
  'UNKNOWN_SCHEME_OR_GROUP',
  'SHIFT_PERCENT_NOT_100',
  'SHIFT_OVERLAP',
  'REALISED_MISSING',
  'DOUBLE_RUNNING_ORDER',
  'FUNDING_OUTSIDE_DOUBLE_RUNNING',
  'INVESTMENT_SCHEME_ALIGNED',
] as const;

/** A scenario problem: the agreement's codes (shape, amounts, percentages, unknown ids) and these. */
export type ScenarioProblemCode = AgreementProblemCode | (typeof SCENARIO_PROBLEM_CODES)[number];

export interface ScenarioFinding {
  code: ScenarioProblemCode;
  at: Segment[];
  message: string;
}

export interface KnownFund {
  partners: ReadonlySet<string>;
  /** scheme id → pooled or aligned */
  schemes: ReadonlyMap<string, 'pooled' | 'aligned'>;
}

const found = (code: ScenarioProblemCode, at: Segment[], message: string): ScenarioFinding => ({ code, at, message });

function checkYears(doc: ScenarioDoc): ScenarioFinding[] {
  const years = doc.years.map((y) => parseYear(y)!);
  return years.flatMap((y, i) =>
    i > 0 && y !== years[i - 1]! + 1 ? [found('YEAR_ORDER', ['years', i], `years must be consecutive and ascending: ${doc.years[i]} does not follow ${doc.years[i - 1]}`)] : [],
  );
}

/** Every key of a year → value mapping must be one of the scenario's years. */
function yearKeys(record: Record<string, unknown>, at: Segment[], years: ReadonlySet<string>): ScenarioFinding[] {
  return Object.keys(record)
    .filter((y) => !years.has(y))
    .map((y) => found('YEAR_NOT_IN_SCENARIO', [...at, y], `${y} is not one of the scenario's years`));
}

function schemeRef(id: string, at: Segment[], known: KnownFund): ScenarioFinding[] {
  return known.schemes.has(id) ? [] : [found('UNKNOWN_SCHEME', at, `no scheme "${id}" in the fund`)];
}

function partnerRef(id: string, at: Segment[], known: KnownFund): ScenarioFinding[] {
  return known.partners.has(id) ? [] : [found('UNKNOWN_PARTNER', at, `no partner "${id}" in the fund`)];
}

function checkGrowth(doc: ScenarioDoc, known: KnownFund): ScenarioFinding[] {
  const out: ScenarioFinding[] = [];
  for (const [group, members] of Object.entries(doc.groups)) {
    if (known.schemes.has(group)) out.push(found('DUPLICATE_ID', ['groups', group], `"${group}" is a scheme id; a group needs a name of its own`));
    members.forEach((s, i) => out.push(...schemeRef(s, ['groups', group, i], known)));
  }
  for (const partner of Object.keys(doc.funding_growth_percent)) out.push(...partnerRef(partner, ['funding_growth_percent', partner], known));
  for (const key of Object.keys(doc.demand_growth_percent)) {
    if (!known.schemes.has(key) && !(key in doc.groups)) out.push(found('UNKNOWN_SCHEME_OR_GROUP', ['demand_growth_percent', key], `"${key}" is neither a scheme of the fund nor a group`));
  }
  for (const scheme of Object.keys(doc.base_year_spend)) out.push(...schemeRef(scheme, ['base_year_spend', scheme], known));
  return out;
}

function checkShift(doc: ScenarioDoc, known: KnownFund, years: ReadonlySet<string>): ScenarioFinding[] {
  const shift = doc.shift;
  if (shift === null) return [];
  const out: ScenarioFinding[] = [];
  shift.from.forEach((s, i) => out.push(...schemeRef(s, ['shift', 'from', i], known)));
  for (const s of Object.keys(shift.to)) {
    out.push(...schemeRef(s, ['shift', 'to', s], known));
    if (shift.from.includes(s)) out.push(found('SHIFT_OVERLAP', ['shift', 'to', s], `${s} is both a scheme the budget moves from and one it moves to`));
  }
  const total = Object.values(shift.to).reduce((a, p) => a + basisPoints(p), 0);
  if (total !== 10_000) out.push(found('SHIFT_PERCENT_NOT_100', ['shift', 'to'], `the percentages add to ${total / 100}, not 100`));
  out.push(...yearKeys(shift.amounts, ['shift', 'amounts'], years), ...yearKeys(shift.savings_realised_percent, ['shift', 'savings_realised_percent'], years));
  for (const [year, amount] of Object.entries(shift.amounts)) {
    if (amount !== 0 && !(year in shift.savings_realised_percent)) {
      out.push(found('REALISED_MISSING', ['shift', 'amounts', year], `${year} moves budget but savings_realised_percent says nothing for ${year} (write 0 if nothing is saved)`));
    }
  }
  return out;
}

function checkDoubleRunning(doc: ScenarioDoc, known: KnownFund, years: ReadonlySet<string>): ScenarioFinding[] {
  const dr = doc.double_running;
  if (dr === null) return [];
  const out: ScenarioFinding[] = [];
  for (const key of ['from', 'to'] as const) if (!years.has(dr[key])) out.push(found('YEAR_NOT_IN_SCENARIO', ['double_running', key], `${dr[key]} is not one of the scenario's years`));
  const from = parseYear(dr.from)!;
  const to = parseYear(dr.to)!;
  if (from > to) out.push(found('DOUBLE_RUNNING_ORDER', ['double_running', 'to'], `the double running ends (${dr.to}) before it starts (${dr.from})`));
  dr.funding.forEach((f, i) => {
    const at: Segment[] = ['double_running', 'funding', i];
    out.push(...partnerRef(f.partner, [...at, 'partner'], known), ...schemeRef(f.scheme, [...at, 'scheme'], known), ...yearKeys(f.amounts, [...at, 'amounts'], years));
    for (const year of Object.keys(f.amounts)) {
      const y = parseYear(year)!;
      if (y < from || y > to) out.push(found('FUNDING_OUTSIDE_DOUBLE_RUNNING', [...at, 'amounts', year], `${year} is outside the double-running period ${dr.from} to ${dr.to}`));
    }
  });
  return out;
}

function checkInvestments(doc: ScenarioDoc, known: KnownFund, years: ReadonlySet<string>): ScenarioFinding[] {
  const out: ScenarioFinding[] = [];
  const seen = new Set<string>();
  doc.social_investment.forEach((inv, i) => {
    const at: Segment[] = ['social_investment', i];
    if (seen.has(inv.id)) out.push(found('DUPLICATE_ID', [...at, 'id'], `a second social investment "${inv.id}"`));
    seen.add(inv.id);
    out.push(...schemeRef(inv.scheme, [...at, 'scheme'], known));
    if (known.schemes.get(inv.scheme) === 'aligned') out.push(found('INVESTMENT_SCHEME_ALIGNED', [...at, 'scheme'], `${inv.scheme} is aligned: an investor's capital and payments need a pooled scheme`));
    out.push(...yearKeys(inv.capital, [...at, 'capital'], years), ...yearKeys(inv.planned_admissions, [...at, 'planned_admissions'], years));
  });
  return out;
}

export function validateScenario(doc: ScenarioDoc, known: KnownFund): ScenarioFinding[] {
  const years = new Set(doc.years);
  return [
    ...checkYears(doc),
    ...checkGrowth(doc, known),
    ...checkShift(doc, known, years),
    ...checkDoubleRunning(doc, known, years),
    ...checkInvestments(doc, known, years),
  ];
}
