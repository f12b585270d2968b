// The generated JSON Schema is committed for editors; it must match the zod schema it comes
// from. docs/agreement.md must list every problem code, so scripts can rely on the table, and
// its complete example must load.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementJsonSchemaText } from '../src/agreement/json-schema.js';
import { parseAgreement } from '../src/agreement/load.js';
import { AGREEMENT_PROBLEM_CODES } from '../src/agreement/problems.js';

const ROOT = join(import.meta.dirname, '..');

describe('schema/agreement.schema.json', () => {
  it('is up to date with src/agreement/schema.ts (regenerate with `npm run schema`)', () => {
    expect(readFileSync(join(ROOT, 'schema', 'agreement.schema.json'), 'utf8')).toBe(agreementJsonSchemaText());
  });

  it('is generated the same way every time', () => {
    expect(agreementJsonSchemaText()).toBe(agreementJsonSchemaText());
  });
});

describe('docs/agreement.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'agreement.md'), 'utf8');
  const table = doc.slice(doc.indexOf('## Problem codes'));

  it('lists every agreement problem code in its problem codes table', () => {
    const documented = new Set([...table.matchAll(/^\| `([A-Z_0-9]+)` \|/gm)].map((m) => m[1]));
    expect(AGREEMENT_PROBLEM_CODES.filter((code) => !documented.has(code))).toEqual([]);
    expect([...documented].filter((code) => !(AGREEMENT_PROBLEM_CODES as readonly string[]).includes(code!))).toEqual([]);
  });
});

describe('the complete example in docs/agreement.md', () => {
  it('loads', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'agreement.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## A complete example'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const result = parseAgreement(yaml!, { fileName: 'docs/agreement.md' });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
