// Mapping a ledger line to a scheme (domain.md §5): a ledger's rules are tried in order and the
// first whose conditions all hold decides. A line no rule matches is unmapped — held in suspense,
// never dropped or guessed. Rules are compiled once per file header into closures over column
// positions, so mapping a line does no name lookups.

import type { Condition, MappingRule } from './agreement.js';

export type MappingStatus = 'mapped' | 'out_of_scope' | 'unmapped';

export interface MappingResult {
  status: MappingStatus;
  schemeId: string | null;
  ruleIndex: number | null;
}

export type LineMapper = (raw: readonly string[]) => MappingResult;

export type CompileResult = { ok: true; map: LineMapper } | { ok: false; missing: { ruleIndex: number; column: string }[] };

const UNMAPPED: MappingResult = Object.freeze({ status: 'unmapped', schemeId: null, ruleIndex: null });

type Test = (value: string) => boolean;

const NUMBER = /^-?\d+(\.\d+)?$/;

function rangeTest(from: string, to: string): Test {
  if (NUMBER.test(from) && NUMBER.test(to)) {
    const lo = Number(from);
    const hi = Number(to);
    return (v) => (NUMBER.test(v) ? Number(v) >= lo && Number(v) <= hi : v >= from && v <= to);
  }
  return (v) => v >= from && v <= to;
}

function conditionTests(c: Condition): Test[] {
  const tests: Test[] = [];
  if (c.equals !== undefined) {
    const want = c.equals;
    tests.push((v) => v === want);
  }
  if (c.in !== undefined) {
    const set = new Set(c.in);
    tests.push((v) => set.has(v));
  }
  if (c.prefix !== undefined) {
    const p = c.prefix;
    tests.push((v) => v.startsWith(p));
  }
  if (c.range !== undefined) tests.push(rangeTest(c.range.from, c.range.to));
  if (c.pattern !== undefined) {
    const re = new RegExp(`^(?:${c.pattern})$`);
    tests.push((v) => re.test(v));
  }
  return tests;
}

/**
 * Compile a ledger's rules against a file's header. Values are compared trimmed, as finance
 * systems pad codes inconsistently. A rule naming a column the header lacks is an error rather
 * than a rule that silently never matches.
 */
export function compileRules(rules: readonly MappingRule[], header: readonly string[]): CompileResult {
  const position = new Map(header.map((name, i) => [name.trim(), i] as const));
  const missing: { ruleIndex: number; column: string }[] = [];
  const compiled: { checks: { at: number; tests: Test[] }[]; result: MappingResult }[] = [];
  for (const rule of rules) {
    const checks: { at: number; tests: Test[] }[] = [];
    for (const c of rule.when) {
      const at = position.get(c.column.trim());
      if (at === undefined) missing.push({ ruleIndex: rule.index, column: c.column });
      else checks.push({ at, tests: conditionTests(c) });
    }
    const result: MappingResult =
      'scheme' in rule.target
        ? { status: 'mapped', schemeId: rule.target.scheme, ruleIndex: rule.index }
        : { status: 'out_of_scope', schemeId: null, ruleIndex: rule.index };
    compiled.push({ checks, result: Object.freeze(result) });
  }
  if (missing.length > 0) return { ok: false, missing };

  const map: LineMapper = (raw) => {
    for (const rule of compiled) {
      let all = true;
      for (const check of rule.checks) {
        const value = (raw[check.at] ?? '').trim();
        for (const test of check.tests) {
          if (!test(value)) {
            all = false;
            break;
          }
        }
        if (!all) break;
      }
      if (all) return rule.result;
    }
    return UNMAPPED;
  };
  return { ok: true, map };
}
