import { Command } from 'commander';
import { openStore } from '../../store/open.js';
import { action, dbLocation, printJson, withCommonOptions, type CommonOptions } from '../common.js';

export function initCommand(): Command {
  return withCommonOptions(new Command('init'), { fund: false })
    .description('create the database (if needed) and apply any pending migrations')
    .action(
      action(async (options: CommonOptions) => {
        const store = await openStore(dbLocation(options), { migrate: false });
        try {
          const applied = await store.migrate();
          const version = await store.schemaVersion();
          if (options.json) printJson({ database: store.location, dialect: store.dialect, applied, schemaVersion: version });
          else console.log(`${store.location} (${store.dialect}): schema version ${version}${applied.length ? `, applied migration(s) ${applied.join(', ')}` : ', up to date'}`);
        } finally {
          await store.close();
        }
      }),
    );
}
