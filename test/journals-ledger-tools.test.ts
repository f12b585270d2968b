// Exported journals read by two independent accounting tools, ledger-cli and hledger: their
// strict checks must pass and their balances must equal Tandem's own sums, account by account.
// The tools check balancing themselves, so a hand-written unbalanced file must fail in both.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journal, JournalLine } from '../src/domain/journal.js';
import { InvariantError, type Pence } from '../src/domain/money.js';
import { accountName, journalsToLedgerText } from '../src/export/journals-ledger.js';
import { balancesWithHledger, balancesWithLedger, checkStrict } from './support/ledger-tools.js';

const SCCG_COLUMNS = ['Entity', 'Cost Centre', 'Account', 'Analysis Code'] as const;
const SCC_COLUMNS = ['Cost Centre', 'Subjective'] as const;

const dir = mkdtempSync(join(tmpdir(), 'tandem-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function line(codes: Record<string, string>, debitPence: Pence, creditPence: Pence, extra: Partial<JournalLine> = {}): JournalLine {
  const defaults = { description: 'BCF M03', role: 'contribution_to_pool', counterparty: null, scheme: null, analysis: null } as const;
  return { codes, debitPence, creditPence, ...defaults, ...extra };
}

function journal(ledger: string, ref: string, lines: JournalLine[], extra: Partial<Journal> = {}): Journal {
  return {
    ledger, partner: ledger, counterparty: ledger === 'sccg' ? 'scc' : 'sccg', pool: 'bcf', kind: 'contribution', variant: 'standard',
    ref, date: '2025-06-30', period: '2025-26 M03', description: 'BCF contribution 2025-26 M03', lines, ...extra,
  };
}

const ccg = (costCentre: string, account: string, analysis = 'BCF00') => ({ Entity: '03N', 'Cost Centre': costCentre, Account: account, 'Analysis Code': analysis });
const council = (costCentre: string, subjective: string) => ({ 'Cost Centre': costCentre, Subjective: subjective });

const sccgJournals: Journal[] = [
  journal('sccg', 'TDM-M03-001-sccg', [
    line(ccg('709100', '521900'), 783_333_333, 0),
    line(ccg('709100', '590100'), 0, 783_333_333, { role: 'creditor', counterparty: 'scc' }),
  ]),
  journal('sccg', 'TDM-M03-003-sccg', [
    line(ccg('709300', '521970'), 123_456, 0, { role: 'fund_spend' }),
    line(ccg('709100', '590200'), 0, 123_456, { role: 'creditor', counterparty: 'scc' }),
  ], { kind: 'settlement', variant: 'accrual', description: 'Settlement accrual M03' }),
  journal('sccg', 'TDM-M03-004-sccg', [
    line(ccg('709300', '521970'), 0, 123_456, { role: 'fund_spend' }),
    line(ccg('709100', '590200'), 123_456, 0, { role: 'creditor', counterparty: 'scc' }),
  ], { kind: 'settlement', variant: 'reversal', description: 'Reversal of M02 settlement accrual' }),
  journal('sccg', 'TDM-M03-005-sccg', [
    line(ccg('7091:00', '5219  00', ' BCF;01\t'), 1, 0),
    line(ccg('7091  00', '5219\n00', ''), 2, 0),
    line(ccg('709100', '590100'), 0, 3, { role: 'creditor', counterparty: 'scc' }),
  ], { description: 'Awkward codes; \n    sccg:03N:709100:521900:BCF00  5.00 GBP' }),
];

const sccJournals: Journal[] = [
  journal('scc', 'TDM-M03-001-scc', [
    line(council('C9000', '1700'), 783_333_333, 0, { role: 'debtor', counterparty: 'sccg' }),
    line(council('C9000', '9100'), 0, 783_333_333, { role: 'pool_income' }),
  ]),
  journal('scc', 'TDM-M03-002-scc', [
    line(council('C9000', '1700'), 9_299_999_996, 0, { role: 'debtor', counterparty: 'sccg' }),
    line(council('C9000', '9510'), 0, 9_300_000_000, { role: 'recharge_income', analysis: { 'Cost Centre': 'C4102', Subjective: '5210' } }),
    line(council('C9000', '9510'), 5, 0, { role: 'recharge_income', description: 'Refund in M03', analysis: { 'Cost Centre': 'C4104', Subjective: '5210' } }),
    line(council('C9000', '9511'), 0, 1, { role: 'recharge_income', analysis: { 'Cost Centre': 'C4103', Subjective: '5300' } }),
  ], { kind: 'recharge', description: 'Recharge of pooled spend to SCCG' }),
];

/** Debit − credit per account, from the Journal objects: what the tools must agree with. */
function expectedBalances(journals: readonly Journal[], columns: readonly string[]): [string, Pence][] {
  const sums = new Map<string, Pence>();
  for (const j of journals) {
    for (const l of j.lines) {
      const name = accountName(j.ledger, l.codes, columns);
      sums.set(name, (sums.get(name) ?? 0) + l.debitPence - l.creditPence);
    }
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : 1));
}

