// `tandem contracts`, `activity import`, `outcomes import`, `metrics` from the built CLI (npm run
// build first, as for cli-e2e.test.ts): the default `show` subcommands, --json reaching the
// subcommand it follows, and non-zero exits with coded errors.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliIn } from './support/cli-run.js';

const EXAMPLE = join(process.cwd(), 'examples', 'sheffield');
let dir = '';

const tandem = cliIn(() => dir, 'clerk');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-cli-contracts-'));
  expect(tandem('init').status).toBe(0);
  expect(tandem('agreement', 'load', join(EXAMPLE, 'agreement.yaml')).status).toBe(0);
  expect(tandem('import', '--ledger', 'sccg', join(EXAMPLE, 'ledgers', 'sccg', '2025-26-M01.csv')).status).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('loads the register, imports activity, outcomes and metrics, and shows contracts and metrics as JSON', () => {
  expect(tandem('contracts', '--json').status).toBe(1);
  expect(JSON.parse(tandem('contracts', '--json').stdout).error.code).toBe('NO_CONTRACT_REGISTER');
  expect(JSON.parse(tandem('contracts', 'load', join(EXAMPLE, 'contracts.yaml'), '--json').stdout)).toMatchObject({ fundId: 'sheffield', version: 1, created: true, contracts: 4, metrics: 4 });
  expect(JSON.parse(tandem('activity', 'import', join(EXAMPLE, 'activity', '2025-26-Q1.csv'), '--json').stdout)).toMatchObject({ status: 'imported', kind: 'activity', lines: 9 });
  expect(JSON.parse(tandem('activity', 'import', join(EXAMPLE, 'activity', '2025-26-Q1.csv'), '--json').stdout)).toMatchObject({ status: 'already-imported' });
  expect(tandem('outcomes', 'import', join(EXAMPLE, 'outcomes', '2025-26-Q1.csv')).stdout).toMatch(/imported 3 line\(s\) of outcomes/);
  expect(tandem('metrics', 'import', join(EXAMPLE, 'metrics', '2025-26-Q1.csv')).status).toBe(0);

  const report = JSON.parse(tandem('contracts', '--period', '2025-26 M01', '--json').stdout);
  expect(report.contracts.find((c: { id: string }) => c.id === 'intermediate-care')).toMatchObject({ dueYtdPence: 250000000, spendYtdPence: 250000000 });
  expect(tandem('contracts', 'show', '--period', '2025-26 M01').stdout).toMatch(/intermediate-care\s+sth\s+block/);
  const metrics = JSON.parse(tandem('metrics', '--json').stdout);
  expect(metrics.metrics.map((m: { latest: { rag: string } }) => m.latest.rag)).toEqual(['red', 'red', 'green', 'green']);
  expect(JSON.parse(tandem('contracts', 'history', '--json').stdout)).toHaveLength(1);
});

it('refuses a bad file with exit 1 and every problem, and a bad period with exit 2', () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'contract,period,outcomes\ncarers-support,2025-26 M01,-1\n');
  const run = tandem('outcomes', 'import', bad, '--json');
  expect(run.status).toBe(1);
  expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'OUTCOMES_REJECTED', problems: [{ code: 'MEASURE_COUNT_INVALID', line: 2, column: 'outcomes' }] });
  expect(tandem('contracts', '--period', '2025-26 M13').status).toBe(2);
});
