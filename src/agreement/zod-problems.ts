// zod's issues, said the way a finance officer reads them: a stable code, the path, and what was
// expected against what the file has ("expected true or false, got text "yes""). Unions get
// special care: of the alternatives, the one whose shape the value fits explains the problem.

import type * as z from 'zod';
import { isMissingKey, isRecord, valueAt } from './paths.js';
import { AGREEMENT_PROBLEM_CODES, finding, type AgreementProblemCode, type Finding, type Segment } from './problems.js';

type Issue = z.core.$ZodIssue;

const KNOWN_CODES: ReadonlySet<string> = new Set(AGREEMENT_PROBLEM_CODES);

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

function expectedWords(expected: string): string {
  return EXPECTED_WORDS[expected] ?? expected;
}

/** What the file has, in the same words. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  if (typeof value === 'string') return `text "${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
  return `${typeof value} ${String(value)}`;
}

function codeFromParams(issue: Issue): AgreementProblemCode | undefined {
  if (issue.code !== 'custom') return undefined;
  const code: unknown = issue.params?.code;
  return typeof code === 'string' && KNOWN_CODES.has(code) ? (code as AgreementProblemCode) : undefined;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** A branch of a union whose value is of the wrong kind altogether (not merely wrong inside). */
function mismatchesAtRoot(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' || i.code === 'invalid_value' || (i.code === 'invalid_union' && i.errors.every(mismatchesAtRoot))),
  );
}

/** "text, a whole number or a mapping": what the alternatives of a union accept. */
function alternatives(branches: readonly (readonly Issue[])[]): string[] {
  return branches.flatMap((branch) =>
    branch.flatMap((i): string[] => {
      if (i.path.length > 0) return [];
      if (i.code === 'invalid_type') return [expectedWords(i.expected)];
      if (i.code === 'invalid_value') return i.values.map((v) => JSON.stringify(v));
      if (i.code === 'invalid_union') return alternatives(i.errors);
      return [];
    }),
  );
}

function orList(words: readonly string[]): string {
  const unique = [...new Set(words)];
  return unique.length <= 1 ? (unique[0] ?? 'something else') : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}

function unionFindings(issue: Extract<Issue, { code: 'invalid_union' }>, at: Segment[], input: unknown): Finding[] {
  const value = valueAt(input, at);
  if (issue.discriminator !== undefined) {
    const options = 'options' in issue && issue.options ? quoteList(issue.options) : '';
    if (value === undefined) return [finding('SCHEMA_REQUIRED', at, `missing "${issue.discriminator}": one of ${options}`)];
    return [finding('SCHEMA_VALUE', at, `expected one of ${options}, got ${describeValue(value)}`)];
  }
  const fitting = issue.errors.filter((branch) => !mismatchesAtRoot(branch));
  if (fitting.length > 0) {
    // The value has the right kind for these alternatives: the one with fewest complaints explains it best.
    const best = fitting.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((inner) => issueFindings(inner, at, input));
  }
  const code = value === undefined ? 'SCHEMA_REQUIRED' : 'SCHEMA_TYPE';
  return [finding(code, at, `expected ${orList(alternatives(issue.errors))}, got ${describeValue(value)}`)];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "needs at least 1 item", "must not be empty", "must be exactly 1 character", "must be at least 0". */
function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const words = issue.exact ? 'exactly' : small ? 'at least' : 'at most';
  if (issue.origin === 'array') return `needs ${words} ${plural(bound, 'item')}`;
  if (issue.origin === 'string' && small && bound === 1 && !issue.exact) return 'must not be empty';
  if (issue.origin === 'string') return `must be ${words} ${plural(bound, 'character')}`;
  return `must be ${words} ${bound}`;
}

/** One zod issue, whose path is relative to `base`, as findings with full paths. */
export function issueFindings(issue: Issue, base: Segment[], input: unknown): Finding[] {
  const at: Segment[] = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const value = valueAt(input, at);
  switch (issue.code) {
    case 'custom':
      return [finding(codeFromParams(issue) ?? 'SCHEMA_VALUE', at, issue.message)];
    case 'unrecognized_keys':
      return issue.keys.map((key) => finding('SCHEMA_UNKNOWN_KEY', [...at, key], `"${key}" is not a key here (misspelt, or in the wrong place?)`));
    case 'invalid_type':
      if (at.length === 0 && (value === null || value === undefined)) {
        return [finding('SCHEMA_TYPE', at, 'the file is empty: an agreement is a mapping that starts with fund, years and partners')];
      }
      if (isMissingKey(input, at)) return [finding('SCHEMA_REQUIRED', at, `missing "${String(at.at(-1))}" (${expectedWords(issue.expected)})`)];
      return [finding('SCHEMA_TYPE', at, `expected ${expectedWords(issue.expected)}, got ${describeValue(value)}`)];
    case 'invalid_value':
      if (isMissingKey(input, at)) return [finding('SCHEMA_REQUIRED', at, `missing "${String(at.at(-1))}": ${quoteList(issue.values)}`)];
      return [finding('SCHEMA_VALUE', at, `expected ${issue.values.length > 1 ? 'one of ' : ''}${quoteList(issue.values)}, got ${describeValue(value)}`)];
    case 'invalid_union':
      return unionFindings(issue, at, input);
    case 'invalid_key': {
      const inner = issue.issues.map((i) => ({ code: codeFromParams(i), message: i.message }));
      const known = inner.find((i) => i.code !== undefined);
      return [finding(known?.code ?? 'SCHEMA_VALUE', at, `"${String(at.at(-1))}": ${(known ?? inner[0])?.message ?? 'not allowed as a key here'}`)];
    }
    case 'too_small':
    case 'too_big':
      return [finding('SCHEMA_VALUE', at, sizeMessage(issue))];
    default:
      return [finding('SCHEMA_VALUE', at, issue.message)];
  }
}

export function zodFindings(issues: readonly Issue[], input: unknown): Finding[] {
  return issues.flatMap((issue) => issueFindings(issue, [], input));
}
