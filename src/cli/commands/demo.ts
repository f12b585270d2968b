// `tandem demo`: the example Sheffield-scale fund for a whole year on the embedded SQLite default
// (src/app/demo.ts does the work): load the agreement, import the hand-checked M01–M03 extracts
// and a synthetic M04–M12, close every month, write the M06 and M12 reports, and say where they
// are. Run again, it changes nothing.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { runDemo } from '../../app/demo.js';
import { TandemError } from '../../app/errors.js';
import { readClose } from '../../app/close.js';
import { formatThousands } from '../../domain/money.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { describeClose } from './close.js';
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

/** Every extract under DIR/ledgers/<ledger>/, ledger by ledger, in file-name order (names start with the period). */
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

interface DemoOptions extends CommonOptions {
  out: string;
  lines?: string;
}

export function demoCommand(): Command {
  return withCommonOptions(new Command('demo'), { fund: false })
    .description('run the example Sheffield-scale fund for a whole year: import, close M01–M12, write the M06 and M12 reports')
    .option('--out <dir>', 'where the synthetic extracts and the reports go', 'tandem-demo')
    .option('--lines <n>', 'synthetic ledger lines for M04–M12 in total (default about 720)')
    .action(
      action(async (options: DemoOptions) => {
        const lines = options.lines === undefined ? undefined : Number(options.lines);
        if (lines !== undefined && !(Number.isSafeInteger(lines) && lines > 0)) throw new TandemError('USAGE', `--lines "${options.lines}" is not a positive whole number`, [], 2);
        const exampleDir = join(projectRoot(), 'examples', 'sheffield');
        const show = (p: string) => relative(process.cwd(), p) || p;
        const progress = !options.json && process.stderr.isTTY;
        await withContext(options, async (ctx) => {
          const result = await runDemo(ctx, { exampleDir, outDir: resolve(options.out), lines, show, onStep: progress ? (m) => process.stderr.write(`\r\x1b[K${m}`) : undefined }, exampleExtracts);
          if (progress) process.stderr.write('\r\x1b[K');
          if (options.json) return printJson(result);
          const imported = result.imports.filter((i) => i.status === 'imported');
          console.log(`agreement: fund ${result.agreement.fundId} version ${result.agreement.version}${result.agreement.created ? ' (loaded now)' : ' (unchanged)'}`);
          console.log(`extracts: ${imported.length} imported (${imported.reduce((n, i) => n + i.lines, 0).toLocaleString('en-GB')} lines), ${result.imports.length - imported.length} already imported`);
          console.log(`closed: ${result.closed.map((c) => `${c.period.slice(-3)}${c.status === 'closed' ? '' : ' (before)'}`).join(', ')}`);
          console.log(`database: ${resolve(ctx.store.location)}\n`);
          console.log(describeStatus(result.status));
          const m12 = await readClose(ctx, { fundId: result.agreement.fundId, period: 202512 });
          console.log(`\n${describeClose({ document: m12, sha256: '', seconds: 0 })}`);
          const fund = m12.totals.fund;
          console.log(`\nThe year (£000s): integrated fund budget ${formatThousands(fund.annualBudgetPence)}, outturn ${formatThousands(fund.fotPence)} (${fund.rag.toUpperCase()}).`);
          console.log('\nReports (open the HTML in a browser; PDF, XLSX and CSV beside it):');
          for (const r of result.reports) for (const f of r.files) console.log(`  ${r.period} ${f.format.padEnd(4)} ${show(f.path)}`);
        });
      }),
    );
}