const sorted = (balances: Map<string, Pence>) => [...balances].sort(([a], [b]) => (a < b ? -1 : 1));

const files = {
  sccg: write('sccg.journal', journalsToLedgerText(sccgJournals, SCCG_COLUMNS)),
  scc: write('scc.journal', journalsToLedgerText(sccJournals, SCC_COLUMNS)),
};
const cases = [
  { ledger: 'sccg', file: files.sccg, journals: sccgJournals, columns: SCCG_COLUMNS },
  { ledger: 'scc', file: files.scc, journals: sccJournals, columns: SCC_COLUMNS },
];

describe('accountName', () => {
  it('joins the ledger id and the codes in code-column order', () => {
    expect(accountName('sccg', ccg('709100', '521900'), SCCG_COLUMNS)).toBe('sccg:03N:709100:521900:BCF00');
    expect(accountName('scc', council('C9000', '1700'), ['Subjective', 'Cost Centre'])).toBe('scc:1700:C9000');
  });

  it('makes awkward codes safe: ":" to "-", ";" to ",", whitespace runs to one space, empty to "-"', () => {
    expect(accountName('sccg', ccg('7091:00', '5219  00', ' BCF;01\t'), SCCG_COLUMNS)).toBe('sccg:03N:7091-00:5219 00:BCF,01');
    expect(accountName('sccg', { Entity: '\n03N\r\n' }, SCCG_COLUMNS)).toBe('sccg:03N:-:-:-');
  });

  it('refuses a ledger id that is not an id', () => {
    expect(() => accountName('(sccg)', {}, SCCG_COLUMNS)).toThrow(InvariantError);
  });
});

describe('journalsToLedgerText', () => {
  it('writes the declarations and each transaction with its period and kind', () => {
    const text = journalsToLedgerText(sccgJournals.slice(0, 1), SCCG_COLUMNS);
    expect(text).toMatch(/^; Tandem journals for ledger-cli and hledger/);
    expect(text).toContain('\ncommodity GBP\n    format 1000.00 GBP\n\naccount sccg:03N:709100:521900:BCF00\naccount sccg:03N:709100:590100:BCF00\n');
    expect(text).toContain(
      '\n\n2025-06-30 (TDM-M03-001-sccg) BCF contribution 2025-26 M03\n    ; period: 2025-26 M03\n    ; kind: contribution\n' +
        '    sccg:03N:709100:521900:BCF00    7833333.33 GBP\n    sccg:03N:709100:590100:BCF00   -7833333.33 GBP\n',
    );
  });

  it('keeps a description with ";" and a newline on its one line', () => {
    const text = journalsToLedgerText(sccgJournals, SCCG_COLUMNS);
    expect(text).toContain('\n2025-06-30 (TDM-M03-005-sccg) Awkward codes, sccg:03N:709100:521900:BCF00 5.00 GBP\n    ; period');
  });

  it('keeps the ref a single transaction code', async () => {
    const text = journalsToLedgerText([{ ...sccgJournals[0]!, ref: 'TDM (M03)\t9' }], SCCG_COLUMNS);
    expect(text).toContain('\n2025-06-30 (TDM-M03-9) BCF contribution');
    await expect(checkStrict(write('ref.journal', text))).resolves.toBeUndefined();
  });

  it('refuses an unbalanced journal', () => {
    const bad = journal('sccg', 'J-bad', [line(ccg('709100', '521900'), 783_333_334, 0), line(ccg('709100', '590100'), 0, 783_333_333)]);
    expect(() => journalsToLedgerText([...sccgJournals, bad], SCCG_COLUMNS)).toThrow(/J-bad does not balance/);
  });

  it('refuses two different code combinations that would share an account name', () => {
    const clash = journal('sccg', 'J-clash', [line(ccg('7091:00', '521900'), 1, 0), line(ccg('7091-00', '521900'), 0, 1)]);
    expect(() => journalsToLedgerText([clash], SCCG_COLUMNS)).toThrow(/would both be account "sccg:03N:7091-00:521900:BCF00"/);
  });
});

