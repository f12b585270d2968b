import { describe, expect, it } from 'vitest';
import type { MappingRule } from './agreement.js';
import { compileRules } from './mapping.js';

const header = ['Cost Centre', 'Subjective', 'Description', 'Amount'];
const rules: MappingRule[] = [
  { index: 0, when: [{ column: 'Subjective', equals: '9999' }], target: { outOfScope: true }, note: 'internal recharges' },
  { index: 1, when: [{ column: 'Cost Centre', prefix: 'C41' }, { column: 'Subjective', range: { from: '5000', to: '5999' } }], target: { scheme: 'asr' }, note: null },
  { index: 2, when: [{ column: 'Cost Centre', in: ['C4200', 'C4201'] }], target: { scheme: 'ltc' }, note: null },
  { index: 3, when: [{ column: 'Description', pattern: '.*reablement.*' }], target: { scheme: 'rbl' }, note: null },
  { index: 4, when: [{ column: 'Cost Centre', equals: 'C4100' }], target: { scheme: 'never-reached-for-5xxx' }, note: null },
];

describe('mapping rules', () => {
  const compiled = compileRules(rules, header);
  if (!compiled.ok) throw new Error('rules should compile');
  const map = compiled.map;

  it('takes the first rule whose conditions all hold', () => {
    expect(map(['C4100', '5210', 'Home care', '1'])).toEqual({ status: 'mapped', schemeId: 'asr', ruleIndex: 1 });
    expect(map(['C4100', '9999', 'Home care', '1'])).toEqual({ status: 'out_of_scope', schemeId: null, ruleIndex: 0 });
    expect(map(['C4100', '6100', 'Home care', '1'])).toEqual({ status: 'mapped', schemeId: 'never-reached-for-5xxx', ruleIndex: 4 });
  });

  it('compares ranges numerically when both ends and the value are numbers', () => {
    expect(map(['C4100', '600', 'x', '1']).ruleIndex).toBe(4); // 600 < 5000 numerically, though "600" > "5000" as text
    expect(map(['C4100', '5999', 'x', '1']).ruleIndex).toBe(1);
    expect(map(['C4100', '5000.5', 'x', '1']).ruleIndex).toBe(1);
  });

  it('matches sets, whole-value patterns, and trims padded codes', () => {
    expect(map([' C4201 ', '7000', 'x', '1']).schemeId).toBe('ltc');
    expect(map(['X', '1', 'community reablement team', '1']).schemeId).toBe('rbl');
    expect(map(['X', '1', 'reablement', '1']).schemeId).toBe('rbl');
  });

  it('leaves a line that matches nothing unmapped', () => {
    expect(map(['Z999', '1', 'other', '1'])).toEqual({ status: 'unmapped', schemeId: null, ruleIndex: null });
  });

  it('refuses rules that name a column the file lacks', () => {
    const r = compileRules(rules, ['Cost Centre', 'Amount']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.missing.map((m) => m.column)).toEqual(['Subjective', 'Subjective', 'Description']);
  });
});
