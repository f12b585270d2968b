import { Command } from 'commander';
import { parseFormats, writeReportFiles } from '../../app/report-files.js';
import { action, periodArgument, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

interface ReportOptions extends CommonOptions {
  format: string;
  out: string;
  version?: string;
}

export function reportCommand(): Command {
  return withCommonOptions(new Command('report'))
    .description('write the monthly joint finance report of a closed month: HTML, PDF, XLSX and/or CSV')
    .argument('<period...>', 'the month, e.g. 2025-26 M03 or 2025-06')
    .option('--format <list>', 'comma-separated: html,pdf,xlsx,csv', 'html,pdf,xlsx,csv')
    .option('--out <dir>', 'directory to write into (created if missing)', '.')
    .option('--version <n>', 'which close version (default: the latest)')
    .addHelpText('after', '\nThe report reads the stored close; it never recomputes figures. PDF needs Debian chromium (scripts/install-system-deps.sh).')
    .action(
      action(async (parts: string[], options: ReportOptions) => {
        const period = periodArgument(parts);
        const formats = parseFormats(options.format);
        const version = options.version === undefined ? undefined : Number(options.version);
        const result = await withContext(options, (ctx) => writeReportFiles(ctx, { fundId: options.fund, period, version, formats, outDir: options.out }));
        if (options.json) printJson(result);
        else {
          console.log(`report for ${result.period} (close version ${result.closeVersion}) in ${result.seconds.toFixed(2)} s`);
          console.log(table(['format', 'seconds', 'written to'], result.files.map((f) => [f.format, f.seconds.toFixed(2), f.path]), [1]));
        }
      }),
    );
}
