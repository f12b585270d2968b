// Every problem Tandem can find in an agreement, one fixture each (hledger-style: an input file
// and its expected output). Each fixture in test/fixtures/agreements/problems/ states, in its
// header, every problem it must produce — code, path and, where given, file, line and column:
//
//   # expect: UNKNOWN_PARTNER pools.bcf.host @15:5
//   # expect: YAML_SYNTAX  @ledgers/broken.yaml:5:1
//
// The test checks that exactly those problems are reported: none missing, none extra.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgreement, type AgreementProblem } from '../src/agreement/load.js';
import { AGREEMENT_PROBLEM_CODES } from '../src/agreement/problems.js';

const DIR = join(import.meta.dirname, 'fixtures', 'agreements', 'problems');
const FIXTURES = readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort();

interface Expected {
  code: string;
  path: string;
  file?: string;
  line?: number;
  column?: number;
}

const EXPECT = /^# expect: (\S+) ?(.*?)(?: @(?:(\S+):)?(\d+):(\d+))?$/;

/** A position without a file is in the fixture itself. */
function expectations(text: string, fixture: string): Expected[] {
  return text.split('\n').flatMap((line) => {
    const m = EXPECT.exec(line);
    if (!m) return [];
    const where = m[4] === undefined ? {} : { file: m[3] ?? fixture, line: Number(m[4]), column: Number(m[5]) };
    return [{ code: m[1]!, path: m[2]!.trim(), ...where }];
  });
}

/** The problem as its expectation describes it: with its position only where the expectation gives one. */
function asExpected(problem: AgreementProblem, like: Expected | undefined): Expected {
  const base = { code: problem.code, path: problem.path };
  if (like?.line === undefined) return base;
  return { ...base, file: problem.file.replace(/\\/g, '/'), line: problem.line ?? -1, column: problem.column ?? -1 };
}

function parseFixture(name: string) {
  const text = readFileSync(join(DIR, name), 'utf8');
  const result = parseAgreement(text, { fileName: name, readInclude: (relativePath) => readFileSync(join(DIR, relativePath), 'utf8') });
  return { text, result };
}

describe('agreement problems (test/fixtures/agreements/problems)', () => {
  it.each(FIXTURES)('%s reports exactly the problems it expects', (name) => {
    const { text, result } = parseFixture(name);
    const expected = expectations(text, name);
    expect(expected.length, `${name} states no "# expect:" lines`).toBeGreaterThan(0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const key = (e: Expected) => `${e.code} ${e.path}`;
    const actual = result.problems.map((p) => asExpected(p, expected.find((e) => key(e) === `${p.code} ${p.path}`)));
    const order = (list: Expected[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(order(actual)).toEqual(order(expected));
    for (const problem of result.problems) expect(problem.message.length, `${problem.code} has a message`).toBeGreaterThan(10);
  });

  it('has a fixture for every problem code that an agreement text can produce', () => {
    const covered = new Set(FIXTURES.flatMap((name) => expectations(readFileSync(join(DIR, name), 'utf8'), name).map((e) => e.code)));
    // Reading the agreement file itself (missing, unreadable, not UTF-8) is tested with real files
    // in agreement-load.test.ts; AMOUNT_EMPTY and AMOUNT_OUT_OF_RANGE in agreement-values.test.ts.
    const elsewhere = new Set(['FILE_NOT_FOUND', 'FILE_UNREADABLE', 'FILE_ENCODING', 'AMOUNT_EMPTY', 'AMOUNT_OUT_OF_RANGE']);
    expect(AGREEMENT_PROBLEM_CODES.filter((code) => !covered.has(code) && !elsewhere.has(code))).toEqual([]);
  });

  it('lists problems in file order, the agreement first and then its ledger files', () => {
    const { result } = parseFixture('many-problems.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map((p) => p.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(result.problems).toHaveLength(5);
  });

  it('names the file each problem is in', () => {
    const { result } = parseFixture('include-meaning.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(new Set(result.problems.map((p) => p.file.replace(/\\/g, '/')))).toEqual(new Set(['ledgers/icb-rules.yaml']));
  });
});
