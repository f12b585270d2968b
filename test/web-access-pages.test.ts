// Every web page and form × every role × the user's own / another partner's ledger, against the
// expected-access table (src/domain/access.ts ACCESS_TABLE via expectedAccess), like the API's
// matrix in test/web-access.test.ts. A refusal is a 403 page, except on the lines page, which
// refuses another partner's line detail by showing only its totals (and says why).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { proposeDecision } from '../src/app/decisions.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser } from '../src/app/users.js';
import { expectedAccess, ROLES, type Action, type LedgerOwner, type Role } from '../src/domain/access.js';
import { periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';
const dir = mkdtempSync(join(tmpdir(), 'tandem-web-access-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The council's M02 extract with a line no rule maps, so both ledgers have a suspense group. */
const COUNCIL_M02 = join(dir, 'council-m02.csv');
writeFileSync(COUNCIL_M02, `${readFileSync(`${TINY}/ledgers/council-m02.csv`, 'utf8').trimEnd()}\r\n16/05/2025,CC999,Unknown cost centre,7.00\r\n`);
/** The tiny agreement with a governance section, so the fund has a decision to show. */
const AGREEMENT = join(dir, 'agreement.yaml');
writeFileSync(
  AGREEMENT,
  `${readFileSync(`${TINY}/agreement.yaml`, 'utf8')}
governance:
  committee:
    name: Tiny Committee
    quorum: {council: 1, icb: 1}
    members: [{id: cm1, name: Councillor One, partner: council, role: cabinet_member}, {id: ib1, name: ICB Member One, partner: icb, role: board_member}]
`,
);
const CODES: Record<string, string> = { icb: '["ACC9"]', council: '["CC999"]' };
const CODE_COLUMN: Record<string, string> = { icb: 'Account', council: 'Cost Centre' };

interface PageCase {
  method: 'GET' | 'POST';
  path: (ledger: string) => string;
  action: Action;
  ledger: boolean;
  form?: (ledger: string) => Record<string, string | File>;
  /** A form that changes nothing (a scenario is projected and forgotten). */
  readOnly?: boolean;
  /** How a refusal shows; a 403 page unless said otherwise. */
  refused?: (status: number, text: string) => boolean;
}

/** A small scenario with its fund inline, for the scenario upload form. */
const SCENARIO = `scenario: {id: access, name: Access}
years: ["2025-26", "2026-27"]
fund:
  id: t
  name: Test fund
  partners:
    - {id: council, name: Council, kind: council}
    - {id: icb, name: ICB, kind: icb}
  pools:
    - {id: bcf, name: BCF, host: council, netting: true, risk_share: {overspend: {rule: proportional}, underspend: {rule: retain}}}
  schemes:
    - {id: prev, name: Prevention, pool: bcf, type: pooled, contributions: {"2025-26": {council: 600000, icb: 400000}}}
demand_growth_percent: {prev: 3}
`;

const CASES: PageCase[] = [
  { method: 'GET', path: () => '/', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/pools', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/pools/core', action: 'fund.view', ledger: false },
  { method: 'GET', path: (l) => `/lines?scheme=care&ledger=${l}`, action: 'ledger.lines.view', ledger: true, refused: (status, text) => status === 403 || text.includes('Only the totals of') },
  { method: 'GET', path: () => '/downloads', action: 'report.download', ledger: false },
  { method: 'GET', path: () => '/downloads/report/2025-26-M01/html', action: 'report.download', ledger: false },
  { method: 'GET', path: (l) => `/downloads/journals/2025-26-M01/${l}/csv`, action: 'ledger.journals.download', ledger: true },
  { method: 'GET', path: () => '/close', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/close/2025-26-M01', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/close/2025-26-M02/confirm', action: 'period.close', ledger: false },
  { method: 'GET', path: () => '/agreement', action: 'agreement.view', ledger: false },
  { method: 'GET', path: () => '/audit', action: 'audit.view', ledger: false },
  { method: 'GET', path: () => '/imports', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/suspense', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/planning', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/planning/scenarios', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/planning/contracts', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/planning/metrics', action: 'fund.view', ledger: false },
  { method: 'POST', path: () => '/planning/scenarios', action: 'fund.view', ledger: false, form: () => ({ file: new File([SCENARIO], 'access.yaml') }), readOnly: true },
  { method: 'GET', path: () => '/governance', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/governance/decisions', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/governance/decisions/1', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/governance/years', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/governance/returns?year=2025-26', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/governance/dissolution?at=2025-04-30', action: 'fund.view', ledger: false },
  // M12 is not closed here, so an allowed request gets the use case's refusal (422); web-governance.test.ts downloads the files.
  { method: 'GET', path: () => '/governance/returns/2025-26/memorandum', action: 'report.download', ledger: false },
  { method: 'GET', path: () => '/governance/returns/2025-26/bcf-year-end', action: 'report.download', ledger: false },
  { method: 'GET', path: (l) => `/suspense/rule?ledger=${l}&codes=${encodeURIComponent(CODES[l]!)}`, action: 'ledger.map', ledger: true },
  { method: 'POST', path: () => '/suspense/rule', action: 'ledger.map', ledger: true, form: (l) => ({ ledger: l, codes: CODES[l]!, [`use_${CODE_COLUMN[l]}`]: 'yes', target: 'out_of_scope' }) },
  { method: 'POST', path: () => '/suspense/reapply', action: 'ledger.map', ledger: true, form: (l) => ({ ledger: l }) },
  { method: 'POST', path: () => '/close/2025-26-M02', action: 'period.close', ledger: false, form: () => ({ allowUnmapped: 'yes' }) },
  { method: 'POST', path: () => '/close/2025-26-M01/reopen', action: 'period.reopen', ledger: false, form: () => ({ reason: 'access test' }) },
  // Last: an allowed upload starts an import job that changes the ledger's lines.
  { method: 'POST', path: () => '/imports', action: 'ledger.upload', ledger: true, form: (l) => ({ ledger: l, file: new File([readFileSync(`${TINY}/ledgers/${l}-m02.csv`)], `${l}-m02.csv`) }) },
];

describeEachStore('web page access: page × role × own/other partner', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });

  it('refuses exactly where the expected-access table refuses', async () => {
    await loadAgreement(ctx(), AGREEMENT);
    for (const [ledger, f] of [['council', `${TINY}/ledgers/council-m01.csv`], ['icb', `${TINY}/ledgers/icb-m01.csv`]] as const) await importBatch(ctx(), { ledgerId: ledger, path: f });
    await closePeriod(ctx(), { period: periodKey(2025, 1) });
    await proposeDecision(ctx(), { title: 'More care', effectiveFrom: periodKey(2025, 3), change: { type: 'budget_variation', year: 2025, partner: 'icb', scheme: 'care', changePence: 100 } });
    await importBatch(ctx(), { ledgerId: 'council', path: COUNCIL_M02 });
    await importBatch(ctx(), { ledgerId: 'icb', path: `${TINY}/ledgers/icb-m02.csv` });
    const app = createWebApp({ store: current().store, now, secureCookies: false });
    const sessions = new Map<Role, { cookie: string; csrf: string }>();
    for (const role of ROLES) {
      const email = `${role}@pages.example`;
      await addUser(ctx(), { email, partner: role === 'admin' ? null : 'icb', role, password: PASSWORD });
      const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email, password: PASSWORD }) });
      const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
      const home = await (await app.request('/', { headers: { Cookie: cookie } })).text();
      sessions.set(role, { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(home)![1]! });
    }
    const mismatches: string[] = [];
    const jobs: { cookie: string; job: string }[] = [];
    let checked = 0;
    for (const c of CASES) {
      const owners: LedgerOwner[] = c.ledger ? ['own', 'other'] : ['none'];
      for (const owner of owners) {
        const ledger = owner === 'other' ? 'council' : 'icb';
        for (const role of ROLES) {
          const { cookie, csrf } = sessions.get(role)!;
          let body: FormData | undefined;
          if (c.form) {
            body = new FormData();
            for (const [k, v] of Object.entries({ ...c.form(ledger), _csrf: csrf })) body.append(k, v);
          }
          const res = await app.request(c.path(ledger), { method: c.method, headers: { Cookie: cookie }, body });
          const text = await res.text();
          const job = res.headers.get('Location');
          if (job?.startsWith('/imports/jobs/')) jobs.push({ cookie, job });
          checked += 1;
          const allowed = expectedAccess(c.action, role, owner, false);
          if (c.readOnly && allowed && res.status !== 200) mismatches.push(`${c.method} ${c.path(ledger)} as ${role}: ${res.status}, expected the page`);
          const refused = (c.refused ?? ((status) => status === 403))(res.status, text);
          const signedOut = res.status === 303 && res.headers.get('Location') === '/sign-in';
          if (signedOut || res.status >= 500 || refused === allowed) mismatches.push(`${c.method} ${c.path(ledger)} as ${role} (${owner}): ${res.status}, table says ${allowed ? 'allowed' : 'refused'}`);
        }
      }
    }
    // Let the import jobs the allowed uploads started end before the database goes away.
    for (const { cookie, job } of jobs) {
      while ((JSON.parse(await (await app.request(`${job}/status`, { headers: { Cookie: cookie } })).text()) as { state: string }).state === 'running') await new Promise((r) => setTimeout(r, 20));
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(CASES.length * ROLES.length + CASES.filter((c) => c.ledger).length * ROLES.length);
  });
});

describe('the page matrix itself', () => {
  it('refuses at least one role for each form that changes something', () => {
    for (const c of CASES.filter((x) => x.method === 'POST' && !x.readOnly)) expect(ROLES.some((r) => !expectedAccess(c.action, r, c.ledger ? 'other' : 'none', false)), c.action).toBe(true);
  });
});
