// Projecting a scenario year by year (issue 10 §4; the rules are written out in docs/scenarios.md).
// For year k after the base year (k = 0, 1, …), per scheme s and partner p:
//   grown budget   B(s,p,k) = B(s,p,0) × (1 + funding growth of p)^k, rounded once to the penny
//   shift          the year's moved budget leaves the `from` schemes in proportion to their grown
//                  budgets, each part leaves its partners in proportion to their contributions,
//                  and each partner's moved money enters the `to` schemes by the stated percents
//   budget         grown ± shift + partners' one-off money + investors' capital
//   do-nothing     base spend × ((1 + demand growth of s)(1 + inflation))^k, rounded once
//   spend          do-nothing + budget moved in − saving realised + outcome payments to investors
//   gap            spend − budget (positive: the fund needs more money)
// The gap of pooled schemes is shared by the agreement's risk share (sharing.ts, as the close
// does); on an aligned scheme each partner bears its own part. Every split is largest-remainder
// and every part is checked to add back, here in code.

import type { Agreement, Scheme } from './agreement.js';
import type { SchemeFigures } from './close-figures.js';
import { invariant, sumPence, type Pence } from './money.js';
import { basisPoints, percentOf } from './percent.js';
import { formatYear, type YearStart } from './period.js';
import { ScenarioError, type FundYear, type PartnerYear, type Scenario, type ScenarioProjection, type SchemeYear, type YearProjection } from './scenario.js';
import { compound, yearsOf } from './scenario-growth.js';
import { SharingError, shareUnits } from './sharing.js';
import { repaymentSchedule, type RepaymentSchedule } from './social-investment.js';
import { splitByWeights } from './split.js';

type PartnerAmounts = Record<string, Pence>;

function grownBudgets(scenario: Scenario, k: number): Record<string, PartnerAmounts> {
  const base = scenario.years[0]!;
  const out: Record<string, PartnerAmounts> = {};
  for (const scheme of scenario.agreement.schemes) {
    out[scheme.id] = {};
    for (const p of scenario.agreement.partners) {
      const start = scheme.contributions[base]?.[p.id] ?? 0;
      out[scheme.id]![p.id] = compound(start, yearsOf([scenario.fundingGrowthPercent[p.id] ?? 0], k));
    }
  }
  return out;
}

interface ShiftResult {
  /** scheme → net budget moved (negative out of `from`, positive into `to`). */
  movedPence: Record<string, Pence>;
  /** `from` scheme → its part of the realised saving. */
  realisedPence: Record<string, Pence>;
  shiftPence: Pence;
  realisedTotalPence: Pence;
}

/** Move the year's shift between schemes, partner by partner, in place on `budgets`. */
function applyShift(scenario: Scenario, year: YearStart, budgets: Record<string, PartnerAmounts>): ShiftResult {
  const none = { movedPence: {}, realisedPence: {}, shiftPence: 0, realisedTotalPence: 0 };
  const shift = scenario.shift;
  const amount = shift?.amountsPence[year] ?? 0;
  if (shift === null || amount === 0) return none;
  const partners = scenario.agreement.partners.map((p) => p.id);
  const fromTotals = shift.from.map((s) => sumPence(partners.map((p) => budgets[s]![p]!)));
  const available = sumPence(fromTotals);
  if (available < amount) {
    throw new ScenarioError(`${formatYear(year)}: the shift of ${amount} pence is more than the ${available} pence budget of ${shift.from.join(', ')}`);
  }
  const fromParts = splitByWeights(amount, fromTotals);
  const moved: Record<string, Pence> = {};
  const movedByPartner: PartnerAmounts = Object.fromEntries(partners.map((p) => [p, 0]));
  shift.from.forEach((s, i) => {
    const parts = splitByWeights(fromParts[i]!, partners.map((p) => budgets[s]![p]!));
    partners.forEach((p, j) => {
      budgets[s]![p] = budgets[s]![p]! - parts[j]!;
      invariant(budgets[s]![p]! >= 0, `shift leaves ${p}'s budget of ${s} non-negative`);
      movedByPartner[p] = movedByPartner[p]! + parts[j]!;
    });
    moved[s] = (moved[s] ?? 0) - fromParts[i]!;
  });
  const targets = Object.keys(shift.to);
  for (const p of partners) {
    if (movedByPartner[p] === 0) continue;
    const parts = splitByWeights(movedByPartner[p]!, targets.map((t) => basisPoints(shift.to[t]!)));
    targets.forEach((t, j) => {
      budgets[t]![p] = budgets[t]![p]! + parts[j]!;
      moved[t] = (moved[t] ?? 0) + parts[j]!;
    });
  }
  invariant(sumPence(Object.values(moved)) === 0, 'the shift moves budget between schemes without creating or losing a penny');
  invariant(sumPence(Object.values(movedByPartner)) === amount, 'the partners’ moved budgets add back to the shift');
  // Rounded down: a saving is never counted before the penny is certain.
  const realisedTotal = percentOf(amount, shift.realisedPercent[year] ?? 0);
  const realisedParts = realisedTotal === 0 ? fromParts.map(() => 0) : splitByWeights(realisedTotal, fromParts);
  const realised = Object.fromEntries(shift.from.map((s, i) => [s, realisedParts[i]!]));
  invariant(sumPence(realisedParts) === realisedTotal, 'the realised saving’s parts add back');
  return { movedPence: moved, realisedPence: realised, shiftPence: amount, realisedTotalPence: realisedTotal };
}

