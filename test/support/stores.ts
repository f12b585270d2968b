// Fresh stores for tests, one per test: a SQLite file in its own temp directory, and a
// PostgreSQL database with a random name on the run's server (global-setup.ts), dropped after.
// Test files run in parallel safely because nothing is shared but the server.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';

export type Dialect = Store['dialect'];

export interface TestStore {
  store: Store;
  /** Where it was opened: a file path or a URL with the database name. */
  location: string;
  /** Closes the store (if still open) and deletes its database. */
  dispose(): Promise<void>;
}

export interface StoreFactory {
  dialect: Dialect;
  create(options?: { migrate?: boolean }): Promise<TestStore>;
}

export function storeFactories(): StoreFactory[] {
  return [{ dialect: 'sqlite', create: createSqliteStore }, { dialect: 'postgres', create: createPostgresStore }];
}

/**
 * Declares `title [sqlite]` and `title [postgres]` suites; body gets a getter for the fresh store
 * each test receives (opened and migrated in beforeEach, deleted in afterEach).
 */
export function describeEachStore(title: string, body: (current: () => TestStore, dialect: Dialect) => void): void {
  for (const factory of storeFactories()) {
    describe(`${title} [${factory.dialect}]`, () => {
      let current: TestStore | undefined;
      beforeEach(async () => {
        current = await factory.create();
      });
      afterEach(async () => {
        await current?.dispose();
        current = undefined;
      });
      body(() => {
        if (!current) throw new Error('the store is only available inside a test');
        return current;
      }, factory.dialect);
    });
  }
}

async function createSqliteStore(options: { migrate?: boolean } = {}): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
  const file = path.join(dir, 'tandem.db');
  const store = await openStore(file, options);
  return {
    store,
    location: file,
    dispose: async () => {
      await closeQuietly(store);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresStore(options: { migrate?: boolean } = {}): Promise<TestStore> {
  const database = await createTestDatabase();
  const store = await openStore(database.url, options);
  return {
    store,
    location: database.url,
    dispose: async () => {
      await closeQuietly(store);
      await database.drop();
    },
  };
}

/** A new, empty database on the test server; drop() removes it even if connections remain. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = inject('pgUrl');
  const name = `tandem_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function closeQuietly(store: Store): Promise<void> {
  try {
    await store.close();
  } catch {
    // already closed by the test
  }
}
