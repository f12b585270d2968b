// `tandem returns` as a user runs it (the built CLI in a child process, a fresh SQLite file): the
// BCF check exits 0 whether it passes or fails and says which in --json; the returns that need the
// year-end close refuse before it with a clear code and write nothing; a malformed year is a
// usage error (exit 2).

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

let dir: string;

function tandem(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args, '--db', join(dir, 'tandem.db')], { encoding: 'utf8', cwd: dir, env: { ...process.env, TANDEM_USER: 'returns' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout) as Record<string, unknown> };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-returns-cli-'));
  cpSync('examples/sheffield', join(dir, 'sheffield'), { recursive: true });
  expect(tandem('init').status).toBe(0);
  expect(tandem('agreement', 'load', 'sheffield/agreement.yaml').status).toBe(0);
});

describe('tandem returns', () => {
  it('bcf-check prints pass or fail per partner with the margin and exits 0 either way', () => {
    const pass = tandem('returns', 'bcf-check', '2025-26');
    expect(pass.status, pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/NHS Sheffield CCG +£94,000,000\.00 +£37,400,000\.00 +£56,600,000\.00 +\+151\.33% +PASS/);
    const json = tandem('returns', 'bcf-check', '2025-26', '--json').json() as { pass: boolean; partners: { partner: string; pass: boolean; marginPence: number }[] };
    expect(json.pass).toBe(true);

    const file = join(dir, 'sheffield', 'agreement.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('scc: "£3,600,000"', 'scc: "£100,000,000"'));
    expect(tandem('agreement', 'load', 'sheffield/agreement.yaml').status).toBe(0);
    const fail = tandem('returns', 'bcf-check', '2025-26');
    expect(fail.status, fail.stderr).toBe(0);
    expect(fail.stdout).toMatch(/Sheffield City Council +£91,000,000\.00 +£100,000,000\.00 +-£9,000,000\.00 +-9\.00% +FAIL/);
    const failed = tandem('returns', 'bcf-check', '2025-26', '--json');
    expect(failed.status).toBe(0);
    const result = failed.json() as { pass: boolean; partners: { partner: string; pass: boolean; marginPence: number; marginBasisPoints: number }[] };
    expect(result.pass).toBe(false);
    expect(result.partners.map((p) => [p.partner, p.pass, p.marginPence, p.marginBasisPoints])).toEqual([
      ['scc', false, -900_000_000, -900],
      ['sccg', true, 5_660_000_000, 15_133],
    ]);
  });

  it('refuses the memorandum and the BCF year-end before M12 is closed, and a year that is not one, writing nothing', () => {
    for (const cmd of ['memorandum', 'bcf-year-end']) {
      const run = tandem('returns', cmd, '2025-26', '--out', 'out', '--json');
      expect(run.status).toBe(1);
      expect((run.json().error as { code: string }).code).toBe('M12_NOT_CLOSED');
    }
    const outside = tandem('returns', 'memorandum', '2030-31', '--out', 'out', '--json');
    expect(outside.status).toBe(1);
    expect((outside.json().error as { code: string }).code).toBe('PERIOD_OUTSIDE_AGREEMENT');
    const malformed = tandem('returns', 'bcf-check', '2025');
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('is not a financial year');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
