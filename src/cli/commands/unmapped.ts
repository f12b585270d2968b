import { Command } from 'commander';
import { unmappedGroups } from '../../app/unmapped.js';
import { formatPounds } from '../../domain/money.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

export function unmappedCommand(): Command {
  return withCommonOptions(new Command('unmapped'))
    .description('list the suspense queue: live ledger lines no mapping rule matched, grouped by code combination')
    .option('--ledger <id>', 'only this ledger')
    .action(
      action(async (options: CommonOptions & { ledger?: string }) => {
        const groups = await withContext(options, (ctx) => unmappedGroups(ctx, { fundId: options.fund, ledgerId: options.ledger }));
        if (options.json) return printJson(groups);
        if (groups.length === 0) return console.log('no unmapped lines');
        console.log(
          table(
            ['ledger', 'codes', 'lines', 'amount £', 'periods'],
            groups.map((g) => [g.ledger, Object.entries(g.codes).map(([k, v]) => `${k}=${v}`).join(' '), g.lines, formatPounds(g.amountPence), g.periods.join(', ')]),
            [2, 3],
          ),
        );
      }),
    );
}