function byScheme<T extends { scheme: string }>(items: readonly T[], amount: (item: T) => Pence): Record<string, Pence> {
  const out: Record<string, Pence> = {};
  for (const item of items) out[item.scheme] = (out[item.scheme] ?? 0) + amount(item);
  return out;
}

/** Stand-in close figures: the sharing units need only each scheme's budget and variance. */
function figuresFor(scheme: Scheme, budget: Pence, spend: Pence): SchemeFigures {
  return {
    id: scheme.id,
    name: scheme.name,
    pool: scheme.pool,
    type: scheme.type,
    annualBudgetPence: budget,
    monthBudgetPence: 0,
    ytdBudgetPence: 0,
    monthActualPence: 0,
    ytdActualPence: 0,
    ytdVariancePence: 0,
    fotPence: spend,
    fotVariancePence: spend - budget,
    rag: 'green',
    fotBasis: 'plan',
    partners: {},
    monthlyBudgetPence: [],
    monthlyActualPence: [],
  };
}

/** An aligned scheme: each partner bears its own part of the gap, its spend split by its budget. */
function alignedShares(scheme: Scheme, row: SchemeYear, partners: readonly string[]): PartnerAmounts {
  let weights = partners.map((p) => row.contributionsPence[p] ?? 0);
  if (weights.every((w) => w === 0)) {
    const lead = scheme.leadCommissioner;
    if (lead === null) throw new ScenarioError(`aligned scheme ${scheme.id} has spend but no budget and no lead commissioner to bear it`);
    weights = partners.map((p) => (p === lead ? 1 : 0));
  }
  const spend = splitByWeights(row.spendPence, weights);
  const shares = Object.fromEntries(partners.map((p, i) => [p, spend[i]! - (row.contributionsPence[p] ?? 0)]));
  invariant(sumPence(Object.values(shares)) === row.gapPence, `aligned ${scheme.id}: partners' own variances add back to its gap`);
  return shares;
}

