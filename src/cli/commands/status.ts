import { Command } from 'commander';
import { fundStatus, type FundStatus } from '../../app/status.js';
import { formatPounds } from '../../domain/money.js';
import { action, periodOption, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

export function statusCommand(): Command {
  return withCommonOptions(new Command('status'))
    .description("the fund's position: ledgers, batches, suspense, and each scheme's year-to-date actual per partner")
    .option('--period <period>', 'year to date up to this period (default: the latest period with data)')
    .action(
      action(async (options: CommonOptions & { period?: string }) => {
        const period = periodOption(options.period);
        const status = await withContext(options, (ctx) => fundStatus(ctx, { fundId: options.fund, period }));
        if (options.json) printJson(status);
        else console.log(describeStatus(status));
      }),
    );
}

export function describeStatus(s: FundStatus): string {
  const partners = [...new Set(s.schemes.flatMap((x) => Object.keys(x.ytdActualPence)))];
  const out = [
    `${s.fundName} (${s.fund}), agreement version ${s.agreementVersion}, ${s.period ? `year to date ${s.period}` : 'no data imported yet'}`,
    '',
    table(
      ['ledger', 'partner', 'batches', 'lines', 'total £', 'mapped £', 'out of scope £', 'unmapped lines', 'unmapped £'],
      s.ledgers.map((l) => [l.id, l.partner, l.batches, l.lines, formatPounds(l.amountPence), formatPounds(l.mapped.amountPence), formatPounds(l.outOfScope.amountPence), l.unmapped.lines, formatPounds(l.unmapped.amountPence)]),
      [2, 3, 4, 5, 6, 7, 8],
    ),
    '',
    table(
      ['scheme', 'pool', 'type', ...partners.map((p) => `YTD ${p} £`), 'YTD total £'],
      s.schemes.map((x) => [x.id, x.pool, x.type, ...partners.map((p) => formatPounds(x.ytdActualPence[p] ?? 0)), formatPounds(x.ytdActualTotalPence)]),
      partners.map((_, i) => i + 3).concat([partners.length + 3]),
    ),
  ];
  if (s.periods.length > 0) {
    out.push('', table(['period', 'state', 'close version', 'when', 'by'], s.periods.map((p) => [p.period, p.state === 'closed' ? 'closed (locked)' : 'reopened', p.closeVersion, p.at, p.by]), [2]));
  }
  if (s.unmapped.lines > 0) out.push('', `${s.unmapped.lines} unmapped line(s), £${formatPounds(s.unmapped.amountPence)}, held in suspense: see \`tandem unmapped\``);
  return out.join('\n');
}
