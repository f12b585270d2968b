import { Command } from 'commander';
import { backupStore, restoreBackup, type BackupFormat } from '../../app/backup.js';
import { TandemError } from '../../app/errors.js';
import { action, actor, dbLocation, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { describeHead, describeLoad, withProgress } from './archive.js';

export function backupCommand(): Command {
  return withCommonOptions(new Command('backup'), { fund: false })
    .summary('back up the whole database to one new file, online')
    .description("back up the whole database to one new file, online (others may go on working): a SQLite store with SQLite's backup API, a PostgreSQL store as an archive in a tar file, from one consistent snapshot. `tandem restore` reads either")
    .argument('<file>', 'the backup file to create (never overwritten)')
    .option('--format <format>', 'sqlite (a SQLite store only; its default) or archive (the default for PostgreSQL)')
    .action(
      action(async (file: string, options: CommonOptions & { format?: string }) => {
        if (options.format !== undefined && options.format !== 'sqlite' && options.format !== 'archive') {
          throw new TandemError('USAGE', `--format "${options.format}" is not sqlite or archive`, [], 2);
        }
        const format = options.format as BackupFormat | undefined;
        const r = await withProgress(options.json, (bar) => withContext(options, (ctx) => backupStore(ctx, { file, format, onProgress: (p) => bar.update(p) })));
        if (options.json) printJson(r);
        else {
          console.log(
            [
              `backed up ${r.database} to ${r.file} (${r.format === 'sqlite' ? 'a SQLite database' : 'an archive in a tar file'}, ${(r.bytes / 1e6).toFixed(1)} MB, ${r.seconds.toFixed(2)} s)`,
              `  SHA-256 ${r.sha256}${r.manifestSha256 ? `; manifest.json SHA-256 ${r.manifestSha256}` : ''}`,
              `  schema version ${r.schemaVersion}; ${describeHead(r.audit)}`,
            ].join('\n'),
          );
        }
      }),
    );
}

export function restoreCommand(): Command {
  return withCommonOptions(new Command('restore'), { fund: false })
    .summary('restore a backup or an archive into an empty database, verified')
    .description('restore a backup (a SQLite file from `tandem backup`, or an archive: tar or directory) into the empty database of --db — a new SQLite file or an empty PostgreSQL database. The copy must pass `tandem verify` before it is kept; otherwise nothing is written')
    .argument('<file>', 'the backup file (or archive directory)')
    .action(
      action(async (file: string, options: CommonOptions) => {
        const who = { actor: actor(options), now: () => new Date() };
        const r = await withProgress(options.json, (bar) => restoreBackup(who, { file, target: dbLocation(options), onProgress: (p) => bar.update(p) }));
        if (options.json) printJson(r);
        else console.log(`restored ${r.file} (${r.kind === 'sqlite' ? 'a SQLite backup' : `an archive ${r.kind}`}, ${r.method})\n${describeLoad(r, r.method === 'row copy')}`);
      }),
    );
}
