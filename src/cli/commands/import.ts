import { Command } from 'commander';
import { importBatch, type ImportResult } from '../../app/import-batch.js';
import { formatPounds } from '../../domain/money.js';
import { action, periodOption, printJson, withCommonOptions, withContext, yearOption, type CommonOptions } from '../common.js';
import { progressBar } from '../progress.js';

interface ImportOptions extends CommonOptions {
  ledger: string;
  period?: string;
  year?: string;
}

export function importCommand(): Command {
  return withCommonOptions(new Command('import'))
    .description('import one ledger extract (CSV or XLSX) as one batch: all of it or none of it')
    .argument('<file>', 'the extract file')
    .requiredOption('--ledger <id>', 'the ledger the extract comes from (as named in the agreement)')
    .option('--period <period>', 'the period of lines that carry none, e.g. "2025-26 M03" or 2025-06; lines that carry one must match it')
    .option('--year <year>', 'the financial year of bare period numbers, e.g. 2025-26')
    .action(
      action(async (file: string, options: ImportOptions) => {
        const period = periodOption(options.period);
        const year = yearOption(options.year);
        const bar = progressBar(`importing ${file}`, !options.json);
        let result: ImportResult;
        try {
          result = await withContext(options, (ctx) =>
            importBatch(ctx, { fundId: options.fund, ledgerId: options.ledger, path: file, period, year, onProgress: (done, total) => bar.update(done, total) }),
          );
        } finally {
          bar.finish();
        }
        if (options.json) printJson(result);
        else console.log(describeImport(result));
      }),
    );
}

export function describeImport(r: ImportResult): string {
  if (r.status === 'already-imported') return `${r.file} was already imported as batch ${r.batchId} (same bytes, sha256 ${r.sha256.slice(0, 12)}); nothing changed`;
  const lines = [
    `imported ${r.file} into ledger ${r.ledgerId} as batch ${r.batchId}: ${r.lines.toLocaleString('en-GB')} lines, control total £${formatPounds(r.controlTotalPence)}, periods ${r.periods.join(', ')} (${r.seconds.toFixed(2)} s)`,
    `  mapped ${r.mapped.lines} (£${formatPounds(r.mapped.amountPence)}), out of scope ${r.outOfScope.lines} (£${formatPounds(r.outOfScope.amountPence)}), unmapped ${r.unmapped.lines} (£${formatPounds(r.unmapped.amountPence)})`,
  ];
  if (r.superseded.length > 0) lines.push(`  supersedes ${r.superseded.map((s) => `batch ${s.batchId} ${s.period}`).join(', ')}`);
  if (r.unmapped.lines > 0) lines.push('  unmapped lines are held in suspense: see `tandem unmapped`');
  return lines.join('\n');
}
