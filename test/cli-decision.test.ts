// `tandem decision` from the built CLI (npm run build first, as for cli-e2e.test.ts): propose,
// approve, reject, show and list, their JSON, and non-zero exits with coded errors.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliIn } from './support/cli-run.js';

const AGREEMENT = join(process.cwd(), 'examples', 'sheffield', 'agreement.yaml');
let dir = '';

const tandem = cliIn(() => dir, 'clerk');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-cli-decision-'));
  expect(tandem('init').status).toBe(0);
  expect(tandem('agreement', 'load', AGREEMENT).status).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('proposes, approves under delegation and at a meeting, rejects, and lists as JSON', () => {
  const virement = ['decision', 'propose', 'virement', '--year', '2025-26', '--partner', 'sccg', '--from', 'asr', '--to', 'pkw', '--amount', '300,000', '--effective', '2025-26 M07', '--text', 'ASR to PKW'];
  expect(JSON.parse(tandem(...virement, '--json').stdout)).toMatchObject({ id: 1, status: 'pending', effectiveFrom: '2025-26 M07' });
  const refused = tandem('decision', 'approve', '1', '--by', 'pool-manager', '--json');
  expect(refused.status).toBe(1);
  expect(JSON.parse(refused.stdout).error.code).toBe('DECISION_NOT_AUTHORISED');
  expect(tandem('decision', 'approve', '1', '--by', 'scc-fd', '--on', '2025-09-01').status).toBe(0);
  expect(tandem('decision', 'approve', '1', '--by', 'sccg-fd', '--on', '2025-09-02').stdout).toContain('effective, agreement version 2 from 2025-26 M07');

  const cut = tandem('decision', 'propose', 'budget-variation', '--year', '2025-26', '--partner', 'scc', '--scheme', 'pkw', '--change', '-200000', '--effective', '2025-26 M08', '--text', 'council cut');
  expect(cut.status, cut.stderr).toBe(0);
  const unquorate = tandem('decision', 'approve', '2', '--votes', 'scc-cm-health=for,scc-cm-finance=for,sccg-chair=for', '--json');
  expect([unquorate.status, JSON.parse(unquorate.stdout).error.code]).toEqual([1, 'DECISION_NOT_QUORATE']);
  expect(tandem('decision', 'approve', '2', '--votes', 'scc-cm-health=for,scc-cm-finance=for,sccg-chair=for,sccg-lay=abstain', '--on', '2025-10-01').status).toBe(0);

  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, 'overspend: {rule: fixed, percent: {scc: 50, sccg: 50}}\nunderspend: {rule: retain}\n');
  expect(tandem('decision', 'propose', 'risk-share', '--pool', 'bcf', '--file', rules, '--effective', '2025-26 M09', '--text', '50:50').status).toBe(0);
  expect(tandem('decision', 'reject', '3', '--by', 'sccg-chair', '--text', 'not this year').status).toBe(0);

  const list = JSON.parse(tandem('decision', 'list', '--json').stdout) as { id: number; type: string; status: string; agreementVersion: number | null }[];
  expect(list.map((d) => [d.id, d.type, d.status, d.agreementVersion])).toEqual([
    [1, 'virement', 'effective', 2],
    [2, 'budget_variation', 'effective', 3],
    [3, 'risk_share_change', 'rejected', null],
  ]);
  expect(JSON.parse(tandem('decision', 'show', '2', '--json').stdout).meetings).toEqual([
    { on: '2025-10-01', votes: expect.any(Array), for: 3, against: 0, abstain: 1 },
  ]);
  const usage = tandem('decision', 'approve', '1');
  expect(usage.status).toBe(2);
  expect(tandem('decision', '--help').stdout).toMatch(/propose.*\n.*approve/s);
  expect(tandem('verify').status).toBe(0);
});
