import { Command, Option } from 'commander';
import { exportJournals, type JournalFormat } from '../../app/journal-export.js';
import { formatPounds } from '../../domain/money.js';
import { action, periodArgument, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

interface JournalsOptions extends CommonOptions {
  format: JournalFormat;
  out: string;
  version?: string;
}

export function journalsCommand(): Command {
  return withCommonOptions(new Command('journals'))
    .description("write a closed month's journals, one file per ledger, in each ledger's own codes")
    .argument('<period...>', 'the month, e.g. 2025-26 M03 or 2025-06')
    .addOption(new Option('--format <format>', 'csv: for upload to the finance system; ledger: plain-text journal for ledger-cli / hledger').choices(['csv', 'ledger']).default('csv'))
    .option('--out <dir>', 'directory to write into (created if missing)', '.')
    .option('--version <n>', 'which close version (default: the latest)')
    .action(
      action(async (parts: string[], options: JournalsOptions) => {
        const period = periodArgument(parts);
        const version = options.version === undefined ? undefined : Number(options.version);
        const result = await withContext(options, (ctx) => exportJournals(ctx, { fundId: options.fund, period, version, format: options.format, outDir: options.out }));
        if (options.json) printJson(result);
        else if (result.files.length === 0) console.log(`${result.period} (close version ${result.closeVersion}) has no journals: nothing written`);
        else {
          console.log(`${result.period}, close version ${result.closeVersion}: ${result.files.length} file(s)`);
          console.log(table(['ledger', 'journals', 'debits = credits £', 'file'], result.files.map((f) => [f.ledger, f.journals, formatPounds(f.debitPence), f.path]), [1, 2]));
        }
      }),
    );
}
