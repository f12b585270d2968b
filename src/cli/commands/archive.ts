import { Command } from 'commander';
import type { AuditHead } from '../../app/archive-format.js';
import { migrateStore, withNewTarget } from '../../app/archive-copy.js';
import { exportArchive, type ExportResult } from '../../app/archive-export.js';
import { importArchive } from '../../app/archive-import.js';
import type { LoadResult } from '../../app/archive-load.js';
import { TandemError } from '../../app/errors.js';
import { action, actor, dbLocation, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { phasedProgress, type PhasedProgress } from './archive-progress.js';

/** Runs fn with a progress display that is cleared whatever happens. */
export async function withProgress<T>(json: boolean | undefined, fn: (bar: PhasedProgress) => Promise<T>): Promise<T> {
  const bar = phasedProgress(!json);
  try {
    return await fn(bar);
  } finally {
    bar.finish();
  }
}

export function exportCommand(): Command {
  return withCommonOptions(new Command('export'), { fund: false })
    .summary('write every table of the database as an archive (JSON Lines, manifest and SHA-256s) for archiving and auditors')
    .description('write everything in the database — agreements, batches with every raw line, closes with their journals, period events, forecasts, commentary, users, the audit trail — as an archive: one JSON Lines file per table, a manifest with row counts and SHA-256s, and SHA256SUMS (docs/archive.md). Reads one consistent snapshot; writes nothing to the database')
    .requiredOption('--out <dir>', 'a new or empty directory for the archive')
    .option('--format <format>', 'the archive format: jsonl (the only one)', 'jsonl')
    .action(
      action(async (options: CommonOptions & { out: string; format: string }) => {
        if (options.format !== 'jsonl') throw new TandemError('USAGE', `--format "${options.format}" is not known; the archive is jsonl`, [], 2);
        const r = await withProgress(options.json, (bar) => withContext(options, (ctx) => exportArchive(ctx, { outDir: options.out, onProgress: (p) => bar.update(p) })));
        if (options.json) printJson(r);
        else console.log(describeExport(r));
      }),
    );
}

export function describeExport(r: ExportResult): string {
  return [
    `exported ${r.rows.toLocaleString('en-GB')} rows in ${r.files.length} tables (${(r.bytes / 1e6).toFixed(1)} MB) to ${r.path} (${r.seconds.toFixed(2)} s)`,
    `  manifest.json SHA-256 ${r.manifestSha256} (keep it elsewhere: import-archive --manifest-sha256 checks it)`,
    `  ${describeHead(r.audit)}`,
  ].join('\n');
}

export function importArchiveCommand(): Command {
  return withCommonOptions(new Command('import-archive'), { fund: false })
    .summary('rebuild a store from an archive into an empty database, checked and verified')
    .description('rebuild a store from an archive (a directory from `tandem export`, or a tar of one) into the empty database of --db: every file checked against the manifest first, everything written in one transaction, read back and compared, and verified before it is committed; otherwise nothing is written')
    .argument('<path>', 'the archive directory or tar file')
    .option('--manifest-sha256 <sha256>', 'the SHA-256 of manifest.json printed by export and kept elsewhere: refuse the archive unless it matches')
    .action(
      action(async (archive: string, options: CommonOptions & { manifestSha256?: string }) => {
        const who = { actor: actor(options), now: () => new Date() };
        const r = await withProgress(options.json, (bar) =>
          withNewTarget(dbLocation(options), (store) => importArchive({ ...who, store }, { path: archive, manifestSha256: options.manifestSha256, onProgress: (p) => bar.update(p) })),
        );
        if (options.json) printJson(r);
        else console.log(`imported the archive ${r.archive} (manifest SHA-256 ${r.manifestSha256}, made ${r.createdAt})\n${describeLoad(r)}`);
      }),
    );
}

export function migrateStoreCommand(): Command {
  return withCommonOptions(new Command('migrate-store'), { fund: false })
    .summary('copy the whole database into another, empty one: SQLite to PostgreSQL or back')
    .description('copy the whole database of --db into another, empty one — the SQLite file to PostgreSQL when the fund outgrows one file, or back — in one transaction, read back and compared, and verified before it is committed. The source is only read')
    .requiredOption('--to <location>', 'the target: a postgres:// URL of an empty database, or a new SQLite file')
    .action(
      action(async (options: CommonOptions & { to: string }) => {
        const r = await withProgress(options.json, (bar) => withContext(options, (ctx) => migrateStore(ctx, { to: options.to, onProgress: (p) => bar.update(p) })));
        if (options.json) printJson(r);
        else console.log(`copied ${r.from}\n${describeLoad(r)}\n  ${r.from} is unchanged; point --db or TANDEM_DB at ${r.to} to use the copy`);
      }),
    );
}

export function describeLoad(r: LoadResult, readBack = true): string {
  const s = r.verify.summary;
  return [
    `into ${r.database} (${r.dialect}): ${r.rows.toLocaleString('en-GB')} rows in ${Object.keys(r.tables).length} tables${readBack ? ', every table read back identical' : ''} (${r.seconds.toFixed(2)} s)`,
    `  verify: ${s.checks} checks, ${s.ok} ok, ${s.warnings} with warnings, ${s.failures} failed`,
    `  ${describeHead(r.audit)}`,
  ].join('\n');
}

export function describeHead(audit: { events: number; head: AuditHead | null }): string {
  return audit.head ? `audit trail: ${audit.events} events, head event ${audit.head.id} ${audit.head.hash}` : 'audit trail: empty';
}
