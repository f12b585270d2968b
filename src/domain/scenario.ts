// A scenario over several years (issue 10 §4): the fund's schemes, contributions and risk share
// as an agreement states them for a base year, and the assumptions that carry them forward —
// funding growth per partner, demand growth per scheme, price inflation, a planned shift of
// budget from acute to prevention schemes with the share of the planned saving realised each
// year, one-off money for the double running, and social investment repaid on outcomes.
// A scenario is a plan, never part of the recorded books: nothing here reads or writes a store.
// src/scenario/ turns the YAML file into this; scenario-project.ts projects it.

import type { Agreement } from './agreement.js';
import type { Pence } from './money.js';
import type { YearStart } from './period.js';
import type { RepaymentSchedule, SocialInvestment } from './social-investment.js';

/** Where one-off double-running money comes from; social investment is its own arrangement. */
export const FUNDING_SOURCES = ['one_off', 'ibcf', 'reserves'] as const;

/** One-off money a partner puts into a scheme for the double running: budget with no extra spend. */
export interface DoubleRunningFunding {
  source: (typeof FUNDING_SOURCES)[number];
  partner: string;
  scheme: string;
  amountsPence: Readonly<Record<YearStart, Pence>>;
}

export interface BudgetShift {
  /** Acute (e.g. non-elective) schemes the budget moves out of, in proportion to their budgets. */
  from: readonly string[];
  /** Prevention schemes it moves into: scheme → percent, adding to 100. */
  to: Readonly<Record<string, number>>;
  /** The budget moved in each year (the level for that year, not an increment). */
  amountsPence: Readonly<Record<YearStart, Pence>>;
  /** Percent of that year's moved budget that the acute schemes actually save that year. */
  realisedPercent: Readonly<Record<YearStart, number>>;
}

export interface ScenarioInvestment extends SocialInvestment {
  /** Planned emergency admissions per year: the forecast the repayments are computed from. */
  plannedAdmissions: Readonly<Record<YearStart, number>>;
}

export interface Scenario {
  id: string;
  name: string;
  description: string | null;
  /** Consecutive financial years, ascending; the first is the base year. */
  years: YearStart[];
  /**
   * Partners, pools (risk share) and schemes; each scheme's contributions for the base year are
   * its baseline budgets per partner. Other years' contributions are ignored: they are projected.
   */
  agreement: Agreement;
  /** The base year's expected spend per scheme (the budget, unless the scenario says otherwise). */
  baseSpendPence: Readonly<Record<string, Pence>>;
  /** Partner → yearly growth of its contributions, percent. */
  fundingGrowthPercent: Readonly<Record<string, number>>;
  /** Scheme → yearly growth of demand (activity), percent. */
  demandGrowthPercent: Readonly<Record<string, number>>;
  /** Yearly price inflation on every scheme's spend, percent. */
  priceInflationPercent: number;
  shift: BudgetShift | null;
  doubleRunning: { from: YearStart; to: YearStart; funding: DoubleRunningFunding[] } | null;
  investments: ScenarioInvestment[];
}

export interface SchemeYear {
  id: string;
  /** Contributions grown from the base year, before the shift. */
  grownBudgetPence: Pence;
  /** Budget moved in (positive, prevention) or out (negative, acute) by the shift. */
  shiftPence: Pence;
  /** Partners' one-off double-running money. */
  oneOffPence: Pence;
  /** Social investors' capital. */
  investorCapitalPence: Pence;
  budgetPence: Pence;
  /** Base spend grown by demand and prices: what the year would cost with no change. */
  doNothingSpendPence: Pence;
  /** Acute schemes: the part of the moved budget actually saved (reduces spend). */
  realisedSavingPence: Pence;
  /** Outcome payments due to social investors, spent from this scheme. */
  investorPaymentsPence: Pence;
  spendPence: Pence;
  gapPence: Pence;
  /** Partner → contribution this year (grown, shifted, one-off). */
  contributionsPence: Record<string, Pence>;
}

export interface PartnerYear {
  partner: string;
  /** Recurrent contributions after the shift plus one-off money. */
  budgetPence: Pence;
  oneOffPence: Pence;
  /** Share of the funding gap: risk share on pooled schemes, own variance on aligned ones. */
  gapSharePence: Pence;
  /** What the partner is expected to pay: its budget plus its share of the gap. */
  expectedCostPence: Pence;
}

export interface FundYear {
  budgetPence: Pence;
  oneOffPence: Pence;
  investorCapitalPence: Pence;
  doNothingSpendPence: Pence;
  spendPence: Pence;
  gapPence: Pence;
  /** Underspend kept in a pool under `retain` (negative), borne by no partner. */
  retainedPence: Pence;
  shiftPence: Pence;
  realisedSavingPence: Pence;
  /** Moved budget not yet saved by the acute schemes: the cost of running both at once. */
  doubleRunningCostPence: Pence;
  investorPaymentsPence: Pence;
}

export interface YearProjection {
  year: YearStart;
  label: string;
  schemes: SchemeYear[];
  partners: PartnerYear[];
  fund: FundYear;
  /** Why each partner bears what it bears, in sentences. */
  reasons: string[];
}

export interface ScenarioProjection {
  scenario: { id: string; name: string; description: string | null };
  partners: { id: string; name: string }[];
  schemes: { id: string; name: string; pool: string; type: 'pooled' | 'aligned' }[];
  years: YearProjection[];
  investments: RepaymentSchedule[];
  /** Plain statements of how every figure was made (rates and rounding), for the report. */
  assumptions: string[];
}

/** A scenario the projection cannot carry through (e.g. a shift larger than a scheme's budget). */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}
