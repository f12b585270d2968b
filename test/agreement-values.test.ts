// Amounts, years and codes as people write them in the agreement: pounds become exact pence
// whichever way they are written, and codes keep the text they were written with.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgreement } from '../src/agreement/load.js';
import { poundsToPence } from '../src/agreement/schema-values.js';
import { readYaml } from '../src/agreement/yaml-source.js';

function agreementWith(contribution: string, rule = '{Cost Centre: C4101}'): string {
  return `fund: {id: demo, name: Demo fund}
years: ["2025-26"]
partners:
  - {id: icb, name: NHS Demo ICB, kind: icb}
pools:
  - {id: acute, name: Aligned acute}
schemes:
  - id: nel
    name: Non-elective admissions
    pool: acute
    type: aligned
    contributions: {"2025-26": {icb: ${contribution}}}
ledgers:
  - id: icb
    name: ICB ledger
    partner: icb
    extract: {columns: {amount: Amount}}
    rules:
      - {when: ${rule}, scheme: nel}
`;
}

function contributionOf(text: string) {
  const result = parseAgreement(agreementWith(text), { fileName: 'a.yaml' });
  return result.ok ? { pence: result.agreement.schemes[0]!.contributions[2025]!.icb } : { codes: result.problems.map((p) => p.code) };
}

describe('amounts in pounds', () => {
  it.each([
    ['6000000', 600_000_000],
    ['6000000.50', 600_000_050],
    ['6000000.5', 600_000_050],
    ['"£6,000,000"', 600_000_000],
    ['"6,000,000.00"', 600_000_000],
    ['"£ 1,234.56"', 123_456],
    ['0', 0],
    ['0.01', 1],
  ])('reads %s as %i pence', (text, pence) => {
    expect(contributionOf(text)).toEqual({ pence });
  });

  it.each([
    ['6000000.125', 'AMOUNT_TOO_PRECISE'],
    ['"6,000,000.001"', 'AMOUNT_TOO_PRECISE'],
    ['""', 'AMOUNT_EMPTY'],
    ['"£6m"', 'AMOUNT_INVALID'],
    ['1e6', 'AMOUNT_INVALID'],
    ['.inf', 'AMOUNT_INVALID'],
    ['"99,999,999,999,999,999"', 'AMOUNT_OUT_OF_RANGE'],
    ['-5', 'AMOUNT_NEGATIVE'],
    ['"(5.00)"', 'AMOUNT_NEGATIVE'],
    ['true', 'SCHEMA_TYPE'],
    ['null', 'SCHEMA_TYPE'],
  ])('rejects %s with %s', (text, code) => {
    expect(contributionOf(text)).toEqual({ codes: [code] });
  });

  it('turns any two-decimal amount written as a YAML number into exactly its pence', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), (pence) => {
        const sign = pence < 0 ? '-' : '';
        const abs = Math.abs(pence);
        const written = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
        const { value } = readYaml(`amount: ${written}\n`, 'x.yaml');
        const amount = (value as { amount: number | string }).amount;
        expect(poundsToPence(amount)).toEqual({ ok: true, pence });
      }),
    );
  });
});

describe('codes', () => {
  it('keeps a code written with a leading zero, or in hex, as the text written', () => {
    const { value } = readYaml('a: 05001\nb: 0x1F\nc: 5001\nd: 1e3\ne: 6000000.50\n', 'x.yaml');
    expect(value).toEqual({ a: '05001', b: '0x1F', c: 5001, d: '1e3', e: 6000000.5 });
  });

  it('reads whole-number codes in rules as text', () => {
    const result = parseAgreement(agreementWith('1', '{Subjective: 05001, Account: {in: [521900, "521950"]}, Cost Centre: {range: [7000, 7999]}}'), { fileName: 'a.yaml' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.agreement.ledgers[0]!.rules[0]!.when).toEqual([
      { column: 'Subjective', equals: '05001' },
      { column: 'Account', in: ['521900', '521950'] },
      { column: 'Cost Centre', range: { from: '7000', to: '7999' } },
    ]);
  });

  it('refuses a code written as a fraction', () => {
    const result = parseAgreement(agreementWith('1', '{Subjective: 50.1}'), { fileName: 'a.yaml' });
    expect(result.ok ? [] : result.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['SCHEMA_TYPE ledgers.icb.rules.0.when.Subjective']);
  });
});

describe('data sharing', () => {
  const load = (extra: string) => parseAgreement(agreementWith('100') + extra, { fileName: 'a.yaml' });
  it('keeps line-level detail within each partner unless the agreement shares it', () => {
    const unset = load('');
    const shared = load('data_sharing: {line_detail: all_partners}\n');
    expect(unset.ok && unset.agreement.lineDetailSharedAcrossPartners).toBe(false);
    expect(shared.ok && shared.agreement.lineDetailSharedAcrossPartners).toBe(true);
    const bad = load('data_sharing: {line_detail: everyone}\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toContain('data_sharing.line_detail');
  });
});
