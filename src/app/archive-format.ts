// The Tandem archive (docs/archive.md): a directory, or a tar of one, holding one JSON Lines file
// per table — every column of every row, in a total order that is the same on both databases — and
// manifest.json with the format and schema versions, each file's row count, size and SHA-256, and
// the head of the audit chain; SHA256SUMS repeats the files' hashes for `sha256sum -c`.
//
// Each line is the canonical form of its row, so the same store gives the same bytes on either
// database, and an import can check that what a database gave back is exactly what was archived:
// a JSON object whose members are the table's columns in order, no spaces, strings as
// JSON.stringify writes them, integers in decimal, NULL as null, and "\n" after every line.

import { TABLES, TABLES_SCHEMA_VERSION, type ColumnSpec, type TableRow, type TableSpec } from '../store/tables.js';
import type { Problem } from './errors.js';

export const ARCHIVE_FORMAT = 'tandem-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const SUMS_FILE = 'SHA256SUMS';
/** The directory a tar of an archive holds its files under. */
export const TAR_DIRECTORY = 'tandem-archive';

export interface ManifestFile {
  name: string;
  table: string;
  rows: number;
  bytes: number;
  sha256: string;
  columns: ColumnSpec[];
  order: string[];
}

export interface AuditHead {
  id: number;
  hash: string;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  /** The database schema the rows are in: the highest migration applied to the source. */
  schemaVersion: number;
  createdAt: string;
  createdBy: string;
  source: { dialect: 'sqlite' | 'postgres'; location: string };
  funds: { id: string; name: string }[];
  audit: { events: number; head: AuditHead | null };
  files: ManifestFile[];
}

export const fileNameOf = (table: string) => `${table}.jsonl`;

/** Per table, the fixed text before each value: `{"id":`, `,"name":`, … */
const prefixes = new Map(TABLES.map((t) => [t.name, t.columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`)]));

/** The row's line, newline included. */
export function rowLine(spec: TableSpec, row: TableRow): string {
  const keys = prefixes.get(spec.name)!;
  let line = '';
  for (let c = 0; c < keys.length; c++) {
    const value = row[c];
    line += keys[c]! + (value === null ? 'null' : typeof value === 'number' ? String(value) : JSON.stringify(value));
  }
  return `${line}}\n`;
}

/**
 * A line (without its newline) back into a row, or the reason it is not one. The line must also
 * be in canonical form, so that its bytes are exactly what an export of the row would write.
 */
export function parseRowLine(spec: TableSpec, line: string): TableRow | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  const row: TableRow = [];
  for (const column of spec.columns) {
    if (!Object.hasOwn(record, column.name)) return `column ${column.name} is missing`;
    const v = record[column.name];
    if (v === null) {
      if (!column.nullable) return `column ${column.name} is null, and may not be`;
      row.push(null);
    } else if (column.type === 'integer') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return `column ${column.name} should be a whole number, got ${JSON.stringify(v)}`;
      row.push(v);
    } else {
      if (typeof v !== 'string') return `column ${column.name} should be a string, got ${JSON.stringify(v)}`;
      row.push(v);
    }
  }
  const extra = Object.keys(record).filter((k) => !spec.columns.some((c) => c.name === k));
  if (extra.length > 0) return `unknown column(s) ${extra.join(', ')}`;
  if (rowLine(spec, row) !== `${line}\n`) return 'not in canonical form (members in column order, no spaces, strings escaped as JSON.stringify does)';
  return row;
}

/** SHA256SUMS: `<sha256>  <file>` per table file, as sha256sum writes it, in manifest order. */
export function sumsText(manifest: Manifest): string {
  return manifest.files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a manifest's shape and that it describes this Tandem's tables exactly. Problems are
 * returned for an archive that is not one (ARCHIVE_INVALID); `unsupported` says when it is one of
 * another format or schema version (ARCHIVE_UNSUPPORTED).
 */
export function checkManifest(value: unknown): { manifest?: Manifest; problems: Problem[]; unsupported?: string } {
  const problem = (message: string): Problem => ({ code: 'MANIFEST_INVALID', message, file: MANIFEST_FILE });
  if (typeof value !== 'object' || value === null) return { problems: [problem('not a JSON object')] };
  const m = value as Partial<Manifest>;
  if (m.format !== ARCHIVE_FORMAT) return { problems: [problem(`"format" is ${JSON.stringify(m.format)}, not "${ARCHIVE_FORMAT}": not a Tandem archive`)] };
  if (m.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    return { problems: [], unsupported: `the archive is in format version ${String(m.formatVersion)}; this Tandem reads version ${ARCHIVE_FORMAT_VERSION}` };
  }
  if (m.schemaVersion !== TABLES_SCHEMA_VERSION) {
    return {
      problems: [],
      unsupported: `the archive holds a database at schema version ${String(m.schemaVersion)}; this Tandem imports version ${TABLES_SCHEMA_VERSION} only (restore it with the Tandem that wrote it, upgrade that store, and export again)`,
    };
  }
  const problems: Problem[] = [];
  const files = Array.isArray(m.files) ? m.files : [];
  if (!Array.isArray(m.files)) problems.push(problem('"files" is not a list'));
  if (typeof m.createdAt !== 'string' || typeof m.createdBy !== 'string') problems.push(problem('"createdAt" and "createdBy" must be text'));
  const head = m.audit?.head;
  const headOk = head === null || (typeof head === 'object' && head !== undefined && Number.isSafeInteger(head.id) && SHA256.test(String(head.hash)));
  if (!m.audit || !Number.isSafeInteger(m.audit.events) || !headOk) problems.push(problem('"audit" must give the number of events and the head { id, hash } (or null)'));
  const names = files.map((f) => f?.table);
  const expected = TABLES.map((t) => t.name);
  if (names.join(',') !== expected.join(',')) problems.push(problem(`the files must be the tables ${expected.join(', ')} in that order; the manifest lists ${names.join(', ')}`));
  for (const [i, f] of files.entries()) {
    const spec = TABLES[i];
    if (!spec || f?.table !== spec.name) continue;
    const where = `files[${i}] (${spec.name})`;
    if (f.name !== fileNameOf(spec.name)) problems.push(problem(`${where}: the file must be named ${fileNameOf(spec.name)}`));
    if (!Number.isSafeInteger(f.rows) || f.rows < 0 || !Number.isSafeInteger(f.bytes) || f.bytes < 0) problems.push(problem(`${where}: "rows" and "bytes" must be whole numbers`));
    if (!SHA256.test(String(f.sha256))) problems.push(problem(`${where}: "sha256" must be 64 lowercase hexadecimal digits`));
    if (JSON.stringify(f.columns) !== JSON.stringify(spec.columns) || JSON.stringify(f.order) !== JSON.stringify(spec.order)) {
      problems.push(problem(`${where}: the columns or order differ from this Tandem's ${spec.name} table`));
    }
  }
  return problems.length > 0 ? { problems } : { manifest: m as Manifest, problems };
}
