// Transactions shared by both drivers. A transaction is tracked in AsyncLocalStorage, so a call
// made through the driver itself while a transaction is open in the same async context joins
// that transaction instead of deadlocking on SQLite's single connection or escaping to another
// PostgreSQL connection. The handle given to fn refuses to work once its transaction has ended.

import { AsyncLocalStorage } from 'node:async_hooks';
import { invariant } from '../domain/money.js';
import type { BulkInsert, Dialect, Driver, SqlRow, SqlValue, TransactionMode } from './driver.js';

/** What one connection (or the pool, outside transactions) can do. */
export interface Executor {
  all(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]>;
  run(sql: string, params: readonly SqlValue[]): Promise<number>;
  exec(sql: string): Promise<void>;
  bulkInsert<R>(spec: BulkInsert<R>, rows: readonly R[]): Promise<void>;
  lock(key: string): Promise<void>;
  /** Every row of the query, chunk by chunk, through a cursor (only inside a transaction). */
  iterate(sql: string, chunkRows: number): AsyncIterable<SqlRow[]>;
}

/** An open database transaction on one connection. */
export interface Session {
  executor: Executor;
  /** Commits and gives the connection back. If it throws, rollback() is called next. */
  commit(): Promise<void>;
  /** Rolls back (if still needed) and always gives the connection back. */
  rollback(): Promise<void>;
}

export interface DriverParts {
  dialect: Dialect;
  location: string;
  /** Runs calls made outside any transaction. */
  outside: Executor;
  begin(mode: TransactionMode): Promise<Session>;
  close(): Promise<void>;
}

interface OpenTransaction {
  open: boolean;
  session: Session;
}

export function createDriver(parts: DriverParts): Driver {
  return new ContextDriver(parts);
}

/** The statement methods both handles share: each runs on whatever executor is current. */
abstract class ExecutorDriver {
  constructor(protected readonly parts: DriverParts) {}

  protected abstract executor(): Executor;

  get dialect(): Dialect {
    return this.parts.dialect;
  }

  get location(): string {
    return this.parts.location;
  }

  all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.executor().all(sql, params);
  }

  async get(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow | undefined> {
    return (await this.executor().all(sql, params))[0];
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.executor().run(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.executor().exec(sql);
  }

  iterate(sql: string, chunkRows: number): AsyncIterable<SqlRow[]> {
    return this.executor().iterate(sql, chunkRows);
  }
}

class ContextDriver extends ExecutorDriver implements Driver {
  private readonly context = new AsyncLocalStorage<OpenTransaction>();

  constructor(parts: DriverParts) {
    super(parts);
  }

  get inTransaction(): boolean {
    return this.current() !== undefined;
  }

  lockInTransaction(key: string): Promise<void> {
    const tx = this.current();
    invariant(tx, `lock "${key}" can only be taken inside a transaction`);
    return tx.session.executor.lock(key);
  }

  bulkInsert<R>(spec: BulkInsert<R>, rows: readonly R[]): Promise<void> {
    const tx = this.current();
    if (tx) return tx.session.executor.bulkInsert(spec, rows);
    return this.transaction((handle) => handle.bulkInsert(spec, rows));
  }

  async transaction<T>(fn: (tx: Driver) => Promise<T>, mode: TransactionMode = 'write'): Promise<T> {
    const joined = this.current();
    if (joined) return fn(new TransactionHandle(this.parts, joined, this.context));
    const tx: OpenTransaction = { open: true, session: await this.parts.begin(mode) };
    const handle = new TransactionHandle(this.parts, tx, this.context);
    let result: T;
    try {
      result = await this.context.run(tx, () => fn(handle));
      await tx.session.commit();
    } catch (error) {
      tx.open = false;
      await rollbackAfter(tx.session, error);
      throw error;
    }
    tx.open = false;
    return result;
  }

  close(): Promise<void> {
    return this.parts.close();
  }

  private current(): OpenTransaction | undefined {
    const tx = this.context.getStore();
    return tx?.open ? tx : undefined;
  }

  protected executor(): Executor {
    return this.current()?.session.executor ?? this.parts.outside;
  }
}

async function rollbackAfter(session: Session, error: unknown): Promise<void> {
  try {
    await session.rollback();
  } catch (rollbackError) {
    throw new AggregateError([error, rollbackError], 'transaction failed and its rollback failed too');
  }
}

/** The `tx` a transaction callback receives: bound to that transaction and nothing else. */
class TransactionHandle extends ExecutorDriver implements Driver {
  constructor(
    parts: DriverParts,
    private readonly tx: OpenTransaction,
    private readonly context: AsyncLocalStorage<OpenTransaction>,
  ) {
    super(parts);
  }

  get inTransaction(): boolean {
    return this.tx.open;
  }

  lockInTransaction(key: string): Promise<void> {
    return this.executor().lock(key);
  }

  bulkInsert<R>(spec: BulkInsert<R>, rows: readonly R[]): Promise<void> {
    return this.executor().bulkInsert(spec, rows);
  }

  /**
   * Nested: joins this transaction. There is no savepoint, so an error caught by the outer
   * callback does not undo what the inner one wrote; let it propagate to roll back everything.
   */
  transaction<T>(fn: (tx: Driver) => Promise<T>): Promise<T> {
    this.executor();
    return this.context.run(this.tx, () => fn(this));
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close the store itself, not a transaction handle'));
  }

  protected executor(): Executor {
    invariant(this.tx.open, 'a transaction handle was used after its transaction ended');
    return this.tx.session.executor;
  }
}
