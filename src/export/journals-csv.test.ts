// The journal CSV is what finance teams upload to their ledgers: these tests read it back with
// papaparse and check every line, amount and the formula-injection guard against the Journal
// objects it was made from.

import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Journal, JournalLine } from '../domain/journal.js';
import { InvariantError, parseAmount, type Pence } from '../domain/money.js';
import { journalsToCsv } from './journals-csv.js';

const SCCG_COLUMNS = ['Entity', 'Cost Centre', 'Account', 'Analysis Code'] as const;
const HEADER = 'Date,Period,Journal Ref,Entity,Cost Centre,Account,Analysis Code,Debit,Credit,Description,Scheme,Original Analysis';

function line(codes: Record<string, string>, debitPence: Pence, creditPence: Pence, extra: Partial<JournalLine> = {}): JournalLine {
  const defaults = { description: 'BCF contribution M03', role: 'contribution_to_pool', counterparty: null, scheme: null, analysis: null } as const;
  return { codes, debitPence, creditPence, ...defaults, ...extra };
}

function journal(ref: string, lines: JournalLine[], extra: Partial<Journal> = {}): Journal {
  return {
    ledger: 'sccg', partner: 'sccg', counterparty: 'scc', pool: 'bcf', kind: 'contribution', variant: 'standard',
    ref, date: '2025-06-30', period: '2025-26 M03', description: 'BCF contribution 2025-26 M03', lines, ...extra,
  };
}

const codes = (costCentre: string, account: string, analysis = 'BCF00') => ({ Entity: '03N', 'Cost Centre': costCentre, Account: account, 'Analysis Code': analysis });

const contribution = journal('TDM-2025-26-M03-001-sccg', [
  line(codes('709100', '521900'), 783_333_333, 0, { scheme: 'bcf-core' }),
  line(codes('709100', '590100'), 0, 783_333_333, { role: 'creditor', counterparty: 'scc', description: 'Due to SCC (pool host)' }),
]);

const recharge = journal('TDM-2025-26-M03-002-sccg', [
  line(codes('709200', '521950'), 9_299_999_996, 0, { role: 'spend', analysis: { 'Cost Centre': 'C4102', Subjective: '5210' } }),
  line(codes('709200', '521950'), 5, 0, { role: 'spend', description: 'Refund, reversed', analysis: { 'Cost Centre': 'C4104', Subjective: '5210' } }),
  line(codes('709100', '590100'), 0, 9_300_000_000, { role: 'creditor', counterparty: 'scc' }),
  line(codes('709200', '521960'), 0, 1, { role: 'spend', description: 'Rounding', analysis: { 'Cost Centre': 'C4103', Subjective: '5300' } }),
], { kind: 'recharge', description: 'Recharge of pooled spend' });

