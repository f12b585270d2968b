// The thin layer between the store and a database client. Shared SQL uses `?` placeholders;
// the PostgreSQL driver rewrites them to $1, $2, …. Rows come back as plain records of unknown
// values: src/store/row.ts turns them into checked numbers and strings, so nothing is trusted
// blindly (PostgreSQL returns BIGINT as text, SQLite returns integers as bigint here).

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | null;

export type SqlRow = Record<string, unknown>;

/**
 * 'write' (the default): on SQLite the write lock is taken at BEGIN. 'snapshot': read-only, and
 * every statement sees the database as it was when the transaction began (a read transaction on
 * SQLite, which writers elsewhere do not wait for; REPEATABLE READ READ ONLY on PostgreSQL).
 */
export type TransactionMode = 'write' | 'snapshot';

/**
 * A bulk insert into one table. `write` copies one row's values, in column order, into `out`
 * starting at `offset`: the hot path fills one reusable array instead of allocating per row.
 */
export interface BulkInsert<R> {
  table: string;
  columns: readonly string[];
  write(row: R, out: SqlValue[], offset: number): void;
}

export interface Driver {
  readonly dialect: Dialect;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  /** True when calls made here run inside a transaction. */
  readonly inTransaction: boolean;

  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  get(sql: string, params?: readonly SqlValue[]): Promise<SqlRow | undefined>;
  /** Runs a statement that returns no rows; resolves to the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** One or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;

  /**
   * Everything in fn, or nothing. A call made while a transaction of this driver is open
   * (through the handle or, in the same async context, through the driver itself) joins it.
   */
  transaction<T>(fn: (tx: Driver) => Promise<T>, mode?: TransactionMode): Promise<T>;
  /**
   * Inside a transaction: every row of a query without parameters, chunk by chunk, read through
   * a cursor so memory stays bounded however many rows there are. Run nothing else on the
   * transaction until the iteration ends (SQLite's connection is busy while it lasts). Optional
   * so that wrappers written before it (tests that record statements) still type-check; both
   * drivers have it, and the archive code says so if it is missing (src/store/tables-io.ts).
   */
  iterate?(sql: string, chunkRows: number): AsyncIterable<SqlRow[]>;
  /**
   * Inside a transaction: wait until no other transaction holds `key`, and hold it until commit
   * or rollback. Lets two processes serialise work such as appending to the audit chain.
   */
  lockInTransaction(key: string): Promise<void>;

  /** Multi-row prepared INSERTs on SQLite, COPY on PostgreSQL. Runs in a transaction (its own if none is open). */
  bulkInsert<R>(spec: BulkInsert<R>, rows: readonly R[]): Promise<void>;

  close(): Promise<void>;
}

/** Fewer parameters than either database allows in one statement (SQLite 32766, PostgreSQL 65535). */
export const MAX_PARAMS_PER_STATEMENT = 30_000;
