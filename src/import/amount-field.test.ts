import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../domain/money.js';
import { plainPence, readAmount } from './fields.js';

const pence = (text: string, decimalComma = false) => {
  const result = readAmount(text, decimalComma);
  return result.ok ? result.pence : result.code;
};

describe('readAmount', () => {
  it('reads every accepted shape exactly', () => {
    expect(pence('1,234.56')).toBe(123456);
    expect(pence('-1234.5')).toBe(-123450);
    expect(pence('(1,234.56)')).toBe(-123456);
    expect(pence('1234.56 CR')).toBe(-123456);
    expect(pence('1234.56 DR')).toBe(123456);
    expect(pence('£1,234')).toBe(123400);
    expect(pence('-£5')).toBe(-500);
    expect(pence('£-5')).toBe(-500);
    expect(pence('+12')).toBe(1200);
    expect(pence('1234.56-')).toBe(-123456);
    expect(pence('0.07')).toBe(7);
    expect(pence('.5')).toBe(50);
    expect(pence('5.')).toBe(500);
    expect(pence('-0.00')).toBe(0);
    expect(pence(' 12.30 ')).toBe(1230);
    expect(pence('1 234,56', true)).toBe(123456);
    expect(pence('1.234,56', true)).toBe(123456);
    expect(pence('(1.234,5)', true)).toBe(-123450);
  });

  it('rejects with the same codes as parseAmount', () => {
    expect(pence('')).toBe('AMOUNT_EMPTY');
    expect(pence('  ')).toBe('AMOUNT_EMPTY');
    expect(pence('12,34.5')).toBe('AMOUNT_INVALID');
    expect(pence('1,2345')).toBe('AMOUNT_INVALID');
    expect(pence('abc')).toBe('AMOUNT_INVALID');
    expect(pence('1.234')).toBe('AMOUNT_TOO_PRECISE');
    expect(pence('1.230')).toBe(123); // a zero third place loses nothing
    expect(pence('90071992547409.92')).toBe('AMOUNT_OUT_OF_RANGE');
    expect(pence('1,234.56', true)).toBe('AMOUNT_INVALID');
  });

  it('says why in words', () => {
    expect(readAmount('12,34.5', false)).toEqual({ ok: false, code: 'AMOUNT_INVALID', reason: '"12,34.5" is not an amount' });
  });

  it('fast path agrees with parseAmount on any text built from amount characters', () => {
    const amountChar = fc.constantFrom(...'0123456789,.-()+£ CRD'.split(''));
    fc.assert(
      fc.property(fc.array(amountChar, { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        const fast = plainPence(text);
        if (!Number.isNaN(fast)) expect(parseAmount(text)).toEqual({ ok: true, pence: fast });
        expect(readAmount(text, false)).toEqual(parseAmount(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('fast path agrees with parseAmount on near-amounts (misplaced commas, signs, places)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-(+]?[0-9,]{0,17}(\.[0-9,]{0,3})?[)-]?$/), (text) => {
        expect(readAmount(text, false)).toEqual(parseAmount(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('fast path agrees with parseAmount on well-formed amounts of every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), fc.boolean(), (value, grouped, parens) => {
        const abs = Math.abs(value);
        let whole = Math.floor(abs / 100).toString();
        if (grouped) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        const body = `${whole}.${String(abs % 100).padStart(2, '0')}`;
        const text = value < 0 ? (parens ? `(${body})` : `-${body}`) : body;
        expect(readAmount(text, false)).toEqual(parseAmount(text));
        expect(readAmount(text, false)).toEqual({ ok: true, pence: value });
      }),
      { numRuns: 5_000 },
    );
  });
});
