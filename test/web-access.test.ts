// Every API route × every role × the caller's own / another partner's ledger, against the
// expected-access table (src/domain/access.ts ACCESS_TABLE via expectedAccess): a request the
// table refuses must be answered 403, and one it allows must get past authorisation (anything
// but 401/403). The web pages have the same matrix in test/web-access-pages.test.ts.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { addUser, createApiToken } from '../src/app/users.js';
import { expectedAccess, ROLES, type Action, type LedgerOwner, type Role } from '../src/domain/access.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const TINY = 'test/fixtures/tiny';
const PASSWORD = 'correct horse battery';

interface Case {
  method: string;
  path: (ledger: string) => string;
  action: Action;
  /** Whether the route names a ledger (own/other then differ). */
  ledger: boolean;
  body?: (ledger: string) => { body: string; type: string };
}

const CSV = (ledger: string) => ({ body: readFileSync(`${TINY}/ledgers/${ledger}-m02.csv`, 'utf8'), type: 'text/csv' });

const CASES: Case[] = [
  { method: 'GET', path: () => '/api/v1/status', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/api/v1/closes', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/api/v1/commentary/2025-26-M01', action: 'fund.view', ledger: false },
  { method: 'GET', path: () => '/api/v1/report/2025-26-M01', action: 'report.download', ledger: false },
  { method: 'GET', path: (l) => `/api/v1/unmapped?ledger=${l}`, action: 'ledger.lines.view', ledger: true },
  { method: 'POST', path: (l) => `/api/v1/imports?ledger=${l}&name=m02.csv`, action: 'ledger.upload', ledger: true, body: CSV },
  { method: 'POST', path: () => '/api/v1/mapping-rules', action: 'ledger.map', ledger: true, body: (l) => ({ body: JSON.stringify({ ledger: l, when: { [l === 'icb' ? 'Account' : 'Cost Centre']: 'ZZ1' }, outOfScope: true }), type: 'application/json' }) },
  { method: 'POST', path: () => '/api/v1/remap', action: 'ledger.map', ledger: true, body: (l) => ({ body: JSON.stringify({ ledger: l }), type: 'application/json' }) },
  { method: 'POST', path: () => '/api/v1/forecasts?name=f.csv', action: 'forecast.import', ledger: false, body: () => ({ body: 'scheme,period,amount\ncare,2025-26 M03,1900.00\n', type: 'text/csv' }) },
  { method: 'PUT', path: () => '/api/v1/commentary/care/2025-26-M01', action: 'commentary.set', ledger: false, body: () => ({ body: JSON.stringify({ text: 'On plan.' }), type: 'application/json' }) },
  { method: 'POST', path: () => '/api/v1/closes/2025-26-M02', action: 'period.close', ledger: false, body: () => ({ body: JSON.stringify({ allowUnmapped: true }), type: 'application/json' }) },
  { method: 'POST', path: () => '/api/v1/closes/2025-26-M01/reopen', action: 'period.reopen', ledger: false, body: () => ({ body: JSON.stringify({ reason: 'access test' }), type: 'application/json' }) },
];

describeEachStore('API access: route × role × own/other partner', (current) => {
  const now = () => new Date('2025-06-08T09:00:00Z');
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now });

  it('answers 403 exactly where the expected-access table refuses', async () => {
    await loadAgreement(ctx(), `${TINY}/agreement.yaml`);
    for (const [ledger, f] of [['council', 'council-m01'], ['icb', 'icb-m01']] as const) await importBatch(ctx(), { ledgerId: ledger, path: `${TINY}/ledgers/${f}.csv` });
    const app = createWebApp({ store: current().store, now, secureCookies: true });
    const tokens = new Map<Role, string>();
    for (const role of ROLES) {
      const partner = role === 'admin' ? null : 'icb';
      const email = `${role}@access.example`;
      await addUser(ctx(), { email, partner, role, password: PASSWORD });
      tokens.set(role, (await createApiToken(ctx(), { email, name: 'matrix' })).token);
    }
    const mismatches: string[] = [];
    let checked = 0;
    for (const c of CASES) {
      const owners: LedgerOwner[] = c.ledger ? ['own', 'other'] : ['none'];
      for (const owner of owners) {
        const ledger = owner === 'other' ? 'council' : 'icb';
        for (const role of ROLES) {
          const allowed = expectedAccess(c.action, role, owner, false);
          const payload = c.body?.(ledger);
          const res = await app.request(c.path(ledger), {
            method: c.method,
            headers: { Authorization: `Bearer ${tokens.get(role)}`, ...(payload ? { 'Content-Type': payload.type } : {}) },
            body: payload?.body,
          });
          checked += 1;
          const refused = res.status === 403;
          if (res.status === 401 || refused === allowed) mismatches.push(`${c.method} ${c.path(ledger)} as ${role} (${owner}): ${res.status}, table says ${allowed ? 'allowed' : 'refused'}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(CASES.length * ROLES.length + CASES.filter((c) => c.ledger).length * ROLES.length);
  });
});

describe('the matrix itself', () => {
  it('covers every action the API routes use, and refuses at least one role for each mutating route', () => {
    for (const c of CASES.filter((x) => x.method !== 'GET')) {
      expect(ROLES.some((r) => !expectedAccess(c.action, r, c.ledger ? 'other' : 'none', false)), c.action).toBe(true);
    }
  });
});
