// Users, sign-in, sessions and API tokens on both databases, with the clock fixed (and moved by
// hand): validation, the rate limit and its window, session expiry, sign-out, tokens, and that no
// password, session token, CSRF token or API token is ever stored or audited in clear.

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import type { TandemError } from '../src/app/errors.js';
import { actorForApiToken, addUser, createApiToken, csrfMatches, listApiTokens, listUsers, revokeApiToken, sessionFor, signIn, signOut } from '../src/app/users.js';
import { rawExec } from './support/raw-sql.js';
import { describeEachStore, type TestStore } from './support/stores.js';
import { rejection } from './support/rejection.js';

const T0 = new Date('2025-07-08T09:00:00.000Z');
const PASSWORD = 'correct horse battery staple';
const IP = '192.0.2.10';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const minutes = (n: number) => n * 60_000;


/** Every row of every table, as text: what someone with a copy of the database would see. */
async function dumpDatabase(target: TestStore): Promise<string> {
  if (target.store.dialect === 'sqlite') {
    const db = new Database(target.location, { readonly: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
      return JSON.stringify(tables.map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}"`).all()]), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.location });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    const out: unknown[] = [];
    for (const t of tables.rows) out.push([t.tablename, (await client.query(`SELECT * FROM "${t.tablename}"`)).rows]);
    return JSON.stringify(out);
  } finally {
    await client.end();
  }
}

describeEachStore('users, sessions and API tokens', (current) => {
  let clock = T0;
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin.person', now: () => clock });
  const at = (offsetMs: number) => {
    clock = new Date(T0.getTime() + offsetMs);
  };
  const setup = async () => {
    clock = T0;
    await loadAgreement(ctx(), 'examples/sheffield/agreement.yaml');
  };
  const addFinance = (email = 'Ann.Finance@Council.example.gov.uk', overrides: Partial<Parameters<typeof addUser>[1]> = {}) =>
    addUser(ctx(), { email, role: 'finance', partner: 'scc', password: PASSWORD, ...overrides });

  it('adds a user with a lowercase email and an argon2id hash, audited without the password', async () => {
    await setup();
    const user = await addFinance();
    expect(user).toEqual({ id: expect.any(Number), email: 'ann.finance@council.example.gov.uk', role: 'finance', partner: 'scc', fund: 'sheffield', createdAt: T0.toISOString(), createdBy: 'admin.person', disabledAt: null });
    expect(await listUsers(ctx())).toEqual([user]);
    const stored = await current().store.getUserByEmail('ann.finance@council.example.gov.uk');
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const admin = await addUser(ctx(), { email: 'root@example.org', role: 'admin', password: PASSWORD });
    expect(admin).toMatchObject({ role: 'admin', partner: null, fund: null });
    const audit = await current().store.listAudit({ action: 'user.add' });
    expect(audit.map((e) => [e.subject, e.actor, e.details])).toEqual([
      [`user:${user.id}`, 'admin.person', { email: user.email, role: 'finance', partner: 'scc', fund: 'sheffield' }],
      [`user:${admin.id}`, 'admin.person', { email: 'root@example.org', role: 'admin', partner: null, fund: null }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });

  it('refuses a duplicate email (in any case), a weak password, an unknown partner, a bad email or role; nothing is written', async () => {
    await setup();
    await addFinance();
    expect((await rejection(addFinance('ANN.FINANCE@council.example.gov.uk'))).code).toBe('USER_EXISTS');
    expect((await rejection(addFinance('bob@example.org', { password: 'elevenchars' }))).code).toBe('PASSWORD_INVALID');
    expect((await rejection(addFinance('bob@example.org', { partner: 'nhs-england' }))).code).toBe('PARTNER_UNKNOWN');
    expect((await rejection(addFinance('bob@example.org', { partner: undefined }))).code).toBe('PARTNER_REQUIRED');
    expect((await rejection(addFinance('bob@example.org', { role: 'superuser' }))).code).toBe('ROLE_UNKNOWN');
    for (const email of ['bob', 'bob@', 'bob@example', 'bo b@example.org', '@example.org']) expect((await rejection(addFinance(email))).code, email).toBe('EMAIL_INVALID');
    expect((await listUsers(ctx())).map((u) => u.email)).toEqual(['ann.finance@council.example.gov.uk']);
    expect(await current().store.listAudit({ action: 'user.add' })).toHaveLength(1);
    // Twelve characters is enough, counted as characters, not bytes.
    expect(await addFinance('bob@example.org', { password: 'ééééééééééé' }).catch((e: TandemError) => e.code)).toBe('PASSWORD_INVALID');
    expect((await addFinance('bob@example.org', { password: 'twelve chars' })).email).toBe('bob@example.org');
  });

  it('signs in with the right password only, the same way for an unknown user, and records every attempt', async () => {
    await setup();
    const user = await addFinance();
    const ok = await signIn(ctx(), { email: ' ANN.finance@council.example.gov.uk ', password: PASSWORD, ip: IP });
    expect(ok.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ok.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ok.expiresAt).toBe('2025-07-08T17:00:00.000Z');
    expect(ok.user).toMatchObject({ id: user.id, role: 'finance', partner: 'scc' });
    const session = await sessionFor(ctx(), ok.token);
    expect(session).toMatchObject({ actor: { userId: user.id, role: 'finance', partner: 'scc' }, expiresAt: ok.expiresAt, csrfToken: ok.csrfToken });
    expect(csrfMatches(session!, ok.csrfToken)).toBe(true);
    expect(csrfMatches(session!, `${ok.csrfToken.slice(0, -1)}${ok.csrfToken.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(csrfMatches(session!, undefined)).toBe(false);

    const bad = await rejection(signIn(ctx(), { email: user.email, password: `${PASSWORD}!`, ip: IP }));
    const unknown = await rejection(signIn(ctx(), { email: 'nobody@example.org', password: PASSWORD, ip: IP }));
    expect([bad.code, unknown.code]).toEqual(['SIGN_IN_FAILED', 'SIGN_IN_FAILED']);
    expect(bad.message).toBe(unknown.message);
    const since = new Date(T0.getTime() - minutes(1)).toISOString();
    expect(await current().store.countFailedSignIns(user.email, IP, since)).toEqual({ email: 1, ip: 2 });
    expect(await current().store.countFailedSignIns('nobody@example.org', '198.51.100.1', since)).toEqual({ email: 1, ip: 0 });
    expect(await sessionFor(ctx(), 'not-a-token')).toBeNull();
    expect(await sessionFor(ctx(), 'A'.repeat(43))).toBeNull();
  });

  it('refuses a disabled user at sign-in and ends their sessions', async () => {
    await setup();
    const user = await addFinance();
    const { token } = await signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP });
    await rawExec(current(), `UPDATE users SET disabled_at = '2025-07-08T09:00:00.000Z' WHERE id = ${user.id}`);
    expect(await sessionFor(ctx(), token)).toBeNull();
    expect((await rejection(signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP }))).code).toBe('SIGN_IN_FAILED');
    expect((await rejection(createApiToken(ctx(), { email: user.email, name: 'x' }))).code).toBe('USER_DISABLED');
  });

  it('limits an email to 5 failures in 15 minutes (even the right password is refused), then lets it in again', async () => {
    await setup();
    const user = await addFinance();
    for (let i = 0; i < 5; i += 1) {
      at(minutes(i)); // failures at T0 … T0+4min
      expect((await rejection(signIn(ctx(), { email: user.email, password: `wrong ${i}`, ip: IP }))).code).toBe('SIGN_IN_FAILED');
    }
    at(minutes(5));
    expect((await rejection(signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP }))).code).toBe('SIGN_IN_LIMITED');
    expect((await rejection(signIn(ctx(), { email: user.email, password: PASSWORD, ip: '198.51.100.7' }))).code).toBe('SIGN_IN_LIMITED');
    at(minutes(14) + 59_000); // the first failure is still inside the window
    expect((await rejection(signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP }))).code).toBe('SIGN_IN_LIMITED');
    at(minutes(15) + 1); // the first failure has left the window: 4 remain
    const ok = await signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP });
    expect(await sessionFor(ctx(), ok.token)).not.toBeNull();
  });

  it('limits an IP address to 20 failures in 15 minutes, whatever the emails', async () => {
    await setup();
    const user = await addFinance();
    for (let i = 0; i < 20; i += 1) {
      expect((await rejection(signIn(ctx(), { email: `guess${i % 5}@example.org`, password: 'wrong password', ip: IP }))).code).toBe('SIGN_IN_FAILED');
    }
    expect((await rejection(signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP }))).code).toBe('SIGN_IN_LIMITED');
    expect((await signIn(ctx(), { email: user.email, password: PASSWORD, ip: '198.51.100.7' })).user.email).toBe(user.email);
    at(minutes(15) + 1);
    expect((await signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP })).user.email).toBe(user.email);
  });

  it('ends a session 8 hours after sign-in, however active, and at sign-out', async () => {
    await setup();
    const user = await addFinance();
    const first = await signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP });
    at(minutes(8 * 60) - 1);
    expect((await sessionFor(ctx(), first.token))?.user.email).toBe(user.email);
    expect((await current().store.getSession(sha256(first.token)))?.lastSeenAt).toBe(clock.toISOString());
    at(minutes(8 * 60));
    expect(await sessionFor(ctx(), first.token)).toBeNull();
    expect(await current().store.getSession(sha256(first.token))).toBeUndefined();

    const second = await signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP });
    expect(second.token).not.toBe(first.token);
    expect(await signOut(ctx(), second.token)).toBe(true);
    expect(await sessionFor(ctx(), second.token)).toBeNull();
    expect(await signOut(ctx(), second.token)).toBe(false);
  });

  it('creates an API token that acts as its user until it expires or is revoked, audited', async () => {
    await setup();
    const user = await addFinance();
    const created = await createApiToken(ctx(), { email: user.email, name: 'nightly upload', days: 30 });
    expect(created).toEqual({ id: expect.any(Number), name: 'nightly upload', email: user.email, token: expect.stringMatching(/^tandem_[A-Za-z0-9_-]{43}$/), expiresAt: '2025-08-07T09:00:00.000Z' });
    expect(await actorForApiToken(ctx(), created.token)).toEqual({ userId: user.id, role: 'finance', partner: 'scc' });
    expect(await actorForApiToken(ctx(), `${created.token.slice(0, -2)}xx`)).toBeNull();
    expect(await actorForApiToken(ctx(), created.token.slice('tandem_'.length))).toBeNull();
    expect(await listApiTokens(ctx())).toEqual([{ id: created.id, name: 'nightly upload', email: user.email, createdAt: T0.toISOString(), expiresAt: created.expiresAt, revokedAt: null, status: 'active' }]);

    at(minutes(30 * 24 * 60) - 1);
    expect(await actorForApiToken(ctx(), created.token)).not.toBeNull();
    at(minutes(30 * 24 * 60));
    expect(await actorForApiToken(ctx(), created.token)).toBeNull();
    expect((await listApiTokens(ctx()))[0]?.status).toBe('expired');

    at(0);
    const other = await createApiToken(ctx(), { email: user.email, name: 'reports' });
    expect(other.expiresAt).toBe('2025-10-06T09:00:00.000Z'); // 90 days by default
    expect(await revokeApiToken(ctx(), other.id)).toEqual({ id: other.id, name: 'reports', email: user.email, revokedAt: T0.toISOString() });
    expect(await actorForApiToken(ctx(), other.token)).toBeNull();
    expect((await rejection(revokeApiToken(ctx(), other.id))).code).toBe('TOKEN_REVOKED');
    expect((await rejection(revokeApiToken(ctx(), 9999))).code).toBe('TOKEN_UNKNOWN');
    expect((await rejection(createApiToken(ctx(), { email: 'nobody@example.org', name: 'x' }))).code).toBe('USER_UNKNOWN');
    expect((await rejection(createApiToken(ctx(), { email: user.email, name: 'x', days: 0 }))).code).toBe('USAGE');

    const audit = await current().store.listAudit({});
    expect(audit.filter((e) => e.action.startsWith('token.')).map((e) => [e.action, e.subject, e.details])).toEqual([
      ['token.create', `token:${created.id}`, { user: user.email, name: 'nightly upload', expiresAt: created.expiresAt }],
      ['token.create', `token:${other.id}`, { user: user.email, name: 'reports', expiresAt: other.expiresAt }],
      ['token.revoke', `token:${other.id}`, { user: user.email, name: 'reports' }],
    ]);
    const text = JSON.stringify(audit);
    for (const secret of [created.token, other.token, sha256(created.token), sha256(other.token)]) expect(text).not.toContain(secret);
  });

  it('stores no password, session token, CSRF token or API token in clear anywhere in the database', async () => {
    await setup();
    const user = await addFinance();
    const session = await signIn(ctx(), { email: user.email, password: PASSWORD, ip: IP });
    await rejection(signIn(ctx(), { email: user.email, password: 'a wrong password', ip: IP }));
    const api = await createApiToken(ctx(), { email: user.email, name: 'nightly upload' });
    const dump = await dumpDatabase(current());
    // The dump is real: it holds the user, the hashed session id and token hash.
    expect(dump).toContain(user.email);
    expect(dump).toContain(sha256(session.token));
    expect(dump).toContain(sha256(session.csrfToken));
    expect(dump).toContain(sha256(api.token));
    for (const secret of [PASSWORD, 'a wrong password', session.token, session.csrfToken, api.token, api.token.slice('tandem_'.length)]) {
      expect(dump.includes(secret), secret.slice(0, 8)).toBe(false);
    }
  });
});
