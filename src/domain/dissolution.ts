// The dissolution statement (docs/dissolution.md): what the section 75 framework's arrangements
// for dissolving the agreement need at a dissolution date — each partner's contributions and the
// spend to that date, the position (contributions − spend: a surplus or a deficit) shared under
// the agreement's dissolution rule, the commitments that run past the date and who carries them,
// and the final settlement journals in each partner's own codes. Pure: computed from the agreement
// in force and the stored close of the month that ends on the date.
//
// The statement covers the financial year containing the date: earlier years were settled by
// their own year-end closes. A settlement the month's close already journalled (the M12
// settlement, or a monthly accrual that no later close will reverse) is deducted, so no share is
// paid twice.

import type { Agreement, Pool, RiskShare, Scheme, SimpleShareRule } from './agreement.js';
import { agreementOfBalances, type BalanceRow } from './balances.js';
import { dissolutionJournals, type FinalSettlement } from './close-journals.js';
import type { CloseComputation, SchemeResult } from './close.js';
import type { Commitment, DissolutionRule } from './dissolution-terms.js';
import { assertBalanced, type Journal } from './journal.js';
import { formatPounds, invariant, sumPence, type Pence } from './money.js';
import { formatPeriod, formatYear, periodKey, type YearStart } from './period.js';
import { contribution } from './phasing.js';
import { shareUnits } from './sharing.js';
import { splitByWeights } from './split.js';

export interface DissolutionInput {
  agreement: Agreement;
  year: YearStart;
  month: number;
  /** The dissolution date: the last day of the month, YYYY-MM-DD. */
  date: string;
  /** The stored close of that month. */
  close: CloseComputation;
}

export interface StatementScheme {
  id: string;
  name: string;
  pool: string;
  type: 'pooled' | 'aligned';
  /** The partners' phased contributions to the date. */
  incomePence: Pence;
  spendPence: Pence;
  /** income − spend: positive a surplus, negative a deficit. */
  positionPence: Pence;
}

export interface StatementUnit {
  id: string;
  pool: string;
  host: string;
  schemes: string[];
  positionPence: Pence;
  /** Each partner's share of the position (a surplus share positive). */
  sharesPence: Record<string, Pence>;
  reasons: string[];
}

export interface StatementPartner {
  id: string;
  name: string;
  contributionsPence: Pence;
  /** Fund spend recorded in the partner's own ledger. */
  spendPence: Pence;
  /** Its share of the pooled position plus its own position on aligned schemes. */
  pooledSharePence: Pence;
  alignedPositionPence: Pence;
  sharePence: Pence;
  /** What earlier settlement journals of the year already gave it (position sign). */
  settledPence: Pence;
  /** What moves to it (positive) or from it (negative) in the final settlement journals. */
  settlementPence: Pence;
}

export interface StatementCommitment {
  name: string;
  scheme: string;
  leadCommissioner: string;
  ends: string;
  remainingPence: Pence;
  /** A partner id, or 'shared'. */
  carriedBy: string;
  carriedPence: Record<string, Pence>;
}

export interface DissolutionStatement {
  fund: string;
  fundName: string;
  date: string;
  year: string;
  period: string;
  rule: DissolutionRule;
  ruleText: string;
  schemes: StatementScheme[];
  units: StatementUnit[];
  partners: StatementPartner[];
  totals: { incomePence: Pence; spendPence: Pence; positionPence: Pence; sharesPence: Pence };
  commitments: StatementCommitment[];
  journals: Journal[];
  agreementOfBalances: BalanceRow[];
}

const RULE_TEXT: Record<DissolutionRule['kind'], string> = {
  risk_share: "shared by the agreement's risk-share rules, applied to the position at the date (an underspend the rules would retain is shared in proportion to contributions: there is no next year to carry it into)",
  proportional: 'shared in proportion to the partners’ contributions to each sharing unit for the year',
  fixed: 'shared by the fixed percentages of the dissolution section',
  lead: 'borne (or kept) entirely by one partner, as the dissolution section says',
};

/** The agreement with the dissolution rule in place of the risk-share rules, so sharing.ts shares the position. */
function sharingAgreement(agreement: Agreement, rule: DissolutionRule): Agreement {
  const swap = (share: RiskShare | null): RiskShare | null => {
    if (share === null) return null;
    return share.underspend.kind === 'retain' ? { ...share, underspend: { kind: 'proportional' } } : share;
  };
  if (rule.kind === 'risk_share') {
    return { ...agreement, pools: agreement.pools.map((p): Pool => ({ ...p, riskShare: swap(p.riskShare) })), schemes: agreement.schemes.map((s): Scheme => ({ ...s, riskShare: swap(s.riskShare) })) };
  }
  const simple: SimpleShareRule = rule.kind === 'proportional' ? { kind: 'proportional' } : rule.kind === 'fixed' ? { kind: 'fixed', percent: rule.percent } : { kind: 'lead', partner: rule.partner };
  const share: RiskShare = { overspend: simple, underspend: simple };
  return { ...agreement, pools: agreement.pools.map((p): Pool => ({ ...p, riskShare: share })), schemes: agreement.schemes.map((s): Scheme => ({ ...s, riskShare: null })) };
}

