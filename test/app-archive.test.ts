// Archive, backup, restore and migrate-store (issue 8 §5) on the Sheffield example with closes, a
// reopen and re-close, forecasts, commentary and users. Every copy — SQLite → archive →
// PostgreSQL, PostgreSQL → SQLite by migrate-store, backup and restore on each engine — must pass
// verify, give the June report (HTML and CSV, generated at a fixed time) byte for byte as the
// source does, and export to byte-identical table files. A tampered archive (a changed byte, a
// missing file, a changed amount with its hashes redone) and a non-empty target are refused, and
// nothing is written. (The table list against both real schemas: test/store-tables.test.ts.)

import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { migrateStore } from '../src/app/archive-copy.js';
import { exportArchive } from '../src/app/archive-export.js';
import { importArchive } from '../src/app/archive-import.js';
import { backupStore, restoreBackup } from '../src/app/backup.js';
import { closePeriod, reopenPeriod } from '../src/app/close.js';
import { setCommentary } from '../src/app/commentary.js';
import type { AppContext } from '../src/app/context.js';
import { approveDecision, proposeDecision, rejectDecision } from '../src/app/decisions.js';
import { importForecasts } from '../src/app/forecast-import.js';
import { importBatch } from '../src/app/import-batch.js';
import { writeReportFiles } from '../src/app/report-files.js';
import { addUser, createApiToken } from '../src/app/users.js';
import { verify } from '../src/app/verify.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { periodKey } from '../src/domain/period.js';
import { LATEST_MIGRATION } from '../src/store/migrations/index.js';
import { openStore } from '../src/store/open.js';
import { tableAccess } from '../src/store/table-access.js';
import type { Store } from '../src/store/types.js';
import { rejection } from './support/rejection.js';
import { storeFactories, type TestStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const NOW = new Date('2025-07-08T09:00:00Z');
const [M01, M02, M03] = [1, 2, 3].map((m) => periodKey(2025, m)) as [number, number, number];
const [sqlite, postgres] = storeFactories();

const ctxOf = (store: Store): AppContext => ({ store, actor: 'tester', now: () => NOW });
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `tandem-archive-${name}-`));

/** Everything a fund accumulates: versions, batches, a forecast, commentary, closes, a reopen, users and a token. */
async function buildFund(ctx: AppContext): Promise<void> {
  await loadAgreement(ctx, join(EXAMPLE, 'agreement.yaml'));
  for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx, { ledgerId: e.ledgerId, path: e.path });
  const dir = tmp('leads');
  writeFileSync(join(dir, 'leads.csv'), 'scheme,period,amount,note\nlths,2025-26 M03,"110,000,000.00","care homes, ""winter"" pressure"\n');
  await importForecasts(ctx, { path: join(dir, 'leads.csv') });
  await setCommentary(ctx, { schemeId: 'lths', period: M03, text: 'Care home fees rose 6.5% — «winter» pressure\nsecond line\ttab' });
  for (const period of [M01, M02, M03]) await closePeriod(ctx, { period, allowUnmapped: true });
  await reopenPeriod(ctx, { period: M03, reason: 'late invoice' });
  await closePeriod(ctx, { period: M03, allowUnmapped: true });
  // A virement from M04 (decisions, their events, and a version made by a decision) and a rejected one.
  const virement = { type: 'virement' as const, year: 2025, partner: 'sccg', from: 'asr', to: 'pkw', amountPence: 30_000_000 };
  const made = await proposeDecision(ctx, { title: 'ASR to PKW — «winter»', effectiveFrom: periodKey(2025, 4), change: virement });
  for (const by of ['scc-fd', 'sccg-fd']) await approveDecision(ctx, { id: made.id, on: '2025-07-01', route: 'delegated', by });
  const refused = await proposeDecision(ctx, { title: 'and back', effectiveFrom: periodKey(2025, 4), change: { ...virement, from: 'pkw', to: 'asr' } });
  await rejectDecision(ctx, { id: refused.id, by: 'sccg-cfo', on: null, reason: 'no' });
  await addUser(ctx, { email: 'ann@council.example', role: 'finance', partner: 'scc', password: 'correct horse battery staple' });
  await createApiToken(ctx, { email: 'ann@council.example', name: 'ledger bot' });
  rmSync(dir, { recursive: true, force: true });
}

