// A mapping rule made from a group of the suspense queue (issue 6): the group's code values
// (all of them, or the ones the officer keeps) become a rule at the END of the ledger's rules,
// written into the agreement's text and stored as the fund's next agreement version — through the
// same parser and the same version store as `tandem agreement load`, audited as
// `agreement.rule.add`. Last, because first match wins: no line an existing rule maps can change,
// only lines no rule matched. Re-applying it to imported lines is `remap` (a separate step).

import { appendRuleToSource, type RuleText } from '../agreement/add-rule.js';
import { parseAgreement } from '../agreement/load.js';
import { invariant } from '../domain/money.js';
import { agreementInForce, storeAgreementVersion, type LoadResult } from './agreements.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';

export interface AddRuleRequest {
  fundId: string;
  ledgerId: string;
  /** Code column → value, all of which a line must have (at least one). */
  when: Record<string, string>;
  target: { scheme: string } | { outOfScope: true };
  note?: string;
  /** The agreement version the officer looked at: refused if another version was stored since. */
  basedOnVersion?: number;
}

export interface AddRuleResult extends LoadResult {
  ledgerId: string;
  /** The new rule's position in the ledger's rules (0-based), as recorded on the lines it maps. */
  ruleIndex: number;
}

const MAX_NOTE = 500;

function refuse(message: string): TandemError {
  return new TandemError('RULE_INVALID', message, [], 2);
}

export async function addMappingRule(ctx: AppContext, request: AddRuleRequest): Promise<AddRuleResult> {
  const { record, agreement } = await agreementInForce(ctx, request.fundId);
  const ledger = agreement.ledgers.find((l) => l.id === request.ledgerId);
  if (!ledger) throw new TandemError('LEDGER_UNKNOWN', `ledger "${request.ledgerId}" is not in the agreement of fund ${request.fundId}`);
  const columns = Object.keys(request.when);
  if (columns.length === 0) throw refuse('a rule needs at least one condition: keep at least one code of the group');
  const unknown = columns.filter((c) => !ledger.file.columns.codes.includes(c));
  if (unknown.length > 0) throw refuse(`${unknown.join(', ')} ${unknown.length === 1 ? 'is not a code column' : 'are not code columns'} of ledger ${ledger.id} (its code columns are ${ledger.file.columns.codes.join(', ')})`);
  if ((request.note ?? '').length > MAX_NOTE) throw refuse(`the note is longer than ${MAX_NOTE} characters`);
  if (request.basedOnVersion !== undefined && request.basedOnVersion !== record.version) {
    throw new TandemError('AGREEMENT_CHANGED', `the agreement of fund ${request.fundId} is now version ${record.version}, not ${request.basedOnVersion}: look at the suspense queue again`);
  }

  if (record.decisionId !== null) {
    // Its source is the decision, not YAML a rule could be written into (docs/governance.md).
    throw new TandemError('AGREEMENT_FROM_DECISION', `agreement version ${record.version} was made by decision ${record.decisionId}, not loaded from a file: load the agreement file (with the decision's change written in) before adding rules`);
  }
  const rule: RuleText = { when: request.when, target: request.target, note: request.note };
  const edited = appendRuleToSource(record.sourceText, ledger.id, rule);
  const loaded = parseAgreement(edited.agreementText, {
    fileName: record.sourceFile,
    readInclude: (relativePath) => {
      const file = edited.included.find((f) => f.relativePath === relativePath);
      if (!file) throw new Error('not part of the stored agreement version');
      return file.text;
    },
  });
  if (!loaded.ok) {
    // Only the new rule can be wrong (the rest is the version in force): an unknown scheme, say.
    throw new TandemError('RULE_INVALID', `the rule cannot be added: ${loaded.problems.map((p) => p.message).join('; ')}`, loaded.problems, 2);
  }
  const before = ledger.rules.length;
  const after = loaded.agreement.ledgers.find((l) => l.id === ledger.id)?.rules ?? [];
  invariant(after.length === before + 1 && JSON.stringify(after.slice(0, before)) === JSON.stringify(ledger.rules), `adding a rule to ledger ${ledger.id} must keep its ${before} rules and add one at the end`);

  const stored = await storeAgreementVersion(ctx, loaded, {
    sourceFile: record.sourceFile,
    action: 'agreement.rule.add',
    details: { ledger: ledger.id, rule: { when: request.when, ...request.target, note: request.note ?? null }, basedOn: record.version },
    expectVersion: record.version,
  });
  invariant(stored.created, 'a new rule always makes a new agreement version');
  return { ...stored, ledgerId: ledger.id, ruleIndex: before };
}
