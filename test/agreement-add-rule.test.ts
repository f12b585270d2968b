// Editing a stored agreement text to add one mapping rule (src/agreement/add-rule.ts): the stored
// text splits back into its files exactly, the rule lands last where the ledger's rules live, and
// comments and other files are untouched.

import { describe, expect, it } from 'vitest';
import { appendRuleToSource, splitResolvedSourceText } from '../src/agreement/add-rule.js';
import { parseAgreement } from '../src/agreement/load.js';
import { resolvedSourceText } from '../src/agreement/source-text.js';

const AGREEMENT = `# the fund
ledgers:
  - id: a
    file: ledgers/a.yaml
  - id: b
    rules:
      - when: {Code: X1}
        scheme: s1
`;
const LEDGER_A = `# ledger a's rules
rules:
  - when: {Account: "5001"} # cost of care
    scheme: s1
`;

describe('adding a rule to a stored agreement text', () => {
  const stored = resolvedSourceText(AGREEMENT, [{ ledgerId: 'a', relativePath: 'ledgers/a.yaml', text: LEDGER_A.trimEnd() }]);

  it('splits the stored text back into the agreement and each ledger file', () => {
    const split = splitResolvedSourceText(stored);
    expect(split.agreementText).toBe(AGREEMENT);
    expect(split.included).toEqual([{ ledgerId: 'a', relativePath: 'ledgers/a.yaml', text: `${LEDGER_A.trimEnd()}` }]);
    expect(splitResolvedSourceText(AGREEMENT)).toEqual({ agreementText: AGREEMENT, included: [] });
  });

  it('appends to the ledger file that holds the rules, keeping comments and codes as text', () => {
    const out = appendRuleToSource(stored, 'a', { when: { Account: '5002', 'Cost Centre': 'C01' }, target: { scheme: 's2' }, note: 'new' });
    expect(out.agreementText).toBe(AGREEMENT);
    const text = out.included[0]!.text;
    expect(text).toContain("# ledger a's rules");
    expect(text).toContain('# cost of care');
    expect(text.indexOf('5002')).toBeGreaterThan(text.indexOf('5001'));
    expect(text).toMatch(/Account: "5002"/); // quoted: read back as the text 5002, like the ledger's code
  });

  it('appends to the rules in the agreement, or starts a list when a ledger has none', () => {
    const inline = appendRuleToSource(AGREEMENT, 'b', { when: { Code: 'X2' }, target: { outOfScope: true } });
    expect(inline.agreementText).toMatch(/X1[\s\S]*X2[\s\S]*out_of_scope: true/);
    const none = appendRuleToSource('ledgers:\n  - id: c\n    name: C\n', 'c', { when: { Code: 'Y' }, target: { scheme: 's' } });
    expect(none.agreementText).toBe('ledgers:\n  - id: c\n    name: C\n    rules:\n      - when:\n          Code: Y\n        scheme: s\n');
  });

  it('refuses an unknown ledger and a stored text that does not split back exactly', () => {
    expect(() => appendRuleToSource(AGREEMENT, 'zz', { when: { Code: 'X' }, target: { scheme: 's1' } })).toThrow(/no ledger "zz"/);
    expect(splitResolvedSourceText(`${stored}\n# ---- tandem: ledger b includes file: y ----\n`).included.at(-1)).toEqual({ ledgerId: 'b', relativePath: 'y', text: '' });
    expect(() => splitResolvedSourceText('a: 1\n# ---- tandem: ledger a includes file: x ----')).toThrow(/cannot be split/);
  });

  it('gives text the agreement parser reads (the caller parses every edit again)', () => {
    const out = appendRuleToSource(stored, 'a', { when: { Account: '5002' }, target: { scheme: 's2' } });
    const parsed = parseAgreement(out.agreementText, { fileName: 'agreement.yaml', readInclude: () => out.included[0]!.text });
    // The toy agreement is incomplete, so it has problems — but none in the YAML the edit wrote.
    expect(parsed.ok ? [] : parsed.problems.filter((p) => p.code.startsWith('YAML'))).toEqual([]);
  });
});
