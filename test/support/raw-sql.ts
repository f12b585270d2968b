// Going around the store, for tests that must see or damage what is stored directly.

import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestStore } from './stores.js';

export async function rawExec(target: TestStore, sql: string): Promise<void> {
  if (target.store.dialect === 'sqlite') {
    const db = new Database(target.location);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  await withPgClient(target.location, (client) => client.query(sql));
}

/** A plain PostgreSQL client for `work`, ended afterwards whatever happens (tests and bench/scaling.ts). */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
