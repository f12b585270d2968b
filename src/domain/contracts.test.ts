// What a contract is due, by hand for each mechanism, and the RAG of a metric against its plan.

import { describe, expect, it } from 'vitest';
import { contractDue, type Contract } from './contracts.js';
import { assessMetric } from './metrics.js';
import { periodKey } from './period.js';

const y = (m: number) => periodKey(2025, m);

function contract(payment: Contract['payment'], start = y(1), end = periodKey(2027, 12)): Contract {
  return { id: 'c', name: 'C', provider: 'p', leadCommissioner: 'scc', schemes: ['asr'], annualValuePence: 0, start, end, payment, spend: [], unit: null, outcome: null, description: null };
}

const months = (...counts: number[]) => [...counts, ...Array.from({ length: 12 - counts.length }, () => 0)];

describe('contractDue', () => {
  it('phases a block by the largest remainder and pays only the months of the term', () => {
    // £100.00 a year: 10000 / 12 = 833 r 4, so M01..M04 take 834p.
    const full = contractDue(contract({ kind: 'block', annualPence: 10000 }), y(5), months());
    expect(full.monthsPence.slice(0, 5)).toEqual([834, 834, 834, 834, 833]);
    expect([full.ytdPence, full.monthPence, full.ytdCount]).toEqual([834 * 4 + 833, 833, null]);
    // Starting in M04: M01..M03 pay nothing.
    const late = contractDue(contract({ kind: 'block', annualPence: 10000 }, y(4)), y(5), months());
    expect([late.ytdPence, late.monthsPence[0]]).toEqual([834 + 833, 0]);
    // At M12 a full-year block has paid its whole value.
    expect(contractDue(contract({ kind: 'block', annualPence: 10000 }), y(12), months()).ytdPence).toBe(10000);
  });

  it('pays cost and volume at the price up to the threshold, the marginal rate above it, nothing above the cap', () => {
    const terms = { kind: 'cost_and_volume' as const, pricePerUnitPence: 20000, threshold: { units: 100, marginalPercent: 50 }, capUnits: 130 };
    // 60 + 50 = 110 units: 100 × £200 + 10 × £100 = £21,000; M02 pays the increase over M01's £12,000.
    const due = contractDue(contract(terms), y(2), months(60, 50, 40));
    expect([due.ytdCount, due.ytdPence, due.monthPence]).toEqual([110, 2100000, 900000]);
    // 150 units, capped at 130: 100 × £200 + 30 × £100.
    expect(contractDue(contract(terms), y(3), months(60, 50, 40)).ytdPence).toBe(2000000 + 300000);
    // Marginal 33.33% of 7 × £0.01 = 2.3331p: rounded down once, to 2p.
    const odd = contractDue(contract({ kind: 'cost_and_volume', pricePerUnitPence: 1, threshold: { units: 0, marginalPercent: 33.33 } }), y(1), months(7));
    expect(odd.ytdPence).toBe(2);
  });

  it('pays outcomes by tier, capped for the year, and counts no outcome outside the term', () => {
    const terms = { kind: 'outcome' as const, tiers: [{ outcomes: 10, pencePerOutcome: 1000 }, { outcomes: null, pencePerOutcome: 500 }], capPence: 12000 };
    // 8 + 4 = 12: 10 × £10 + 2 × £5 = £110.
    expect(contractDue(contract(terms), y(2), months(8, 4)).ytdPence).toBe(11000);
    // 8 + 4 + 6 = 18: £100 + 8 × £5 = £140, capped at £120; M03 pays the £10 left under the cap.
    const capped = contractDue(contract(terms), y(3), months(8, 4, 6));
    expect([capped.ytdPence, capped.monthPence]).toEqual([12000, 1000]);
    expect(capped.steps.map((s) => s.label)).toContain('capped');
    // A term starting in M02 counts nothing from M01.
    expect(contractDue(contract(terms, y(2)), y(2), months(8, 4)).ytdPence).toBe(4000);
  });
});

describe('assessMetric', () => {
  const lower = { direction: 'lower_is_better' as const, amberPercent: 0, redPercent: 5 };
  const higher = { direction: 'higher_is_better' as const, amberPercent: 1, redPercent: 2 };

  it('is green on plan or better, in the metric’s direction', () => {
    expect(assessMetric(lower, 10000, 9000).rag).toBe('green');
    expect(assessMetric(lower, 10000, 10000)).toEqual({ differenceHundredths: 0, worse: false, rag: 'green' });
    expect(assessMetric(higher, 9000, 9500).rag).toBe('green');
  });

  it('turns amber and red only beyond the thresholds (exactly at one stays below it)', () => {
    // lower is better, plan 100.00: 105.00 is exactly 5% worse (amber, not red); 105.01 is red.
    expect(assessMetric(lower, 10000, 10001).rag).toBe('amber');
    expect(assessMetric(lower, 10000, 10500).rag).toBe('amber');
    expect(assessMetric(lower, 10000, 10501).rag).toBe('red');
    // higher is better, plan 80.00, amber over 1%, red over 2%: 79.20 is exactly 1% short (green).
    expect(assessMetric(higher, 8000, 7920).rag).toBe('green');
    expect(assessMetric(higher, 8000, 7919).rag).toBe('amber');
    expect(assessMetric(higher, 8000, 7840).rag).toBe('amber');
    expect(assessMetric(higher, 8000, 7839)).toEqual({ differenceHundredths: -161, worse: true, rag: 'red' });
  });

  it('calls any shortfall against a plan of zero red', () => {
    expect(assessMetric(lower, 0, 1).rag).toBe('red');
    expect(assessMetric(lower, 0, 0).rag).toBe('green');
  });
});
