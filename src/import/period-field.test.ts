import { describe, expect, it } from 'vitest';
import { formatPeriod } from '../domain/period.js';
import { parsePeriod, type PeriodContext } from './fields.js';

const withYear: PeriodContext = { year: 2025, period13: 'M12' };
const noYear: PeriodContext = { year: null, period13: 'M12' };

const read = (text: string, context: PeriodContext = withYear) => {
  const result = parsePeriod(text, context);
  return result.ok ? formatPeriod(result.period) : result.code;
};

describe('parsePeriod', () => {
  it('reads bare month numbers in the year it is given', () => {
    expect(read('3')).toBe('2025-26 M03');
    expect(read('03')).toBe('2025-26 M03');
    expect(read('M03')).toBe('2025-26 M03');
    expect(read('m3')).toBe('2025-26 M03');
    expect(read('P3')).toBe('2025-26 M03');
    expect(read('P12')).toBe('2025-26 M12');
    expect(read(' 1 ')).toBe('2025-26 M01');
  });

  it('needs a year for bare month numbers', () => {
    expect(read('3', noYear)).toBe('PERIOD_MISSING');
    expect(read('M03', noYear)).toBe('PERIOD_MISSING');
  });

  it('reads a period with its own financial year, which wins over the given year', () => {
    expect(read('2025-26 M03', noYear)).toBe('2025-26 M03');
    expect(read('2025/26 P03', noYear)).toBe('2025-26 M03');
    expect(read('2024-25 M12')).toBe('2024-25 M12');
    expect(read('2025-26/3', noYear)).toBe('2025-26 M03');
    expect(read('2025-2026 M04', noYear)).toBe('2025-26 M04');
    expect(read('2025-27 M03', noYear)).toBe('PERIOD_INVALID'); // not a financial year
  });

  it('turns a calendar month into its financial period', () => {
    expect(read('Jun-25', noYear)).toBe('2025-26 M03');
    expect(read('Jun-2025', noYear)).toBe('2025-26 M03');
    expect(read('june 2025', noYear)).toBe('2025-26 M03');
    expect(read('Apr-25', noYear)).toBe('2025-26 M01');
    expect(read('Mar-26', noYear)).toBe('2025-26 M12');
    expect(read('Jan-2026', noYear)).toBe('2025-26 M10');
    expect(read('2025-06', noYear)).toBe('2025-26 M03');
    expect(read('Junk-25', noYear)).toBe('PERIOD_INVALID');
    expect(read('2025-13', noYear)).toBe('PERIOD_INVALID');
  });

  it('puts period 13 and adjustments in M12 unless the ledger rejects them', () => {
    for (const text of ['13', 'M13', 'P13', 'ADJ', 'adj', '2025-26 P13', '2025-26 ADJ']) expect(read(text), text).toBe('2025-26 M12');
    const reject: PeriodContext = { year: 2025, period13: 'reject' };
    for (const text of ['13', 'M13', 'P13', 'ADJ']) expect(read(text, reject), text).toBe('PERIOD_INVALID');
    expect(read('12', reject)).toBe('2025-26 M12');
  });

  it('rejects what is not a period', () => {
    for (const bad of ['0', '14', 'M00', 'Q3', '3.0', 'M 3 x', '', '2025-26', 'period']) expect(read(bad), bad).toBe('PERIOD_INVALID');
  });

  it('explains a bad period in words', () => {
    expect(parsePeriod('Q3', withYear)).toEqual({
      ok: false,
      code: 'PERIOD_INVALID',
      reason: '"Q3" is not a period (expected e.g. 3, M03, P3, 2025-26 M03, Jun-25 or ADJ)',
    });
    expect(parsePeriod('14', withYear)).toEqual({
      ok: false,
      code: 'PERIOD_INVALID',
      reason: '"14" is not a period (periods run from 1 to 12, or 13 for adjustments)',
    });
  });
});
