// Money is an integer number of pence everywhere in the core (domain.md §3).
// Amounts are plain JS numbers kept inside the safe-integer range: every
// arithmetic result is checked, so a value never silently loses precision.

export type Pence = number;

/** Largest amount we accept: about £90 trillion, far beyond any fund. */
export const MAX_PENCE = Number.MAX_SAFE_INTEGER;

export class InvariantError extends Error {
  constructor(message: string) {
    super(`invariant broken: ${message}`);
    this.name = 'InvariantError';
  }
}

/** A broken invariant is a bug: crash loudly (TigerBeetle style). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

export function isPence(value: unknown): value is Pence {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertPence(value: unknown, what = 'amount'): asserts value is Pence {
  // The message is built only on failure: this runs for every imported line.
  if (!isPence(value)) throw new InvariantError(`${what} must be a safe integer number of pence, got ${String(value)}`);
}

export function addPence(a: Pence, b: Pence): Pence {
  const sum = a + b;
  assertPence(sum, 'sum');
  return sum;
}

export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0;
  for (const v of values) total = addPence(total, v);
  return total;
}

export type AmountErrorCode = 'AMOUNT_EMPTY' | 'AMOUNT_INVALID' | 'AMOUNT_TOO_PRECISE' | 'AMOUNT_OUT_OF_RANGE';

export type AmountResult = { ok: true; pence: Pence } | { ok: false; code: AmountErrorCode; reason: string };

export interface AmountOptions {
  /** `1 234,56` style: comma is the decimal mark, space or dot groups thousands. */
  decimalComma?: boolean;
}

const POINT_FORM = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;
const COMMA_FORM = /^(\d{1,3}(?:[ .\u00a0]\d{3})+|\d+)?(?:,(\d*))?$/;

/**
 * Parse a ledger amount exactly to pence, or say why not. Accepted shapes:
 * `1,234.56`, `-1234.5`, `(1,234.56)`, `1234.56 CR`, `1234.56 DR`, `£1,234`, `-£5`, `£-5`,
 * `+12`, and with `decimalComma` `1 234,56`. Never rounds: a third decimal place is an error.
 */
export function parseAmount(input: string, options: AmountOptions = {}): AmountResult {
  let text = input.trim();
  if (text === '') return { ok: false, code: 'AMOUNT_EMPTY', reason: 'amount is empty' };
  let negative = false;
  const flip = () => {
    negative = !negative;
  };
  const crdr = /\s*(CR|DR)$/i.exec(text);
  if (crdr) {
    if (crdr[1]!.toUpperCase() === 'CR') flip();
    text = text.slice(0, crdr.index).trim();
  }
  if (text.startsWith('(') && text.endsWith(')')) {
    flip();
    text = text.slice(1, -1).trim();
  }
  let signSeen = false;
  const takeSign = () => {
    if (text.startsWith('-') || text.startsWith('+')) {
      if (signSeen) return false;
      signSeen = true;
      if (text[0] === '-') flip();
      text = text.slice(1).trim();
    }
    return true;
  };
  if (!takeSign()) return invalid(input);
  if (text.startsWith('£')) text = text.slice(1).trim();
  if (!takeSign()) return invalid(input);
  if (text.endsWith('-') && !signSeen) {
    // trailing minus, as some ledgers print credits: `1234.56-`
    flip();
    text = text.slice(0, -1).trim();
  }
  const match = (options.decimalComma ? COMMA_FORM : POINT_FORM).exec(text);
  if (!match || (match[1] === undefined && (match[2] === undefined || match[2] === ''))) return invalid(input);
  const whole = (match[1] ?? '0').replace(/[^0-9]/g, '');
  const fraction = match[2] ?? '';
  if (fraction.length > 2 && /[1-9]/.test(fraction.slice(2))) {
    return { ok: false, code: 'AMOUNT_TOO_PRECISE', reason: `amount "${input.trim()}" has more than two decimal places` };
  }
  const digits = whole + (fraction + '00').slice(0, 2);
  if (digits.replace(/^0+/, '').length > 16) return outOfRange(input);
  const magnitude = Number(digits);
  if (!Number.isSafeInteger(magnitude)) return outOfRange(input);
  return { ok: true, pence: negative && magnitude !== 0 ? -magnitude : magnitude };
}

function invalid(input: string): AmountResult {
  return { ok: false, code: 'AMOUNT_INVALID', reason: `"${input.trim()}" is not an amount` };
}

function outOfRange(input: string): AmountResult {
  return { ok: false, code: 'AMOUNT_OUT_OF_RANGE', reason: `amount "${input.trim()}" is beyond the largest amount Tandem holds` };
}

/** Parse or throw: for trusted configuration values already validated elsewhere. */
export function pence(input: string): Pence {
  const result = parseAmount(input);
  if (!result.ok) throw new Error(result.reason);
  return result.pence;
}

/** `123456` → `1,234.56`; `-5` → `-0.05`. */
export function formatPounds(value: Pence, options: { symbol?: boolean; grouping?: boolean } = {}): string {
  assertPence(value);
  const negative = value < 0;
  const abs = Math.abs(value);
  let whole = Math.floor(abs / 100).toString();
  if (options.grouping !== false) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${options.symbol ? '£' : ''}${whole}.${(abs % 100).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/**
 * Pounds in thousands with one decimal, the committee presentation (domain.md §3):
 * `123456789` pence (£1,234,567.89) → `1,234.6`. Rounded to the nearest £100, halves away from
 * zero, in integer arithmetic; a figure that rounds to zero shows as `0.0` (never `-0.0`).
 */
export function formatThousands(value: Pence): string {
  assertPence(value);
  const abs = Math.abs(value);
  // £100 = 10,000 pence: tenths of £000s.
  const tenths = Math.floor(abs / 10_000) + (abs % 10_000 >= 5_000 ? 1 : 0);
  const whole = Math.floor(tenths / 10)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${whole}.${tenths % 10}`;
  return value < 0 && tenths !== 0 ? `-${text}` : text;
}
