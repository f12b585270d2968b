// SQLite through better-sqlite3: one synchronous connection per store. Async callers take turns
// through a mutex: a transaction holds it from BEGIN IMMEDIATE to COMMIT, and a call made outside
// a transaction waits for it, so two callers never interleave statements on the connection.
//
// The mutex is shared by every store this process opens on the same file. A second connection
// that met SQLite's write lock would wait in busy_timeout *synchronously*, freezing the event
// loop the first connection needs to finish its transaction: a stall, then "database is
// locked". Across processes busy_timeout waits as intended (each has its own thread).

import fs from 'node:fs';
import Database from 'better-sqlite3';
import { invariant } from '../domain/money.js';
import { createDriver, type Executor, type Session } from './driver-context.js';
import { MAX_PARAMS_PER_STATEMENT, type BulkInsert, type Driver, type SqlRow, type SqlValue, type TransactionMode } from './driver.js';
import { Mutex, sharedMutex } from './mutex.js';
import { multiRowInsert } from './sql-text.js';

type Statement = Database.Statement<unknown[], SqlRow>;

/**
 * Rows per bulk INSERT statement. 100–200 measured alike (~1M lines, 10 columns); more rows
 * per statement only lengthen the SQL that SQLite parses once.
 */
const ROWS_PER_STATEMENT = 128;

/** Cached prepared statements; cleared wholesale if dynamic IN lists ever make it large. */
const STATEMENT_CACHE_LIMIT = 500;

export function openSqliteDriver(file: string): Driver {
  createOwnerOnlyFile(file);
  const db = new Database(file);
  try {
    configure(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const statements = new StatementCache(db);
  // ':memory:' is a private database per connection; a file is shared by path.
  const inMemory = file === ':memory:' || file === '';
  const { mutex, release: forgetMutex } = inMemory ? { mutex: new Mutex(), release: () => {} } : sharedMutex(fs.realpathSync(file));
  const direct = directExecutor(db, statements);
  return createDriver({
    dialect: 'sqlite',
    location: file,
    outside: exclusiveExecutor(direct, mutex),
    begin: (mode) => begin(db, direct, mutex, mode),
    close: async () => {
      const release = await mutex.acquire();
      try {
        db.close();
      } finally {
        forgetMutex();
        release(); // waiters then fail with "database connection is not open"
      }
    },
  });
}

/** New database files are readable by their owner only: they hold ledger detail. */
function createOwnerOnlyFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new Error(`cannot create SQLite database ${file}: ${(error as Error).message}`);
  }
  try {
    fs.fchmodSync(fd, 0o600); // whatever the umask
  } finally {
    fs.closeSync(fd);
  }
}

function configure(db: Database.Database): void {
  // page_size only takes effect on a database with no content yet, and must come before WAL.
  // 16 KiB pages measured ~10% faster than 4 KiB for bulk line inserts.
  db.pragma('page_size = 16384');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  invariant(mode === 'wal' || mode === 'memory', `SQLite refused WAL mode (got ${String(mode)})`);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process's import or close holds the write lock for as long as it runs (a 10M-line
  // import takes about a minute): wait for it, up to ten minutes, rather than fail.
  db.pragma('busy_timeout = 600000');
  // 16 MiB: a 1M-line import ran at the same speed as with 64 MiB and peaked 64 MB lower (311 vs 375 MB RSS).
  db.pragma('cache_size = -16384'); // KiB
  db.pragma('temp_store = MEMORY');
  // Integers come back as bigint so a value beyond 2^53 is caught (row.ts), never rounded.
  db.defaultSafeIntegers(true);
}

