// bench/journal.ts: the benchmark's plain-text journal and the balance comparison that
// `npm run bench` prints ✓/✗ for. Pure helpers, plus one small journal read by ledger-cli and
// hledger (as the bench runs them) to show that what the tools print is what the lines add up to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { councilLines, nhsLines } from '../bench/generate.js';
import {
  benchTarget,
  closeAccountsOf,
  closeBalances,
  compareBalances,
  isoFromCouncilDate,
  isoPeriodEnd,
  parseHledgerBalances,
  parseLedgerBalances,
  penceFromText,
  poundsText,
  transactionText,
  writeJournal,
} from '../bench/journal.js';
import { hledgerBalance, ledgerBalance } from '../bench/peers.js';

describe('bench journal helpers', () => {
  it('writes and reads pounds exactly', () => {
    expect(poundsText(123456)).toBe('1234.56');
    expect(poundsText(-5)).toBe('-0.05');
    expect(poundsText(0)).toBe('0.00');
    for (const p of [0, 1, -1, 99, -100, 123456789012, -987654321]) expect(penceFromText(poundsText(p))).toBe(p);
    expect(penceFromText('-1210.00 GBP')).toBe(-121000);
    expect(penceFromText('0')).toBe(0);
    expect(() => penceFromText('12')).toThrow();
    expect(() => penceFromText('1,234.56 GBP')).toThrow();
    expect(() => penceFromText('1.5')).toThrow();
  });

  it("maps lines by bench/agreement.ts's rules, first match wins", () => {
    expect(benchTarget('council', ['C4101', '5003'])).toEqual({ kind: 'mapped', scheme: 's1' });
    expect(benchTarget('council', ['C4199', '9100'])).toEqual({ kind: 'out_of_scope' });
    expect(benchTarget('council', ['C4412', '5000'])).toEqual({ kind: 'mapped', scheme: 's4' });
    expect(benchTarget('council', ['C4412X', '5000'])).toEqual({ kind: 'unmapped' });
    expect(benchTarget('nhs', ['03N', '7012', '520001', 'AN001'])).toEqual({ kind: 'mapped', scheme: 'nel' });
    expect(benchTarget('nhs', ['03N', '7212', '520001', 'ZZ999'])).toEqual({ kind: 'out_of_scope' });
    expect(benchTarget('nhs', ['03N', '7312', '520001', 'AN001'])).toEqual({ kind: 'unmapped' });
  });

  it('dates council lines by their date and NHS lines by their period end', () => {
    expect(isoFromCouncilDate('08/11/2025')).toBe('2025-11-08');
    expect(isoPeriodEnd(1)).toBe('2025-04-30');
    expect(isoPeriodEnd(11)).toBe('2026-02-28');
    expect(isoPeriodEnd(12)).toBe('2026-03-31');
    expect(() => isoPeriodEnd(13)).toThrow();
  });

  it('writes one transaction per line, credits negative', () => {
    const line = { fields: ['C4300', '5001', 'Adult Care C4300', "Carers' support £ grant, ref 0", '08/11/2025', '(1,234.56)'], pence: -123456, month: 8 };
    expect(transactionText('council', line)).toBe("2025-11-08 Carers' support £ grant, ref 0\n    Fund:s3:council:C4300  -1234.56 GBP\n    Ledger:council\n\n");
    const nhs = { fields: ['03N', '7311', '520001', 'AN001', 'Acute & community, batch 1', '2025/26', '2', '66799.79', ''], pence: 6679979, month: 2 };
    expect(transactionText('nhs', nhs)).toBe('2025-05-31 Acute & community, batch 1\n    Suspense:nhs:7311  66799.79 GBP\n    Ledger:nhs\n\n');
  });

  it("reads the tools' balances at depth 2 and compares them to the penny", () => {
    const ledger = parseLedgerBalances('Fund\t12.00 GBP\nFund:s1\t10.01 GBP\nFund:s2\t1.99 GBP\nLedger:council\t-12.00 GBP\nSuspense:nhs\t0\n');
    expect([...ledger]).toEqual([
      ['Fund:s1', 1001],
      ['Fund:s2', 199],
      ['Ledger:council', -1200],
      ['Suspense:nhs', 0],
    ]);
    const hledger = parseHledgerBalances('"account","commodity","balance"\n"Fund:s1","GBP","10.01"\n"Fund:s2","GBP","1.99"\n"Ledger:council","GBP","-12.00"\n');
    expect(compareBalances(ledger, hledger)).toEqual([]);
    const close = closeBalances({ schemes: [{ id: 's1', ytdActualPence: 1001 }, { id: 's2', ytdActualPence: 198 }], unmapped: [] });
    expect(compareBalances(close, closeAccountsOf(ledger))).toEqual([{ account: 'Fund:s2', expected: 198, actual: 199 }]);
    expect(() => parseLedgerBalances('Fund:s1\t10.01 GBP\nFund:s1\t1.00 GBP\n')).toThrow(/twice/);
    expect(() => parseHledgerBalances('"account","commodity","balance"\n"Fund:s1","EUR","1.00"\n')).toThrow(/commodity/);
  });
});

describe('bench journal read by ledger-cli and hledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-journal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives, in both tools, exactly the balances the drawn pence add up to', async () => {
    const options = { months: 12 };
    const source = { council: () => councilLines(300, 1, options), nhs: () => nhsLines(300, 2, options) };
    const file = join(dir, 'journal.ledger');
    const { truth } = await writeJournal(file, source);
    expect(truth.lines).toEqual({ council: 300, nhs: 300 });
    expect(truth.balances.get('Ledger:council')).toBe(-truth.pence.council);
    for (const read of [ledgerBalance(file, dir), hledgerBalance(file, dir)]) expect(compareBalances(truth.balances, read.balances)).toEqual([]);
  });
});
