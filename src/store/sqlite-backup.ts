// `tandem backup` of a SQLite store, and the first step of restoring one: SQLite's online backup
// API (better-sqlite3's db.backup), page by page from a connection of its own. It reads the
// database as committed — the WAL included — while other connections go on writing (the copy
// restarts by itself if one does, so it is always of one moment). The copy is then made one
// self-contained file (rollback journal, no -wal beside it), checked page by page
// (PRAGMA quick_check), and left readable by its owner only.

import fs from 'node:fs';
import Database from 'better-sqlite3';

export interface SqliteFileSummary {
  schemaVersion: number;
  auditEvents: number;
  auditHead: { id: number; hash: string } | null;
}

/** Copies the database at `source` into `target`, which must not exist yet. */
export async function backupSqliteFile(source: string, target: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new Error(`${source} is not a SQLite database file`);
  fs.closeSync(fs.openSync(target, 'wx', 0o600)); // created owner-only before SQLite writes a byte
  try {
    const db = new Database(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 600000');
      await db.backup(target, {
        progress({ totalPages, remainingPages }) {
          onProgress?.(totalPages - remainingPages, totalPages);
          return 1024; // pages per step: the event loop turns between steps
        },
      });
    } finally {
      db.close();
    }
    const copy = new Database(target, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy of ${source} fails SQLite's quick_check: ${String(check)}`);
    } finally {
      copy.close();
    }
    fs.chmodSync(target, 0o600);
  } catch (error) {
    removeSqliteFiles(target);
    throw error;
  }
}

/** What a backup file holds, read without changing it (no migration, no WAL). */
export function summariseSqliteFile(file: string): SqliteFileSummary {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(false);
    const has = (table: string) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
    const schemaVersion = has('schema_migrations') ? ((db.prepare('SELECT COALESCE(MAX(number), 0) AS n FROM schema_migrations').get() as { n: number }).n) : 0;
    if (!has('audit_events')) return { schemaVersion, auditEvents: 0, auditHead: null };
    const events = (db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n;
    const head = db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    return { schemaVersion, auditEvents: events, auditHead: head ?? null };
  } finally {
    db.close();
  }
}

/** A database file and the journal files SQLite may have left beside it. */
export function removeSqliteFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}
