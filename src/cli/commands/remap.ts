import { Command } from 'commander';
import { remap } from '../../app/remap.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

export function remapCommand(): Command {
  return withCommonOptions(new Command('remap'))
    .description("re-apply the mapping rules of the agreement in force to every live imported line (no re-import)")
    .option('--ledger <id>', 'only this ledger')
    .action(
      action(async (options: CommonOptions & { ledger?: string }) => {
        const result = await withContext(options, (ctx) => remap(ctx, { fundId: options.fund, ledgerId: options.ledger }));
        if (options.json) return printJson(result);
        console.log(`remapped with agreement version ${result.agreementVersion}`);
        console.log(
          table(
            ['ledger', 'batches', 'lines', 'changed', 'unmapped before', 'unmapped after'],
            result.ledgers.map((l) => [l.id, l.batches, l.lines, l.changed, l.unmappedBefore, l.unmappedAfter]),
            [1, 2, 3, 4, 5],
          ),
        );
      }),
    );
}
