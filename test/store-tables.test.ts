// Whole-table access (src/store/table-access.ts) on both databases: a snapshot sees one moment and
// does not hold up a writer on another connection; tables are read in chunks through a cursor, in
// the same order on both engines (NULL first, text bytewise), and an iteration left early frees
// the connection; rows go back in with their ids, and new ids follow them; the migration history
// is replaced, not appended to. And the table list is every table and column of the real schema.

import { expect, it } from 'vitest';
import { openPostgresDriver } from '../src/store/driver-postgres.js';
import { openSqliteDriver } from '../src/store/driver-sqlite.js';
import { tableAccess } from '../src/store/table-access.js';
import { TABLES, TABLES_SCHEMA_VERSION, type TableRow } from '../src/store/tables.js';
import { describeColumns } from '../src/store/tables-io.js';
import { FUND, importBatch, seedFund } from './support/fixtures.js';
import { rawExec } from './support/raw-sql.js';
import { describeEachStore } from './support/stores.js';

async function all(iterable: AsyncIterable<TableRow[]>): Promise<{ rows: TableRow[]; chunks: number[] }> {
  const rows: TableRow[] = [];
  const chunks: number[] = [];
  for await (const chunk of iterable) {
    rows.push(...chunk);
    chunks.push(chunk.length);
  }
  return { rows, chunks };
}

describeEachStore('whole tables', (current, dialect) => {
  it('reads one snapshot: a row committed meanwhile on another connection is not in it, and its writer does not wait', async () => {
    const target = current();
    const tables = tableAccess(target.store);
    for (let i = 0; i < 3; i++) await target.store.recordSignInAttempt({ email: `a${i}@x`, ip: '10.0.0.1', at: `2025-01-0${i + 1}T00:00:00Z`, ok: true });
    await tables.snapshot(async (tx) => {
      const inside = tableAccess(tx);
      expect((await inside.countTableRows()).sign_in_attempts).toBe(3);
      await rawExec(target, "INSERT INTO sign_in_attempts (email, ip, at, ok) VALUES ('late@x', '10.0.0.2', '2025-02-01T00:00:00Z', 0)");
      expect((await all(inside.iterateTable('sign_in_attempts', 2))).rows).toHaveLength(3);
      expect((await inside.countTableRows()).sign_in_attempts).toBe(3);
    });
    expect((await tables.countTableRows()).sign_in_attempts).toBe(4);
  });

  it('reads a table in chunks, in the archive order on both engines (NULL first, text bytewise), and frees the connection when left early', async () => {
    const { store } = current();
    await seedFund(store);
    for (const scheme of ['b', 'B', 'a', 'é', 'Z']) {
      await store.insertCommentary({ fundId: FUND, schemeId: scheme, period: 202501, text: scheme, writtenAt: '2025-01-01T00:00:00Z', writtenBy: 't' });
    }
    // line_totals has no key: its order is every column, scheme_id NULL first.
    const { batchId } = await importBatch(store, []);
    await rawExec(
      current(),
      `INSERT INTO line_totals (batch_id, period, status, scheme_id, codes, line_count, amount_pence) VALUES
         ${["'b'", "'B'", "'é'", 'NULL', "'a'", "'Z'", "'a'"].map((scheme, i) => `(${batchId}, 202501, 'mapped', ${scheme}, '[]', ${7 - i}, 5)`).join(', ')};`,
    );
    const tx = (fn: (t: ReturnType<typeof tableAccess>) => Promise<void>) => store.transaction((s) => fn(tableAccess(s)));
    await tx(async (t) => {
      const commentary = await all(t.iterateTable('commentary', 2));
      expect(commentary.chunks).toEqual([2, 2, 1]);
      expect(commentary.rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5]);
      const totals = await all(t.iterateTable('line_totals', 100));
      expect(totals.rows.map((r) => [r[3], r[5]])).toEqual([
        [null, 4],
        ['B', 6],
        ['Z', 2],
        ['a', 1],
        ['a', 3],
        ['b', 7],
        ['é', 5],
      ]);
      for await (const chunk of t.iterateTable('commentary', 1)) {
        expect(chunk).toHaveLength(1);
        break;
      }
      expect((await t.countTableRows()).commentary).toBe(5); // the connection is free again
    });
  });

  it('writes rows with their ids, and new rows get ids after them; the migration history is replaced', async () => {
    const { store } = current();
    await seedFund(store);
    await store.transaction(async (tx) => {
      const t = tableAccess(tx);
      await t.insertTableRows('commentary', [[41, FUND, 's', 202501, 'copied', '2025-01-01T00:00:00Z', 'a']]);
      await t.resetIdSequences();
      const history: TableRow[] = [];
      for await (const chunk of t.iterateTable('schema_migrations', 100)) history.push(...chunk.map((r) => [r[0]!, r[1]!, '2020-01-01T00:00:00.000Z']));
      await t.replaceMigrationHistory(history);
    });
    const id = await store.insertCommentary({ fundId: FUND, schemeId: 's', period: 202501, text: 'new', writtenAt: '2025-01-02T00:00:00Z', writtenBy: 'b' });
    expect(id).toBe(42);
    expect(await store.schemaVersion()).toBe(TABLES_SCHEMA_VERSION);
    await store.transaction(async (tx) => {
      const { rows } = await all(tableAccess(tx).iterateTable('schema_migrations', 100));
      expect(rows.every((r) => r[2] === '2020-01-01T00:00:00.000Z')).toBe(true);
    });
  });

  it('lists every table and column of the migrated schema, with its type and nullability', async () => {
    const target = current();
    const driver = dialect === 'sqlite' ? openSqliteDriver(target.location) : await openPostgresDriver(target.location);
    try {
      const listed =
        dialect === 'sqlite'
          ? await driver.all(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
          : await driver.all(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`);
      expect(listed.map((r) => String(r.name)).sort()).toEqual(TABLES.map((s) => s.name).sort());
      const integer = dialect === 'sqlite' ? ['integer'] : ['bigint', 'integer', 'smallint'];
      for (const spec of TABLES) {
        const real = await describeColumns(driver, spec.name);
        expect(
          real.map((c) => [c.name, integer.includes(c.type) ? 'integer' : c.type, c.nullable]),
          spec.name,
        ).toEqual(spec.columns.map((c) => [c.name, c.type, c.nullable]));
      }
    } finally {
      await driver.close();
    }
  });
});
