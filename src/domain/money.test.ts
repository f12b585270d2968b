import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPounds, formatThousands, parseAmount, sumPence } from './money.js';

const ok = (text: string, options = {}) => {
  const r = parseAmount(text, options);
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r.pence;
};
const code = (text: string, options = {}) => {
  const r = parseAmount(text, options);
  return r.ok ? `ok:${r.pence}` : r.code;
};

describe('parseAmount', () => {
  it.each([
    ['1,234.56', 123456],
    ['-1234.5', -123450],
    ['(1,234.56)', -123456],
    ['1234.56 CR', -123456],
    ['1234.56 DR', 123456],
    ['1234.56CR', -123456],
    ['£1,234', 123400],
    ['-£5', -500],
    ['£-5.01', -501],
    ['+12', 1200],
    ['.5', 50],
    ['0.00', 0],
    ['-0.00', 0],
    ['1234.56-', -123456],
    ['  42.10  ', 4210],
    ['(£1,000,000.00)', -100000000],
    ['1.500', 150], // trailing zeros beyond pence are exact
    ['90071992547409.91', 9007199254740991],
  ])('%s → %i pence', (text, expected) => {
    expect(ok(text)).toBe(expected);
  });

  it('reads the decimal comma only when the settings say so', () => {
    expect(ok('1 234,56', { decimalComma: true })).toBe(123456);
    expect(ok('1.234,56', { decimalComma: true })).toBe(123456);
    expect(ok('-12,5', { decimalComma: true })).toBe(-1250);
    expect(code('1 234,56')).toBe('AMOUNT_INVALID');
    expect(code('1,234.56', { decimalComma: true })).toBe('AMOUNT_INVALID');
  });

  it.each([
    ['', 'AMOUNT_EMPTY'],
    ['   ', 'AMOUNT_EMPTY'],
    ['abc', 'AMOUNT_INVALID'],
    ['12,34.5', 'AMOUNT_INVALID'],
    ['1,2345', 'AMOUNT_INVALID'],
    ['1.2.3', 'AMOUNT_INVALID'],
    ['--5', 'AMOUNT_INVALID'],
    ['-(5)', 'AMOUNT_INVALID'], // two ways of saying negative at once is not guessed at
    ['5 EUR', 'AMOUNT_INVALID'],
    ['$5', 'AMOUNT_INVALID'],
    ['1e5', 'AMOUNT_INVALID'],
    ['12.345', 'AMOUNT_TOO_PRECISE'],
    ['0.001', 'AMOUNT_TOO_PRECISE'],
    ['90071992547409.92', 'AMOUNT_OUT_OF_RANGE'],
    ['99999999999999999999', 'AMOUNT_OUT_OF_RANGE'],
    ['(5', 'AMOUNT_INVALID'],
    ['.', 'AMOUNT_INVALID'],
    ['£', 'AMOUNT_INVALID'],
  ])('%j → %s', (text, expected) => {
    expect(code(text)).toBe(expected);
  });

  it('round-trips every formatted amount exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (p) => {
        expect(ok(formatPounds(p))).toBe(p);
        expect(ok(formatPounds(p, { grouping: false, symbol: true }))).toBe(p);
        const abs = formatPounds(Math.abs(p));
        expect(ok(p < 0 ? `(${abs})` : abs)).toBe(p);
        expect(ok(p < 0 ? `${abs} CR` : abs)).toBe(p);
      }),
    );
  });
});

describe('formatPounds', () => {
  it('groups thousands and keeps two decimals', () => {
    expect(formatPounds(123456)).toBe('1,234.56');
    expect(formatPounds(-5)).toBe('-0.05');
    expect(formatPounds(0)).toBe('0.00');
    expect(formatPounds(27800000000, { symbol: true })).toBe('£278,000,000.00');
  });
  it('refuses a non-integer amount', () => {
    expect(() => formatPounds(1.5)).toThrow(/invariant/);
  });
});

describe('sumPence', () => {
  it('refuses to leave the safe integer range', () => {
    expect(() => sumPence([Number.MAX_SAFE_INTEGER, 1])).toThrow(/invariant/);
    expect(sumPence([1, 2, -3])).toBe(0);
  });
});

describe('formatThousands', () => {
  it('shows £000s with one decimal, halves away from zero', () => {
    expect(formatThousands(123456789)).toBe('1,234.6');
    expect(formatThousands(5_000)).toBe('0.1'); // £50 is half of £100: away from zero
    expect(formatThousands(4_999)).toBe('0.0');
    expect(formatThousands(-5_000)).toBe('-0.1');
    expect(formatThousands(-4_999)).toBe('0.0');
    expect(formatThousands(27_800_000_000)).toBe('278,000.0');
    expect(formatThousands(-60_000_000)).toBe('-600.0');
  });
});
