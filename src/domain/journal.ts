// Journals the close writes (domain.md §8): pairs of journals, one in each partner's ledger,
// in that ledger's own code columns. Amounts are non-negative pence in debit and credit columns;
// every journal balances, which `assertBalanced` checks wherever journals are made or read back.

import { invariant, type Pence } from './money.js';

export type JournalKind = 'contribution' | 'recharge' | 'settlement';

/** What an account is to the fund; agreement of balances reads the debtor and creditor roles. */
export type AccountRole =
  | 'contribution_to_pool'
  | 'pool_income'
  | 'debtor'
  | 'creditor'
  | 'fund_spend'
  | 'spend'
  | 'recharge_income';

export interface JournalLine {
  /** The ledger's own code columns (agreement `coding.<partner>.code_columns`) → values. */
  codes: Record<string, string>;
  debitPence: Pence;
  creditPence: Pence;
  description: string;
  role: AccountRole;
  /** For debtor and creditor lines: the other partner. */
  counterparty: string | null;
  /** The scheme the amount belongs to, when it belongs to one. */
  scheme: string | null;
  /** Recharge lines: the spend's original analysis codes in the spender's ledger, kept for the host. */
  analysis: Record<string, string> | null;
}

export interface Journal {
  /** Ledger the journal is posted in (the partner's first ledger in the agreement). */
  ledger: string;
  partner: string;
  counterparty: string;
  pool: string;
  kind: JournalKind;
  /** accrual: a monthly settlement accrual; reversal: reverses last month's accrual. */
  variant: 'standard' | 'accrual' | 'reversal';
  /** The same in both ledgers of a pair; (ledger, ref) is unique within a close. */
  ref: string;
  /** ISO date: the last day of the period. */
  date: string;
  /** "2025-26 M03" */
  period: string;
  description: string;
  lines: JournalLine[];
}

/**
 * A journal Tandem writes for a partner to post: the close's, or a social investment's outcome
 * payment (investment-journal.ts), which is raised on its own and is never part of a close.
 */
export type PostableJournal = Omit<Journal, 'kind'> & { kind: JournalKind | 'outcome_payment' };

export function journalTotals(journal: Pick<Journal, 'lines'>): { debitPence: Pence; creditPence: Pence } {
  let debitPence = 0;
  let creditPence = 0;
  for (const line of journal.lines) {
    debitPence += line.debitPence;
    creditPence += line.creditPence;
  }
  return { debitPence, creditPence };
}

/** Every line one-sided and non-negative, and debits equal credits. */
export function assertBalanced(journal: Pick<Journal, 'ref' | 'lines'>): void {
  for (const line of journal.lines) {
    invariant(
      Number.isSafeInteger(line.debitPence) && Number.isSafeInteger(line.creditPence) && line.debitPence >= 0 && line.creditPence >= 0,
      `journal ${journal.ref}: debit and credit must be non-negative whole pence`,
    );
    invariant(line.debitPence === 0 || line.creditPence === 0, `journal ${journal.ref}: a line is either a debit or a credit`);
  }
  const { debitPence, creditPence } = journalTotals(journal);
  invariant(debitPence === creditPence, `journal ${journal.ref} does not balance: debits ${debitPence}, credits ${creditPence}`);
}
