// `tandem backup FILE` and `tandem restore FILE --db TARGET`.
// - A SQLite store is backed up with SQLite's online backup API: one self-contained database file
//   (store/sqlite-backup.ts). A PostgreSQL store — or any store with --format archive — as the
//   archive (docs/archive.md) in one tar file, read from one REPEATABLE READ snapshot.
// - Restore tells the two apart by their first bytes. A SQLite backup into a SQLite file that does
//   not exist yet is copied page for page, then verified before it takes the target's name; into
//   anything else (PostgreSQL, an existing empty file) its rows are copied as migrate-store does.
//   An archive (tar or directory) is imported as import-archive does. Either way the target must
//   hold no record, the copy must pass `tandem verify`, and a failure leaves nothing behind.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isPostgresUrl } from '../store/location.js';
import { LATEST_MIGRATION } from '../store/migrations/index.js';
import { openStore } from '../store/open.js';
import { backupSqliteFile, removeSqliteFiles, summariseSqliteFile } from '../store/sqlite-backup.js';
import { tableAccess } from '../store/table-access.js';
import { TABLES_SCHEMA_VERSION } from '../store/tables.js';
import type { AuditHead } from './archive-format.js';
import { copyStore, withNewTarget } from './archive-copy.js';
import { writeArchive, type OnArchiveProgress } from './archive-export.js';
import { importArchive } from './archive-import.js';
import type { LoadResult } from './archive-load.js';
import { exists, tarSink } from './archive-sink.js';
import { detectBackup } from './archive-source.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';
import { verify, verifyFailure } from './verify.js';

export type BackupFormat = 'sqlite' | 'archive';

export interface BackupResult {
  database: string;
  format: BackupFormat;
  file: string;
  bytes: number;
  /** SHA-256 of the backup file: keep it elsewhere to show later that the file is unchanged. */
  sha256: string;
  /** For an archive: SHA-256 of its manifest.json. */
  manifestSha256: string | null;
  schemaVersion: number;
  audit: { events: number; head: AuditHead | null };
  seconds: number;
}

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function backupStore(ctx: AppContext, request: { file: string; format?: BackupFormat; onProgress?: OnArchiveProgress }): Promise<BackupResult> {
  const started = process.hrtime.bigint();
  const format = request.format ?? (ctx.store.dialect === 'sqlite' ? 'sqlite' : 'archive');
  if (format === 'sqlite' && ctx.store.dialect !== 'sqlite') {
    throw new TandemError('USAGE', '--format sqlite backs up a SQLite store only; a PostgreSQL store is backed up as an archive (the default)', [], 2);
  }
  if (await exists(request.file)) throw new TandemError('OUTPUT_EXISTS', `${request.file} already exists; give a new file name (a backup is never written over another)`);
  if (format === 'archive') {
    const r = await writeArchive(ctx, await tarSink(request.file), 'tar', request.onProgress);
    const { bytes, sha256 } = await fileHash(request.file);
    return { database: ctx.store.location, format, file: request.file, bytes, sha256, manifestSha256: r.manifestSha256, schemaVersion: r.schemaVersion, audit: r.audit, seconds: elapsed(started) };
  }
  const work = `${request.file}.part-${process.pid}`;
  removeSqliteFiles(work);
  await backupSqliteFile(ctx.store.location, work, (done, total) => request.onProgress?.({ phase: 'backing up', done, total, unit: 'pages' }));
  try {
    const summary = summariseSqliteFile(work);
    const { bytes, sha256 } = await fileHash(work);
    if (await exists(request.file)) throw new TandemError('OUTPUT_EXISTS', `${request.file} appeared while the backup was written`);
    await rename(work, request.file);
    return {
      database: ctx.store.location,
      format,
      file: request.file,
      bytes,
      sha256,
      manifestSha256: null,
      schemaVersion: summary.schemaVersion,
      audit: { events: summary.auditEvents, head: summary.auditHead },
      seconds: elapsed(started),
    };
  } catch (error) {
    removeSqliteFiles(work);
    throw error;
  }
}

export interface RestoreResult extends LoadResult {
  file: string;
  kind: 'sqlite' | 'tar' | 'directory';
  /** How the rows went in: the SQLite file copied page for page, or row for row. */
  method: 'file copy' | 'row copy';
}

type Actor = Omit<AppContext, 'store'>;

