// Every table of the schema, column by column, as the archive, the backup of a PostgreSQL store
// and `tandem migrate-store` copy it (docs/archive.md). One list for both databases: the
// migrations create the same columns on each, and a test compares this list with what a freshly
// migrated database of each kind really has, so a new migration cannot be left out of backups
// unnoticed. Listed in load order: a table comes after every table it refers to.
//
// Each table has an archive order that is total and the same on both databases, so a store and
// its copy on the other engine export byte-identical files: the primary key, or (for the three
// tables without one) every column. Text sorts bytewise (SQLite's BINARY, PostgreSQL's "C") and
// NULL first.

import { invariant } from '../domain/money.js';

export type ColumnType = 'integer' | 'text';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export interface TableSpec {
  name: string;
  columns: readonly ColumnSpec[];
  /** The archive order: the primary key, or every column when the table has none. */
  order: readonly string[];
  /** True when `order` is the primary key (so no two rows share it). */
  orderIsKey: boolean;
  /** The generated id column (an identity on PostgreSQL, the rowid alias on SQLite), if any. */
  identity: string | null;
}

/** A row as values in the table's column order: integers as numbers, text as strings. */
export type TableRow = (number | string | null)[];

/** The schema version (highest migration) this list describes. */
export const TABLES_SCHEMA_VERSION = 9;

// Column shorthand: name:type, `?` for nullable; `int` or `text`.
function table(name: string, columns: string, options: { key?: string[]; identity?: string } = {}): TableSpec {
  const parsed = columns
    .trim()
    .split(/\s+/)
    .map((c): ColumnSpec => {
      const [columnName, type] = c.split(':') as [string, string];
      const nullable = type.endsWith('?');
      const base = nullable ? type.slice(0, -1) : type;
      invariant(base === 'int' || base === 'text', `column type ${type} of ${name}.${columnName}`);
      return { name: columnName, type: base === 'int' ? 'integer' : 'text', nullable };
    });
  const order = options.key ?? parsed.map((c) => c.name);
  return { name, columns: parsed, order, orderIsKey: options.key !== undefined, identity: options.identity ?? null };
}

export const TABLES: readonly TableSpec[] = [
  table('schema_migrations', 'number:int name:text applied_at:text', { key: ['number'] }),
  table('funds', 'id:text name:text', { key: ['id'] }),
  table('agreement_versions', 'fund_id:text version:int fund_name:text loaded_at:text loaded_by:text source_file:text source_sha256:text source_text:text model_json:text effective_from:int? decision_id:int?', {
    key: ['fund_id', 'version'],
  }),
  table(
    'batches',
    `id:int fund_id:text ledger_id:text file_name:text file_sha256:text file_bytes:int mode:text agreement_version:int imported_at:text
     imported_by:text line_count:int control_total_pence:int header_json:text lines_sha256:text? lines_blocks:text?`,
    { key: ['id'], identity: 'id' },
  ),
  table('batch_periods', 'batch_id:int period:int superseded_by:int?', { key: ['batch_id', 'period'] }),
  table('lines', 'batch_id:int line_no:int period:int amount_pence:int status:text scheme_id:text? rule_index:int? line_id:text? codes:text raw:text', {
    key: ['batch_id', 'line_no'],
  }),
  table('line_totals', 'batch_id:int period:int status:text scheme_id:text? codes:text line_count:int amount_pence:int'),
  table('scheme_totals', 'batch_id:int period:int status:text scheme_id:text? line_count:int amount_pence:int'),
  table('closes', 'id:int fund_id:text period:int version:int agreement_version:int closed_at:text closed_by:text document_json:text document_sha256:text', {
    key: ['id'],
    identity: 'id',
  }),
  table('period_events', 'id:int fund_id:text period:int action:text close_id:int? reason:text? at:text actor:text', { key: ['id'], identity: 'id' }),
  table('forecast_batches', 'id:int fund_id:text file_name:text file_sha256:text agreement_version:int imported_at:text imported_by:text line_count:int', {
    key: ['id'],
    identity: 'id',
  }),
  table('forecasts', 'batch_id:int line_no:int scheme_id:text period:int amount_pence:int note:text?', { key: ['batch_id', 'line_no'] }),
  table('commentary', 'id:int fund_id:text scheme_id:text period:int text:text written_at:text written_by:text', { key: ['id'], identity: 'id' }),
  table('users', 'id:int email:text fund_id:text? partner_id:text? role:text password_hash:text created_at:text created_by:text disabled_at:text?', {
    key: ['id'],
    identity: 'id',
  }),
  table('sessions', 'id:text user_id:int created_at:text expires_at:text last_seen_at:text csrf_token_hash:text', { key: ['id'] }),
  table('api_tokens', 'id:int name:text token_hash:text user_id:int created_at:text expires_at:text revoked_at:text?', { key: ['id'], identity: 'id' }),
  table('sign_in_attempts', 'email:text ip:text at:text ok:int'),
  table('decisions', 'id:int fund_id:text type:text title:text change_json:text effective_from:int base_version:int proposed_at:text proposed_by:text', { key: ['id'], identity: 'id' }),
  table('decision_events', 'id:int decision_id:int fund_id:text action:text route:text? held_on:text? text:text? detail_json:text agreement_version:int? at:text actor:text', {
    key: ['id'],
    identity: 'id',
  }),
  table('contract_registers', 'fund_id:text version:int loaded_at:text loaded_by:text source_file:text source_sha256:text agreement_version:int source_text:text model_json:text', {
    key: ['fund_id', 'version'],
  }),
  table('measure_batches', 'id:int fund_id:text kind:text file_name:text file_sha256:text file_bytes:int register_version:int imported_at:text imported_by:text line_count:int', {
    key: ['id'],
    identity: 'id',
  }),
  table('measure_lines', 'batch_id:int line_no:int fund_id:text kind:text subject:text period:int value:int? plan:int? note:text?', { key: ['batch_id', 'line_no'] }),
  table('year_ends', 'fund_id:text year:int close_version:int agreement_version:int? document_json:text document_sha256:text at:text actor:text', { key: ['fund_id', 'year'] }),
  table('audit_events', 'id:int fund_id:text? actor:text action:text subject:text? details:text input_sha256:text? at:text prev_hash:text hash:text', {
    key: ['id'],
    identity: 'id',
  }),
];

/** The table that records which migrations were applied: copied, but replaced rather than appended to. */
export const MIGRATIONS_TABLE = 'schema_migrations';

const BY_NAME = new Map(TABLES.map((t) => [t.name, t]));

export function tableSpec(name: string): TableSpec {
  const spec = BY_NAME.get(name);
  invariant(spec, `no table ${name} in the archive's list`);
  return spec;
}
