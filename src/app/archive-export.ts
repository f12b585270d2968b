// `tandem export --format jsonl --out DIR`, and the archive inside `tandem backup` of a PostgreSQL
// store: every table, row for row, from one consistent snapshot of the database (a REPEATABLE READ
// transaction on PostgreSQL, a read transaction on SQLite; writers are not held up), streamed a
// chunk at a time so memory stays flat however many lines the fund holds. Nothing is written to
// the database. See docs/archive.md for the format.

import { createHash } from 'node:crypto';
import { tableAccess } from '../store/table-access.js';
import { TABLES, TABLES_SCHEMA_VERSION } from '../store/tables.js';
import type { Store } from '../store/types.js';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  MANIFEST_FILE,
  SUMS_FILE,
  fileNameOf,
  manifestText,
  rowLine,
  sumsText,
  type AuditHead,
  type Manifest,
  type ManifestFile,
} from './archive-format.js';
import { directorySink, type ArchiveSink } from './archive-sink.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';

/** Rows read per chunk: a few MB of lines at most. */
export const CHUNK_ROWS = 2_000;

export interface ArchiveProgress {
  phase: string;
  done: number;
  total: number;
  unit: 'rows' | 'bytes' | 'pages';
}

export type OnArchiveProgress = (progress: ArchiveProgress) => void;

export interface ExportResult {
  format: 'jsonl';
  kind: 'directory' | 'tar';
  path: string;
  /** SHA-256 of manifest.json: keep it elsewhere; import-archive --manifest-sha256 checks it. */
  manifestSha256: string;
  schemaVersion: number;
  funds: string[];
  audit: Manifest['audit'];
  files: { name: string; rows: number; bytes: number; sha256: string }[];
  rows: number;
  bytes: number;
  seconds: number;
}

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The store's tables as an archive directory. */
export async function exportArchive(ctx: AppContext, request: { outDir: string; onProgress?: OnArchiveProgress }): Promise<ExportResult> {
  return writeArchive(ctx, await directorySink(request.outDir), 'directory', request.onProgress);
}

/** Writes the archive into the sink, then makes it appear; on any failure removes what was written. */
export async function writeArchive(ctx: AppContext, sink: ArchiveSink, kind: ExportResult['kind'], onProgress?: OnArchiveProgress): Promise<ExportResult> {
  const started = process.hrtime.bigint();
  let manifest: Manifest;
  let manifestSha256: string;
  try {
    manifest = await tableAccess(ctx.store).snapshot((tx) => writeTables(ctx, tx, sink, onProgress));
    const text = manifestText(manifest);
    manifestSha256 = createHash('sha256').update(text).digest('hex');
    for (const [name, content] of [
      [SUMS_FILE, sumsText(manifest)],
      [MANIFEST_FILE, text],
    ] as const) {
      const file = await sink.addFile(name);
      await file.write(content);
      await file.close();
    }
    await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  return {
    format: 'jsonl',
    kind,
    path: sink.target,
    manifestSha256,
    schemaVersion: manifest.schemaVersion,
    funds: manifest.funds.map((f) => f.id),
    audit: manifest.audit,
    files: manifest.files.map(({ name, rows, bytes, sha256 }) => ({ name, rows, bytes, sha256 })),
    rows: manifest.files.reduce((n, f) => n + f.rows, 0),
    bytes: manifest.files.reduce((n, f) => n + f.bytes, 0),
    seconds: elapsed(started),
  };
}

async function writeTables(ctx: AppContext, tx: Store, sink: ArchiveSink, onProgress?: OnArchiveProgress): Promise<Manifest> {
  const schemaVersion = await tx.schemaVersion();
  if (schemaVersion !== TABLES_SCHEMA_VERSION) {
    // The column list describes one schema: exporting another would drop or invent columns.
    throw new TandemError('ARCHIVE_UNSUPPORTED', `the database is at schema version ${schemaVersion}; this Tandem archives version ${TABLES_SCHEMA_VERSION} (run \`tandem init\` to upgrade it first)`);
  }
  const tables = tableAccess(tx);
  const counts = await tables.countTableRows();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const files: ManifestFile[] = [];
  let done = 0;
  let head: AuditHead | null = null;
  for (const spec of TABLES) {
    const name = fileNameOf(spec.name);
    const file = await sink.addFile(name);
    let rows = 0;
    const id = spec.columns.findIndex((c) => c.name === 'id');
    const hash = spec.columns.findIndex((c) => c.name === 'hash');
    for await (const chunk of tables.iterateTable(spec.name, CHUNK_ROWS)) {
      let text = '';
      for (const row of chunk) text += rowLine(spec, row);
      await file.write(text);
      rows += chunk.length;
      done += chunk.length;
      onProgress?.({ phase: 'exporting', done, total, unit: 'rows' });
      if (spec.name === 'audit_events') {
        const last = chunk.at(-1)!;
        head = { id: last[id] as number, hash: last[hash] as string };
      }
    }
    const written = await file.close();
    // One snapshot: the rows read must be the rows counted.
    if (rows !== counts[spec.name]) throw new Error(`${spec.name}: counted ${counts[spec.name]} rows but read ${rows}`);
    files.push({ name, table: spec.name, rows, bytes: written.bytes, sha256: written.sha256, columns: [...spec.columns], order: [...spec.order] });
  }
  const funds = (await tx.listFunds()).map((f) => ({ id: f.id, name: f.name }));
  return {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    schemaVersion,
    createdAt: isoNow(ctx),
    createdBy: ctx.actor,
    source: { dialect: tx.dialect, location: tx.location },
    funds,
    audit: { events: counts.audit_events ?? 0, head },
    files,
  };
}
