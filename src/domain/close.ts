// A month-end close (domain.md §§4–8), computed in one pure function from the agreement, the
// mapped actuals per scheme and partner, the leads' forecasts, this month's pooled spend in
// non-host ledgers, and earlier closes' journals. The result is the close document (its JSON
// shape is in docs/close.md) less what the app adds: version, who, when, and from which data.

import type { Agreement } from './agreement.js';
import { agreementOfBalances, type BalanceRow } from './balances.js';
import { closeJournals, type RechargeSource } from './close-journals.js';
import { schemeFigures, sumFigures, type Actuals, type Figures, type SchemeFigures } from './close-figures.js';
import type { Journal } from './journal.js';
import { invariant, sumPence, type Pence } from './money.js';
import { formatPeriod, formatYear, periodKey, type YearStart } from './period.js';
import { shareUnits, type Reason, type SharingUnit, type UnitReason } from './sharing.js';

export interface SchemeResult extends SchemeFigures {
  /** The unit its variance is shared in (`pool:bcf` when the pool nets), null for aligned schemes. */
  sharingUnit: string | null;
  /** Its own unit's shares; aligned: each partner's own variance; a netted pool's scheme: {}. */
  sharesPence: Record<string, Pence>;
  retainedPence: Pence;
  reasons: (Reason | UnitReason)[];
}

export interface PoolResult {
  id: string;
  name: string;
  host: string | null;
  netting: boolean;
  /** Every scheme of the pool, pooled and aligned. */
  figures: Figures;
  /** The pooled schemes' FOT variance: what the pool's units share. */
  fotVariancePence: Pence;
  sharesPence: Record<string, Pence>;
  retainedPence: Pence;
  reasons: (Reason | UnitReason)[];
}

export interface UnmappedRow {
  ledger: string;
  lines: number;
  amountPence: Pence;
}

export interface CloseComputation {
  fund: string;
  fundName: string;
  year: string;
  month: string;
  period: string;
  schemes: SchemeResult[];
  pools: PoolResult[];
  totals: { pooled: Figures; aligned: Figures; fund: Figures };
  units: SharingUnit[];
  journals: Journal[];
  agreementOfBalances: BalanceRow[];
  unmapped: UnmappedRow[];
}

export interface CloseInput {
  agreement: Agreement;
  year: YearStart;
  month: number;
  actuals: Actuals;
  leadForecasts: Readonly<Record<string, Pence>>;
  recharges: readonly RechargeSource[];
  /** The previous month's close journals (its settlement accruals are reversed now). */
  previousJournals: readonly Journal[];
  /** Journals of this year's earlier closes, for the year-to-date agreement of balances. */
  earlierJournals: readonly Journal[];
  unmapped: readonly UnmappedRow[];
}

function schemeResult(figures: SchemeFigures, units: readonly SharingUnit[]): SchemeResult {
  if (figures.type === 'aligned') {
    const sharesPence = Object.fromEntries(Object.entries(figures.partners).map(([p, f]) => [p, f.fotVariancePence ?? 0]));
    invariant(sumPence(Object.values(sharesPence)) === figures.fotVariancePence, `aligned ${figures.id}: partners' variances add to the scheme's`);
    return { ...figures, sharingUnit: null, sharesPence, retainedPence: 0, reasons: [] };
  }
  const unit = units.find((u) => u.schemes.includes(figures.id));
  invariant(unit !== undefined, `pooled scheme ${figures.id} is in a sharing unit`);
  const own = unit.id === `scheme:${figures.id}`;
  return {
    ...figures,
    sharingUnit: unit.id,
    sharesPence: own ? unit.sharesPence : {},
    retainedPence: own ? unit.retainedPence : 0,
    reasons: own ? unit.reasons : [],
  };
}

function addShares(into: Record<string, Pence>, shares: Readonly<Record<string, Pence>>): void {
  for (const [p, v] of Object.entries(shares)) into[p] = (into[p] ?? 0) + v;
}

function poolResult(agreement: Agreement, poolId: string, schemes: readonly SchemeResult[], units: readonly SharingUnit[]): PoolResult {
  const pool = agreement.pools.find((p) => p.id === poolId)!;
  const mine = schemes.filter((s) => s.pool === poolId);
  const poolUnits = units.filter((u) => u.pool === poolId);
  const sharesPence: Record<string, Pence> = {};
  for (const u of poolUnits) addShares(sharesPence, u.sharesPence);
  const fotVariancePence = sumPence(mine.filter((s) => s.type === 'pooled').map((s) => s.fotVariancePence));
  const retainedPence = sumPence(poolUnits.map((u) => u.retainedPence));
  invariant(sumPence(Object.values(sharesPence)) + retainedPence === fotVariancePence, `pool ${poolId}: shares and retained add back to its pooled variance`);
  return {
    id: pool.id,
    name: pool.name,
    host: pool.host,
    netting: pool.netting,
    figures: sumFigures(mine, agreement.rag),
    fotVariancePence,
    sharesPence,
    retainedPence,
    reasons: poolUnits.flatMap((u) => u.reasons),
  };
}

export function computeClose(input: CloseInput): CloseComputation {
  const { agreement, year, month } = input;
  invariant(agreement.years.includes(year), `the agreement does not cover ${formatYear(year)}`);
  const figures = agreement.schemes.map((s) => schemeFigures(s, input));
  const units = shareUnits(agreement, year, figures);
  const schemes = figures.map((f) => schemeResult(f, units));
  const pools = agreement.pools.map((p) => poolResult(agreement, p.id, schemes, units));
  const journals = closeJournals({
    agreement,
    year,
    month,
    units,
    recharges: input.recharges,
    previousAccruals: input.previousJournals.filter((j) => j.kind === 'settlement' && j.variant === 'accrual'),
  });
  const partners = agreement.partners.map((p) => p.id);
  return {
    fund: agreement.fund.id,
    fundName: agreement.fund.name,
    year: formatYear(year),
    month: `M${String(month).padStart(2, '0')}`,
    period: formatPeriod(periodKey(year, month)),
    schemes,
    pools,
    totals: {
      pooled: sumFigures(schemes.filter((s) => s.type === 'pooled'), agreement.rag),
      aligned: sumFigures(schemes.filter((s) => s.type === 'aligned'), agreement.rag),
      fund: sumFigures(schemes, agreement.rag),
    },
    units,
    journals,
    agreementOfBalances: agreementOfBalances(partners, journals, input.earlierJournals),
    unmapped: [...input.unmapped],
  };
}