/** The M03 report's HTML and CSV files, by path under the output directory. */
async function report(store: Store): Promise<Map<string, string>> {
  const dir = tmp('report');
  await writeReportFiles(ctxOf(store), { period: M03, formats: ['html', 'csv'], outDir: dir });
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  rmSync(dir, { recursive: true, force: true });
  return files;
}

/** The table files' SHA256SUMS of an export: equal exactly when every table is row for row the same. */
async function tableSums(store: Store): Promise<string> {
  const dir = join(tmp('sums'), 'archive');
  await exportArchive(ctxOf(store), { outDir: dir });
  const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return sums;
}

async function expectEmpty(store: Store): Promise<void> {
  const counts = await tableAccess(store).countTableRows();
  expect(Object.entries(counts).filter(([t, n]) => t !== 'schema_migrations' && n > 0)).toEqual([]);
}

let source: TestStore;
let archive: string;
let sourceReport: Map<string, string>;
let sourceSums: string;
const cleanup: (() => Promise<void> | void)[] = [];

async function pgStore(): Promise<TestStore> {
  const t = await postgres!.create();
  cleanup.push(() => t.dispose());
  return t;
}

function sqlitePath(): string {
  const dir = tmp('db');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'copy.db');
}

async function expectSameAsSource(store: Store): Promise<void> {
  const report_ = await verify(ctxOf(store));
  expect(report_.ok).toBe(true);
  expect(report_.summary.failures).toBe(0);
  expect(await report(store)).toEqual(sourceReport);
  expect(await tableSums(store)).toBe(sourceSums);
}

async function withOpened<T>(location: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  source = await sqlite!.create();
  await buildFund(ctxOf(source.store));
  sourceReport = await report(source.store);
  expect([...sourceReport.keys()].some((k) => k.endsWith('.html'))).toBe(true);
  expect([...sourceReport.keys()].filter((k) => k.endsWith('.csv')).length).toBeGreaterThan(3);
  archive = join(tmp('source'), 'archive');
  const exported = await exportArchive(ctxOf(source.store), { outDir: archive });
  expect(exported.files.find((f) => f.name === 'lines.jsonl')!.rows).toBeGreaterThan(100);
  sourceSums = readFileSync(join(archive, 'SHA256SUMS'), 'utf8');
});

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await source?.dispose();
  if (archive) rmSync(join(archive, '..'), { recursive: true, force: true });
});

