// Property: any amount, written in any shape a ledger uses, read back through a whole CSV (or
// XLSX) extract, is the same number of pence.

import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAll, readCsv, readOptions, fileSettings, tempFile } from '../../test/fixtures/import/helpers.js';

const grouped = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/** Each shape writes |pence| with a sign (negative: income, a credit). */
const SHAPES: Record<string, (pounds: string, pennies: string, negative: boolean) => string> = {
  plain: (p, d, n) => `${n ? '-' : ''}${p}.${d}`,
  grouped: (p, d, n) => `${n ? '-' : ''}${grouped(p, ',')}.${d}`,
  brackets: (p, d, n) => (n ? `(${grouped(p, ',')}.${d})` : `${grouped(p, ',')}.${d}`),
  creditMark: (p, d, n) => `${p}.${d} ${n ? 'CR' : 'DR'}`,
  pound: (p, d, n) => `${n ? '-' : ''}£${grouped(p, ',')}.${d}`,
  poundThenSign: (p, d, n) => `£${n ? '-' : ''}${p}.${d}`,
  trailingMinus: (p, d, n) => `${p}.${d}${n ? '-' : ''}`,
  plusSign: (p, d, n) => `${n ? '-' : '+'}${p}.${d}`,
  shortest: (p, d, n) => `${n ? '-' : ''}${p}${d === '00' ? '' : `.${d.endsWith('0') ? d[0] : d}`}`,
};

const DECIMAL_COMMA_SHAPES: Record<string, (pounds: string, pennies: string, negative: boolean) => string> = {
  spaces: (p, d, n) => `${n ? '-' : ''}${grouped(p, ' ')},${d}`,
  dots: (p, d, n) => `${n ? '-' : ''}${grouped(p, '.')},${d}`,
};

const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

function write(pence: number, shape: (pounds: string, pennies: string, negative: boolean) => string): string {
  const abs = Math.abs(pence);
  return shape(Math.floor(abs / 100).toString(), String(abs % 100).padStart(2, '0'), pence < 0);
}

const amount = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const small = fc.integer({ min: -10_000_000, max: 10_000_000 });

describe('amounts read back exactly', () => {
  it('in every shape, through a CSV extract', async () => {
    const line = fc.tuple(fc.oneof(amount, small), fc.constantFrom(...Object.keys(SHAPES)));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (lines) => {
        const rows = lines.map(([pence, shape], i) => `C${i},5000,line ${i},31/05/2025,${csvField(write(pence, SHAPES[shape]!))}`);
        const result = await readCsv(`Cost Centre,Subjective,Description,Date,Amount\n${rows.join('\n')}\n`);
        expect(result.problems).toEqual([]);
        expect(result.lines.map((l) => l.amountPence)).toEqual(lines.map(([pence]) => pence));
      }),
      { numRuns: 150 },
    );
  });

  it('with a decimal comma, through a semicolon CSV', async () => {
    const line = fc.tuple(fc.oneof(amount, small), fc.constantFrom(...Object.keys(DECIMAL_COMMA_SHAPES)));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (lines) => {
        const rows = lines.map(([pence, shape], i) => `C${i};5000;line ${i};31/05/2025;${write(pence, DECIMAL_COMMA_SHAPES[shape]!)}`);
        const result = await readCsv(`Cost Centre;Subjective;Description;Date;Amount\n${rows.join('\n')}\n`, { delimiter: ';', decimalComma: true });
        expect(result.problems).toEqual([]);
        expect(result.lines.map((l) => l.amountPence)).toEqual(lines.map(([pence]) => pence));
      }),
      { numRuns: 100 },
    );
  });

  it('split into debit and credit columns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(amount, small), { minLength: 1, maxLength: 40 }), async (amounts) => {
        const rows = amounts.map((pence, i) => {
          const text = csvField(write(Math.abs(pence), SHAPES.grouped!));
          return `C${i},5000,line ${i},31/05/2025,${pence >= 0 ? text : ''},${pence < 0 ? text : ''}`;
        });
        const result = await readCsv(`Cost Centre,Subjective,Description,Date,Debit,Credit\n${rows.join('\n')}\n`, {
          columns: { amount: null, debit: 'Debit', credit: 'Credit' },
        });
        expect(result.problems).toEqual([]);
        expect(result.lines.map((l) => l.amountPence)).toEqual(amounts.map((pence) => (pence === 0 ? 0 : pence)));
      }),
      { numRuns: 100 },
    );
  });

  it('as numbers in XLSX cells, up to the 15 digits Excel keeps', async () => {
    const excelAmount = fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 });
    await fc.assert(
      fc.asyncProperty(fc.array(excelAmount, { minLength: 1, maxLength: 40 }), async (amounts) => {
        const path = tempFile(`amounts-${Math.random().toString(36).slice(2)}.xlsx`, '');
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
        const sheet = workbook.addWorksheet('Ledger');
        sheet.addRow(['Cost Centre', 'Subjective', 'Description', 'Date', 'Amount']).commit();
        amounts.forEach((pence, i) => sheet.addRow([`C${i}`, 5000, 'x', '31/05/2025', pence / 100]).commit());
        sheet.commit();
        await workbook.commit();
        const result = await readAll(path, readOptions(fileSettings()));
        expect(result.problems).toEqual([]);
        expect(result.lines.map((l) => l.amountPence)).toEqual(amounts);
      }),
      { numRuns: 40 },
    );
  });
});
