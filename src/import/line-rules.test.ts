// The per-line rules of an extract (amount, debit/credit, date, period, line id, codes, problem
// limit), exercised through openExtract on small CSVs.

import { describe, expect, it } from 'vitest';
import { periodKey } from '../domain/period.js';
import { readCsv } from '../../test/fixtures/import/helpers.js';

const M03 = periodKey(2025, 3);

describe('amounts', () => {
  const debitCredit = { columns: { amount: null, debit: 'Debit', credit: 'Credit' } };
  const csv = (rows: string[]) => `Cost Centre,Subjective,Description,Date,Debit,Credit\n${rows.join('\n')}\n`;

  it('takes debit minus credit from separate columns', async () => {
    const result = await readCsv(csv(['C1,5000,a,01/06/2025,100.00,', 'C1,5000,b,01/06/2025,,"1,250.50"', 'C1,5000,c,01/06/2025,0.00,7', 'C1,5000,d,01/06/2025,0,']), debitCredit);
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => l.amountPence)).toEqual([10000, -125050, -700, 0]);
  });

  it('rejects a line with both sides filled, or neither', async () => {
    const result = await readCsv(csv(['C1,5000,a,01/06/2025,100.00,5', 'C1,5000,b,01/06/2025,,', 'C1,5000,c,01/06/2025,x,']), debitCredit);
    expect(result.problems).toEqual([
      { code: 'DEBIT_AND_CREDIT', file: 'extract.csv', line: 2, column: null, reason: 'both "Debit" ("100.00") and "Credit" ("5") have an amount; a line can have only one' },
      { code: 'AMOUNT_EMPTY', file: 'extract.csv', line: 3, column: null, reason: 'neither "Debit" nor "Credit" has an amount' },
      { code: 'AMOUNT_INVALID', file: 'extract.csv', line: 4, column: 'Debit', reason: '"x" is not an amount' },
    ]);
    expect(result.lines).toEqual([]);
  });

  it('maps each amount error to its code, naming the column', async () => {
    const result = await readCsv(
      'Cost Centre,Subjective,Description,Date,Amount\nC1,5000,a,01/06/2025,\nC1,5000,a,01/06/2025,1.234\nC1,5000,a,01/06/2025,99999999999999999\n',
    );
    expect(result.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['AMOUNT_EMPTY', 2, 'Amount'],
      ['AMOUNT_TOO_PRECISE', 3, 'Amount'],
      ['AMOUNT_OUT_OF_RANGE', 4, 'Amount'],
    ]);
  });

  it('reads decimal-comma amounts when the ledger says so', async () => {
    const result = await readCsv('Cost Centre;Subjective;Description;Date;Amount\nC1;5000;a;01/06/2025;-1.234,5\n', { delimiter: ';', decimalComma: true });
    expect(result.lines.map((l) => l.amountPence)).toEqual([-123450]);
  });
});

