// Adding one mapping rule to a stored agreement version's text (the suspense queue's "create a
// rule from this group"): the new version must be a real agreement text that `tandem agreement
// load` would accept, so the rule is written into the YAML where the ledger's rules live — the
// agreement itself or the ledger file it includes — with the yaml library's document API, which
// keeps every comment and the rest of the layout. The caller parses the result again with the
// same parser as any load, so the edit cannot get past validation.

import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { resolvedSourceText, type IncludedText } from './source-text.js';

/** A stored version's text taken apart again: the agreement and each ledger file it included. */
export interface SplitSource {
  agreementText: string;
  included: IncludedText[];
}

const MARKER = /^# ---- tandem: ledger (\S+) includes file: (.+) ----$/gm;

/** The inverse of `resolvedSourceText` (checked: joining the parts gives the text back exactly). */
export function splitResolvedSourceText(text: string): SplitSource {
  const marks = [...text.matchAll(MARKER)];
  const agreementText = marks.length === 0 ? text : text.slice(0, marks[0]!.index);
  const included = marks.map((m, i) => {
    const start = m.index + m[0].length + 1;
    const end = i + 1 < marks.length ? marks[i + 1]!.index : text.length;
    return { ledgerId: m[1]!, relativePath: m[2]!, text: text.slice(start, end) };
  });
  if (resolvedSourceText(agreementText, included) !== text) {
    throw new Error('the stored agreement text cannot be split into the agreement and its ledger files');
  }
  return { agreementText, included };
}

/** A rule as written in YAML: `when` on code columns (plain values mean equals), then where lines go. */
export interface RuleText {
  when: Record<string, string>;
  target: { scheme: string } | { outOfScope: true };
  note?: string;
}

function ruleNode(rule: RuleText): Record<string, unknown> {
  const node: Record<string, unknown> = { when: { ...rule.when } };
  if ('scheme' in rule.target) node.scheme = rule.target.scheme;
  else node.out_of_scope = true;
  if (rule.note !== undefined && rule.note !== '') node.note = rule.note;
  return node;
}

/** Appends the rule to the sequence at `path`, creating the sequence if there is none. */
function appendAt(doc: Document, path: (string | number)[], rule: RuleText): void {
  const existing = doc.getIn(path, true);
  if (existing !== undefined && existing !== null && !isSeq(existing)) throw new Error(`"${path.join('.')}" is not a list of rules`);
  if (isSeq(existing)) existing.add(doc.createNode(ruleNode(rule)));
  else doc.setIn(path, doc.createNode([ruleNode(rule)]));
}

function parsed(text: string, what: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${what} is not valid YAML: ${doc.errors[0]!.message}`);
  return doc;
}

/**
 * The stored text with `rule` appended to the end of ledger `ledgerId`'s rules: last, so every
 * line an earlier rule maps keeps its mapping (first match wins) and only lines no rule matched
 * can change. Returns the agreement text and the included files' texts, ready to parse.
 */
export function appendRuleToSource(storedText: string, ledgerId: string, rule: RuleText): SplitSource {
  const source = splitResolvedSourceText(storedText);
  const doc = parsed(source.agreementText, 'the agreement');
  const ledgers = doc.get('ledgers', true);
  if (!isSeq(ledgers)) throw new Error('the agreement has no list of ledgers');
  const index = ledgers.items.findIndex((item) => isMap(item) && String(item.get('id')) === ledgerId);
  if (index < 0) throw new Error(`the agreement has no ledger "${ledgerId}"`);
  const entry = ledgers.items[index];
  const file = isMap(entry) ? entry.get('file') : undefined;
  // Rules live in the agreement's ledger entry unless that entry names a ledger file without them.
  if (typeof file === 'string' && !(isMap(entry) && entry.has('rules'))) {
    const included = source.included.find((f) => f.ledgerId === ledgerId && f.relativePath === file);
    if (!included) throw new Error(`the stored text has no ledger file "${file}" for ledger "${ledgerId}"`);
    const ledgerDoc = parsed(included.text, `the ledger file ${file}`);
    appendAt(ledgerDoc, ['rules'], rule);
    return { agreementText: source.agreementText, included: source.included.map((f) => (f === included ? { ...f, text: ledgerDoc.toString() } : f)) };
  }
  appendAt(doc, ['ledgers', index, 'rules'], rule);
  return { agreementText: doc.toString(), included: source.included };
}
