// Journals as a plain-text accounting journal that ledger-cli 3.3 and hledger 1.25 both read the
// same way (field-notes §3), so anyone can check a close's balances with a second, independent
// tool. The file passes `ledger --pedantic` and `hledger check -s`: it declares its tags, its one
// commodity (`1234.56 GBP`: ASCII, two decimals, no grouping) and every account it uses.

import { ID_PATTERN } from '../agreement/schema-values.js';
import { assertBalanced, type JournalLine, type PostableJournal } from '../domain/journal.js';
import { formatPounds, invariant } from '../domain/money.js';
import { codeValue, ISO_DATE } from './journals-csv.js';

const COMMODITY = 'GBP';
/** Stands for an empty or missing code, so every account has the same depth (no account is another's parent). */
const EMPTY_CODE = '-';

/**
 * One segment of an account name, made safe for both tools, deterministically:
 * - `:` (the account separator) becomes `-`, so a code never adds a level;
 * - `;` (a comment in hledger) becomes `,`;
 * - every run of whitespace or control characters (tabs, newlines, two spaces: the end of an
 *   account name in a posting) becomes one space, and the ends are trimmed;
 * - what is left empty becomes `-`.
 * Different codes can so come out the same (`A:B` and `A-B`); `journalsToLedgerText` refuses
 * such a file rather than silently merge two accounts.
 */
export function accountSegment(value: string): string {
  const safe = value.replaceAll(':', '-').replaceAll(';', ',').replace(/[\s\p{Cc}]+/gu, ' ').trim();
  return safe === '' ? EMPTY_CODE : safe;
}

/** `sccg:03N:709100:521900:BCF00`: the ledger id, then the code values in code-column order. */
export function accountName(ledgerId: string, codes: Record<string, string>, codeColumns: readonly string[]): string {
  invariant(ID_PATTERN.test(ledgerId), `ledger id "${ledgerId}" is not an id (letters, digits, "_", "-")`);
  return [ledgerId, ...codeColumns.map((column) => accountSegment(codeValue(codes, column)))].join(':');
}

/** Free text on one line, without `;` (where hledger starts a comment). Whitespace runs become one space. */
function oneLine(text: string): string {
  return text.replaceAll(';', ',').replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** The transaction code goes in parentheses: no parentheses, whitespace or `;` inside it. */
function safeRef(ref: string): string {
  const safe = ref.replace(/[()\s\p{Cc};]+/gu, '-');
  invariant(safe !== '', 'a journal needs a ref');
  return safe;
}

function amountText(line: JournalLine): string {
  const amount = line.creditPence > 0 ? -line.creditPence : line.debitPence;
  return `${formatPounds(amount, { grouping: false })} ${COMMODITY}`;
}

/**
 * The journals as one ledger/hledger file. Throws InvariantError, writing nothing, if a journal
 * does not balance, a date is not YYYY-MM-DD, or two different code combinations would share an
 * account name once made safe.
 */
export function journalsToLedgerText(journals: readonly PostableJournal[], codeColumns: readonly string[]): string {
  const accounts = new Map<string, string>(); // account name → the raw codes it stands for
  for (const journal of journals) {
    assertBalanced(journal);
    invariant(ISO_DATE.test(journal.date), `journal ${journal.ref}: date "${journal.date}" is not YYYY-MM-DD`);
    for (const line of journal.lines) {
      const name = accountName(journal.ledger, line.codes, codeColumns);
      const raw = JSON.stringify([journal.ledger, ...codeColumns.map((column) => codeValue(line.codes, column))]);
      const seen = accounts.get(name);
      invariant(seen === undefined || seen === raw, `codes ${seen ?? ''} and ${raw} would both be account "${name}"`);
      accounts.set(name, raw);
    }
  }
  const names = [...accounts.keys()].sort();
  const width = names.reduce((most, name) => Math.max(most, name.length), 0) + 2;

  const out: string[] = [
    '; Tandem journals for ledger-cli and hledger: a second, independent reading of the close.',
    '; Written by Tandem; do not edit. Check with: ledger --pedantic -f FILE bal; hledger -f FILE check -s',
    `; Account names: ledger id:${codeColumns.map(oneLine).join(':')}. In codes, ":" became "-", ";" became ",",`,
    `; whitespace runs one space, and an empty code "${EMPTY_CODE}".`,
    '',
    'tag period',
    'tag kind',
    `commodity ${COMMODITY}`,
    `    format 1000.00 ${COMMODITY}`,
    '',
    ...names.map((name) => `account ${name}`),
  ];
  for (const journal of journals) {
    const description = oneLine(journal.description);
    out.push('', `${journal.date} (${safeRef(journal.ref)})${description === '' ? '' : ` ${description}`}`);
    out.push(`    ; period: ${oneLine(journal.period)}`, `    ; kind: ${oneLine(journal.kind)}`);
    for (const line of journal.lines) {
      out.push(`    ${accountName(journal.ledger, line.codes, codeColumns).padEnd(width)}${amountText(line).padStart(16)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