function projectYear(scenario: Scenario, k: number, schedules: readonly RepaymentSchedule[]): YearProjection {
  const year = scenario.years[k]!;
  const { agreement } = scenario;
  const partners = agreement.partners.map((p) => p.id);
  const budgets = grownBudgets(scenario, k);
  const grown = Object.fromEntries(Object.entries(budgets).map(([s, b]) => [s, sumPence(Object.values(b))]));
  const shift = applyShift(scenario, year, budgets);
  const oneOff: Record<string, PartnerAmounts> = {};
  for (const f of scenario.doubleRunning?.funding ?? []) {
    const amount = f.amountsPence[year] ?? 0;
    oneOff[f.scheme] ??= {};
    oneOff[f.scheme]![f.partner] = (oneOff[f.scheme]![f.partner] ?? 0) + amount;
  }
  const capital = byScheme(scenario.investments, (inv) => inv.capitalPence[year] ?? 0);
  const dueBySchedule = schedules.map((s) => s.years.find((y) => y.year === year)?.duePence ?? 0);
  const payments = byScheme(scenario.investments.map((inv, i) => ({ scheme: inv.scheme, due: dueBySchedule[i]! })), (x) => x.due);

  const schemes: SchemeYear[] = agreement.schemes.map((scheme) => {
    const contributions = Object.fromEntries(partners.map((p) => [p, budgets[scheme.id]![p]! + (oneOff[scheme.id]?.[p] ?? 0)]));
    const budget = sumPence(Object.values(contributions)) + (capital[scheme.id] ?? 0);
    const base = scenario.baseSpendPence[scheme.id] ?? 0;
    const doNothing = compound(base, yearsOf([scenario.demandGrowthPercent[scheme.id] ?? 0, scenario.priceInflationPercent], k));
    const movedIn = Math.max(0, shift.movedPence[scheme.id] ?? 0);
    const realised = shift.realisedPence[scheme.id] ?? 0;
    const spend = doNothing + movedIn - realised + (payments[scheme.id] ?? 0);
    return {
      id: scheme.id,
      grownBudgetPence: grown[scheme.id]!,
      shiftPence: shift.movedPence[scheme.id] ?? 0,
      oneOffPence: sumPence(Object.values(oneOff[scheme.id] ?? {})),
      investorCapitalPence: capital[scheme.id] ?? 0,
      budgetPence: budget,
      doNothingSpendPence: doNothing,
      realisedSavingPence: realised,
      investorPaymentsPence: payments[scheme.id] ?? 0,
      spendPence: spend,
      gapPence: spend - budget,
      contributionsPence: contributions,
    };
  });
  for (const row of schemes) {
    invariant(row.budgetPence === row.grownBudgetPence + row.shiftPence + row.oneOffPence + row.investorCapitalPence, `${row.id}: budget = grown + shift + one-off + capital`);
  }
  return share(scenario, k, schemes, shift);
}

function share(scenario: Scenario, k: number, schemes: SchemeYear[], shift: ShiftResult): YearProjection {
  const year = scenario.years[k]!;
  const { agreement } = scenario;
  const partners = agreement.partners.map((p) => p.id);
  const byId = new Map(schemes.map((s) => [s.id, s]));
  // The risk share weighs this year's projected contributions, as the close weighs the agreement's.
  const projected: Agreement = {
    ...agreement,
    years: [year],
    schemes: agreement.schemes.map((s) => ({ ...s, contributions: { [year]: byId.get(s.id)!.contributionsPence } })),
  };
  let units;
  try {
    units = shareUnits(projected, year, agreement.schemes.map((s) => figuresFor(s, byId.get(s.id)!.budgetPence, byId.get(s.id)!.spendPence)));
  } catch (e) {
    if (e instanceof SharingError) throw new ScenarioError(`${formatYear(year)}: ${e.message}`);
    throw e;
  }
  const gapShare: PartnerAmounts = Object.fromEntries(partners.map((p) => [p, 0]));
  const reasons: string[] = [];
  for (const unit of units) {
    for (const [p, pence] of Object.entries(unit.sharesPence)) gapShare[p] = gapShare[p]! + pence;
    reasons.push(...unit.reasons.map((r) => r.text));
  }
  for (const scheme of agreement.schemes.filter((s) => s.type === 'aligned')) {
    const own = alignedShares(scheme, byId.get(scheme.id)!, partners);
    for (const p of partners) gapShare[p] = gapShare[p]! + own[p]!;
    if (byId.get(scheme.id)!.gapPence !== 0) reasons.push(`${scheme.name} is aligned: each partner bears its own part of its gap.`);
  }
  const retained = sumPence(units.map((u) => u.retainedPence));
  const total = (key: keyof Omit<SchemeYear, 'id' | 'contributionsPence'>) => sumPence(schemes.map((s) => s[key]));
  const fund: FundYear = {
    budgetPence: total('budgetPence'),
    oneOffPence: total('oneOffPence'),
    investorCapitalPence: total('investorCapitalPence'),
    doNothingSpendPence: total('doNothingSpendPence'),
    spendPence: total('spendPence'),
    gapPence: total('gapPence'),
    retainedPence: retained,
    shiftPence: shift.shiftPence,
    realisedSavingPence: shift.realisedTotalPence,
    doubleRunningCostPence: shift.shiftPence - shift.realisedTotalPence,
    investorPaymentsPence: total('investorPaymentsPence'),
  };
  invariant(sumPence(Object.values(gapShare)) + retained === fund.gapPence, `${formatYear(year)}: partners' shares plus retained underspend add back to the gap`);
  const partnerRows: PartnerYear[] = partners.map((p) => {
    const budget = sumPence(schemes.map((s) => s.contributionsPence[p] ?? 0));
    const oneOff = sumPence((scenario.doubleRunning?.funding ?? []).filter((f) => f.partner === p).map((f) => f.amountsPence[year] ?? 0));
    return { partner: p, budgetPence: budget, oneOffPence: oneOff, gapSharePence: gapShare[p]!, expectedCostPence: budget + gapShare[p]! };
  });
  invariant(sumPence(partnerRows.map((r) => r.budgetPence)) + fund.investorCapitalPence === fund.budgetPence, `${formatYear(year)}: partners' budgets plus investors' capital add back to the fund's budget`);
  return { year, label: formatYear(year), schemes, partners: partnerRows, fund, reasons };
}

