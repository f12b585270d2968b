import { describe, expect, it } from 'vitest';
import { HoldBack } from './hold-back.js';

/** Push records 1..count through a hold-back of `size`; the line numbers released, in order. */
function released(size: number, count: number): number[] {
  const held = new HoldBack(size);
  const out: number[] = [];
  for (let line = 1; line <= count; line++) if (held.push([String(line)], line)) out.push(held.releasedLineNo);
  return out;
}

describe('HoldBack', () => {
  it('releases every record in order, keeping the last N back', () => {
    expect(released(0, 4)).toEqual([1, 2, 3, 4]);
    expect(released(1, 4)).toEqual([1, 2, 3]);
    expect(released(3, 10)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('releases nothing when there are no more records than it holds', () => {
    expect(released(3, 3)).toEqual([]);
    expect(released(5, 2)).toEqual([]);
  });
});
