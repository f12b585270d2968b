import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByWeights, splitEqually } from './split.js';

describe('largest-remainder split', () => {
  it('hands leftover pence to the largest remainders, ties to the first listed', () => {
    expect(splitEqually(100, 3)).toEqual([34, 33, 33]);
    expect(splitEqually(-100, 3)).toEqual([-34, -33, -33]);
    expect(splitByWeights(100, [1, 2])).toEqual([33, 67]); // 33.33 / 66.67: the larger remainder wins
    expect(splitByWeights(10, [6, 4])).toEqual([6, 4]);
    expect(splitByWeights(1, [1, 1])).toEqual([1, 0]);
    expect(splitEqually(27800000000, 12)).toEqual(new Array(12).fill(2316666667).map((v, i) => (i < 8 ? v : v - 1)));
  });

  it('shares the §7 worked example band 1 in proportion to contributions', () => {
    expect(splitByWeights(20000000, [600000000, 400000000])).toEqual([12000000, 8000000]);
  });

  it('gives nothing to a zero weight and zero to everyone on a zero amount', () => {
    expect(splitByWeights(101, [0, 1, 1])).toEqual([0, 51, 50]);
    expect(splitByWeights(0, [3, 7])).toEqual([0, 0]);
  });

  it('rejects weights that cannot share', () => {
    expect(() => splitByWeights(10, [])).toThrow(/invariant/);
    expect(() => splitByWeights(10, [0, 0])).toThrow(/invariant/);
    expect(() => splitByWeights(10, [-1, 2])).toThrow(/invariant/);
    expect(() => splitByWeights(0.5, [1])).toThrow(/invariant/);
  });

  it('always adds back exactly, each part within a penny of its exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
        (amount, weights) => {
          const parts = splitByWeights(amount, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
          const total = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = (amount * weights[i]!) / total;
            expect(Math.abs(p - exact)).toBeLessThan(1.0001);
            expect(Number.isInteger(p)).toBe(true);
          });
        },
      ),
    );
  });
});
