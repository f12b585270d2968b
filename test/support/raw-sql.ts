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
  const client = new pg.Client({ connectionString: target.location });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
