// The journal that raises a social investment's outcome payment (docs/contracts.md#social-investment,
// decision 0022): in the paying partner's ledger, debit the scheme's spend, credit the investor's
// creditor account. The partner posts it; the next extract of that ledger brings the debit back
// as the scheme's spend through the ledger's own mapping rules, so the ledger stays the book of
// record and the close never counts the payment twice.

import type { Agreement, Ledger } from './agreement.js';
import { assertBalanced, type JournalLine, type PostableJournal } from './journal.js';
import { compileRules, type MappingResult } from './mapping.js';
import { invariant, type Pence } from './money.js';
import { formatPeriod, periodEndDate, type PeriodKey } from './period.js';
import type { Investment } from './investment-payments.js';

/** The paying partner's ledger: its first in the agreement, as for the close's journals. */
export function payingLedger(agreement: Agreement, partner: string): Ledger | undefined {
  return agreement.ledgers.find((l) => l.partner === partner);
}

/** The debit's codes: the arrangement's own, or the paying partner's `fund_spend` coding. */
export function spendCodesOf(inv: Investment, agreement: Agreement): Record<string, string> | undefined {
  return inv.spendCodes ?? agreement.coding[inv.paidBy]?.fundSpend;
}

/**
 * How the ledger's mapping rules would map a line carrying these codes: what the payment's debit
 * becomes when the extract brings it back. Columns the codes do not give are empty.
 */
export function mappingOfCodes(ledger: Ledger, codes: Record<string, string>): MappingResult {
  const header = [...new Set([...ledger.file.columns.codes, ...Object.keys(codes), ...ledger.rules.flatMap((r) => r.when.map((c) => c.column))])];
  const compiled = compileRules(ledger.rules, header);
  invariant(compiled.ok, 'every column a rule names is in the header');
  return compiled.map(header.map((column) => (Object.hasOwn(codes, column) ? codes[column]! : '')));
}

/** `T2526M07-SIP-KEEPING-WELL-BOND`: period, kind, arrangement; unique within a month. */
export function investmentJournalRef(inv: Investment, period: PeriodKey): string {
  return `T${formatPeriod(period).replace(/[- ]/g, '').slice(2)}-SIP-${inv.id}`.toUpperCase();
}

/** The payment of `duePence` for `period` as one balanced journal; `explanation` are the calculation's words. */
export function investmentJournal(inv: Investment, agreement: Agreement, period: PeriodKey, duePence: Pence, explanation: readonly string[]): PostableJournal {
  invariant(Number.isSafeInteger(duePence) && duePence > 0, `${inv.id}: a payment journal is for a positive whole number of pence, got ${duePence}`);
  const ledger = payingLedger(agreement, inv.paidBy);
  const spend = spendCodesOf(inv, agreement);
  invariant(ledger !== undefined && spend !== undefined, `${inv.id}: partner ${inv.paidBy} has a ledger and a coding (checked when the register was loaded)`);
  const scheme = agreement.schemes.find((s) => s.id === inv.scheme);
  const label = `Outcome payment to ${inv.investor}, ${inv.name}`;
  const base = { role: 'fund_spend' as const, counterparty: null, scheme: inv.scheme, analysis: null };
  const lines: JournalLine[] = [
    { ...base, codes: { ...spend }, debitPence: duePence, creditPence: 0, description: `${label} (${explanation.join('; ')})` },
    { ...base, role: 'creditor', counterparty: inv.investor, scheme: null, codes: { ...inv.creditorCodes }, debitPence: 0, creditPence: duePence, description: `Due to ${inv.investor}` },
  ];
  const journal: PostableJournal = {
    ledger: ledger.id,
    partner: inv.paidBy,
    counterparty: inv.investor,
    pool: scheme?.pool ?? '',
    kind: 'outcome_payment',
    variant: 'standard',
    ref: investmentJournalRef(inv, period),
    date: periodEndDate(period),
    period: formatPeriod(period),
    description: `${label}, ${formatPeriod(period)}`,
    lines,
  };
  assertBalanced(journal);
  return journal;
}