const schemeIncome = (s: SchemeResult) => sumPence(Object.values(s.partners).map((p) => p.ytdContributionPence));

/** Calendar months after the date's month, up to and including the month of `ends`. */
function monthsAfter(date: string, ends: string): number {
  const months = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7));
  return Math.max(0, months(ends) - months(date));
}

function commitmentRow(agreement: Agreement, year: YearStart, date: string, c: Commitment): StatementCommitment {
  const scheme = agreement.schemes.find((s) => s.id === c.scheme);
  invariant(scheme !== undefined, `commitment ${c.name} names scheme ${c.scheme}, which the agreement does not have`);
  const lead = c.leadCommissioner ?? scheme.leadCommissioner ?? agreement.pools.find((p) => p.id === scheme.pool)?.host ?? null;
  const carriedBy = c.carriedBy ?? lead;
  invariant(carriedBy !== null, `commitment ${c.name}: nobody carries it (no lead commissioner)`);
  const remainingPence = c.remainingPence ?? (c.monthlyPence ?? 0) * monthsAfter(date, c.ends);
  const partners = agreement.partners.map((p) => p.id);
  let carriedPence: Record<string, Pence>;
  if (carriedBy === 'shared') {
    const weights = partners.map((p) => Math.max(0, contribution(scheme, year, p)));
    const parts = splitByWeights(remainingPence, weights.every((w) => w === 0) ? partners.map(() => 1) : weights);
    carriedPence = Object.fromEntries(partners.map((p, i) => [p, parts[i]!]).filter(([, v]) => v !== 0));
  } else {
    carriedPence = { [carriedBy]: remainingPence };
  }
  invariant(sumPence(Object.values(carriedPence)) === remainingPence, `commitment ${c.name}: what the partners carry adds to what remains`);
  return { name: c.name, scheme: c.scheme, leadCommissioner: lead ?? carriedBy, ends: c.ends, remainingPence, carriedBy, carriedPence };
}

/** Settlement the month's close journalled for (pool, partner) and no later close will reverse, as a settlement amount (due to the host positive). */
function alreadySettled(close: CloseComputation, pool: string, partner: string): Pence {
  const lines = close.journals
    .filter((j) => j.kind === 'settlement' && j.variant !== 'reversal' && j.pool === pool && j.partner === partner)
    .flatMap((j) => j.lines.filter((l) => l.role === 'contribution_to_pool'));
  return sumPence(lines.map((l) => l.debitPence - l.creditPence));
}