describe.each(cases)('the $ledger journal file read by ledger-cli and hledger', ({ file, journals, columns }) => {
  it('passes ledger --pedantic and hledger check -s', async () => {
    await expect(checkStrict(file)).resolves.toBeUndefined();
  });

  it('gives ledger-cli the balances Tandem computes, zero balances included', async () => {
    expect(sorted(await balancesWithLedger(file))).toEqual(expectedBalances(journals, columns));
  });

  it('gives hledger the balances Tandem computes, zero balances included', async () => {
    expect(sorted(await balancesWithHledger(file))).toEqual(expectedBalances(journals, columns));
  });

  it('keeps every account at the same depth: a code never adds a level', async () => {
    const accounts = [...(await balancesWithHledger(file)).keys(), ...(await balancesWithLedger(file)).keys()];
    for (const account of accounts) expect(account.split(':'), account).toHaveLength(1 + columns.length);
  });
});

describe('what the tools read, spelled out', () => {
  it('has the large, penny and zero balances exactly', async () => {
    const sccg = await balancesWithLedger(files.sccg);
    expect(sccg.get('sccg:03N:709100:521900:BCF00')).toBe(783_333_333);
    expect(sccg.get('sccg:03N:709300:521970:BCF00')).toBe(0);
    expect(sccg.get('sccg:03N:709100:590200:BCF00')).toBe(0);
    const scc = await balancesWithHledger(files.scc);
    expect(scc.get('scc:C9000:1700')).toBe(10_083_333_329);
    expect(scc.get('scc:C9000:9510')).toBe(-9_299_999_995);
    expect(scc.get('scc:C9000:9511')).toBe(-1);
  });

  it('keeps awkward codes as distinct accounts', async () => {
    const balances = await balancesWithHledger(files.sccg);
    expect(balances.get('sccg:03N:7091-00:5219 00:BCF,01')).toBe(1);
    expect(balances.get('sccg:03N:7091 00:5219 00:-')).toBe(2);
    expect(await balancesWithLedger(files.sccg)).toEqual(balances);
  });
});

describe('the tools check balancing themselves', () => {
  const unbalanced = write('unbalanced.journal', [
    'commodity GBP', '    format 1000.00 GBP', 'account sccg:a', 'account sccg:b', '',
    '2025-06-30 (X1) Off by six pence', '    sccg:a  1234.56 GBP', '    sccg:b  -1234.50 GBP', '',
  ].join('\n'));
  const undeclared = write('undeclared.journal', [
    'commodity GBP', '    format 1000.00 GBP', 'account sccg:a', '',
    '2025-06-30 (X2) Balanced but undeclared', '    sccg:a  1.00 GBP', '    sccg:b  -1.00 GBP', '',
  ].join('\n'));

  it('both helpers read each account’s own balance, not the total with its sub-accounts', async () => {
    const nested = write('nested.journal', [
      'commodity GBP', 'account s:d', 'account s:e', 'account s:e:f', '',
      '2025-06-30 (X3) Parent and child', '    s:e:f  1.00 GBP', '    s:e  1.00 GBP', '    s:d  -2.00 GBP', '',
    ].join('\n'));
    const expected = [['s:d', -200], ['s:e', 100], ['s:e:f', 100]];
    expect(sorted(await balancesWithLedger(nested))).toEqual(expected);
    expect(sorted(await balancesWithHledger(nested))).toEqual(expected);
  });

  it('ledger-cli rejects an unbalanced transaction', async () => {
    await expect(balancesWithLedger(unbalanced)).rejects.toThrow(/Transaction does not balance/);
  });

  it('hledger rejects an unbalanced transaction', async () => {
    await expect(balancesWithHledger(unbalanced)).rejects.toThrow(/could not balance this transaction/);
  });

  it('the strict check rejects unbalanced and undeclared files', async () => {
    await expect(checkStrict(unbalanced)).rejects.toThrow(/does not balance/);
    await expect(checkStrict(undeclared)).rejects.toThrow(/sccg:b/);
  });
});
