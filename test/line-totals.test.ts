// The import's numbered totals (src/app/line-totals.ts) must give exactly the groups of the
// accumulator that remap and verify use, whatever the lines: same keys, counts and pence.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineTotalsAccumulator, NumberedTotals } from '../src/app/line-totals.js';
import type { MappingResult } from '../src/domain/mapping.js';

const TARGETS: MappingResult[] = [
  { status: 'mapped', schemeId: 'care', ruleIndex: 0 },
  { status: 'mapped', schemeId: 'reable', ruleIndex: 1 },
  { status: 'out_of_scope', schemeId: null, ruleIndex: 2 },
  { status: 'unmapped', schemeId: null, ruleIndex: null },
];

const line = fc.record({
  codes: fc.constantFrom('["A","1"]', '["A","2"]', '["B","1"]', '["\\u00a3","x"]'),
  period: fc.constantFrom(202504, 202505, 202603, 202604),
  target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
  amountPence: fc.integer({ min: -1e9, max: 1e9 }),
});

const sorted = <T extends { period: number; status: string; schemeId: string | null; codes: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.codes}|${a.period}|${a.status}|${a.schemeId}`.localeCompare(`${b.codes}|${b.period}|${b.status}|${b.schemeId}`));

describe('numbered line totals', () => {
  it('group exactly as the accumulator does', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 300 }), (lines) => {
        const expected = new LineTotalsAccumulator();
        const numbered = new NumberedTotals();
        const codesNo = new Map<string, number>();
        for (const l of lines) {
          if (!codesNo.has(l.codes)) codesNo.set(l.codes, codesNo.size);
          expected.add(l.period, TARGETS[l.target]!, l.codes, l.amountPence);
          numbered.add(l.period, l.target, TARGETS[l.target]!, codesNo.get(l.codes)!, l.codes, l.amountPence);
        }
        expect(numbered.size).toBe(expected.size);
        expect(sorted(numbered.take())).toEqual(sorted(expected.take()));
        expect(numbered.size).toBe(0);
      }),
    );
  });

  it('refuses a key it cannot keep apart (a target number beyond its bits)', () => {
    expect(() => new NumberedTotals().add(202504, 1 << 16, TARGETS[0]!, 0, '[]', 1)).toThrow(/out of range/);
  });
});
