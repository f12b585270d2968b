// A mapping rule made from a suspense group, on both databases: it becomes the next agreement
// version (written where the ledger's rules live, comments kept), re-applying it maps exactly
// that group's lines, and a refused rule stores nothing. The text editing itself is unit-tested
// in test/agreement-add-rule.test.ts.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { agreementInForce, loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addMappingRule } from '../src/app/mapping-rules.js';
import { remap } from '../src/app/remap.js';
import { unmappedGroups } from '../src/app/unmapped.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { splitResolvedSourceText } from '../src/agreement/add-rule.js';
import { periodKey } from '../src/domain/period.js';
import { rejection } from './support/rejection.js';
import { describeEachStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';

describeEachStore('mapping rules from the suspense queue', (current) => {
  const ctx = (actor = 'officer@scc.example'): AppContext => ({ store: current().store, actor, now: () => new Date('2025-07-08T09:00:00Z') });

  async function sheffield() {
    await loadAgreement(ctx('admin'), join(EXAMPLE, 'agreement.yaml'));
    for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx('admin'), { ledgerId: e.ledgerId, path: e.path });
  }

  it('adds the rule at the end of the ledger file as version 2, and re-applying maps exactly that group', async () => {
    await sheffield();
    const before = await unmappedGroups(ctx(), { ledgerId: 'scc' });
    const d2a = before.find((g) => g.codes['Cost Centre'] === 'C4501')!;
    expect(d2a.lines).toBeGreaterThan(0);

    const added = await addMappingRule(ctx(), { fundId: 'sheffield', ledgerId: 'scc', when: { 'Cost Centre': 'C4501', Subjective: d2a.codes.Subjective! }, target: { scheme: 'lths' }, note: 'D2A beds agreed as fund spend', basedOnVersion: 1 });
    expect(added).toMatchObject({ version: 2, created: true, ledgerId: 'scc' });
    const { agreement, record } = await agreementInForce(ctx(), 'sheffield');
    const rules = agreement.ledgers.find((l) => l.id === 'scc')!.rules;
    expect(added.ruleIndex).toBe(rules.length - 1);
    expect(rules.at(-1)).toMatchObject({ target: { scheme: 'lths' }, note: 'D2A beds agreed as fund spend' });
    // Written into the council's ledger file, after its last rule, with its comments kept.
    const file = splitResolvedSourceText(record.sourceText).included.find((f) => f.ledgerId === 'scc')!;
    expect(file.text).toContain('# First match wins');
    expect(file.text.indexOf('C4501')).toBeGreaterThan(file.text.indexOf('C44[0-9]{2}'));
    expect(added.changes.every((c) => c.path.startsWith('ledgers.scc.rules'))).toBe(true);
    const audit = (await ctx().store.listAudit({ action: 'agreement.rule.add' })).at(-1)!;
    expect(audit).toMatchObject({ actor: 'officer@scc.example', subject: 'agreement:2', details: { ledger: 'scc', basedOn: 1 } });

    const result = await remap(ctx(), { fundId: 'sheffield', ledgerId: 'scc' });
    expect(result.ledgers[0]).toMatchObject({ changed: d2a.lines, unmappedAfter: result.ledgers[0]!.unmappedBefore - d2a.lines, keptInClosedPeriods: 0 });
    const after = await unmappedGroups(ctx(), { ledgerId: 'scc' });
    expect(after).toEqual(before.filter((g) => g !== d2a));
  });

  it('stores nothing for an unknown scheme, no condition, a column that is not a code, or a stale version', async () => {
    await sheffield();
    const base = { fundId: 'sheffield', ledgerId: 'scc', when: { 'Cost Centre': 'C4501' } };
    const unknown = await rejection(addMappingRule(ctx(), { ...base, target: { scheme: 'nope' } }));
    expect(unknown.code).toBe('RULE_INVALID');
    expect(unknown.message).toMatch(/nope/);
    expect((await rejection(addMappingRule(ctx(), { ...base, when: {}, target: { scheme: 'lths' } }))).code).toBe('RULE_INVALID');
    expect((await rejection(addMappingRule(ctx(), { ...base, when: { Description: 'x' }, target: { scheme: 'lths' } }))).message).toMatch(/Description is not a code column/);
    expect((await rejection(addMappingRule(ctx(), { ...base, target: { outOfScope: true }, basedOnVersion: 7 }))).code).toBe('AGREEMENT_CHANGED');
    expect((await ctx().store.listAgreementVersions('sheffield')).length).toBe(1);
    expect(await ctx().store.listAudit({ action: 'agreement.rule.add' })).toEqual([]);
  });

  it('writes the rule inline when the agreement holds the rules, and can send lines out of scope', async () => {
    await loadAgreement(ctx('admin'), 'test/fixtures/tiny/agreement.yaml');
    const added = await addMappingRule(ctx(), { fundId: (await ctx().store.listFunds())[0]!.id, ledgerId: 'council', when: { 'Cost Centre': 'CC777' }, target: { outOfScope: true } });
    const { agreement, record } = await agreementInForce(ctx(), added.fundId);
    expect(agreement.ledgers.find((l) => l.id === 'council')!.rules.at(-1)).toMatchObject({ target: { outOfScope: true }, index: 1 });
    expect(splitResolvedSourceText(record.sourceText).included).toEqual([]);
    expect(record.sourceText).toMatch(/CC777[\s\S]*out_of_scope: true[\s\S]*- id: icb/);
  });

  it('re-applies to open months only when asked to skip closed ones; otherwise refuses as before', async () => {
    await sheffield();
    await closePeriod(ctx('approver'), { fundId: 'sheffield', period: periodKey(2025, 1), allowUnmapped: true });
    const d2a = (await unmappedGroups(ctx(), { ledgerId: 'scc' })).find((g) => g.codes['Cost Centre'] === 'C4501')!;
    expect(d2a.periods).toContain('2025-26 M01');
    await addMappingRule(ctx(), { fundId: 'sheffield', ledgerId: 'scc', when: { 'Cost Centre': 'C4501' }, target: { scheme: 'lths' } });
    expect((await rejection(remap(ctx(), { ledgerId: 'scc' }))).code).toBe('PERIOD_LOCKED');
    const result = await remap(ctx(), { ledgerId: 'scc', skipClosedPeriods: true });
    expect(result.ledgers[0]!.keptInClosedPeriods).toBeGreaterThan(0);
    const left = (await unmappedGroups(ctx(), { ledgerId: 'scc' })).filter((g) => g.codes['Cost Centre'] === 'C4501');
    expect(left.flatMap((g) => g.periods)).toEqual(['2025-26 M01']);
  });
});