describe('periods of lines', () => {
  const header = 'Cost Centre,Subjective,Description,Date,Period,Year,Amount';

  it('takes the period column over the date, keeping the date', async () => {
    const result = await readCsv(`${header}\nC1,5000,a,31/05/2025,2025-26 M03,,1\n`, { columns: { period: 'Period' } });
    expect(result.lines.map((l) => [l.period, l.date])).toEqual([[M03, '2025-05-31']]);
  });

  it('falls back to the date when the period cell is empty', async () => {
    const result = await readCsv(`${header}\nC1,5000,a,31/05/2025,,,1\n`, { columns: { period: 'Period' } });
    expect(result.lines.map((l) => l.period)).toEqual([periodKey(2025, 2)]);
  });

  it('finds the year of bare period numbers in the year column, then the import year, then the import period', async () => {
    const rows = `${header}\nC1,5000,a,,3,2024/25,1\nC1,5000,a,,3,,1\n`;
    const settings = { columns: { period: 'Period', year: 'Year', date: null } };
    expect((await readCsv(rows, settings, { year: 2025 })).lines.map((l) => l.period)).toEqual([periodKey(2024, 3), M03]);
    const byPeriod = await readCsv(rows, settings, { period: M03 }); // line 3 takes its year, 2025-26, from the import period
    expect(byPeriod.lines.map((l) => [l.lineNo, l.period])).toEqual([[3, M03]]);
    expect(byPeriod.problems.map((p) => [p.code, p.line])).toEqual([['PERIOD_MISMATCH', 2]]);
    const noYear = await readCsv(rows, settings);
    expect(noYear.problems.map((p) => [p.code, p.line, p.column])).toEqual([['PERIOD_MISSING', 3, 'Period']]);
  });

  it('reports a year column value that is not a financial year', async () => {
    const result = await readCsv(`${header}\nC1,5000,a,,3,2025,1\n`, { columns: { period: 'Period', year: 'Year', date: null } }, { year: 2025 });
    expect(result.problems).toEqual([
      { code: 'PERIOD_INVALID', file: 'extract.csv', line: 2, column: 'Year', reason: '"2025" is not a financial year (expected e.g. 2025-26)' },
    ]);
  });

  it('gives every line the import period when the ledger has no period or date column', async () => {
    const rows = 'Cost Centre,Subjective,Description,Amount\nC1,5000,a,1\nC2,5000,b,2\n';
    const result = await readCsv(rows, { columns: { date: null } }, { period: M03 });
    expect(result.lines.map((l) => [l.period, l.date])).toEqual([
      [M03, null],
      [M03, null],
    ]);
    const missing = await readCsv(rows, { columns: { date: null } });
    expect(missing.problems).toEqual([
      {
        code: 'PERIOD_MISSING',
        file: 'extract.csv',
        line: null,
        column: null,
        reason: "the ledger's files have no period or date column, so the import must be given a period",
      },
    ]);
  });

  it('uses the import period for a line with no date, and reports it missing without one', async () => {
    const rows = 'Cost Centre,Subjective,Description,Date,Amount\nC1,5000,a,,1\n';
    expect((await readCsv(rows, {}, { period: M03 })).lines.map((l) => l.period)).toEqual([M03]);
    expect((await readCsv(rows)).problems).toEqual([
      { code: 'PERIOD_MISSING', file: 'extract.csv', line: 2, column: 'Date', reason: 'the line has no date, and no period was given for the import' },
    ]);
  });

  it('reports a line in another period than the import is for', async () => {
    const result = await readCsv('Cost Centre,Subjective,Description,Date,Amount\nC1,5000,a,01/06/2025,1\nC1,5000,a,01/07/2025,1\n', {}, { period: M03 });
    expect(result.problems).toEqual([
      {
        code: 'PERIOD_MISMATCH',
        file: 'extract.csv',
        line: 3,
        column: 'Date',
        reason: '"01/07/2025" is in 2025-26 M04, not 2025-26 M03, the period given for this import',
      },
    ]);
    expect(result.lines.map((l) => l.lineNo)).toEqual([2]);
  });

  it('reports periods outside the agreement', async () => {
    const result = await readCsv(
      `${header}\nC1,5000,a,31/03/2025,,,1\nC1,5000,a,,2023-24 M01,,1\n`,
      { columns: { period: 'Period' } },
      { years: [2025] },
    );
    expect(result.problems.map((p) => [p.code, p.line, p.column, p.reason])).toEqual([
      ['PERIOD_OUTSIDE_AGREEMENT', 2, 'Date', '"31/03/2025" is in 2024-25 M12, outside the agreement\'s financial years (2025-26)'],
      ['PERIOD_OUTSIDE_AGREEMENT', 3, 'Period', '"2023-24 M01" is in 2023-24 M01, outside the agreement\'s financial years (2025-26)'],
    ]);
  });

  it('rejects period 13 only when the ledger says so', async () => {
    const rows = `${header}\nC1,5000,a,,P13,,1\n`;
    const settings = { columns: { period: 'Period', date: null } };
    expect((await readCsv(rows, settings, { year: 2025 })).lines.map((l) => l.period)).toEqual([periodKey(2025, 12)]);
    const rejected = await readCsv(rows, { ...settings, period13: 'reject' }, { year: 2025 });
    expect(rejected.problems.map((p) => [p.code, p.column])).toEqual([['PERIOD_INVALID', 'Period']]);
  });

  it('reads each date format the settings allow', async () => {
    const cases = [
      ['DD/MM/YYYY', '01/06/2025'],
      ['YYYY-MM-DD', '2025-06-01'],
      ['DD-MMM-YY', '01-Jun-25'],
      ['DD-MMM-YYYY', '01-Jun-2025'],
      ['excel', '45809'],
      ['auto', '45809'],
    ] as const;
    for (const [dateFormat, text] of cases) {
      const result = await readCsv(`Cost Centre,Subjective,Description,Date,Amount\nC1,5000,a,${text},1\n`, { dateFormat });
      expect(result.lines.map((l) => [l.date, l.period]), dateFormat).toEqual([['2025-06-01', M03]]);
    }
  });
});

