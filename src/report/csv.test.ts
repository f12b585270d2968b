import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../domain/money.js';
import { reportCsvTables } from './csv.js';
import type { ReportData } from './report-data.js';

const fixture = () => JSON.parse(readFileSync('test/fixtures/report/sheffield-m03.json', 'utf8')) as ReportData;

function read(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const pence = (cell: string | undefined) => {
  const r = parseAmount(cell ?? '');
  if (!r.ok) throw new Error(`not an amount: ${cell}`);
  return r.pence;
};

describe('report CSV', () => {
  it('writes one BOM-prefixed CRLF file per table whose amounts read back to the same pence', () => {
    const data = fixture();
    const tables = reportCsvTables(data);
    expect(tables.map((t) => t.name)).toEqual(['summary', 'schemes', 'risk-share', 'risk-share-reasons', 'agreement-of-balances', 'unmapped', 'provenance', 'journals-sccg', 'journals-scc']);
    const byName = Object.fromEntries(tables.map((t) => [t.name, read(t.text)]));
    const summary = byName.summary!;
    expect(summary.map((r) => pence(r['FOT £']))).toEqual(data.summary.map((s) => s.fotPence));
    const schemes = byName.schemes!;
    for (const pool of data.pools) {
      for (const s of pool.schemes) {
        const row = schemes.find((r) => r.Scheme === s.id)!;
        expect([pence(row['YTD actual £']), pence(row['FOT variance £']), row.RAG]).toEqual([s.ytdActualPence, s.fotVariancePence, s.rag]);
      }
      expect(pence(schemes.find((r) => r.Name === `Total ${pool.name}`)!['Annual budget £'])).toBe(pool.annualBudgetPence);
    }
    const shares = byName['risk-share']!;
    expect(shares.map((r) => pence(r['scc share £']) + pence(r['sccg share £']) + pence(r['Retained £']))).toEqual(data.shares.map((u) => u.variancePence));
    const journal = byName['journals-sccg']!;
    const debits = journal.reduce((n, r) => n + (r.Debit ? pence(r.Debit) : 0), 0);
    const credits = journal.reduce((n, r) => n + (r.Credit ? pence(r.Credit) : 0), 0);
    expect(debits).toBe(credits);
    expect(debits).toBeGreaterThan(0);
  });

  it('neutralises text a ledger or a person supplied against formula injection', () => {
    const data = fixture();
    data.pools[0]!.schemes[0]!.commentary = { text: '=HYPERLINK("http://evil","x")', by: 'lead', at: '2025-07-10' };
    data.provenance.batches[0]!.file = '@SUM(A1)';
    const tables = Object.fromEntries(reportCsvTables(data).map((t) => [t.name, read(t.text)]));
    expect(tables.schemes![0]!.Commentary).toBe('\'=HYPERLINK("http://evil","x")');
    expect(tables.provenance!.some((r) => r.Value!.startsWith("'@SUM(A1)"))).toBe(true);
    expect(tables.summary![0]!['FOT variance £']).toMatch(/^-?\d+\.\d\d$/); // numbers stay numbers
  });
});
