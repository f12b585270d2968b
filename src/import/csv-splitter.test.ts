import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSplitter } from './csv-splitter.js';
import type { SourceItem } from './record-source.js';

/** Feed the text in pieces cut at `cuts` and collect every record with its line number. */
function split(text: string, cuts: number[], skipTop = 0): { records: string[][]; lineNos: number[]; failures: SourceItem[] } {
  const splitter = new CsvSplitter(',', skipTop);
  const items: SourceItem[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    items.push(...splitter.push(text.slice(from, cut), false));
    from = cut;
  }
  items.push(...splitter.push(text.slice(from), true));
  const records: string[][] = [];
  const lineNos: number[] = [];
  for (const item of items) {
    if (item.kind !== 'records') continue;
    records.push(...item.records);
    lineNos.push(...item.lineNos);
  }
  return { records, lineNos, failures: items.filter((item) => item.kind === 'failure') };
}

const quote = (field: string) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field);

describe('CsvSplitter', () => {
  it('gives the same records and line numbers however the text is cut into pieces', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', '£', 'é'), maxLength: 8 });
    const table = fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), fc.array(fc.nat(), { maxLength: 6 }), (rows, linebreak, cutSeeds) => {
        const text = rows.map((row) => row.map(quote).join(',')).join(linebreak) + linebreak;
        const cuts = cutSeeds.map((seed) => seed % (text.length + 1));
        const expectedLines: number[] = [];
        let line = 1;
        for (const row of rows) {
          expectedLines.push(line);
          line += 1 + row.join('').split('\n').length - 1;
        }
        const result = split(text, cuts);
        expect(result.failures).toEqual([]);
        expect(result.records).toEqual(rows);
        expect(result.lineNos).toEqual(expectedLines);
      }),
      { numRuns: 2_000 },
    );
  });

  it('skips the top lines even when they are cut across pieces', () => {
    const text = 'title\r\nrun at 09:00\r\nA,B\r\n1,2\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(split(text, [cut], 2)).toEqual({ records: [['A', 'B'], ['1', '2']], lineNos: [3, 4], failures: [] });
    }
  });

  it('numbers the last line when the file has no final newline', () => {
    expect(split('A,B\n"x\ny",2\n3,4', [])).toEqual({ records: [['A', 'B'], ['x\ny', '2'], ['3', '4']], lineNos: [1, 2, 4], failures: [] });
  });
});
