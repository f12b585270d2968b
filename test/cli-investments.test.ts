// `tandem investments` and `tandem investments journals` from the built CLI (npm run build first,
// as for cli-e2e.test.ts): the default `show`, --json reaching the subcommand, a month with a
// payment writing its journal file and a month without one writing nothing.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliIn } from './support/cli-run.js';

const EXAMPLE = join(process.cwd(), 'examples', 'sheffield');
let dir = '';

const tandem = cliIn(() => dir, 'clerk');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-cli-investments-'));
  expect(tandem('init').status).toBe(0);
  expect(tandem('agreement', 'load', join(EXAMPLE, 'agreement.yaml')).status).toBe(0);
  expect(tandem('contracts', 'load', join(EXAMPLE, 'contracts.yaml')).status).toBe(0);
  expect(tandem('metrics', 'import', join(EXAMPLE, 'metrics', '2025-26-Q1.csv')).status).toBe(0);
  expect(tandem('metrics', 'import', join(EXAMPLE, 'metrics', '2025-26-plan.csv')).status).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('shows the payments with their calculation, and raises a month’s payment as a journal file', () => {
  const shown = tandem('investments', '--period', '2025-26 M03');
  expect(shown.status).toBe(0);
  expect(shown.stdout).toMatch(/due this year to date\s+£330,000\.00/);
  expect(shown.stdout).toContain('capped by what is left of the year cap: £1,500,000.00 − £1,380,000.00 already due this year = £120,000.00');
  const json = JSON.parse(tandem('investments', 'show', '--json').stdout);
  expect(json.investments[0]).toMatchObject({ id: 'keeping-well-bond', dueToDatePence: 33_000_000, forecastYearPence: 150_000_000 });

  const raised = JSON.parse(tandem('investments', 'journals', '--period', '2025-26 M01', '--out', 'out', '--json').stdout);
  expect(raised.raised).toMatchObject([{ investment: 'keeping-well-bond', ref: 'T2526M01-SIP-KEEPING-WELL-BOND', duePence: 33_000_000 }]);
  expect(readFileSync(join(dir, 'out', 'sheffield-2025-26-M01-investments-scc.csv'), 'utf8')).toContain(',C4990,B4190,,330000.00,');

  const none = tandem('investments', 'journals', '--period', '2025-26 M02', '--out', 'none');
  expect([none.status, none.stdout.includes('nothing written'), existsSync(join(dir, 'none'))]).toEqual([0, true, false]);
  expect(tandem('investments', 'journals', '--period', '2025-26 M13').status).toBe(2);
  expect(tandem('investments', 'journals', '--help').status).toBe(0);
});
