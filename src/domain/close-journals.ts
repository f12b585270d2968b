// The close's journals (domain.md §8), for each non-host partner P of each pool with pooled
// schemes and its host H: the month's contribution, the recharge of pooled spend recorded in P's
// ledger, and the settlement of P's risk share (at M12, or as a monthly accrual that reverses next
// month when the agreement says so). Each is a pair of journals, one in P's ledger and one in H's,
// in that partner's own codes. Amounts are signed here (positive = the posting in the §8 table),
// and a negative amount swaps debit and credit, so refunds and credit notes post the right way.

import type { Agreement, PartnerCoding } from './agreement.js';
import { assertBalanced, type AccountRole, type Journal, type JournalKind, type JournalLine } from './journal.js';
import { sumPence, type Pence } from './money.js';
import { calendarMonthOf, formatPeriod, periodEndDate, periodKey, type YearStart } from './period.js';
import { monthlyContribution } from './phasing.js';
import type { SharingUnit } from './sharing.js';

/** Pooled spend recorded in a non-host partner's ledger this month, summed by analysis codes. */
export interface RechargeSource {
  ledger: string;
  scheme: string;
  /** The ledger's analysis code values, in its extract settings' `codes` order. */
  codes: string[];
  amountPence: Pence;
}

export interface JournalInput {
  agreement: Agreement;
  year: YearStart;
  month: number;
  units: readonly SharingUnit[];
  recharges: readonly RechargeSource[];
  /** Settlement accruals of the previous month's close, reversed in this one. */
  previousAccruals: readonly Journal[];
}

export class JournalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalSetupError';
  }
}

interface Side {
  partner: string;
  ledger: string;
  coding: PartnerCoding;
}

function side(agreement: Agreement, partner: string): Side {
  const coding = agreement.coding[partner];
  if (!coding) throw new JournalSetupError(`partner ${partner} moves pooled money but the agreement has no coding for it (coding.${partner})`);
  const ledger = agreement.ledgers.find((l) => l.partner === partner);
  if (!ledger) throw new JournalSetupError(`partner ${partner} moves pooled money but has no ledger in the agreement`);
  return { partner, ledger: ledger.id, coding };
}

function line(codes: Record<string, string>, signed: Pence, role: AccountRole, description: string, extra: Partial<JournalLine> = {}): JournalLine {
  return {
    codes,
    debitPence: signed > 0 ? signed : 0,
    creditPence: signed < 0 ? -signed : 0,
    description,
    role,
    counterparty: null,
    scheme: null,
    analysis: null,
    ...extra,
  };
}

const KIND_CODE: Record<JournalKind, string> = { contribution: 'CON', recharge: 'RCH', settlement: 'SET' };

interface Pair {
  kind: JournalKind;
  variant: Journal['variant'];
  pool: string;
  p: Side;
  h: Side;
  description: string;
  pLines: JournalLine[];
  hLines: JournalLine[];
  /** The ref's kind code when it is not the kind's own (a dissolution's final settlement: DIS). */
  code?: string;
}

function makePair(pair: Pair, input: JournalInput, date: string): Journal[] {
  const key = periodKey(input.year, input.month);
  const variantCode = pair.variant === 'accrual' ? 'A' : pair.variant === 'reversal' ? 'R' : '';
  const kindCode = pair.code ?? `${KIND_CODE[pair.kind]}${variantCode}`;
  const ref = `T${formatPeriod(key).replace(/[- ]/g, '').slice(2)}-${kindCode}-${pair.pool}-${pair.p.partner}`.toUpperCase();
  const base = { pool: pair.pool, kind: pair.kind, variant: pair.variant, ref, date, period: formatPeriod(key), description: pair.description };
  const journals: Journal[] = [
    { ...base, ledger: pair.p.ledger, partner: pair.p.partner, counterparty: pair.h.partner, lines: pair.pLines.filter(nonZero) },
    { ...base, ledger: pair.h.ledger, partner: pair.h.partner, counterparty: pair.p.partner, lines: pair.hLines.filter(nonZero) },
  ];
  if (journals.every((j) => j.lines.length === 0)) return [];
  journals.forEach(assertBalanced);
  return journals;
}

const nonZero = (l: JournalLine) => l.debitPence !== 0 || l.creditPence !== 0;

/**
 * Contribution-shaped postings (contribution, settlement): per scheme or unit, the total on the
 * intra-partner accounts. A net amount due to the host is P's creditor and H's debtor; a net
 * refund to P (underspend handed back) is P's debtor and H's creditor (the §8 table).
 */