function assumptions(scenario: Scenario): string[] {
  const out = [
    `Years ${scenario.years.map(formatYear).join(', ')}; ${formatYear(scenario.years[0]!)} is the base year, whose budgets are the contributions stated.`,
    `Each partner's contributions grow by its funding growth each year: ${scenario.agreement.partners.map((p) => `${p.name} ${scenario.fundingGrowthPercent[p.id] ?? 0}%`).join(', ')}.`,
    `Spend grows by each scheme's demand growth and by price inflation of ${scenario.priceInflationPercent}% a year, compounded from the base year.`,
    'Every grown figure is computed exactly from the base year and rounded once to the nearest penny, halves away from zero; splits use the largest-remainder rule; realised savings are rounded down to the penny.',
  ];
  if (scenario.shift) out.push(`Budget moves from ${scenario.shift.from.join(', ')} to ${Object.entries(scenario.shift.to).map(([s, p]) => `${s} ${p}%`).join(', ')}; the money moved is spent on prevention, and the acute schemes save the realised percentage of it that year.`);
  if (scenario.doubleRunning) out.push(`Double running ${formatYear(scenario.doubleRunning.from)} to ${formatYear(scenario.doubleRunning.to)}: one-off money and investors' capital add budget without adding spend.`);
  if (scenario.investments.length > 0) out.push('Social investors are paid per admission avoided against the baseline, from planned admissions, within their caps; the payments are spend of the scheme invested in.');
  return out;
}

export function projectScenario(scenario: Scenario): ScenarioProjection {
  const years = scenario.years;
  invariant(years.length > 0 && years.every((y, i) => i === 0 || y === years[i - 1]! + 1), 'scenario years are consecutive and ascending');
  const schedules = scenario.investments.map((inv) =>
    repaymentSchedule(
      inv,
      years.filter((y) => inv.plannedAdmissions[y] !== undefined).map((y) => ({ year: y, admissions: inv.plannedAdmissions[y]! })),
    ),
  );
  return {
    scenario: { id: scenario.id, name: scenario.name, description: scenario.description },
    partners: scenario.agreement.partners.map((p) => ({ id: p.id, name: p.name })),
    schemes: scenario.agreement.schemes.map((s) => ({ id: s.id, name: s.name, pool: s.pool, type: s.type })),
    years: years.map((_, k) => projectYear(scenario, k, schedules)),
    investments: schedules,
    assumptions: assumptions(scenario),
  };
}