describe('the archive', () => {
  it('is checkable without Tandem: sha256sum -c passes, and every line is one JSON object per row', () => {
    const run = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: archive, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(archive, 'manifest.json'), 'utf8')) as { files: { name: string; rows: number; sha256: string }[]; audit: { head: { id: number } } };
    for (const f of manifest.files) {
      const bytes = readFileSync(join(archive, f.name));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      const lines = bytes.toString('utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(f.rows);
    }
    const events = readFileSync(join(archive, 'audit_events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    expect(events.at(-1)!.id).toBe(manifest.audit.head.id);
  });

  it('SQLite → archive → PostgreSQL → SQLite (migrate-store): verify passes, and the report and every table are identical', async () => {
    const pg = await pgStore();
    const imported = await importArchive(ctxOf(pg.store), { path: archive });
    expect(imported.verify.ok).toBe(true);
    expect(imported.tables.lines).toBeGreaterThan(100);
    await expectSameAsSource(pg.store);

    const back = sqlitePath();
    const moved = await migrateStore(ctxOf(pg.store), { to: back });
    expect(moved).toMatchObject({ to: back, verify: { ok: true } });
    await withOpened(back, expectSameAsSource);
    expect(await tableSums(pg.store)).toBe(sourceSums); // the source is untouched

    // New records get new ids after the copied ones (PostgreSQL's identity sequences were moved on).
    const head = imported.audit.head!;
    await setCommentary(ctxOf(pg.store), { schemeId: 'pkw', period: M03, text: 'after the move' });
    const [last] = await pg.store.listAudit({ limit: 1 });
    expect(last!.id).toBe(head.id + 1);
    expect(last!.prevHash).toBe(head.hash);
    expect((await verify(ctxOf(pg.store))).ok).toBe(true);
  });

  it('refuses an archive with one changed byte, or a missing file, and writes nothing', async () => {
    const target = await pgStore();
    const dir = join(tmp('tamper'), 'archive');
    cpSync(archive, dir, { recursive: true });
    const file = join(dir, 'lines.jsonl');
    const bytes = readFileSync(file);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0x01;
    writeFileSync(file, bytes);
    const changed = await rejection(importArchive(ctxOf(target.store), { path: dir }));
    expect(changed.code).toBe('ARCHIVE_INVALID');
    expect(changed.message).toMatch(/nothing was written/);
    expect(changed.problems).toContainEqual(expect.objectContaining({ code: 'FILE_SHA256', file: 'lines.jsonl' }));
    await expectEmpty(target.store);

    cpSync(join(archive, 'lines.jsonl'), file);
    rmSync(join(dir, 'commentary.jsonl'));
    const missing = await rejection(importArchive(ctxOf(target.store), { path: dir }));
    expect(missing.code).toBe('ARCHIVE_INVALID');
    expect(missing.problems).toEqual([expect.objectContaining({ code: 'FILE_MISSING', file: 'commentary.jsonl' })]);
    await expectEmpty(target.store);

    // Into a new SQLite file: refused, and the file is not left behind.
    const path = sqlitePath();
    const restored = await rejection(restoreBackup({ actor: 'tester', now: () => NOW }, { file: dir, target: path }));
    expect(restored.code).toBe('ARCHIVE_INVALID');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a changed amount even with every hash redone: verify finds it, and nothing is written', async () => {
    const dir = join(tmp('forged'), 'archive');
    cpSync(archive, dir, { recursive: true });
    const file = join(dir, 'lines.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const row = JSON.parse(lines[4]!) as { amount_pence: number };
    lines[4] = lines[4]!.replace(`"amount_pence":${row.amount_pence},`, `"amount_pence":${row.amount_pence + 100},`);
    writeFileSync(file, lines.join('\n'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { name: string; bytes: number; sha256: string }[] };
    const entry = manifest.files.find((f) => f.name === 'lines.jsonl')!;
    const forged = readFileSync(file);
    entry.sha256 = createHash('sha256').update(forged).digest('hex');
    entry.bytes = forged.length;
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(dir, 'SHA256SUMS'), manifest.files.map((f) => `${f.sha256}  ${f.name}\n`).join(''));

    const target = await pgStore();
    const e = await rejection(importArchive(ctxOf(target.store), { path: dir }));
    expect(e.code).toBe('VERIFY_FAILED');
    expect(e.problems).toContainEqual(expect.objectContaining({ code: 'LINES_CHANGED' }));
    await expectEmpty(target.store);

    // The manifest's SHA-256, kept elsewhere, catches it before anything is read.
    const original = createHash('sha256').update(readFileSync(join(archive, 'manifest.json'))).digest('hex');
    const early = await rejection(importArchive(ctxOf(target.store), { path: dir, manifestSha256: original }));
    expect(early.problems).toEqual([expect.objectContaining({ code: 'MANIFEST_SHA256' })]);
    await expectEmpty(target.store);
  });

  it('refuses a target that already holds data', async () => {
    const e = await rejection(importArchive(ctxOf(source.store), { path: archive }));
    expect(e.code).toBe('TARGET_NOT_EMPTY');
    expect(e.message).toMatch(/lines: \d+/);
    const pg = await pgStore();
    await importArchive(ctxOf(pg.store), { path: archive });
    const again = await rejection(migrateStore(ctxOf(source.store), { to: pg.location }));
    expect(again.code).toBe('TARGET_NOT_EMPTY');
    expect(await tableSums(pg.store)).toBe(sourceSums);
    const self = await rejection(migrateStore(ctxOf(source.store), { to: source.location }));
    expect(self.code).toBe('USAGE');
  });
});

describe('backup and restore', () => {
  it('SQLite: an online backup file, restored page for page into a new file and row for row into PostgreSQL', async () => {
    const file = join(tmp('backup'), 'fund.backup');
    const backup = await backupStore(ctxOf(source.store), { file });
    expect(backup).toMatchObject({ format: 'sqlite', manifestSha256: null, schemaVersion: LATEST_MIGRATION });
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(backup.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    const [head] = await source.store.listAudit({ limit: 1 });
    expect(backup.audit.head).toEqual({ id: head!.id, hash: head!.hash });
    expect((await rejection(backupStore(ctxOf(source.store), { file }))).code).toBe('OUTPUT_EXISTS');

    const who = { actor: 'tester', now: () => NOW };
    const path = sqlitePath();
    const restored = await restoreBackup(who, { file, target: path });
    expect(restored).toMatchObject({ kind: 'sqlite', method: 'file copy', verify: { ok: true } });
    await withOpened(path, expectSameAsSource);

    const pg = await pgStore();
    const intoPg = await restoreBackup(who, { file, target: pg.location });
    expect(intoPg).toMatchObject({ kind: 'sqlite', method: 'row copy', verify: { ok: true } });
    await expectSameAsSource(pg.store);

    // A SQLite database Tandem did not write is not restored.
    const foreign = join(tmp('foreign'), 'other.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE t (x INTEGER)');
    db.close();
    const target = sqlitePath();
    expect((await rejection(restoreBackup(who, { file: foreign, target }))).code).toBe('BACKUP_UNRECOGNISED');
    expect(existsSync(target)).toBe(false);
  });

  it('PostgreSQL: a tar archive from one snapshot, restored into SQLite and into PostgreSQL; a cut-short tar is refused', async () => {
    const pg = await pgStore();
    await importArchive(ctxOf(pg.store), { path: archive });
    const dir = tmp('pg-backup');
    const file = join(dir, 'fund.tar');
    const backup = await backupStore(ctxOf(pg.store), { file });
    expect(backup.format).toBe('archive');
    // Any tar reads it, and the files inside check with sha256sum alone.
    expect(spawnSync('tar', ['-xf', file, '-C', dir]).status).toBe(0);
    expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(dir, 'tandem-archive') }).status).toBe(0);
    expect(readFileSync(join(dir, 'tandem-archive', 'SHA256SUMS'), 'utf8')).toBe(sourceSums);

    const who = { actor: 'tester', now: () => NOW };
    const path = sqlitePath();
    expect(await restoreBackup(who, { file, target: path })).toMatchObject({ kind: 'tar', verify: { ok: true } });
    await withOpened(path, expectSameAsSource);
    const other = await pgStore();
    expect(await restoreBackup(who, { file, target: other.location })).toMatchObject({ kind: 'tar', verify: { ok: true } });
    await expectSameAsSource(other.store);

    const cut = join(dir, 'cut.tar');
    writeFileSync(cut, readFileSync(file).subarray(0, 20_000));
    const target = await pgStore();
    const e = await rejection(restoreBackup(who, { file: cut, target: target.location }));
    expect(e.code).toBe('ARCHIVE_INVALID');
    await expectEmpty(target.store);
    writeFileSync(join(dir, 'junk.bin'), 'not a backup');
    expect((await rejection(restoreBackup(who, { file: join(dir, 'junk.bin'), target: target.location }))).code).toBe('BACKUP_UNRECOGNISED');
  });
});

describe('the CLI', () => {
  const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  const tandem = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TANDEM_USER: 'e2e' } });

  it('exports, refuses a tampered archive with exit 1 and a coded error, and imports the intact one', () => {
    const dir = tmp('cli');
    const out = join(dir, 'archive');
    const exported = tandem('export', '--db', source.location, '--out', out, '--json');
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'jsonl', kind: 'directory', schemaVersion: LATEST_MIGRATION });
    const again = tandem('export', '--db', source.location, '--out', out, '--json');
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('OUTPUT_EXISTS');

    rmSync(join(out, 'funds.jsonl'));
    const db = join(dir, 'copy.db');
    const refused = tandem('import-archive', out, '--db', db, '--json');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'ARCHIVE_INVALID', problems: [expect.objectContaining({ code: 'FILE_MISSING', file: 'funds.jsonl' })] });
    expect(existsSync(db)).toBe(false);

    const imported = tandem('import-archive', archive, '--db', db);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/10 checks, 10 ok/);
    const verified = tandem('verify', '--db', db, '--json');
    expect(verified.status).toBe(0);
    for (const command of ['export', 'import-archive', 'backup', 'restore', 'migrate-store']) expect(tandem(command, '--help').status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
