// `tandem migrate-store --to LOCATION`: a fund's whole database moved from the embedded SQLite
// file to PostgreSQL when it outgrows one file (or back, or to another file or server). The rows
// stream straight from a snapshot of the source into the target — no archive on disk in between —
// through the same load as import-archive (archive-load.ts): an empty target, one transaction,
// every table read back and compared by hash, verify on the copy. The source is only read.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPostgresUrl, redactUrl } from '../store/location.js';
import { openStore } from '../store/open.js';
import { removeSqliteFiles } from '../store/sqlite-backup.js';
import { tableAccess } from '../store/table-access.js';
import { TABLES, TABLES_SCHEMA_VERSION, tableSpec } from '../store/tables.js';
import type { Store } from '../store/types.js';
import { rowLine } from './archive-format.js';
import { CHUNK_ROWS, type OnArchiveProgress } from './archive-export.js';
import { loadIntoEmptyStore, type LoadResult, type TableFeed } from './archive-load.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';

export interface MigrateStoreResult extends LoadResult {
  from: string;
  to: string;
}

/** Copies the source store into the (empty) target store, both already open. */
export async function copyStore(source: AppContext, target: AppContext, onProgress?: OnArchiveProgress): Promise<LoadResult> {
  return tableAccess(source.store).snapshot(async (snapshot) => {
    const version = await snapshot.schemaVersion();
    if (version !== TABLES_SCHEMA_VERSION) throw new TandemError('ARCHIVE_UNSUPPORTED', `${snapshot.location} is at schema version ${version}; this Tandem copies version ${TABLES_SCHEMA_VERSION} (run \`tandem init\` on it first)`);
    return loadIntoEmptyStore(target, await storeFeed(snapshot), onProgress);
  });
}

/** The source's rows as they are read, each table's archive lines hashed on the way. */
async function storeFeed(snapshot: Store): Promise<TableFeed> {
  const tables = tableAccess(snapshot);
  const counts = await tables.countTableRows();
  const [last] = await snapshot.listAudit({ limit: 1 });
  const expected = new Map<string, { rows: number; sha256: string }>();
  return {
    totalRows: TABLES.reduce((n, t) => n + (counts[t.name] ?? 0), 0),
    auditHead: last ? { id: last.id, hash: last.hash } : null,
    async *rows(table) {
      const spec = tableSpec(table);
      const hash = createHash('sha256');
      let rows = 0;
      for await (const chunk of tables.iterateTable(table, CHUNK_ROWS)) {
        let text = '';
        for (const row of chunk) text += rowLine(spec, row);
        hash.update(text);
        rows += chunk.length;
        yield chunk;
      }
      expected.set(table, { rows, sha256: hash.digest('hex') });
    },
    expected(table) {
      const found = expected.get(table);
      if (!found) throw new Error(`${table} was not read to the end`);
      return found;
    },
  };
}

export async function migrateStore(ctx: AppContext, request: { to: string; onProgress?: OnArchiveProgress }): Promise<MigrateStoreResult> {
  if (sameDatabase(ctx.store.location, request.to)) {
    throw new TandemError('USAGE', `--to names the database being copied (${ctx.store.location}); give another SQLite file or PostgreSQL database`, [], 2);
  }
  const load = await withNewTarget(request.to, (target) => copyStore(ctx, { ...ctx, store: target }, request.onProgress));
  return { ...load, from: ctx.store.location, to: load.database };
}

/** Same SQLite file (after symlinks), or same PostgreSQL server and database. */
function sameDatabase(a: string, b: string): boolean {
  if (isPostgresUrl(a) !== isPostgresUrl(b)) return false;
  if (isPostgresUrl(a)) {
    const [x, y] = [safeUrl(a), safeUrl(b)];
    return x !== null && y !== null && x.hostname === y.hostname && (x.port || '5432') === (y.port || '5432') && x.pathname === y.pathname;
  }
  const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));
  return real(a) === real(b);
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(redactUrl(url));
  } catch {
    return null;
  }
}

/**
 * Opens (creating and migrating if need be) the database a copy goes into, runs fn, closes it.
 * If fn fails and the target was a SQLite file that did not exist before, the file is removed:
 * a failed copy leaves nothing behind (on PostgreSQL its transaction was rolled back).
 */
export async function withNewTarget<T>(location: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const newFile = !isPostgresUrl(location) && !fs.existsSync(location);
  let store: Store;
  try {
    store = await openStore(location);
  } catch (error) {
    if (newFile) removeSqliteFiles(location);
    throw error;
  }
  let result: T;
  try {
    result = await fn(store);
  } catch (error) {
    await store.close().catch(() => {});
    if (newFile) removeSqliteFiles(location);
    throw error;
  }
  await store.close();
  return result;
}
