// `tandem import-archive PATH`: an archive (directory or tar) into an empty database. Before a row
// is written the whole archive is checked — the manifest (and its SHA-256, if one kept elsewhere
// is given), SHA256SUMS, and every file's size, SHA-256 and line count — and any problem refuses
// it, listing each. Then the rows are written in one transaction (archive-load.ts), each line
// checked as it is read; a file changed since it was checked is caught by hashing it again.

import { createHash } from 'node:crypto';
import { tableSpec, type TableRow } from '../store/tables.js';
import { MANIFEST_FILE, SUMS_FILE, checkManifest, fileNameOf, parseRowLine, sumsText, type Manifest } from './archive-format.js';
import type { OnArchiveProgress } from './archive-export.js';
import { loadIntoEmptyStore, type LoadResult, type TableFeed } from './archive-load.js';
import { openArchiveSource, readLines, readSmallText, scanFile, type ArchiveSource } from './archive-source.js';
import type { AppContext } from './context.js';
import { TandemError, type Problem } from './errors.js';

export interface ImportArchiveResult extends LoadResult {
  archive: string;
  kind: 'directory' | 'tar';
  manifestSha256: string;
  createdAt: string;
}

const MANIFEST_LIMIT = 16 << 20;
/** Problems listed at most, as for imports. */
const MAX_PROBLEMS = 100;

export async function importArchive(ctx: AppContext, request: { path: string; manifestSha256?: string; onProgress?: OnArchiveProgress }): Promise<ImportArchiveResult> {
  const source = await openArchiveSource(request.path);
  const { manifest, sha256 } = await readManifest(source, request.manifestSha256);
  await checkFiles(source, manifest, request.onProgress);
  const load = await loadIntoEmptyStore(ctx, archiveFeed(source, manifest), request.onProgress);
  return { ...load, archive: source.path, kind: source.kind, manifestSha256: sha256, createdAt: manifest.createdAt };
}

function invalid(source: ArchiveSource, problems: Problem[]): TandemError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? ` (the first ${shown.length} listed)` : '';
  return new TandemError('ARCHIVE_INVALID', `${source.path} is not intact: ${problems.length} problem(s)${more}; nothing was written`, shown);
}

export async function readManifest(source: ArchiveSource, expectedSha256?: string): Promise<{ manifest: Manifest; sha256: string }> {
  const text = await readSmallText(source, MANIFEST_FILE, MANIFEST_LIMIT);
  if (text === undefined) throw invalid(source, [{ code: 'FILE_MISSING', message: `${MANIFEST_FILE} is missing: without it nothing in the archive can be checked`, file: MANIFEST_FILE }]);
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  if (expectedSha256 !== undefined && expectedSha256.toLowerCase() !== sha256) {
    throw invalid(source, [{ code: 'MANIFEST_SHA256', message: `${MANIFEST_FILE} has SHA-256 ${sha256}, not ${expectedSha256.toLowerCase()} as expected`, file: MANIFEST_FILE }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(source, [{ code: 'MANIFEST_INVALID', message: `not JSON: ${(error as Error).message}`, file: MANIFEST_FILE }]);
  }
  const checked = checkManifest(value);
  if (checked.unsupported) throw new TandemError('ARCHIVE_UNSUPPORTED', `${source.path}: ${checked.unsupported}; nothing was written`);
  if (!checked.manifest) throw invalid(source, checked.problems);
  return { manifest: checked.manifest, sha256 };
}

/** Every file against the manifest, before anything is written. */
async function checkFiles(source: ArchiveSource, manifest: Manifest, onProgress?: OnArchiveProgress): Promise<void> {
  const problems: Problem[] = [];
  const sums = await readSmallText(source, SUMS_FILE, MANIFEST_LIMIT);
  if (sums === undefined) problems.push({ code: 'FILE_MISSING', message: `${SUMS_FILE} is missing`, file: SUMS_FILE });
  else if (sums !== sumsText(manifest)) problems.push({ code: 'SUMS_MISMATCH', message: `${SUMS_FILE} does not list exactly the files and hashes of ${MANIFEST_FILE}`, file: SUMS_FILE });
  const listed = new Set(manifest.files.map((f) => f.name));
  for (const name of source.names()) {
    if (name.endsWith('.jsonl') && !listed.has(name)) problems.push({ code: 'FILE_UNLISTED', message: `${name} is not in ${MANIFEST_FILE}`, file: name });
  }
  const total = manifest.files.reduce((n, f) => n + (source.size(f.name) ?? 0), 0);
  let done = 0;
  for (const f of manifest.files) {
    const size = source.size(f.name);
    if (size === undefined) {
      problems.push({ code: 'FILE_MISSING', message: `${f.name} is missing (${f.rows} row(s) of ${f.table})`, file: f.name });
      continue;
    }
    const scan = await scanFile(source, f.name, createHash('sha256'), (n) => {
      done += n;
      onProgress?.({ phase: 'checking the archive', done, total, unit: 'bytes' });
    });
    if (scan.bytes !== f.bytes) problems.push({ code: 'FILE_SIZE', message: `${f.name} is ${scan.bytes} bytes; the manifest says ${f.bytes}`, file: f.name });
    if (scan.sha256 !== f.sha256) problems.push({ code: 'FILE_SHA256', message: `${f.name} has SHA-256 ${scan.sha256}; the manifest says ${f.sha256}`, file: f.name });
    if (scan.lines !== f.rows) problems.push({ code: 'FILE_ROWS', message: `${f.name} has ${scan.lines} line(s); the manifest says ${f.rows} row(s)`, file: f.name });
    if (!scan.endsWithNewline) problems.push({ code: 'FILE_ROWS', message: `${f.name} does not end with a newline (cut short?)`, file: f.name });
  }
  if (problems.length > 0) throw invalid(source, problems);
}

/** The rows of each file, every line parsed and checked, every byte hashed again. */
function archiveFeed(source: ArchiveSource, manifest: Manifest): TableFeed {
  const byTable = new Map(manifest.files.map((f) => [f.table, f]));
  const read = new Set<string>();
  return {
    totalRows: manifest.files.reduce((n, f) => n + f.rows, 0),
    auditHead: manifest.audit.head,
    async *rows(table) {
      const spec = tableSpec(table);
      const file = byTable.get(table)!;
      const hash = createHash('sha256');
      let line = 0;
      for await (const lines of readLines(source, fileNameOf(table), hash)) {
        const rows: TableRow[] = [];
        for (const text of lines) {
          line++;
          const row = parseRowLine(spec, text);
          if (typeof row === 'string') throw invalid(source, [{ code: 'ROW_INVALID', message: row, file: file.name, line }]);
          rows.push(row);
        }
        yield rows;
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== file.sha256 || line !== file.rows) {
        throw invalid(source, [{ code: 'FILE_CHANGED', message: `${file.name} changed while it was being read (SHA-256 ${sha256}, ${line} line(s))`, file: file.name }]);
      }
      read.add(table);
    },
    expected(table) {
      const file = byTable.get(table)!;
      if (!read.has(table)) throw new Error(`${table} was not read to the end`);
      return { rows: file.rows, sha256: file.sha256 };
    },
  };
}
