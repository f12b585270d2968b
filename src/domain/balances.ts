// Agreement of balances (domain.md §8): for each pair of partners, what one holds as creditor to
// the other must equal what the other holds as debtor from it, and the other way round, for the
// period and for the year to date. Journals are made to mirror, so a difference here is a defect:
// `agreementOfBalances` refuses to return a table that does not agree.

import type { Journal } from './journal.js';
import { invariant, type Pence } from './money.js';

export interface BalanceRow {
  partner: string;
  counterparty: string;
  /** The partner's debtor from the counterparty (debits − credits), this period. */
  debtorPence: Pence;
  /** The partner's creditor to the counterparty (credits − debits), this period. */
  creditorPence: Pence;
  /** (debtor − creditor) here plus the same in the counterparty's books: zero when they agree. */
  differencePence: Pence;
  ytdDebtorPence: Pence;
  ytdCreditorPence: Pence;
  ytdDifferencePence: Pence;
}

type Balances = Map<string, { debtor: Pence; creditor: Pence }>;

function balances(journals: readonly Journal[]): Balances {
  const out: Balances = new Map();
  for (const j of journals) {
    for (const l of j.lines) {
      if ((l.role !== 'debtor' && l.role !== 'creditor') || l.counterparty === null) continue;
      const key = `${j.partner}\u0000${l.counterparty}`;
      const b = out.get(key) ?? { debtor: 0, creditor: 0 };
      if (l.role === 'debtor') b.debtor += l.debitPence - l.creditPence;
      else b.creditor += l.creditPence - l.debitPence;
      out.set(key, b);
    }
  }
  return out;
}

/**
 * The table for this period's journals and the year to date (earlier closes' journals of the
 * same year plus this period's). Partners in the given order.
 */
export function agreementOfBalances(partners: readonly string[], period: readonly Journal[], earlier: readonly Journal[]): BalanceRow[] {
  const now = balances(period);
  const ytd = balances([...earlier, ...period]);
  const get = (b: Balances, p: string, c: string) => b.get(`${p}\u0000${c}`) ?? { debtor: 0, creditor: 0 };
  const rows: BalanceRow[] = [];
  for (const p of partners) {
    for (const c of partners) {
      if (p === c || (!ytd.has(`${p}\u0000${c}`) && !ytd.has(`${c}\u0000${p}`))) continue;
      const [mine, theirs, ytdMine, ytdTheirs] = [get(now, p, c), get(now, c, p), get(ytd, p, c), get(ytd, c, p)];
      for (const [scope, a, b] of [['period', mine, theirs], ['year to date', ytdMine, ytdTheirs]] as const) {
        invariant(a.creditor === b.debtor, `agreement of balances (${scope}): ${p}'s creditor to ${c} (${a.creditor}) differs from ${c}'s debtor from ${p} (${b.debtor})`);
        invariant(a.debtor === b.creditor, `agreement of balances (${scope}): ${p}'s debtor from ${c} (${a.debtor}) differs from ${c}'s creditor to ${p} (${b.creditor})`);
      }
      rows.push({
        partner: p,
        counterparty: c,
        debtorPence: mine.debtor,
        creditorPence: mine.creditor,
        differencePence: mine.debtor - mine.creditor + (theirs.debtor - theirs.creditor),
        ytdDebtorPence: ytdMine.debtor,
        ytdCreditorPence: ytdMine.creditor,
        ytdDifferencePence: ytdMine.debtor - ytdMine.creditor + (ytdTheirs.debtor - ytdTheirs.creditor),
      });
    }
  }
  return rows;
}
