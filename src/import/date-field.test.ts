import { describe, expect, it } from 'vitest';
import type { DateFormat } from '../domain/agreement.js';
import { parseDate } from './fields.js';

const iso = (text: string, format: DateFormat) => {
  const result = parseDate(text, format);
  return result.ok ? result.iso : result.code;
};

describe('parseDate', () => {
  it('reads DD/MM/YYYY, day first, with one- or two-digit day and month', () => {
    expect(iso('31/05/2025', 'DD/MM/YYYY')).toBe('2025-05-31');
    expect(iso('1/6/2025', 'DD/MM/YYYY')).toBe('2025-06-01');
    expect(iso('05/06/2025', 'DD/MM/YYYY')).toBe('2025-06-05'); // 5 June, never May 6
    expect(iso(' 29/02/2024 ', 'DD/MM/YYYY')).toBe('2024-02-29');
    expect(iso('31/05/2025 00:00', 'DD/MM/YYYY')).toBe('2025-05-31');
    expect(iso('31/05/2025 13:45:10', 'DD/MM/YYYY')).toBe('2025-05-31');
  });

  it('rejects what is not a DD/MM/YYYY calendar day', () => {
    for (const bad of ['31/02/2025', '29/02/2025', '00/05/2025', '12/13/2025', '31/05/25', '2025-05-31', '31-05-2025', '31/05/2025x', '', 'May 31']) {
      expect(iso(bad, 'DD/MM/YYYY'), bad).toBe('DATE_INVALID');
    }
  });

  it('reads YYYY-MM-DD, with or without a time', () => {
    expect(iso('2025-05-31', 'YYYY-MM-DD')).toBe('2025-05-31');
    expect(iso('2025-5-1', 'YYYY-MM-DD')).toBe('2025-05-01');
    expect(iso('2025-05-31T00:00:00', 'YYYY-MM-DD')).toBe('2025-05-31');
    expect(iso('2025-05-31T00:00:00.000Z', 'YYYY-MM-DD')).toBe('2025-05-31');
    expect(iso('2025-02-30', 'YYYY-MM-DD')).toBe('DATE_INVALID');
    expect(iso('31/05/2025', 'YYYY-MM-DD')).toBe('DATE_INVALID');
    expect(iso('2025-05-31T25:00', 'YYYY-MM-DD')).toBe('DATE_INVALID');
  });

  it('reads DD-MMM-YY as 20YY and DD-MMM-YYYY, any case', () => {
    expect(iso('31-May-25', 'DD-MMM-YY')).toBe('2025-05-31');
    expect(iso('1-jun-25', 'DD-MMM-YY')).toBe('2025-06-01');
    expect(iso('31-May-2025', 'DD-MMM-YYYY')).toBe('2025-05-31');
    expect(iso('31 MAY 2025', 'DD-MMM-YYYY')).toBe('2025-05-31');
    expect(iso('31-Jun-25', 'DD-MMM-YY')).toBe('DATE_INVALID');
    expect(iso('31-Mey-25', 'DD-MMM-YY')).toBe('DATE_INVALID');
    expect(iso('31-May-202', 'DD-MMM-YYYY')).toBe('DATE_INVALID');
  });

  it('reads Excel serials in the 1900 date system, fake 29 February included', () => {
    expect(iso('1', 'excel')).toBe('1900-01-01');
    expect(iso('59', 'excel')).toBe('1900-02-28');
    expect(iso('60', 'excel')).toBe('DATE_INVALID'); // Excel's 1900-02-29, which never was
    expect(iso('61', 'excel')).toBe('1900-03-01');
    expect(iso('45808', 'excel')).toBe('2025-05-31');
    expect(iso('45808.75', 'excel')).toBe('2025-05-31');
    expect(iso('2958465', 'excel')).toBe('9999-12-31');
    for (const bad of ['0', '2958466', '-1', '4.5e4', '31/05/2025']) expect(iso(bad, 'excel'), bad).toBe('DATE_INVALID');
  });

  it('auto tries DD/MM/YYYY, YYYY-MM-DD, DD-MMM-YY(YY), then a whole Excel serial', () => {
    expect(iso('31/05/2025', 'auto')).toBe('2025-05-31');
    expect(iso('2025-05-31', 'auto')).toBe('2025-05-31');
    expect(iso('31-May-25', 'auto')).toBe('2025-05-31');
    expect(iso('31-May-2025', 'auto')).toBe('2025-05-31');
    expect(iso('45808', 'auto')).toBe('2025-05-31');
    expect(iso('45808.5', 'auto')).toBe('DATE_INVALID');
    expect(iso('31/02/2025', 'auto')).toBe('DATE_INVALID'); // looks like a date, is not one
    expect(iso('05/31/2025', 'auto')).toBe('DATE_INVALID'); // never month first
    expect(iso('60', 'auto')).toBe('DATE_INVALID');
  });

  it('explains a bad date in words', () => {
    expect(parseDate('31/02/2025', 'DD/MM/YYYY')).toEqual({
      ok: false,
      code: 'DATE_INVALID',
      reason: '"31/02/2025" is not a real date (no such day or month)',
    });
    expect(parseDate('May 31', 'DD/MM/YYYY')).toEqual({
      ok: false,
      code: 'DATE_INVALID',
      reason: '"May 31" is not a date (expected DD/MM/YYYY, e.g. 31/05/2025)',
    });
  });
});
