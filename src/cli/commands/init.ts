import { Command } from 'commander';
import { initStore } from '../../app/init.js';
import { openStore } from '../../store/open.js';
import { action, actor, dbLocation, printJson, withCommonOptions, type CommonOptions } from '../common.js';

export function initCommand(): Command {
  return withCommonOptions(new Command('init'), { fund: false })
    .description('create the database (if needed) and apply any pending migrations')
    .action(
      action(async (options: CommonOptions) => {
        const store = await openStore(dbLocation(options), { migrate: false });
        try {
          const r = await initStore({ store, actor: actor(options), now: () => new Date() });
          if (options.json) printJson(r);
          else console.log(`${r.database} (${r.dialect}): schema version ${r.schemaVersion}${r.applied.length ? `, applied migration(s) ${r.applied.join(', ')}` : ', up to date'}`);
        } finally {
          await store.close();
        }
      }),
    );
}