function parse(csv: string): string[][] {
  const result = Papa.parse<string[]>(csv, { header: false, skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

function pence(cell: string | undefined): Pence {
  if (cell === '' || cell === undefined) return 0;
  const result = parseAmount(cell);
  if (!result.ok) throw new Error(result.reason);
  return result.pence;
}

describe('journalsToCsv', () => {
  const csv = journalsToCsv([contribution, recharge], SCCG_COLUMNS);

  it('writes the header, CRLF line endings and one row per journal line', () => {
    expect(csv.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(1 + 2 + 4 + 1);
  });

  it('reads back to the same lines, codes in code-column order', () => {
    const [header, ...rows] = parse(csv);
    expect(header!.join(',')).toBe(HEADER);
    const lines = [contribution, recharge].flatMap((j) => j.lines.map((l) => ({ j, l })));
    expect(rows).toHaveLength(lines.length);
    rows.forEach((row, i) => {
      const { j, l } = lines[i]!;
      expect(row.slice(0, 3)).toEqual([j.date, j.period, j.ref]);
      expect(row.slice(3, 7)).toEqual(SCCG_COLUMNS.map((c) => l.codes[c]));
      expect([pence(row[7]), pence(row[8])]).toEqual([l.debitPence, l.creditPence]);
      expect(row.slice(9)).toEqual([l.description, l.scheme ?? '', l.analysis ? Object.entries(l.analysis).map(([k, v]) => `${k}=${v}`).join('; ') : '']);
    });
  });

  it('balances debits and credits per journal ref in the file itself', () => {
    const [, ...rows] = parse(csv);
    const net = new Map<string, Pence>();
    for (const row of rows) net.set(row[2]!, (net.get(row[2]!) ?? 0) + pence(row[7]) - pence(row[8]));
    expect([...net]).toEqual([[contribution.ref, 0], [recharge.ref, 0]]);
  });

  it('writes amounts as plain pounds with two decimals, and zero as an empty cell', () => {
    const [, ...rows] = parse(csv);
    expect(rows.map((r) => [r[7], r[8]])).toEqual([
      ['7833333.33', ''], ['', '7833333.33'],
      ['92999999.96', ''], ['0.05', ''], ['', '93000000.00'], ['', '0.01'],
    ]);
  });

  it('renders the original analysis as "Col=Value; Col=Value"', () => {
    const [, ...rows] = parse(csv);
    expect(rows[2]![11]).toBe('Cost Centre=C4102; Subjective=5210');
    expect(rows[0]![11]).toBe('');
  });

  it('leaves missing codes empty and ignores codes that are not columns', () => {
    const partial = journal('J-partial', [
      line({ Entity: '03N', Account: '521900', Stray: 'X', constructor: 'no' }, 100, 0),
      line({ Entity: '03N', 'Cost Centre': '709100', Account: '590100', 'Analysis Code': 'BCF00' }, 0, 100),
    ]);
    const [, first] = parse(journalsToCsv([partial], SCCG_COLUMNS));
    expect(first!.slice(3, 7)).toEqual(['03N', '', '521900', '']);
    const [header, row] = parse(journalsToCsv([partial], ['constructor']));
    expect([header![3], row![3]]).toEqual(['constructor', 'no']);
  });

  it('quotes commas, quotes and newlines, and guards formula-like text cells with an apostrophe', () => {
    const risky = journal('J-risky', [
      line({ Entity: '=HYPERLINK("http://x")', 'Cost Centre': '+44+1', Account: '-521900', 'Analysis Code': '@SUM(A1)' }, 1, 0, {
        description: 'Care, "home" fees\nline two',
        analysis: { '@Subjective': '=cmd|x' },
      }),
      line(codes('709100', '590100'), 0, 1, { description: '-refund', scheme: '=evil' }),
    ]);
    const text = journalsToCsv([risky], SCCG_COLUMNS);
    expect(text).toContain('"Care, ""home"" fees\nline two"');
    const [, first, second] = parse(text);
    expect(first!.slice(3, 7)).toEqual(["'=HYPERLINK(\"http://x\")", "'+44+1", '-521900', "'@SUM(A1)"]);
    expect(first![9]).toBe('Care, "home" fees\nline two');
    expect(first![11]).toBe("'@Subjective==cmd|x");
    expect(second!.slice(9, 11)).toEqual(["'-refund", "'=evil"]);
    expect([first![7], second![8]]).toEqual(['0.01', '0.01']);
  });

  it('refuses an unbalanced journal and a line with both sides', () => {
    const unbalanced = journal('J-bad', [line(codes('709100', '521900'), 101, 0), line(codes('709100', '590100'), 0, 100)]);
    expect(() => journalsToCsv([contribution, unbalanced], SCCG_COLUMNS)).toThrow(InvariantError);
    expect(() => journalsToCsv([unbalanced], SCCG_COLUMNS)).toThrow(/J-bad does not balance/);
    const twoSided = journal('J-both', [line(codes('709100', '521900'), 5, 5)]);
    expect(() => journalsToCsv([twoSided], SCCG_COLUMNS)).toThrow(/either a debit or a credit/);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => journalsToCsv([{ ...contribution, date: '30/06/2025' }], SCCG_COLUMNS)).toThrow(/not YYYY-MM-DD/);
  });
});
