#!/usr/bin/env node
// The `tandem` command line: argument parsing and printing only; every rule lives in src/app
// and src/domain.

import { Command } from 'commander';
import { agreementCommand } from './commands/agreement.js';
import { exportCommand, importArchiveCommand, migrateStoreCommand } from './commands/archive.js';
import { backupCommand, restoreCommand } from './commands/backup.js';
import { closeCommand, reopenCommand } from './commands/close.js';
import { commentaryCommand } from './commands/commentary.js';
import { decisionCommand } from './commands/decision.js';
import { demoCommand } from './commands/demo.js';
import { forecastCommand } from './commands/forecast.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { journalsCommand } from './commands/journals.js';
import { remapCommand } from './commands/remap.js';
import { reportCommand } from './commands/report.js';
import { scenarioCommand } from './commands/scenario.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { tokenCommand } from './commands/token.js';
import { unmappedCommand } from './commands/unmapped.js';
import { userCommand } from './commands/user.js';
import { verifyCommand } from './commands/verify.js';

const program = new Command('tandem')
  .description('Tandem: the system of record for a jointly held health and social care fund (section 75)')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

for (const cmd of [initCommand(), agreementCommand(), decisionCommand(), importCommand(), unmappedCommand(), remapCommand(), statusCommand(), forecastCommand(), closeCommand(), reopenCommand(), journalsCommand(), commentaryCommand(), reportCommand(), userCommand(), tokenCommand(), serveCommand(), verifyCommand(), demoCommand(), exportCommand(), importArchiveCommand(), backupCommand(), restoreCommand(), migrateStoreCommand(), scenarioCommand()]) {
  program.addCommand(cmd);
}

await program.parseAsync(process.argv);
