// The agreement format end to end: the Sheffield example and domain.md §7's worked example load
// into the model the core expects (pence, YearStart numbers, rules in order), ledger files are
// resolved and pinned by the version's hash.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Agreement } from '../src/domain/agreement.js';
import { loadAgreementFile, parseAgreement } from '../src/agreement/load.js';
import { sha256Hex } from '../src/agreement/source-text.js';

const ROOT = join(import.meta.dirname, '..');
const SHEFFIELD = join(ROOT, 'examples', 'sheffield');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'agreements');

async function sheffield() {
  const loaded = await loadAgreementFile(join(SHEFFIELD, 'agreement.yaml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
  return loaded;
}

function byId<T extends { id: string }>(list: readonly T[], id: string): T {
  const found = list.find((x) => x.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

describe('the Sheffield example agreement', () => {
  it('loads with its two ledger files', async () => {
    const loaded = await sheffield();
    expect(loaded.files.map((f) => f.slice(SHEFFIELD.length + 1).replace(/\\/g, '/'))).toEqual([
      'agreement.yaml',
      'ledgers/scc.yaml',
      'ledgers/sccg.yaml',
    ]);
    const a = loaded.agreement;
    expect(a.fund).toEqual({ id: 'sheffield', name: 'Sheffield Better Care Fund (section 75)' });
    expect(a.years).toEqual([2025]);
    expect(a.partners).toEqual([
      { id: 'scc', name: 'Sheffield City Council', kind: 'council' },
      { id: 'sccg', name: 'NHS Sheffield CCG', kind: 'icb' },
    ]);
  });

  it('holds contributions in pence that add to the public totals: £91m council, £187m CCG, £278m in all', async () => {
    const { agreement } = await sheffield();
    expect(byId(agreement.schemes, 'asr').contributions[2025]).toEqual({ scc: 1_350_000_000, sccg: 3_850_000_000 });
    const total = (partner: string) => agreement.schemes.reduce((sum, s) => sum + (s.contributions[2025]?.[partner] ?? 0), 0);
    expect(total('scc')).toBe(9_100_000_000);
    expect(total('sccg')).toBe(18_700_000_000);
    const pooled = agreement.schemes.filter((s) => s.type === 'pooled').flatMap((s) => Object.values(s.contributions[2025] ?? {}));
    expect(pooled.reduce((a, b) => a + b, 0)).toBe(18_500_000_000);
    expect(byId(agreement.schemes, 'nel')).toMatchObject({ type: 'aligned', pool: 'acute', fotMethod: 'run_rate', riskShare: null });
  });

  it('has the BCF pool hosted by the council, netting, with a tiered capped overspend rule and retained underspends', async () => {
    const { agreement } = await sheffield();
    expect(byId(agreement.pools, 'bcf')).toEqual({
      id: 'bcf',
      name: 'Better Care Fund pool',
      host: 'scc',
      netting: true,
      riskShare: {
        overspend: {
          kind: 'tiered',
          bands: [
            { upToPence: 200_000_000, rule: { kind: 'proportional' } },
            { upToPence: null, rule: { kind: 'fixed', percent: { scc: 50, sccg: 50 } } },
          ],
          caps: { scc: { amountPence: 150_000_000 }, sccg: { percentOfContribution: 5 } },
          excessTo: 'scc',
        },
        underspend: { kind: 'retain' },
      },
    });
    expect(byId(agreement.pools, 'acute')).toEqual({ id: 'acute', name: 'Aligned acute', host: null, netting: false, riskShare: null });
  });

  it('phases with equal, explicit-amount and weight profiles', async () => {
    const { agreement } = await sheffield();
    expect(byId(agreement.schemes, 'pkw').profile).toEqual({ kind: 'equal' });
    const ils = byId(agreement.schemes, 'ils').profile;
    expect(ils.kind).toBe('amounts');
    if (ils.kind === 'amounts') {
      expect(ils.amountsPence[2025]).toHaveLength(12);
      expect(ils.amountsPence[2025]![0]).toBe(90_000_000);
      expect(ils.amountsPence[2025]!.reduce((a, b) => a + b, 0)).toBe(1_000_000_000);
    }
    expect(byId(agreement.schemes, 'nel').profile).toEqual({ kind: 'weights', weights: [8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 8] });
  });

  it('takes the ledgers’ extract settings and rules from their ledger files', async () => {
    const { agreement } = await sheffield();
    const scc = byId(agreement.ledgers, 'scc');
    expect(scc.partner).toBe('scc');
    expect(scc.mode).toBe('replace');
    expect(scc.file).toMatchObject({ format: 'csv', encoding: 'windows-1252', delimiter: ',', skipTop: 1, skipBottom: 1, dateFormat: 'DD/MM/YYYY', period13: 'M12' });
    expect(scc.file.columns).toEqual({ date: 'Transaction Date', period: null, year: null, amount: 'Amount', debit: null, credit: null, description: 'Description', id: null, codes: ['Cost Centre', 'Subjective'] });
    expect(scc.rules.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(scc.rules[0]).toEqual({ index: 0, when: [{ column: 'Subjective', range: { from: '8000', to: '8999' } }], target: { outOfScope: true }, note: 'capital charges and depreciation are outside the fund' });
    expect(scc.rules[3]!.when).toEqual([{ column: 'Cost Centre', in: ['C4201', 'C4202'] }]);
    expect(scc.rules[5]).toMatchObject({ when: [{ column: 'Cost Centre', pattern: 'C44[0-9]{2}' }], target: { scheme: 'lths' }, note: null });

    const sccg = byId(agreement.ledgers, 'sccg');
    expect(sccg.file).toMatchObject({ format: 'auto', encoding: 'utf-8', skipTop: 0, skipBottom: 0 });
    expect(sccg.file.columns).toMatchObject({ period: 'Period', year: 'Year', debit: 'Debit', credit: 'Credit', amount: null, codes: ['Entity', 'Cost Centre', 'Account', 'Analysis Code'] });
    expect(sccg.rules[1]!.when).toEqual([{ column: 'Cost Centre', equals: '709900' }]);
  });

  it('codes each partner’s journals in its own ledger’s code columns', async () => {
    const { agreement } = await sheffield();
    expect(agreement.coding.scc!.codeColumns).toEqual(['Cost Centre', 'Subjective']);
    expect(agreement.coding.scc!.poolIncome).toEqual({ 'Cost Centre': 'C4990', Subjective: '9350' });
    expect(agreement.coding.sccg!.debtor).toEqual({ scc: { Entity: '03N', 'Cost Centre': '709100', Account: '131100', 'Analysis Code': 'LA001' } });
    expect(agreement.coding.scc!.rechargeIncome).toBeNull();
    expect(agreement.rag).toEqual({ amberPercent: 1, redPercent: 5 });
    expect(agreement.accrueSettlement).toBe(false);
  });

  it('pins the agreement and its ledger files in one text and one hash', async () => {
    const loaded = await sheffield();
    const agreementText = readFileSync(join(SHEFFIELD, 'agreement.yaml'), 'utf8');
    expect(loaded.sourceText.startsWith(agreementText)).toBe(true);
    expect(loaded.sourceText).toContain(readFileSync(join(SHEFFIELD, 'ledgers', 'scc.yaml'), 'utf8'));
    expect(loaded.sourceText).toContain(readFileSync(join(SHEFFIELD, 'ledgers', 'sccg.yaml'), 'utf8'));
    expect(loaded.sourceSha256).toBe(sha256Hex(loaded.sourceText));
    expect(loaded.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ledger files in the version hash', () => {
  const agreementText = readFileSync(join(SHEFFIELD, 'agreement.yaml'), 'utf8');
  const ledgerFile = (rel: string) => readFileSync(join(SHEFFIELD, rel), 'utf8');
  const parse = (readInclude: (rel: string) => string) => parseAgreement(agreementText, { fileName: 'agreement.yaml', readInclude });

  it('is the same for the same files, and changes when only a ledger file changes', () => {
    const first = parse(ledgerFile);
    const again = parse(ledgerFile);
    const edited = parse((rel) => (rel === 'ledgers/sccg.yaml' ? ledgerFile(rel).replace('scheme: ils', 'scheme: pkw') : ledgerFile(rel)));
    if (!first.ok || !again.ok || !edited.ok) throw new Error('the example should load');
    expect(again.sourceSha256).toBe(first.sourceSha256);
    expect(edited.sourceSha256).not.toBe(first.sourceSha256);
    expect(edited.agreement.ledgers[1]!.rules.at(-1)!.target).toEqual({ scheme: 'pkw' });
  });

  it('fails to include anything when no reader is given', () => {
    const result = parseAgreement(agreementText, { fileName: 'agreement.yaml' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['INCLUDE_NOT_FOUND ledgers.scc.file', 'INCLUDE_NOT_FOUND ledgers.sccg.file']);
  });
});

describe('domain.md §7 worked example', () => {
  it('parses to a scheme-level tiered rule: first £200,000 proportional, the rest 50/50, the council capped at £150,000', async () => {
    const loaded = await loadAgreementFile(join(FIXTURES, 'worked-example.yaml'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const asr = loaded.agreement.schemes[0]!;
    expect(asr.contributions).toEqual({ 2025: { icb: 600_000_000, council: 400_000_000 } });
    expect(asr.riskShare).toEqual<Agreement['schemes'][number]['riskShare']>({
      overspend: {
        kind: 'tiered',
        bands: [
          { upToPence: 20_000_000, rule: { kind: 'proportional' } },
          { upToPence: null, rule: { kind: 'fixed', percent: { icb: 50, council: 50 } } },
        ],
        caps: { council: { amountPence: 15_000_000 } },
      },
      underspend: { kind: 'proportional' },
    });
    expect(loaded.agreement.pools[0]).toMatchObject({ netting: false, riskShare: null, host: 'council' });
    expect(loaded.files).toHaveLength(1);
  });
});

describe('an agreement without ledger files', () => {
  it('stores exactly the text it was given, hashed', async () => {
    const text = readFileSync(join(FIXTURES, 'worked-example.yaml'), 'utf8');
    const result = parseAgreement(text, { fileName: 'worked-example.yaml' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.sourceText).toBe(text);
    expect(result.sourceSha256).toBe(sha256Hex(text));
  });
});
