// House rules checked on every run (style.md habit 9): short files, no `any` and no floating
// point rounding in the pure domain, and the domain importing nothing with I/O.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const MAX_LINES = 400;

describe('tidy', () => {
  const src = files('src');

  it(`keeps every source file under ${MAX_LINES} lines`, () => {
    const long = src.filter((f) => readFileSync(f, 'utf8').split('\n').length > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('keeps the domain pure: no I/O modules, no `any`, no clock', () => {
    const domain = src.filter((f) => f.startsWith(join('src', 'domain')) && !f.endsWith('.test.ts'));
    expect(domain.length).toBeGreaterThan(3);
    for (const f of domain) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/from 'node:(fs|net|http|child_process|os)/);
      expect(text, f).not.toMatch(/from '\.\.\/(store|import|app|cli|server|report)\//);
      expect(text, f).not.toMatch(/:\s*any\b|as any\b/);
      expect(text, f).not.toMatch(/Date\.now\(|new Date\(\)/);
    }
  });

  it('never rounds money with floating point helpers in the core', () => {
    const core = src.filter((f) => /src[/\\](domain|app)[/\\]/.test(f) && !f.endsWith('.test.ts'));
    for (const f of core) expect(readFileSync(f, 'utf8'), f).not.toMatch(/toFixed\(|parseFloat\(|Math\.round\(/);
  });
});
