// Text and amounts as spreadsheet XML, for the cells the report writes itself (the Lines rows,
// xlsx-line-rows.ts) and for the text it hands to exceljs (xlsx-layout.ts).
//
// Text goes out as `t="str"` cells (the form exceljs writes for text when shared strings are off,
// so every sheet of the workbook stores text the same way), escaped for XML element content, with
// the characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return; lone
// surrogates; U+FFFE and U+FFFF) removed, as exceljs removes them. They are removed BEFORE the
// formula guard looks at the text: otherwise "\u0001=HYPERLINK(…)" would pass the guard and come
// out as "=HYPERLINK(…)". A carriage return is written as `&#13;`: a raw one would be read back as
// a line feed (XML end-of-line handling). Amounts are the exact decimal text of the pence, built
// with integer arithmetic.

import { invariant, type Pence } from '../domain/money.js';
import { guardCell } from './cell-guard.js';

/** Anything that needs escaping or removing; most ledger text has none and is used as it is. */
const NEEDS_WORK = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** What XML 1.0 cannot hold: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates. */
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>\r]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** `text` without the characters XML 1.0 cannot hold. */
export function xmlSafe(text: string): string {
  return NEEDS_WORK.test(text) ? text.replace(FORBIDDEN, '') : text;
}

/** `text` as XML element content: characters XML 1.0 forbids removed, `&`, `<`, `>`, CR escaped. */
export function xmlText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(FORBIDDEN, '').replace(SPECIAL, (c) => ESCAPES[c]!);
}

/** guardCell only ever changes text starting with = + - @, tab or CR (checked in the tests, every first character). */
const mayNeedGuard = (text: string): boolean => {
  const c = text.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d;
};

/**
 * Text as a cell value's XML: forbidden characters removed first, so none can hide a leading `=`
 * from the formula guard (cell-guard.ts), then guarded, then escaped. Text the guard would leave
 * alone skips its two regular expressions.
 */
export function cellText(value: string): string {
  if (!NEEDS_WORK.test(value)) return mayNeedGuard(value) ? guardCell(value) : value;
  const safe = value.replace(FORBIDDEN, '');
  return (mayNeedGuard(safe) ? guardCell(safe) : safe).replace(SPECIAL, (c) => ESCAPES[c]!);
}

/**
 * The exact amount in pounds as number text: `123456` → `1234.56`, `-5` → `-0.05`. Integer
 * arithmetic only (the remainder first, so the division is exact), no rounding anywhere; a
 * spreadsheet reads it as the nearest double, which is the same double as pence / 100.
 */
export function poundsText(p: Pence): string {
  invariant(Number.isSafeInteger(p), `amount must be a safe integer number of pence, got ${String(p)}`);
  const abs = p < 0 ? -p : p;
  const pennies = abs % 100;
  const whole = (abs - pennies) / 100;
  return `${p < 0 ? '-' : ''}${whole}.${pennies < 10 ? '0' : ''}${pennies}`;
}