export async function restoreBackup(who: Actor, request: { file: string; target: string; onProgress?: OnArchiveProgress }): Promise<RestoreResult> {
  const kind = await detectBackup(request.file);
  if (kind === 'unknown') throw new TandemError('BACKUP_UNRECOGNISED', `${request.file} is neither a SQLite database nor a Tandem archive (tar or directory); nothing was written`);
  if (kind !== 'sqlite') {
    const r = await withNewTarget(request.target, (store) => importArchive({ ...who, store }, { path: request.file, onProgress: request.onProgress }));
    return { ...strip(r), file: request.file, kind, method: 'row copy' };
  }
  if (!isPostgresUrl(request.target) && !(await exists(request.target))) {
    return { ...(await restoreSqliteFile(who, request.file, request.target, request.onProgress)), file: request.file, kind, method: 'file copy' };
  }
  // Rows from a private copy of the backup, opened (and upgraded, if it is older) as a store.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-restore-'));
  try {
    const copy = path.join(dir, 'backup.db');
    await backupSqliteFile(request.file, copy);
    assertTandemDatabase(request.file, copy);
    const source = await openStore(copy);
    try {
      const r = await withNewTarget(request.target, (store) => copyStore({ ...who, store: source }, { ...who, store }, request.onProgress));
      return { ...r, file: request.file, kind, method: 'row copy' };
    } finally {
      await source.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The page copy of a SQLite backup into a new file: verified under a temporary name first. */
async function restoreSqliteFile(who: Actor, file: string, target: string, onProgress?: OnArchiveProgress): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const work = `${target}.part-${process.pid}`;
  removeSqliteFiles(work);
  await backupSqliteFile(file, work, (done, total) => onProgress?.({ phase: 'copying', done, total, unit: 'pages' }));
  try {
    assertTandemDatabase(file, work);
    const store = await openStore(work); // applies any migration a backup by an older Tandem lacks
    let result: LoadResult;
    try {
      const report = await verify({ ...who, store });
      const failure = verifyFailure(report);
      if (failure) throw new TandemError('VERIFY_FAILED', `the restored copy fails verification, so nothing was written: ${failure.message}`, failure.problems);
      const tables = await tableAccess(store).countTableRows();
      result = {
        database: target,
        dialect: 'sqlite',
        tables,
        rows: Object.values(tables).reduce((a, b) => a + b, 0),
        audit: report.audit,
        verify: { ok: report.ok, summary: report.summary, funds: report.funds },
        seconds: elapsed(started),
      };
      if ((await store.schemaVersion()) !== TABLES_SCHEMA_VERSION) throw new Error('the restored database was not migrated');
    } finally {
      await store.close();
    }
    // Closing the last connection checkpoints the WAL into the file and deletes it; the file is
    // renamed alone, so make sure nothing was left in a -wal beside it.
    if ((await stat(`${work}-wal`).catch(() => null))?.size) throw new Error(`${work}-wal was left behind`);
    for (const journal of ['-wal', '-shm']) await rm(`${work}${journal}`, { force: true });
    if (await exists(target)) throw new TandemError('TARGET_NOT_EMPTY', `${target} appeared while the backup was restored; nothing was written`);
    await rename(work, target);
    return result;
  } catch (error) {
    removeSqliteFiles(work);
    throw error;
  }
}

/** A SQLite file is restored only if Tandem wrote it, and a Tandem no newer than this one. */
function assertTandemDatabase(file: string, copy: string): void {
  const { schemaVersion } = summariseSqliteFile(copy);
  if (schemaVersion === 0) throw new TandemError('BACKUP_UNRECOGNISED', `${file} is a SQLite database but not a Tandem one (no migrations were ever applied to it); nothing was written`);
  if (schemaVersion > LATEST_MIGRATION) {
    throw new TandemError('ARCHIVE_UNSUPPORTED', `${file} was written by a newer Tandem (schema version ${schemaVersion}; this one knows ${LATEST_MIGRATION}); nothing was written`);
  }
}

/** An archive import's result without the archive's own fields, as a restore reports it. */
function strip<T extends LoadResult>(r: T): LoadResult {
  const { database, dialect, tables, rows, audit, verify: v, seconds } = r;
  return { database, dialect, tables, rows, audit, verify: v, seconds };
}

async function fileHash(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