class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.db.prepare<unknown[], SqlRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function directExecutor(db: Database.Database, statements: StatementCache): Executor {
  return {
    async all(sql, params) {
      return statements.get(sql).all(params);
    },
    async run(sql, params) {
      return statements.get(sql).run(params).changes;
    },
    async exec(sql) {
      db.exec(sql);
    },
    async bulkInsert(spec, rows) {
      insertRows(statements, spec, rows);
    },
    async lock() {
      // Nothing to do: BEGIN IMMEDIATE already holds SQLite's single write lock.
    },
    iterate: (sql, chunkRows) => iterateRows(db, sql, chunkRows),
  };
}

/**
 * A statement of its own (not the cache: a statement being iterated is busy), stepped a chunk at
 * a time. Returning early (break, throw) ends the statement, freeing the connection.
 */
async function* iterateRows(db: Database.Database, sql: string, chunkRows: number): AsyncGenerator<SqlRow[]> {
  invariant(db.inTransaction, 'iterate runs inside a transaction, so every chunk reads the same state');
  const rows = db.prepare<unknown[], SqlRow>(sql).iterate();
  try {
    for (;;) {
      const chunk: SqlRow[] = [];
      for (let next = rows.next(); !next.done; next = rows.next()) {
        chunk.push(next.value);
        if (chunk.length >= chunkRows) break;
      }
      if (chunk.length > 0) yield chunk;
      if (chunk.length < chunkRows) return;
    }
  } finally {
    rows.return?.();
  }
}

/** Outside a transaction: run now if the connection is free, else wait for the transaction. */
function exclusiveExecutor(direct: Executor, mutex: Mutex): Executor {
  const whenFree = <T>(work: () => Promise<T>): Promise<T> => (mutex.isHeld ? mutex.runExclusive(work) : work());
  return {
    all: (sql, params) => whenFree(() => direct.all(sql, params)),
    run: (sql, params) => whenFree(() => direct.run(sql, params)),
    exec: (sql) => whenFree(() => direct.exec(sql)),
    bulkInsert: (spec, rows) => whenFree(() => direct.bulkInsert(spec, rows)),
    lock: (key) => Promise.reject(new Error(`lock "${key}" can only be taken inside a transaction`)),
    iterate: () => outsideTransaction(),
  };
}

async function* outsideTransaction(): AsyncGenerator<SqlRow[]> {
  throw new Error('iterate can only run inside a transaction');
}

async function begin(db: Database.Database, direct: Executor, mutex: Mutex, mode: TransactionMode): Promise<Session> {
  const release = await mutex.acquire();
  try {
    if (mode === 'write') db.exec('BEGIN IMMEDIATE');
    else {
      // A deferred transaction takes its snapshot at its first read: read now, so the snapshot
      // is of this moment. Other processes may write meanwhile (WAL); this one sees none of it.
      db.exec('BEGIN');
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    }
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    release();
    throw error;
  }
  return {
    executor: direct,
    async commit() {
      db.exec('COMMIT');
      release();
    },
    async rollback() {
      try {
        // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
        if (db.inTransaction) db.exec('ROLLBACK');
      } finally {
        release();
      }
    },
  };
}

/** Full statements of ROWS_PER_STATEMENT rows, then one statement for the rest, all synchronous. */
function insertRows<R>(statements: StatementCache, spec: BulkInsert<R>, rows: readonly R[]): void {
  const width = spec.columns.length;
  const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMS_PER_STATEMENT / width)));
  let index = 0;
  if (rows.length >= perStatement) {
    const full = statements.get(multiRowInsert(spec.table, spec.columns, perStatement));
    const params = new Array<SqlValue>(perStatement * width);
    for (; index + perStatement <= rows.length; index += perStatement) {
      for (let k = 0; k < perStatement; k++) spec.write(rows[index + k]!, params, k * width);
      full.run(params);
    }
  }
  const rest = rows.length - index;
  if (rest === 0) return;
  const tail = statements.get(multiRowInsert(spec.table, spec.columns, rest));
  const params = new Array<SqlValue>(rest * width);
  for (let k = 0; k < rest; k++) spec.write(rows[index + k]!, params, k * width);
  tail.run(params);
}
