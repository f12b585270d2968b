// docs/errors.md must list every code the code can produce, so scripts can rely on the table.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));

  it('lists every import problem code', () => {
    const types = readFileSync('src/import/types.ts', 'utf8');
    const block = /export type ImportErrorCode =([\s\S]*?);/.exec(types)?.[1] ?? '';
    const codes = [...block.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((c) => !documented.has(c))).toEqual([]);
  });

  it('lists every TandemError code raised in src/', () => {
    const codes = new Set<string>();
    for (const file of sources('src')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/new TandemError\(\s*'([A-Z_]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(5);
    expect([...codes].filter((c) => !documented.has(c))).toEqual([]);
  });
});
