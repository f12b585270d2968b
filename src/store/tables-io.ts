// Whole tables in and out, for archives, backups and moving between databases (tables.ts lists
// them). Reading goes through a cursor in the caller's transaction, so a table of millions of
// lines is never held in memory; writing takes each engine's bulk path (multi-row INSERTs on
// SQLite, COPY on PostgreSQL, which also accepts the ids of identity columns as given).

import { invariant } from '../domain/money.js';
import type { BulkInsert, Driver, SqlRow } from './driver.js';
import { int, intOrNull, text, textOrNull } from './row.js';
import { identifier } from './sql-text.js';
import { MIGRATIONS_TABLE, TABLES, tableSpec, type TableRow, type TableSpec } from './tables.js';

/** `SELECT … ORDER BY …` in the table's archive order, the same on both databases. */
function selectInOrder(db: Driver, spec: TableSpec): string {
  const types = new Map(spec.columns.map((c) => [c.name, c]));
  const order = spec.order.map((name) => {
    const column = types.get(name)!;
    const collated = column.type === 'text' && db.dialect === 'postgres' ? `${identifier(name)} COLLATE "C"` : identifier(name);
    // SQLite puts NULL first and PostgreSQL last unless told: say it for both.
    return column.nullable ? `${collated} NULLS FIRST` : collated;
  });
  return `SELECT ${spec.columns.map((c) => identifier(c.name)).join(', ')} FROM ${identifier(spec.name)} ORDER BY ${order.join(', ')}`;
}

function rowFrom(spec: TableSpec, row: SqlRow): TableRow {
  return spec.columns.map((c) => {
    if (c.type === 'integer') return c.nullable ? intOrNull(row, c.name) : int(row, c.name);
    return c.nullable ? textOrNull(row, c.name) : text(row, c.name);
  });
}

export async function* iterateTable(db: Driver, table: string, chunkRows: number): AsyncGenerator<TableRow[]> {
  const spec = tableSpec(table);
  invariant(db.iterate, `this ${db.dialect} driver cannot read a table through a cursor`);
  for await (const chunk of db.iterate(selectInOrder(db, spec), chunkRows)) yield chunk.map((row) => rowFrom(spec, row));
}

function bulkRows(spec: TableSpec): BulkInsert<TableRow> {
  const width = spec.columns.length;
  return {
    table: spec.name,
    columns: spec.columns.map((c) => c.name),
    write(row, out, offset) {
      invariant(row.length === width, `a row of ${spec.name} has ${row.length} values, not ${width}`);
      for (let c = 0; c < width; c++) out[offset + c] = row[c]!;
    },
  };
}

export async function insertTableRows(db: Driver, table: string, rows: readonly TableRow[]): Promise<void> {
  invariant(db.inTransaction, 'insertTableRows runs inside a transaction');
  invariant(table !== MIGRATIONS_TABLE, 'the migration history is replaced (replaceMigrationHistory), not appended to');
  if (rows.length > 0) await db.bulkInsert(bulkRows(tableSpec(table)), rows);
}

/**
 * The copy's migration history becomes the source's: same numbers and names (the schema is the
 * same), with the times they were first applied.
 */
export async function replaceMigrationHistory(db: Driver, rows: readonly TableRow[]): Promise<void> {
  invariant(db.inTransaction, 'replaceMigrationHistory runs inside a transaction');
  const own = await db.all(`SELECT number, name FROM ${MIGRATIONS_TABLE} ORDER BY number`);
  const ours = own.map((r) => `${int(r, 'number')} ${text(r, 'name')}`);
  const theirs = rows.map((r) => `${String(r[0])} ${String(r[1])}`);
  invariant(ours.join('\n') === theirs.join('\n'), `the migrations differ: this database has [${ours.join(', ')}], the copy [${theirs.join(', ')}]`);
  await db.run(`DELETE FROM ${MIGRATIONS_TABLE}`);
  if (rows.length > 0) await db.bulkInsert(bulkRows(tableSpec(MIGRATIONS_TABLE)), rows);
}

export async function countTableRows(db: Driver): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const spec of TABLES) counts[spec.name] = int((await db.get(`SELECT COUNT(*) AS n FROM ${identifier(spec.name)}`)) ?? {}, 'n');
  return counts;
}

/**
 * After rows were copied with their ids, the next id of each table must follow the largest.
 * SQLite does that by itself (an INTEGER PRIMARY KEY takes max + 1); a PostgreSQL identity's
 * sequence knows nothing of ids given explicitly, and would hand out 1 again.
 */
export async function resetIdSequences(db: Driver): Promise<void> {
  if (db.dialect !== 'postgres') return;
  for (const spec of TABLES) {
    if (spec.identity === null) continue;
    const [t, c] = [identifier(spec.name), identifier(spec.identity)];
    // setval(…, n, false): the next value handed out is n itself.
    await db.get(`SELECT setval(pg_get_serial_sequence('${t}', '${c}'), COALESCE((SELECT MAX(${c}) FROM ${t}), 0) + 1, false) AS next`);
  }
}

/** The columns each table really has, in order, with type and nullability as declared (for the test that keeps TABLES honest). */
export async function describeColumns(db: Driver, table: string): Promise<{ name: string; type: string; nullable: boolean }[]> {
  if (db.dialect === 'sqlite') {
    const rows = await db.all(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?) ORDER BY cid`, [table]);
    return rows.map((r) => ({ name: text(r, 'name'), type: text(r, 'type').toLowerCase(), nullable: int(r, 'not_null') === 0 && int(r, 'pk') === 0 }));
  }
  const rows = await db.all(
    `SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({ name: text(r, 'name'), type: text(r, 'type').toLowerCase(), nullable: text(r, 'nullable') === 'YES' }));
}
