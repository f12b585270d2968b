// `tandem dissolve` and `tandem decision reconciliation` from the built CLI (npm run build first,
// as for cli-e2e.test.ts): the statement as JSON, a preview that records nothing, a real run
// refused (dissolving is a committee decision), the dissolution decision proposed and approved at
// a meeting, the lock after it, and coded refusals with non-zero exits.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliIn } from './support/cli-run.js';

const TINY = join(process.cwd(), 'test', 'fixtures', 'tiny');
let dir = '';

const tandem = cliIn(() => dir, 'cfo');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-cli-dissolve-'));
  expect(tandem('init').status).toBe(0);
  // The tiny agreement with a joint committee (quorum one per partner) and a finance director.
  const agreement = join(dir, 'agreement.yaml');
  writeFileSync(
    agreement,
    `${readFileSync(join(TINY, 'agreement.yaml'), 'utf8')}
governance:
  committee:
    name: Tiny Joint Committee
    quorum: {council: 1, icb: 1}
    members:
      - {id: cm1, name: Councillor One, partner: council, role: cabinet_member}
      - {id: ib1, name: ICB Member One, partner: icb, role: board_member}
  officers:
    - {id: icb-fd, name: ICB Director of Finance, partner: icb, role: finance_director}
`,
  );
  expect(tandem('agreement', 'load', agreement).status).toBe(0);
  for (const ledger of ['council', 'icb']) for (const m of ['m01', 'm02']) expect(tandem('import', '--ledger', ledger, join(TINY, 'ledgers', `${ledger}-${m}.csv`)).status).toBe(0);
  expect(tandem('close', '2025-26 M01').status).toBe(0);
  expect(tandem('close', '2025-26 M02', '--allow-unmapped').status).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('previews, refuses bad dates, dissolves, and then refuses a close with FUND_DISSOLVED', () => {
  const preview = tandem('dissolve', '--at', '2025-05-31', '--preview', '--json');
  expect(preview.status, preview.stderr).toBe(0);
  expect(JSON.parse(preview.stdout)).toMatchObject({ preview: true, auditEvent: null, period: '2025-26 M02', totals: { incomePence: 90000, spendPence: 101000, positionPence: -11000, sharesPence: -11000 } });

  const bad = tandem('dissolve', '--at', '2025-05-30', '--json');
  expect([bad.status, JSON.parse(bad.stdout).error.code]).toEqual([1, 'DISSOLUTION_DATE_INVALID']);

  const real = tandem('dissolve', '--at', '2025-05-31', '--text', 'JC/25/14', '--json');
  expect([real.status, JSON.parse(real.stdout).error.code]).toEqual([1, 'DISSOLUTION_NEEDS_DECISION']);
  expect(JSON.parse(real.stdout).error.message).toContain('tandem decision propose dissolution --at 2025-05-31');

  const proposed = tandem('decision', 'propose', 'dissolution', '--at', '2025-05-31', '--text', 'JC/25/14', '--json');
  expect(proposed.status, proposed.stderr).toBe(0);
  expect(JSON.parse(proposed.stdout)).toMatchObject({ id: 1, type: 'dissolution', status: 'pending', effectiveFrom: '2025-26 M02' });
  const delegated = tandem('decision', 'approve', '1', '--by', 'icb-fd', '--json');
  expect([delegated.status, JSON.parse(delegated.stdout).error.code]).toEqual([1, 'DECISION_NOT_AUTHORISED']);
  const approved = tandem('decision', 'approve', '1', '--votes', 'cm1=for,ib1=for', '--on', '2025-06-19');
  expect(approved.status, approved.stderr).toBe(0);
  expect(approved.stdout).toContain('effective, the fund dissolved at 2025-05-31');
  expect(tandem('decision', 'list').stdout).toContain('dissolve the fund at 2025-05-31');

  const close = tandem('close', '2025-26 M03', '--json');
  expect([close.status, JSON.parse(close.stdout).error.code]).toEqual([1, 'FUND_DISSOLVED']);
  expect(tandem('verify').status).toBe(0);
});

it('prints the budget reconciliation of a year', () => {
  const out = tandem('decision', 'reconciliation', '--year', '2025-26', '--json');
  expect(out.status, out.stderr).toBe(0);
  expect(JSON.parse(out.stdout)).toEqual({
    year: '2025-26',
    schemes: [
      { scheme: 'care', name: 'Care at home', originalPence: 180000, changes: [], currentPence: 180000 },
      { scheme: 'reable', name: 'Reablement', originalPence: 120000, changes: [], currentPence: 120000 },
      { scheme: 'acute', name: 'Acute admissions', originalPence: 240000, changes: [], currentPence: 240000 },
    ],
  });
});
