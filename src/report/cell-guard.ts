// Formula-injection guard for every report renderer that writes spreadsheet cells (XLSX, CSV).
// Text a ledger or a person supplied (codes, descriptions, file names, commentary, raw extract
// columns) could start with `=`, `+`, `-` or `@` and be run as a formula when a partner opens or
// re-saves the file; such text gets a leading apostrophe. The rule is the one journal CSVs already
// use (src/export/journals-csv.ts `guardFormula`), shared here so the formats cannot drift apart:
// a plain signed number such as `-521900` (a ledger code) is no formula and is left alone.

import { guardFormula } from '../export/journals-csv.js';

/** `=HYPERLINK(…)` → `'=HYPERLINK(…)`; `-521900` and `Care homes` unchanged. */
export function guardCell(text: string): string {
  return guardFormula(text);
}
