import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { listCommentary, setCommentary } from '../../app/commentary.js';
import { TandemError } from '../../app/errors.js';
import { action, periodArgument, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';

export function commentaryCommand(): Command {
  const commentary = new Command('commentary').description("scheme commentary for the monthly report (each new text is kept beside the old)");
  commentary.addCommand(
    withCommonOptions(new Command('set'))
      .description("set a scheme's commentary for a month")
      .argument('<scheme>', 'the scheme id')
      .argument('<period...>', 'the month, e.g. 2025-26 M03 or 2025-06')
      .option('--text <text>', 'the commentary')
      .option('--file <path>', 'read the commentary from a UTF-8 text file')
      .action(
        action(async (scheme: string, parts: string[], options: CommonOptions & { text?: string; file?: string }) => {
          const period = periodArgument(parts);
          if ((options.text === undefined) === (options.file === undefined)) throw new TandemError('USAGE', 'give the commentary with exactly one of --text or --file', [], 2);
          const text = options.text ?? (await readFile(options.file!, 'utf8'));
          const result = await withContext(options, (ctx) => setCommentary(ctx, { fundId: options.fund, schemeId: scheme, period, text }));
          if (options.json) printJson(result);
          else console.log(`commentary for ${result.scheme} ${result.period} stored (${result.text.length} characters)`);
        }),
      ),
  );
  commentary.addCommand(
    withCommonOptions(new Command('list'))
      .description("the commentary in force for a month, scheme by scheme")
      .argument('<period...>', 'the month')
      .action(
        action(async (parts: string[], options: CommonOptions) => {
          const period = periodArgument(parts);
          const rows = await withContext(options, (ctx) => listCommentary(ctx, { fundId: options.fund, period }));
          if (options.json) printJson(rows);
          else for (const r of rows) console.log(`${r.scheme} (${r.by}, ${r.at}):\n  ${r.text.replace(/\n/g, '\n  ')}`);
        }),
      ),
  );
  return commentary;
}