describe('line ids, codes and the problem limit', () => {
  it('reports a transaction id seen twice, naming both lines', async () => {
    const rows = 'Id,Cost Centre,Subjective,Description,Date,Amount\nT1,C1,5000,a,01/06/2025,1\nT2,C1,5000,a,01/06/2025,1\n T1 ,C1,5000,a,01/06/2025,1\n,C1,5000,a,01/06/2025,1\n,C1,5000,a,01/06/2025,1\n';
    const result = await readCsv(rows, { columns: { id: 'Id' } });
    expect(result.problems).toEqual([
      { code: 'LINE_ID_DUPLICATE', file: 'extract.csv', line: 4, column: 'Id', reason: 'transaction id "T1" is also on line 2' },
    ]);
    expect(result.lines.map((l) => l.lineId)).toEqual(['T1', 'T2', null, null]);
  });

  it('gives the codes in the order the settings list them, trimmed', async () => {
    const result = await readCsv('Cost Centre,Subjective,Description,Date,Amount\n C1 , 5000 ,a,01/06/2025,1\n', { columns: { codes: ['Subjective', 'Cost Centre'] } });
    expect(result.lines[0]!.codes).toEqual(['5000', 'C1']);
  });

  it('lists problems up to the limit, then counts the rest in one TOO_MANY_ERRORS', async () => {
    const bad = Array.from({ length: 4612 }, (_, i) => `C${i},5000,a,01/06/2025,oops`);
    const result = await readCsv(`Cost Centre,Subjective,Description,Date,Amount\nC1,5000,a,01/06/2025,1\n${bad.join('\n')}\n`);
    expect(result.problems).toHaveLength(101);
    expect(result.problems[99]).toMatchObject({ code: 'AMOUNT_INVALID', line: 102 });
    expect(result.problems[100]).toEqual({
      code: 'TOO_MANY_ERRORS',
      file: 'extract.csv',
      line: null,
      column: null,
      reason: 'only the first 100 problems are listed … and 4,512 more problems',
    });
    expect(result.lines.map((l) => l.lineNo)).toEqual([2]);
  });

  it('honours a smaller limit', async () => {
    const result = await readCsv('Cost Centre,Subjective,Description,Date,Amount\nC1,5000,a,01/06/2025,x\nC1,5000,a,01/06/2025,y\n', {}, { maxProblems: 1 });
    expect(result.problems.map((p) => [p.code, p.reason])).toEqual([
      ['AMOUNT_INVALID', '"x" is not an amount'],
      ['TOO_MANY_ERRORS', 'only the first problem is listed … and 1 more problem'],
    ]);
  });
});
