// PostgreSQL through a pg Pool. Outside a transaction each call takes any pooled connection; a
// transaction holds one client from BEGIN to COMMIT. Bulk inserts use COPY FROM STDIN in text
// format on that client, so they are part of the same transaction (copy-stream.ts).

import { createHash } from 'node:crypto';
import pg from 'pg';
import { OpenCopy, copyTarget } from './copy-stream.js';
import { createDriver, type Executor, type Session } from './driver-context.js';
import type { Driver, SqlRow, SqlValue, TransactionMode } from './driver.js';
import { redactUrl } from './location.js';
import { numberPlaceholders } from './sql-text.js';

type Query = (on: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[]) => Promise<pg.QueryResult<SqlRow>>;

const POOL_SIZE = 5;
const SQL_CACHE_LIMIT = 1000;

export async function openPostgresDriver(url: string): Promise<Driver> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, application_name: 'tandem' });
  // An idle pooled connection that dies emits 'error' on the pool; unhandled, that would end
  // the process. The next query on a fresh connection reports any real problem.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL at ${location}: ${(error as Error).message}`);
  }
  const numbered = new Map<string, string>();
  const query: Query = (on, sql, params) => {
    let text = numbered.get(sql);
    if (text === undefined) {
      if (numbered.size >= SQL_CACHE_LIMIT) numbered.clear();
      text = numberPlaceholders(sql);
      numbered.set(sql, text);
    }
    return on.query<SqlRow>({ text, values: params.map(toParam) });
  };
  const outside: Executor = {
    all: async (sql, params) => (await query(pool, sql, params)).rows,
    run: async (sql, params) => (await query(pool, sql, params)).rowCount ?? 0,
    exec: async (sql) => {
      await pool.query(sql);
    },
    bulkInsert: () => Promise.reject(new Error('COPY needs a transaction')), // the driver opens one
    lock: (key) => Promise.reject(new Error(`lock "${key}" can only be taken inside a transaction`)),
    iterate: () => outsideTransaction(),
  };
  return createDriver({ dialect: 'postgres', location, outside, begin: (mode) => begin(pool, query, mode), close: () => pool.end() });
}

async function* outsideTransaction(): AsyncGenerator<SqlRow[]> {
  throw new Error('iterate can only run inside a transaction');
}

/** Cursor names, unique within the process (a cursor lives in its transaction only). */
let cursors = 0;

/** DECLARE … CURSOR and FETCH a chunk at a time: the rows stay on the server until asked for. */
async function* fetchRows(client: pg.PoolClient, sql: string, chunkRows: number): AsyncGenerator<SqlRow[]> {
  const cursor = `tandem_cursor_${++cursors}`;
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
  const size = Math.max(1, Math.floor(chunkRows));
  try {
    for (;;) {
      const { rows } = await client.query<SqlRow>(`FETCH FORWARD ${size} FROM ${cursor}`);
      if (rows.length > 0) yield rows;
      if (rows.length < size) break;
    }
  } finally {
    // After an error the transaction is aborted and refuses CLOSE; the cursor ends with it anyway.
    await client.query(`CLOSE ${cursor}`).catch(() => {});
  }
}

async function begin(pool: pg.Pool, query: Query, mode: TransactionMode): Promise<Session> {
  const client = await pool.connect();
  try {
    await client.query(mode === 'write' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  let copy: OpenCopy | undefined;
  /** Ends an open COPY before anything else uses the connection. */
  const settle = async () => {
    const open = copy;
    copy = undefined;
    await open?.end();
  };
  return {
    executor: {
      all: async (sql, params) => {
        await settle();
        return (await query(client, sql, params)).rows;
      },
      run: async (sql, params) => {
        await settle();
        return (await query(client, sql, params)).rowCount ?? 0;
      },
      exec: async (sql) => {
        await settle();
        await client.query(sql);
      },
      bulkInsert: async (spec, rows) => {
        if (copy && copy.target !== copyTarget(spec)) await settle();
        copy ??= new OpenCopy(client, spec);
        await copy.write(spec, rows);
      },
      lock: async (key) => {
        await settle();
        await query(client, 'SELECT pg_advisory_xact_lock(?)', [advisoryKey(key)]);
      },
      iterate: async function* (sql, chunkRows) {
        await settle();
        yield* fetchRows(client, sql, chunkRows);
      },
    },
    async commit() {
      await settle();
      await client.query('COMMIT');
      client.release();
    },
    async rollback() {
      if (copy) {
        // A COPY in flight (or failed) leaves the protocol mid-stream: drop the connection,
        // which rolls the transaction back on the server.
        copy = undefined;
        client.release(new Error('transaction abandoned during COPY'));
        return;
      }
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (error) {
        client.release(error as Error); // discards the connection, which ends the transaction
      }
    },
  };
}

/** pg sends bigint poorly; as text, PostgreSQL parses it exactly for the BIGINT column. */
function toParam(value: SqlValue): string | number | null {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A stable signed 64-bit advisory lock key for a name, as text. */
function advisoryKey(name: string): string {
  return createHash('sha256').update(`tandem:${name}`).digest().readBigInt64BE(0).toString();
}
