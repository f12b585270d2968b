// Amounts are read by parseAmount (domain/money.ts), the one definition of what Tandem accepts.
// Most ledger amounts are plain (`1234.56`, `-1,234.5`, `(1,234.56)`), and a charCode scan
// reads those several times faster than parseAmount's regular expressions; anything else goes
// to parseAmount. A property test holds the two to the same answers.

import { parseAmount, type AmountResult, type Pence } from '../domain/money.js';

/** Digits before the point that keep pence well inside Number.MAX_SAFE_INTEGER. */
const MAX_FAST_WHOLE_DIGITS = 13;
const ZERO = 48;
const NINE = 57;
const COMMA = 44;
const DOT = 46;
const MINUS = 45;
const OPEN = 40;
const CLOSE = 41;

export function readAmount(text: string, decimalComma: boolean): AmountResult {
  if (!decimalComma) {
    const pence = plainPence(text);
    if (!Number.isNaN(pence)) return { ok: true, pence };
  }
  return parseAmount(text, { decimalComma });
}

/**
 * Pence of `[-]digits[.d[d]]` or `(digits[.d[d]])`, digits plain or grouped in threes by commas;
 * NaN for any other text (which is then parseAmount's to accept or reject).
 */
export function plainPence(text: string): Pence {
  let start = 0;
  let end = text.length;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === MINUS) {
    negative = true;
    start = 1;
  } else if (first === OPEN) {
    if (text.charCodeAt(end - 1) !== CLOSE) return NaN;
    negative = true;
    start = 1;
    end--;
  }
  let whole = 0;
  let wholeDigits = 0;
  let digitsSinceComma = -1; // -1: no comma seen yet
  let i = start;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) {
      whole = whole * 10 + (code - ZERO);
      wholeDigits++;
      if (digitsSinceComma >= 0 && ++digitsSinceComma > 3) return NaN;
    } else if (code === COMMA) {
      // a group separator needs 1-3 digits before the first comma and exactly 3 between commas
      if (wholeDigits === 0 || (digitsSinceComma < 0 ? wholeDigits > 3 : digitsSinceComma !== 3)) return NaN;
      digitsSinceComma = 0;
    } else break;
  }
  if (wholeDigits === 0 || wholeDigits > MAX_FAST_WHOLE_DIGITS || (digitsSinceComma >= 0 && digitsSinceComma !== 3)) return NaN;
  let fraction = 0;
  if (i < end) {
    if (text.charCodeAt(i) !== DOT) return NaN;
    const places = end - i - 1;
    if (places > 2) return NaN;
    for (let k = 1; k <= 2; k++) {
      const code = k <= places ? text.charCodeAt(i + k) : ZERO;
      if (code < ZERO || code > NINE) return NaN;
      fraction = fraction * 10 + (code - ZERO);
    }
  }
  const pence = whole * 100 + fraction;
  return negative && pence !== 0 ? -pence : pence;
}
