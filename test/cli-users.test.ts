// `tandem user` and `tandem token` as an administrator runs them: the built CLI in child
// processes on a fresh SQLite file. The password goes in on stdin; tokens are printed once;
// bad input exits non-zero with a stable code, and no secret lands in the database file.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const AGREEMENT = join(process.cwd(), 'examples/sheffield/agreement.yaml');
const PASSWORD = 'a long passphrase for the council';

let dir: string;
let db: string;

function tandem(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [CLI, ...args, '--db', db], { encoding: 'utf8', cwd: dir, input, env: { ...process.env, TANDEM_USER: 'e2e-admin' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout) as Record<string, unknown> };
}

function errorCode(run: ReturnType<typeof tandem>): unknown {
  return (run.json().error as { code: string }).code;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-users-'));
  db = join(dir, 'tandem.db');
  expect(tandem(['agreement', 'load', AGREEMENT]).status).toBe(0);
});

describe('tandem user and tandem token', () => {
  it('adds users with the password from stdin, lists them, and creates, lists and revokes a token', () => {
    const add = tandem(['user', 'add', '--email', 'Ann@Council.example.gov.uk', '--partner', 'scc', '--role', 'finance', '--password-stdin', '--json'], `${PASSWORD}\n`);
    expect(add.status, add.stderr).toBe(0);
    expect(add.json()).toMatchObject({ email: 'ann@council.example.gov.uk', role: 'finance', partner: 'scc', fund: 'sheffield', createdBy: 'e2e-admin' });
    const admin = tandem(['user', 'add', '--email', 'root@example.org', '--role', 'admin', '--password-stdin'], PASSWORD);
    expect(admin.status, admin.stderr).toBe(0);
    expect(admin.stdout).toContain('added root@example.org as admin');

    const list = tandem(['user', 'list', '--json']);
    expect(list.status).toBe(0);
    const users = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(users.map((u) => [u.email, u.role, u.partner])).toEqual([
      ['ann@council.example.gov.uk', 'finance', 'scc'],
      ['root@example.org', 'admin', null],
    ]);
    expect(list.stdout).not.toMatch(/argon2|passwordHash/);

    const created = tandem(['token', 'create', '--email', 'ann@council.example.gov.uk', '--name', 'nightly upload', '--days', '30', '--json']);
    expect(created.status, created.stderr).toBe(0);
    const token = created.json() as { id: number; token: string; name: string; expiresAt: string };
    expect(token).toMatchObject({ name: 'nightly upload', email: 'ann@council.example.gov.uk', token: expect.stringMatching(/^tandem_[A-Za-z0-9_-]{43}$/) });
    const human = tandem(['token', 'create', '--email', 'root@example.org', '--name', 'ops']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/shown only now[\s\S]*\ntandem_[A-Za-z0-9_-]{43}\n$/);

    const tokens = tandem(['token', 'list', '--json']);
    expect((JSON.parse(tokens.stdout) as { id: number; status: string }[]).map((t) => [t.id, t.status])).toEqual([
      [token.id, 'active'],
      [token.id + 1, 'active'],
    ]);
    expect(tokens.stdout).not.toContain(token.token);
    expect(tandem(['token', 'revoke', String(token.id)]).status).toBe(0);
    expect((JSON.parse(tandem(['token', 'list', '--json']).stdout) as { status: string }[])[0]!.status).toBe('revoked');
    const again = tandem(['token', 'revoke', String(token.id), '--json']);
    expect([again.status, errorCode(again)]).toEqual([1, 'TOKEN_REVOKED']);

    // What a copy of the database file would show: neither the password nor the token.
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(bytes.includes('ann@council.example.gov.uk')).toBe(true);
    expect(bytes.includes(PASSWORD)).toBe(false);
    expect(bytes.includes(token.token)).toBe(false);
  });

  it('exits non-zero with a stable code on bad input, and never takes a password from the command line', () => {
    const add = (args: string[], input: string | undefined = PASSWORD) => tandem(['user', 'add', '--json', ...args], input);
    const cases: [string[], string | undefined, number, string][] = [
      [['--email', 'a@example.org', '--partner', 'scc', '--role', 'finance'], PASSWORD, 2, 'USAGE'],
      [['--email', 'a@example.org', '--partner', 'scc', '--role', 'finance', '--password-stdin'], 'too short', 1, 'PASSWORD_INVALID'],
      [['--email', 'a@example.org', '--partner', 'scc', '--role', 'finance', '--password-stdin'], '', 1, 'PASSWORD_INVALID'],
      [['--email', 'a@example.org', '--partner', 'nhs', '--role', 'finance', '--password-stdin'], PASSWORD, 1, 'PARTNER_UNKNOWN'],
      [['--email', 'a@example.org', '--role', 'viewer', '--password-stdin'], PASSWORD, 1, 'PARTNER_REQUIRED'],
      [['--email', 'a@example.org', '--partner', 'scc', '--role', 'owner', '--password-stdin'], PASSWORD, 1, 'ROLE_UNKNOWN'],
      [['--email', 'not-an-email', '--partner', 'scc', '--role', 'finance', '--password-stdin'], PASSWORD, 1, 'EMAIL_INVALID'],
    ];
    for (const [args, input, status, code] of cases) {
      const run = add(args, input);
      expect([run.status, errorCode(run)], `${code}: ${args.join(' ')}`).toEqual([status, code]);
    }
    expect(JSON.parse(tandem(['user', 'list', '--json']).stdout)).toEqual([]);

    expect(add(['--email', 'a@example.org', '--partner', 'scc', '--role', 'finance', '--password-stdin']).status).toBe(0);
    const duplicate = add(['--email', 'A@EXAMPLE.ORG', '--partner', 'sccg', '--role', 'viewer', '--password-stdin']);
    expect([duplicate.status, errorCode(duplicate)]).toEqual([1, 'USER_EXISTS']);
    const argv = tandem(['user', 'add', '--email', 'b@example.org', '--partner', 'scc', '--role', 'finance', '--password', PASSWORD]);
    expect(argv.status).toBe(1); // commander: unknown option
    expect(argv.stderr).toMatch(/unknown option '--password'/);

    const days = tandem(['token', 'create', '--email', 'a@example.org', '--name', 'x', '--days', '0', '--json']);
    expect([days.status, errorCode(days)]).toEqual([2, 'USAGE']);
    const nobody = tandem(['token', 'create', '--email', 'nobody@example.org', '--name', 'x', '--json']);
    expect([nobody.status, errorCode(nobody)]).toEqual([1, 'USER_UNKNOWN']);
    const unknown = tandem(['token', 'revoke', '42', '--json']);
    expect([unknown.status, errorCode(unknown)]).toEqual([1, 'TOKEN_UNKNOWN']);
    const notNumber = tandem(['token', 'revoke', 'abc', '--json']);
    expect([notNumber.status, errorCode(notNumber)]).toEqual([2, 'USAGE']);
  });

  it('explains itself with --help', () => {
    const help = tandem(['user', 'add', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--password-stdin/);
    expect(help.stdout).toMatch(/viewer, finance, approver or admin/);
    for (const args of [['user', 'list'], ['token', 'create'], ['token', 'list'], ['token', 'revoke']]) {
      const run = tandem([...args, '--help']);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toMatch(/--json/);
    }
  });
});