function contributionLines(p: Side, h: Side, amounts: { scheme: string | null; amountPence: Pence; label: string }[]): Pick<Pair, 'pLines' | 'hLines'> {
  const total = sumPence(amounts.map((a) => a.amountPence));
  const pLines = amounts.map((a) => line(p.coding.contributionToPool, a.amountPence, 'contribution_to_pool', a.label, { scheme: a.scheme }));
  const hLines: JournalLine[] = [];
  if (total >= 0) {
    pLines.push(line(p.coding.creditor[h.partner]!, -total, 'creditor', `Due to ${h.partner}`, { counterparty: h.partner }));
    hLines.push(line(h.coding.debtor[p.partner]!, total, 'debtor', `Due from ${p.partner}`, { counterparty: p.partner }));
  } else {
    pLines.push(line(p.coding.debtor[h.partner]!, -total, 'debtor', `Due from ${h.partner}`, { counterparty: h.partner }));
    hLines.push(line(h.coding.creditor[p.partner]!, total, 'creditor', `Due to ${p.partner}`, { counterparty: p.partner }));
  }
  hLines.push(...amounts.map((a) => line(h.coding.poolIncome, -a.amountPence, 'pool_income', a.label, { scheme: a.scheme })));
  return { pLines, hLines };
}

function checkIntraCodes(p: Side, h: Side): void {
  if (!p.coding.creditor[h.partner] || !p.coding.debtor[h.partner]) throw new JournalSetupError(`coding.${p.partner} needs debtor and creditor codes for ${h.partner}`);
  if (!h.coding.creditor[p.partner] || !h.coding.debtor[p.partner]) throw new JournalSetupError(`coding.${h.partner} needs debtor and creditor codes for ${p.partner}`);
}

function spendCodes(input: JournalInput, p: Side, source: RechargeSource): { codes: Record<string, string>; analysis: Record<string, string> } {
  const ledger = input.agreement.ledgers.find((l) => l.id === source.ledger)!;
  const analysis = Object.fromEntries(ledger.file.columns.codes.map((c, i) => [c, source.codes[i] ?? '']));
  if (p.coding.rechargeIncome) return { codes: p.coding.rechargeIncome, analysis };
  const missing = p.coding.codeColumns.filter((c) => !(c in analysis));
  if (missing.length > 0) throw new JournalSetupError(`coding.${p.partner} has no recharge_income, and ledger ${ledger.id}'s extract has no code column ${missing.join(', ')} to credit the spend back to`);
  return { codes: Object.fromEntries(p.coding.codeColumns.map((c) => [c, analysis[c]!])), analysis };
}

function pairsForPool(input: JournalInput, pool: string, host: string): Pair[] {
  const { agreement, year, month } = input;
  // Resolved only once some partner moves money: a pool its host alone funds needs no coding.
  let host_: Side | null = null;
  const hostSide = () => (host_ ??= side(agreement, host));
  const schemes = agreement.schemes.filter((s) => s.pool === pool && s.type === 'pooled');
  const units = input.units.filter((u) => u.pool === pool);
  const pairs: Pair[] = [];
  for (const partner of agreement.partners.map((x) => x.id).filter((x) => x !== host)) {
    const contributions = schemes.map((s) => ({ scheme: s.id, amountPence: monthlyContribution(s, year, partner)[month - 1]!, label: `Contribution to ${s.name}` }));
    const ledgerIds = new Set(agreement.ledgers.filter((l) => l.partner === partner).map((l) => l.id));
    const recharges = input.recharges.filter((r) => ledgerIds.has(r.ledger) && schemes.some((s) => s.id === r.scheme) && r.amountPence !== 0);
    const settle = units.map((u) => ({ scheme: u.schemes.length === 1 ? u.schemes[0]! : null, amountPence: u.sharesPence[partner] ?? 0, label: `Risk share of ${u.id}` }));
    const settles = month === 12 || agreement.accrueSettlement;
    const moves = contributions.some((c) => c.amountPence !== 0) || recharges.length > 0 || (settles && settle.some((s) => s.amountPence !== 0));
    if (!moves) continue;
    const h = hostSide();
    const p = side(agreement, partner);
    checkIntraCodes(p, h);
    pairs.push({ kind: 'contribution', variant: 'standard', pool, p, h, description: `Contribution to pool ${pool}`, ...contributionLines(p, h, contributions) });
    if (recharges.length > 0) pairs.push(rechargePair(input, pool, p, h, recharges));
    if (settles) {
      const variant = month === 12 ? 'standard' : 'accrual';
      pairs.push({ kind: 'settlement', variant, pool, p, h, description: `Risk-share settlement, pool ${pool}${variant === 'accrual' ? ' (accrual, reverses next month)' : ''}`, ...contributionLines(p, h, settle) });
    }
  }
  return pairs;
}

