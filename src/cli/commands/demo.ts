// `tandem demo`: the example Sheffield fund end to end on the embedded SQLite default — load the
// agreement, import every example extract in order, print the status. Run again, it changes
// nothing (the agreement and every file are recognised as already loaded).

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadAgreement } from '../../app/agreements.js';
import { importBatch } from '../../app/import-batch.js';
import { fundStatus } from '../../app/status.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { describeImport } from './import.js';
import { describeStatus } from './status.js';

export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Tandem project folder');
    dir = up;
  }
  return dir;
}

/** Every example extract, ledger by ledger, in file-name order (names start with the period). */
export function exampleExtracts(exampleDir: string): { ledgerId: string; path: string }[] {
  const ledgersDir = join(exampleDir, 'ledgers');
  return readdirSync(ledgersDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((ledgerId) =>
      readdirSync(join(ledgersDir, ledgerId))
        .filter((f) => /\.(csv|xlsx)$/i.test(f))
        .sort()
        .map((f) => ({ ledgerId, path: join(ledgersDir, ledgerId, f) })),
    );
}

export function demoCommand(): Command {
  return withCommonOptions(new Command('demo'), { fund: false })
    .description('load the example Sheffield fund (agreement and ledger extracts M01–M03) and print its status')
    .action(
      action(async (options: CommonOptions) => {
        const exampleDir = join(projectRoot(), 'examples', 'sheffield');
        const show = (p: string) => relative(process.cwd(), p) || p;
        await withContext(options, async (ctx) => {
          const loaded = await loadAgreement(ctx, show(join(exampleDir, 'agreement.yaml')));
          const imports = [];
          for (const extract of exampleExtracts(exampleDir)) {
            imports.push(await importBatch(ctx, { ledgerId: extract.ledgerId, path: show(extract.path), fundId: loaded.fundId }));
          }
          const status = await fundStatus(ctx, { fundId: loaded.fundId });
          if (options.json) return printJson({ agreement: loaded, imports, status });
          console.log(`agreement: fund ${loaded.fundId} version ${loaded.version}${loaded.created ? ' (loaded now)' : ' (unchanged)'}`);
          for (const r of imports) console.log(describeImport(r));
          console.log(`\ndatabase: ${resolve(ctx.store.location)}\n`);
          console.log(describeStatus(status));
        });
      }),
    );
}
