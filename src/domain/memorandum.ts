// The pooled fund's memorandum account for a financial year (docs/returns.md): the statement a
// host prepares for each pooled budget, and the figures each partner puts in its statement of
// accounts note on pooled budgets — income by partner (its contributions to the pool's pooled
// schemes), expenditure by scheme (the year's actuals), the surplus or deficit, and how the
// risk share of the year-end close settled it. Built only from the stored M12 close, never
// recomputed. Surplus sign: income − expenditure, so a surplus is positive and a deficit
// negative (the opposite of a variance, where an overspend is positive).

import type { Partner } from './agreement.js';
import type { CloseComputation } from './close.js';
import { invariant, sumPence, type Pence } from './money.js';

export interface MemorandumIncome {
  partner: string;
  name: string;
  contributionPence: Pence;
}

export interface MemorandumExpenditure {
  scheme: string;
  name: string;
  budgetPence: Pence;
  actualPence: Pence;
  /** actual − budget: positive is an overspend (domain.md). */
  variancePence: Pence;
}

export interface MemorandumShare {
  partner: string;
  name: string;
  contributionPence: Pence;
  /** The partner's part of the surplus (positive: handed back) or deficit (negative: it pays more). */
  shareOfSurplusPence: Pence;
  /** What the pool cost the partner: contribution − share of the surplus. */
  netContributionPence: Pence;
  /** The M12 settlement journal that moves its share (non-host partners with a share), if any. */
  settlementRef: string | null;
}

export interface MemorandumPool {
  pool: string;
  name: string;
  host: string;
  hostName: string;
  income: MemorandumIncome[];
  incomePence: Pence;
  expenditure: MemorandumExpenditure[];
  expenditurePence: Pence;
  /** income − expenditure. */
  surplusPence: Pence;
  shares: MemorandumShare[];
  /** Surplus kept in the pool for the next year under a `retain` rule (surplus sign). */
  retainedPence: Pence;
  /** Why each partner bears what it bears, as the close explained it. */
  reasons: string[];
}

export interface MemorandumAccount {
  fund: string;
  fundName: string;
  year: string;
  pools: MemorandumPool[];
  totals: { incomePence: Pence; expenditurePence: Pence; surplusPence: Pence; retainedPence: Pence };
}

/** The M12 close shared a forecast, not the year's actual spend: the account cannot reconcile. */
export class OutturnNotActualError extends Error {
  constructor(
    readonly scheme: string,
    readonly fotPence: Pence,
    readonly actualPence: Pence,
  ) {
    super(`scheme ${scheme}'s outturn in the M12 close is a forecast (${fotPence} pence), not its actual spend (${actualPence} pence)`);
    this.name = 'OutturnNotActualError';
  }
}

/** P's settlement journal in its own ledger: what it pays the host (debits to its contribution account). */
function settlementJournal(close: CloseComputation, pool: string, partner: string): { ref: string; duePence: Pence } | null {
  const journal = close.journals.find((j) => j.kind === 'settlement' && j.variant === 'standard' && j.pool === pool && j.partner === partner);
  if (!journal) return null;
  const lines = journal.lines.filter((l) => l.role === 'contribution_to_pool');
  return { ref: journal.ref, duePence: sumPence(lines.map((l) => l.debitPence)) - sumPence(lines.map((l) => l.creditPence)) };
}

function poolAccount(close: CloseComputation, poolId: string, partners: readonly Partner[]): MemorandumPool | null {
  const pool = close.pools.find((p) => p.id === poolId)!;
  const schemes = close.schemes.filter((s) => s.pool === poolId && s.type === 'pooled');
  if (schemes.length === 0 || pool.host === null) return null;
  for (const s of schemes) if (s.fotPence !== s.ytdActualPence) throw new OutturnNotActualError(s.id, s.fotPence, s.ytdActualPence);

  const contributionOf = (partner: string) => sumPence(schemes.map((s) => s.partners[partner]?.contributionPence ?? 0));
  const involved = partners.filter((p) => contributionOf(p.id) !== 0 || (pool.sharesPence[p.id] ?? 0) !== 0);
  const income = involved.map((p) => ({ partner: p.id, name: p.name, contributionPence: contributionOf(p.id) }));
  const incomePence = sumPence(income.map((i) => i.contributionPence));
  const expenditure = schemes.map((s) => ({ scheme: s.id, name: s.name, budgetPence: s.annualBudgetPence, actualPence: s.ytdActualPence, variancePence: s.ytdActualPence - s.annualBudgetPence }));
  const expenditurePence = sumPence(expenditure.map((e) => e.actualPence));
  const surplusPence = incomePence - expenditurePence;

  invariant(incomePence === sumPence(schemes.map((s) => s.annualBudgetPence)), `pool ${poolId}: the partners' contributions add to the pooled budget`);
  invariant(-surplusPence === pool.fotVariancePence, `pool ${poolId}: income − expenditure is the pool's shared variance, reversed`);

  const shares = involved.map((p): MemorandumShare => {
    const overspendShare = pool.sharesPence[p.id] ?? 0;
    const journal = p.id === pool.host ? null : settlementJournal(close, poolId, p.id);
    if (p.id !== pool.host) invariant((journal?.duePence ?? 0) === overspendShare, `pool ${poolId}: ${p.id}'s settlement journal moves its share`);
    return {
      partner: p.id,
      name: p.name,
      contributionPence: contributionOf(p.id),
      shareOfSurplusPence: -overspendShare + 0,
      netContributionPence: contributionOf(p.id) + overspendShare,
      settlementRef: journal?.ref ?? null,
    };
  });
  const retainedPence = -pool.retainedPence + 0;
  invariant(sumPence(shares.map((s) => s.shareOfSurplusPence)) + retainedPence === surplusPence, `pool ${poolId}: the shares and what is retained add to the surplus`);
  invariant(sumPence(shares.map((s) => s.netContributionPence)) === expenditurePence + retainedPence, `pool ${poolId}: the partners' net contributions pay for the spend and what is carried forward`);
  return {
    pool: pool.id,
    name: pool.name,
    host: pool.host,
    hostName: partners.find((p) => p.id === pool.host)?.name ?? pool.host,
    income,
    incomePence,
    expenditure,
    expenditurePence,
    surplusPence,
    shares,
    retainedPence,
    reasons: pool.reasons.map((r) => r.text),
  };
}

/** The memorandum account of every pool with pooled schemes, from the year's M12 close. */
export function memorandumAccount(close: CloseComputation, partners: readonly Partner[]): MemorandumAccount {
  invariant(close.month === 'M12', `the memorandum account is made from the year-end (M12) close, not ${close.period}`);
  const pools = close.pools.map((p) => poolAccount(close, p.id, partners)).filter((p): p is MemorandumPool => p !== null);
  const total = (pick: (p: MemorandumPool) => Pence) => sumPence(pools.map(pick));
  const totals = { incomePence: total((p) => p.incomePence), expenditurePence: total((p) => p.expenditurePence), surplusPence: total((p) => p.surplusPence), retainedPence: total((p) => p.retainedPence) };
  invariant(totals.incomePence - totals.expenditurePence === totals.surplusPence, 'income − expenditure = surplus over all pools');
  invariant(totals.expenditurePence === close.totals.pooled.ytdActualPence, 'the pools’ expenditure is the close’s pooled actual');
  return { fund: close.fund, fundName: close.fundName, year: close.year, pools, totals };
}