function rechargePair(input: JournalInput, pool: string, p: Side, h: Side, recharges: readonly RechargeSource[]): Pair {
  const total = sumPence(recharges.map((r) => r.amountPence));
  const pLines = [line(p.coding.debtor[h.partner]!, total, 'debtor', `Recharge due from ${h.partner}`, { counterparty: h.partner })];
  const hLines: JournalLine[] = [];
  for (const r of recharges) {
    const { codes, analysis } = spendCodes(input, p, r);
    const label = `Recharge of ${r.scheme} spend ${Object.values(analysis).join('/')}`;
    pLines.push(line(codes, -r.amountPence, p.coding.rechargeIncome ? 'recharge_income' : 'spend', label, { scheme: r.scheme, analysis }));
    hLines.push(line(h.coding.fundSpend, r.amountPence, 'fund_spend', label, { scheme: r.scheme, analysis }));
  }
  hLines.push(line(h.coding.creditor[p.partner]!, -total, 'creditor', `Recharge due to ${p.partner}`, { counterparty: p.partner }));
  return { kind: 'recharge', variant: 'standard', pool, p, h, description: `Recharge of pooled spend, pool ${pool}`, pLines, hLines };
}

function reversal(previous: Journal, input: JournalInput): Journal {
  const key = periodKey(input.year, input.month);
  const { year, month } = calendarMonthOf(key);
  const j: Journal = {
    ...previous,
    variant: 'reversal',
    ref: previous.ref.replace(/-SETA-/, '-SETR-').replace(/^T\d{4}M\d{2}/, `T${formatPeriod(key).replace(/[- ]/g, '').slice(2)}`.toUpperCase()),
    date: `${year}-${String(month).padStart(2, '0')}-01`,
    period: formatPeriod(key),
    description: `Reversal of ${previous.ref} (${previous.period} settlement accrual)`,
    lines: previous.lines.map((l) => ({ ...l, debitPence: l.creditPence, creditPence: l.debitPence, description: `Reversal: ${l.description}` })),
  };
  assertBalanced(j);
  return j;
}

/** Every journal of the close: pools in agreement order; per partner contribution, recharge, settlement. */
export function closeJournals(input: JournalInput): Journal[] {
  const date = periodEndDate(periodKey(input.year, input.month));
  const journals: Journal[] = input.previousAccruals.filter((j) => j.variant === 'accrual').map((j) => reversal(j, input));
  for (const pool of input.agreement.pools) {
    if (pool.host === null || !input.agreement.schemes.some((s) => s.pool === pool.id && s.type === 'pooled')) continue;
    for (const pair of pairsForPool(input, pool.id, pool.host)) journals.push(...makePair(pair, input, date));
  }
  return journals;
}

/** What one non-host partner settles with its pool's host on dissolution, line by line (signed as a settlement). */
export interface FinalSettlement {
  pool: string;
  partner: string;
  amounts: { scheme: string | null; amountPence: Pence; label: string }[];
}

/**
 * The final settlement journals of a dissolution (docs/dissolution.md): for each non-host partner
 * and pool, a pair shaped like the close's settlement (an amount due to the host is an extra
 * contribution, a refund posts to the debtor and creditor accounts), dated the dissolution date,
 * with refs like `T2627M06-DIS-BCF-SCCG`. A partner whose lines net to nothing moves no money.
 */
export function dissolutionJournals(agreement: Agreement, year: YearStart, month: number, date: string, settlements: readonly FinalSettlement[]): Journal[] {
  const input: JournalInput = { agreement, year, month, units: [], recharges: [], previousAccruals: [] };
  const journals: Journal[] = [];
  for (const s of settlements) {
    const host = agreement.pools.find((p) => p.id === s.pool)?.host ?? null;
    if (host === null) throw new JournalSetupError(`pool ${s.pool} settles on dissolution but has no host`);
    if (sumPence(s.amounts.map((a) => a.amountPence)) === 0) continue;
    const [p, h] = [side(agreement, s.partner), side(agreement, host)];
    checkIntraCodes(p, h);
    const pair: Pair = { kind: 'settlement', variant: 'standard', code: 'DIS', pool: s.pool, p, h, description: `Final settlement on dissolution, pool ${s.pool}`, ...contributionLines(p, h, s.amounts) };
    journals.push(...makePair(pair, input, date));
  }
  return journals;
}
