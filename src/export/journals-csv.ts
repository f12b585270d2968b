// Journals as a CSV a finance system can upload (domain.md §8): one file for one ledger, one row
// per journal line, the ledger's own code columns in the agreement's order. Amounts are written
// from integer pence with `formatPounds` (no floating point), every journal is checked to balance
// before a byte is written, and text cells are guarded against spreadsheet formula injection.

import Papa from 'papaparse';
import { assertBalanced, type JournalLine, type PostableJournal } from '../domain/journal.js';
import { formatPounds, invariant, type Pence } from '../domain/money.js';

const LEADING_COLUMNS = ['Date', 'Period', 'Journal Ref'] as const;
const TRAILING_COLUMNS = ['Debit', 'Credit', 'Description', 'Scheme', 'Original Analysis'] as const;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The header row for a ledger with these code columns. */
export function journalsCsvHeader(codeColumns: readonly string[]): string[] {
  return [...LEADING_COLUMNS, ...codeColumns.map(guardFormula), ...TRAILING_COLUMNS];
}

/**
 * One CSV (RFC 4180, CRLF line endings, ending with CRLF) holding every line of `journals`.
 * Throws InvariantError, writing nothing, if any journal does not balance.
 */
export function journalsToCsv(journals: readonly PostableJournal[], codeColumns: readonly string[]): string {
  for (const journal of journals) {
    assertBalanced(journal);
    invariant(ISO_DATE.test(journal.date), `journal ${journal.ref}: date "${journal.date}" is not YYYY-MM-DD`);
  }
  const rows: string[][] = [];
  for (const journal of journals) {
    for (const line of journal.lines) rows.push(lineRow(journal, line, codeColumns));
  }
  const text = Papa.unparse({ fields: journalsCsvHeader(codeColumns), data: rows }, { newline: '\r\n', quotes: false });
  return `${text}\r\n`;
}

function lineRow(journal: PostableJournal, line: JournalLine, codeColumns: readonly string[]): string[] {
  return [
    journal.date,
    guardFormula(journal.period),
    guardFormula(journal.ref),
    ...codeColumns.map((column) => guardFormula(codeValue(line.codes, column))),
    amountCell(line.debitPence),
    amountCell(line.creditPence),
    guardFormula(line.description),
    guardFormula(line.scheme ?? ''),
    guardFormula(analysisText(line.analysis)),
  ];
}

/** The value of one code column; own properties only, so a column called "constructor" is safe. */
export function codeValue(codes: Record<string, string>, column: string): string {
  return Object.hasOwn(codes, column) ? (codes[column] ?? '') : '';
}

/** `Cost Centre=C4102; Subjective=5210`, in the analysis object's own order; empty for none. */
export function analysisText(analysis: Record<string, string> | null): string {
  if (analysis === null) return '';
  return Object.entries(analysis)
    .map(([column, value]) => `${column}=${value}`)
    .join('; ');
}

/** Plain decimal pounds, two decimals, no grouping; an empty cell for zero. */
function amountCell(value: Pence): string {
  return value === 0 ? '' : formatPounds(value, { grouping: false });
}

/**
 * A cell a spreadsheet would read as a formula (starting = + - @, or tab / carriage return as
 * OWASP advises) gets a leading apostrophe, so opening the file never runs anything. A plain
 * signed number (a code such as -521900) is left alone: it is no formula, and an apostrophe
 * would make the finance system reject the code on upload.
 */
export function guardFormula(text: string): string {
  if (/^[+-]\d+(\.\d+)?$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
