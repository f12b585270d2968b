// `tandem investments [show]` and `tandem investments journals` (docs/contracts.md#social-investment):
// printing only; the rules are in src/app and src/domain.

import { Command, Option } from 'commander';
import { investmentJournals } from '../../app/investment-journals.js';
import { investmentsReport, type InvestmentRow } from '../../app/investments.js';
import type { JournalFormat } from '../../app/journal-export.js';
import type { PaymentPeriod } from '../../domain/investment-payments.js';
import { formatPounds } from '../../domain/money.js';
import { TandemError } from '../../app/errors.js';
import { action, periodOption, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

const gbp = (pence: number) => formatPounds(pence, { symbol: true });

function printPeriods(title: string, periods: readonly PaymentPeriod[]): void {
  if (periods.length === 0) return;
  console.log(`  ${title}`);
  for (const p of periods) {
    console.log(`    ${p.label} (${p.basis === 'plan' ? 'plan' : p.basis === 'actual' ? 'actual' : 'not measured'}): ${gbp(p.duePence)}`);
    for (const step of p.steps) console.log(`      ${step.text}`);
  }
}

function printInvestment(row: InvestmentRow, period: string): void {
  const per = row.baselinePer === 'month' ? 'each month' : 'each year, paid at M12';
  console.log(`\n${row.name} (${row.id}): ${row.investor} → scheme ${row.scheme}, paid by ${row.paidBy}; ${row.start} to ${row.end}`);
  console.log(`  outcome: ${row.metric} against its baseline ${per}; ${gbp(row.pencePerOutcome)} per outcome avoided, at least ${row.minimumOutcomes}`);
  console.log(`  caps: ${row.yearCapPence === null ? 'no yearly cap' : `${gbp(row.yearCapPence)} a year`}, ${gbp(row.totalCapPence)} in all`);
  console.log(
    table(
      ['', 'amount'],
      [
        ['capital (received to date)', `${gbp(row.capitalPence)} (${gbp(row.capitalToDatePence)})`],
        [`due for ${period}`, gbp(row.duePeriodPence)],
        ['due this year to date', gbp(row.dueYearToDatePence)],
        ['repaid (due) since the start', gbp(row.dueToDatePence)],
        ['forecast, rest of the year (plan)', gbp(row.forecastRestOfYearPence)],
        ['forecast for the year', gbp(row.forecastYearPence)],
        ['total cap left', gbp(row.totalCapLeftPence)],
        ['repaid less capital', gbp(row.returnToDatePence)],
      ],
      [1],
    ),
  );
  if (row.missingActuals.length > 0) console.log(`  no actual imported for ${row.missingActuals.join(', ')}: nothing is due for them until there is`);
  printPeriods('calculation, actuals:', row.periods);
  printPeriods('forecast, on the plan:', row.forecast);
}

export function investmentsCommand(): Command {
  // `show` is the default subcommand, as for `tandem contracts`: `--json` after `journals` reaches it.
  const cmd = new Command('investments').description('social investments repaid per outcome: payments due, forecast and their journals (docs/contracts.md#social-investment)');
  const show = withCommonOptions(new Command('show'))
    .description('each social investment: payments due to date from the actuals, the forecast for the rest of the year from the plan, capital and repayment, with the calculation (the default)')
    .option('--period <period>', 'the month to report up to, e.g. "2025-26 M06" (default: the latest with an actual)')
    .action(
      action(async (options: CommonOptions & { period?: string }) => {
        const period = periodOption(options.period);
        const report = await withContext(options, (ctx) => investmentsReport(ctx, { fundId: options.fund, period }));
        if (options.json) return printJson(report);
        if (report.investments.length === 0) return console.log(`the contract register in force (version ${report.registerVersion}) has no investments`);
        console.log(`social investments of fund ${report.fundId} to ${report.period} (register version ${report.registerVersion})`);
        for (const row of report.investments) printInvestment(row, report.period!);
      }),
    );
  cmd.addCommand(show, { isDefault: true });
  cmd.addCommand(
    withCommonOptions(new Command('journals'))
      .description('the outcome payments due for a month as balanced journals in the paying partner’s ledger (Dr scheme spend, Cr the investor), for the partner to post')
      .requiredOption('--period <period>', 'the month, e.g. "2025-26 M03"')
      .addOption(new Option('--format <format>', 'csv: for upload to the finance system; ledger: plain-text journal for ledger-cli / hledger').choices(['csv', 'ledger']).default('csv'))
      .option('--out <dir>', 'directory to write into (created if missing)', '.')
      .action(
        action(async (options: CommonOptions & { period: string; format: JournalFormat; out: string }) => {
          const period = periodOption(options.period);
          if (period === undefined) throw new TandemError('USAGE', '--period is required', [], 2);
          const result = await withContext(options, (ctx) => investmentJournals(ctx, { fundId: options.fund, period, format: options.format, outDir: options.out }));
          if (options.json) return printJson(result);
          for (const p of result.raised) {
            console.log(`${p.investment}: ${gbp(p.duePence)} due for ${result.period}, journal ${p.ref} in ledger ${p.ledger}`);
            for (const step of p.steps) console.log(`  ${step}`);
          }
          for (const n of result.nothingDue) console.log(`${n.investment}: nothing due for ${result.period}, no journal (${n.reason})`);
          if (result.files.length === 0) console.log(`no payment is due for ${result.period}: nothing written`);
          else console.log(table(['ledger', 'journals', 'debits = credits £', 'file'], result.files.map((f) => [f.ledger, f.journals, formatPounds(f.debitPence), f.path]), [1, 2]));
          for (const w of result.warnings) console.log(`warning: ${w}`);
        }),
      ),
  );
  return cmd;
}
