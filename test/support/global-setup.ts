// vitest globalSetup: one throwaway PostgreSQL server for the whole run, its URL provided to
// the tests as `pgUrl`. Set TANDEM_TEST_PG_URL to use an existing server instead (its user must
// be allowed to CREATE DATABASE). If neither works the run fails: store tests never skip.

import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { redactUrl } from '../../src/store/location.js';
import { startThrowawayPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL on which tests may create and drop databases. */
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.TANDEM_TEST_PG_URL;
  if (external) {
    await assertReachable(external);
    project.provide('pgUrl', external);
    return undefined;
  }
  let server;
  try {
    server = await startThrowawayPostgres();
  } catch (error) {
    throw new Error(
      `The store tests need PostgreSQL and none could be started.\n${(error as Error).message}\n` +
        'Install PostgreSQL 15 (/usr/lib/postgresql/15/bin) or set TANDEM_TEST_PG_URL=postgres://user@host:port/db.',
    );
  }
  project.provide('pgUrl', server.url);
  return () => server.stop();
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`TANDEM_TEST_PG_URL (${redactUrl(url)}) cannot be reached: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
