#!/usr/bin/env node
// The `tandem` command line: argument parsing and printing only; every rule lives in src/app
// and src/domain.
//
// Each command's module is loaded only when that command runs (all of them for the overall
// --help, or a name that is not a command, so commander can answer as usual). Loading every
// module at start — exceljs, Hono, argon2, the agreement parser… — cost every command ~0.3 s
// before it did anything; `tandem import` needs none of that.

import { Command } from 'commander';

type Commands = () => Promise<Command[]>;

/** Command name → its module's command(s), in the order `tandem --help` lists them. */
const COMMANDS: [string, Commands][] = [
  ['init', async () => [(await import('./commands/init.js')).initCommand()]],
  ['agreement', async () => [(await import('./commands/agreement.js')).agreementCommand()]],
  ['decision', async () => [(await import('./commands/decision.js')).decisionCommand()]],
  ['import', async () => [(await import('./commands/import.js')).importCommand()]],
  ['unmapped', async () => [(await import('./commands/unmapped.js')).unmappedCommand()]],
  ['remap', async () => [(await import('./commands/remap.js')).remapCommand()]],
  ['status', async () => [(await import('./commands/status.js')).statusCommand()]],
  ['forecast', async () => [(await import('./commands/forecast.js')).forecastCommand()]],
  ['close', async () => [(await import('./commands/close.js')).closeCommand()]],
  ['reopen', async () => [(await import('./commands/close.js')).reopenCommand()]],
  ['year-end', async () => [(await import('./commands/year-end.js')).yearEndCommand()]],
  ['years', async () => [(await import('./commands/year-end.js')).yearsCommand()]],
  ['dissolve', async () => [(await import('./commands/dissolve.js')).dissolveCommand()]],
  ['journals', async () => [(await import('./commands/journals.js')).journalsCommand()]],
  ['commentary', async () => [(await import('./commands/commentary.js')).commentaryCommand()]],
  ['report', async () => [(await import('./commands/report.js')).reportCommand()]],
  ['user', async () => [(await import('./commands/user.js')).userCommand()]],
  ['token', async () => [(await import('./commands/token.js')).tokenCommand()]],
  ['serve', async () => [(await import('./commands/serve.js')).serveCommand()]],
  ['verify', async () => [(await import('./commands/verify.js')).verifyCommand()]],
  ['demo', async () => [(await import('./commands/demo.js')).demoCommand()]],
  ['export', async () => [(await import('./commands/archive.js')).exportCommand()]],
  ['import-archive', async () => [(await import('./commands/archive.js')).importArchiveCommand()]],
  ['backup', async () => [(await import('./commands/backup.js')).backupCommand()]],
  ['restore', async () => [(await import('./commands/backup.js')).restoreCommand()]],
  ['migrate-store', async () => [(await import('./commands/archive.js')).migrateStoreCommand()]],
  ['scenario', async () => [(await import('./commands/scenario.js')).scenarioCommand()]],
  ['contracts', async () => [(await import('./commands/contracts.js')).contractsCommand()]],
  ['activity', async () => [(await import('./commands/contracts.js')).activityCommand()]],
  ['outcomes', async () => [(await import('./commands/contracts.js')).outcomesCommand()]],
  ['metrics', async () => [(await import('./commands/contracts.js')).metricsCommand()]],
  ['investments', async () => [(await import('./commands/investments.js')).investmentsCommand()]],
  ['returns', async () => [(await import('./commands/returns.js')).returnsCommand()]],
];

const program = new Command('tandem')
  .description('Tandem: the system of record for a jointly held health and social care fund (section 75)')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

const asked = process.argv[2];
const one = COMMANDS.find(([name]) => name === asked);
for (const [name, load] of one ? [one] : COMMANDS) {
  const commands = await load();
  // A command whose name differs from its table entry would never be found by name.
  if (!commands.some((c) => c.name() === name)) throw new Error(`the module for "${name}" defines ${commands.map((c) => c.name()).join(', ')}`);
  for (const cmd of commands) program.addCommand(cmd);
}

await program.parseAsync(process.argv);
