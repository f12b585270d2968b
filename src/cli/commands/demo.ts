// `tandem demo`: the example Sheffield fund end to end on the embedded SQLite default — load the
// agreement, import every example extract in order, close M01 to M03 (the example keeps a few
// unmapped lines on purpose, so it closes with --allow-unmapped and shows them), and print the
// status and the M03 close. Run again, it changes nothing: the agreement and every file are
// recognised as already loaded, and closed months are read back, not closed again.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadAgreement } from '../../app/agreements.js';
import { closePeriod, readClose, type CloseResult } from '../../app/close.js';
import { importBatch } from '../../app/import-batch.js';
import { periodStates } from '../../app/periods.js';
import { periodKey } from '../../domain/period.js';
import { fundStatus } from '../../app/status.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { describeClose } from './close.js';
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
    .description('load the example Sheffield fund (agreement and ledger extracts M01–M03), close M01–M03, and print the status and the M03 close')
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
          const closes: CloseResult[] = [];
          for (const month of [1, 2, 3]) {
            const period = periodKey(2025, month);
            const state = (await periodStates(ctx.store, loaded.fundId)).get(period);
            if (state?.action === 'close') closes.push({ document: await readClose(ctx, { fundId: loaded.fundId, period }), sha256: '', seconds: 0 });
            else closes.push(await closePeriod(ctx, { fundId: loaded.fundId, period, allowUnmapped: true }));
          }
          if (options.json) return printJson({ agreement: loaded, imports, status, closes: closes.map((c) => c.document) });
          console.log(`agreement: fund ${loaded.fundId} version ${loaded.version}${loaded.created ? ' (loaded now)' : ' (unchanged)'}`);
          for (const r of imports) console.log(describeImport(r));
          console.log(`\ndatabase: ${resolve(ctx.store.location)}\n`);
          console.log(describeStatus(status));
          console.log(`\n${describeClose(closes[closes.length - 1]!)}`);
          console.log(`\nJournals for the finance systems: tandem journals 2025-26 M03 --format csv --out DIR (or --format ledger)`);
        });
      }),
    );
}
