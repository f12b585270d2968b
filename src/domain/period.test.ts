import { describe, expect, it } from 'vitest';
import {
  calendarMonthOf,
  formatPeriod,
  formatYear,
  parsePeriodArg,
  parseYear,
  periodEndDate,
  periodKey,
  periodOfDate,
  periodsOfYear,
} from './period.js';

describe('financial periods', () => {
  it('names years and months the UK public-sector way', () => {
    expect(formatYear(2025)).toBe('2025-26');
    expect(formatYear(1999)).toBe('1999-00');
    expect(formatPeriod(periodKey(2025, 3))).toBe('2025-26 M03');
  });

  it('maps calendar months to financial periods (April is M01, March is M12)', () => {
    expect(periodOfDate(2025, 4)).toBe(202501);
    expect(periodOfDate(2025, 6)).toBe(202503);
    expect(periodOfDate(2025, 12)).toBe(202509);
    expect(periodOfDate(2026, 1)).toBe(202510);
    expect(periodOfDate(2026, 3)).toBe(202512);
    expect(calendarMonthOf(202510)).toEqual({ year: 2026, month: 1 });
    expect(periodEndDate(202511)).toBe('2026-02-28');
    expect(periodEndDate(202811)).toBe('2029-02-28');
    expect(periodEndDate(202711)).toBe('2028-02-29');
  });

  it('parses years only when the second half follows the first', () => {
    expect(parseYear('2025-26')).toBe(2025);
    expect(parseYear('2025/26')).toBe(2025);
    expect(parseYear('2025-2026')).toBe(2025);
    expect(parseYear('1999-00')).toBe(1999);
    expect(parseYear('2025-27')).toBeUndefined();
    expect(parseYear('2025')).toBeUndefined();
  });

  it.each([
    ['2025-26 M03', 202503],
    ['2025-26 m3', 202503],
    ['2025-26-M12', 202512],
    ['2025-06', 202503],
    ['2026-03', 202512],
    ['2025-26 M13', undefined],
    ['2025-26 M00', undefined],
    ['2025-13', undefined],
    ['June 2025', undefined],
  ])('period argument %s → %s', (text, expected) => {
    expect(parsePeriodArg(text)).toBe(expected);
  });

  it('lists the twelve periods of a year in order', () => {
    const all = periodsOfYear(2025);
    expect(all).toHaveLength(12);
    expect(all[0]).toBe(202501);
    expect(all[11]).toBe(202512);
  });
});