export function dissolutionStatement(input: DissolutionInput): DissolutionStatement {
  const { agreement, year, month, date, close } = input;
  invariant(close.period === formatPeriod(periodKey(year, month)), `the close of ${close.period} is not the close of the dissolution month`);
  const rule = agreement.dissolution?.rule ?? { kind: 'risk_share' };
  const partnerIds = agreement.partners.map((p) => p.id);

  const schemes: StatementScheme[] = close.schemes.map((s) => {
    const incomePence = schemeIncome(s);
    return { id: s.id, name: s.name, pool: s.pool, type: s.type, incomePence, spendPence: s.ytdActualPence, positionPence: incomePence - s.ytdActualPence };
  });
  // The position to date as a variance (spend − income, an overspend positive), shared as the close shares a FOT variance.
  const figures = close.schemes.map((s) => ({ ...s, fotVariancePence: s.ytdActualPence - schemeIncome(s) }));
  const shared = shareUnits(sharingAgreement(agreement, rule), year, figures);
  const units: StatementUnit[] = shared.map((u) => {
    invariant(u.retainedPence === 0, `${u.id}: nothing is retained on dissolution`);
    return {
      id: u.id,
      pool: u.pool,
      host: u.host,
      schemes: u.schemes,
      positionPence: -u.variancePence,
      sharesPence: Object.fromEntries(partnerIds.map((p) => [p, -(u.sharesPence[p] ?? 0) + 0])),
      reasons: u.reasons.map((r) => r.text),
    };
  });

  // Final settlement: each non-host partner's share of each unit, less what was already journalled.
  const settlements: FinalSettlement[] = [];
  const settledBy = new Map<string, Pence>();
  for (const pool of agreement.pools) {
    const poolUnits = shared.filter((u) => u.pool === pool.id);
    if (pool.host === null || poolUnits.length === 0) continue;
    for (const partner of partnerIds.filter((p) => p !== pool.host)) {
      const settled = alreadySettled(close, pool.id, partner);
      settledBy.set(partner, (settledBy.get(partner) ?? 0) - settled);
      const amounts = poolUnits.map((u) => ({ scheme: u.schemes.length === 1 ? u.schemes[0]! : null, amountPence: u.sharesPence[partner] ?? 0, label: `Dissolution share of ${u.id}` }));
      if (settled !== 0) amounts.push({ scheme: null, amountPence: -settled, label: `Less settlement already journalled in ${close.period}` });
      settlements.push({ pool: pool.id, partner, amounts });
    }
  }
  const journals = dissolutionJournals(agreement, year, month, date, settlements);
  journals.forEach(assertBalanced);
  const balances = agreementOfBalances(partnerIds, journals, []);
  for (const b of balances) invariant(b.differencePence === 0, `dissolution journals: ${b.partner} and ${b.counterparty} do not mirror`);

  // What moves to each partner: a non-host's refund (its debtor from the host) less what it pays in (its creditor to it).
  const settlementOf = new Map<string, Pence>(partnerIds.map((p) => [p, 0]));
  for (const j of journals) {
    for (const l of j.lines) {
      if (l.role === 'debtor') settlementOf.set(j.partner, settlementOf.get(j.partner)! + l.debitPence - l.creditPence);
      if (l.role === 'creditor') settlementOf.set(j.partner, settlementOf.get(j.partner)! - (l.creditPence - l.debitPence));
    }
  }

  const partners: StatementPartner[] = agreement.partners.map((p) => {
    const own = close.schemes.map((s) => s.partners[p.id]).filter((x) => x !== undefined);
    const aligned = close.schemes.filter((s) => s.type === 'aligned').map((s) => s.partners[p.id]).filter((x) => x !== undefined);
    const pooledSharePence = sumPence(units.map((u) => u.sharesPence[p.id] ?? 0));
    const alignedPositionPence = sumPence(aligned.map((x) => x.ytdContributionPence - x.ytdActualPence));
    return {
      id: p.id,
      name: p.name,
      contributionsPence: sumPence(own.map((x) => x.ytdContributionPence)),
      spendPence: sumPence(own.map((x) => x.ytdActualPence)),
      pooledSharePence,
      alignedPositionPence,
      sharePence: pooledSharePence + alignedPositionPence,
      settledPence: settledBy.get(p.id) ?? 0,
      settlementPence: settlementOf.get(p.id)!,
    };
  });

  const totals = {
    incomePence: sumPence(schemes.map((s) => s.incomePence)),
    spendPence: sumPence(schemes.map((s) => s.spendPence)),
    positionPence: sumPence(schemes.map((s) => s.positionPence)),
    sharesPence: sumPence(partners.map((p) => p.sharePence)),
  };
  invariant(totals.positionPence === totals.incomePence - totals.spendPence, 'dissolution: the position is income − spend');
  invariant(totals.incomePence === sumPence(partners.map((p) => p.contributionsPence)), "dissolution: income is the partners' contributions");
  invariant(totals.spendPence === sumPence(partners.map((p) => p.spendPence)), "dissolution: spend is the partners' recorded spend");
  invariant(totals.sharesPence === totals.positionPence, `dissolution: the shares (${totals.sharesPence}) add back to the position (${totals.positionPence})`);
  invariant(sumPence(partners.map((p) => p.settlementPence)) === 0, 'dissolution: the final settlement moves money between partners only');
  for (const p of partners.filter((x) => !agreement.pools.some((pool) => pool.host === x.id))) {
    invariant(p.settlementPence === p.pooledSharePence - p.settledPence, `dissolution: ${p.id}'s settlement is its share less what was settled`);
  }

  const commitments = (agreement.dissolution?.commitments ?? []).filter((c) => c.ends > date).map((c) => commitmentRow(agreement, year, date, c));
  return {
    fund: agreement.fund.id,
    fundName: agreement.fund.name,
    date,
    year: formatYear(year),
    period: close.period,
    rule,
    ruleText: RULE_TEXT[rule.kind],
    schemes,
    units,
    partners,
    totals,
    commitments,
    journals,
    agreementOfBalances: balances,
  };
}

/** One line for a person: "a surplus of £12.00" / "a deficit of £110.00" / "nil". */
export function describePosition(pence: Pence): string {
  if (pence === 0) return 'nil';
  return `a ${pence > 0 ? 'surplus' : 'deficit'} of ${formatPounds(Math.abs(pence), { symbol: true })}`;
}
