import { Command } from 'commander';
import { checkBcf, writeBcfYearEndFiles, writeMemorandumFiles } from '../../app/returns.js';
import { TandemError } from '../../app/errors.js';
import { formatBasisPoints } from '../../domain/bcf.js';
import { formatPounds } from '../../domain/money.js';
import { parseYear, type YearStart } from '../../domain/period.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

interface ReturnOptions extends CommonOptions {
  out: string;
}

function yearArgument(text: string): YearStart {
  const year = parseYear(text);
  if (year === undefined) throw new TandemError('USAGE', `"${text}" is not a financial year (try 2025-26)`, [], 2);
  return year;
}

const money = (p: number) => formatPounds(p, { symbol: true });

function memorandumCommand(): Command {
  return withCommonOptions(new Command('memorandum'))
    .description("write the pooled budgets' memorandum account for a financial year (XLSX, Markdown, HTML) from its M12 close")
    .argument('<year>', 'the financial year, e.g. 2025-26')
    .option('--out <dir>', 'directory to write into (created if missing)', '.')
    .addHelpText('after', "\nIncome by partner, expenditure by scheme, the surplus or deficit and how the year-end risk share\nsettled it: the figures each partner needs for its statement of accounts note on pooled budgets.\nRefused (M12_NOT_CLOSED) until M12 of the year is closed. See docs/returns.md.")
    .action(
      action(async (yearText: string, options: ReturnOptions) => {
        const year = yearArgument(yearText);
        const result = await withContext(options, (ctx) => writeMemorandumFiles(ctx, { fundId: options.fund, year, outDir: options.out }));
        if (options.json) return printJson(result);
        const { account } = result.memorandum;
        for (const p of account.pools) {
          console.log(`${p.name} (hosted by ${p.hostName}), ${account.year}`);
          console.log(`  income ${money(p.incomePence)} − expenditure ${money(p.expenditurePence)} = ${p.surplusPence >= 0 ? 'surplus' : 'deficit'} ${money(p.surplusPence)}`);
          console.log(table(['partner', 'contribution', 'share of surplus', 'net contribution'], p.shares.map((x) => [x.name, money(x.contributionPence), money(x.shareOfSurplusPence), money(x.netContributionPence)]), [1, 2, 3]).replace(/^/gm, '  '));
          if (p.retainedPence !== 0) console.log(`  retained in the pool for next year: ${money(p.retainedPence)}`);
        }
        for (const f of result.files) console.log(`written: ${f.path}`);
      }),
    );
}

function bcfCheckCommand(): Command {
  return withCommonOptions(new Command('bcf-check'))
    .description("check each partner's BCF pooled contributions for a year against the national minimums in the agreement")
    .argument('<year>', 'the financial year, e.g. 2025-26')
    .addHelpText('after', '\nReads the agreement in force at the year end; no close is needed. Exits 0 whether or not every\npartner passes: the output (and "pass" in --json) says which. See docs/returns.md.')
    .action(
      action(async (yearText: string, options: CommonOptions) => {
        const year = yearArgument(yearText);
        const result = await withContext(options, (ctx) => checkBcf(ctx, { fundId: options.fund, year }));
        if (options.json) return printJson(result);
        const rows = result.partners.map((p) => [p.name, money(p.pooledPence), money(p.minimumPence), money(p.marginPence), formatBasisPoints(p.marginBasisPoints, p.marginPence), p.pass ? 'PASS' : 'FAIL']);
        rows.push(['Total', money(result.total.pooledPence), money(result.total.minimumPence), money(result.total.marginPence), formatBasisPoints(result.total.marginBasisPoints, result.total.marginPence), result.total.pass ? 'PASS' : 'FAIL']);
        console.log(`BCF minimum contributions ${yearText} (agreement version ${result.agreementVersion})`);
        console.log(table(['partner', 'pooled', 'minimum', 'margin', 'margin %', 'result'], rows, [1, 2, 3, 4]));
        for (const u of result.unchecked) console.log(`${u.name} pools ${money(u.pooledPence)} and has no minimum: not checked`);
        console.log(result.pass ? 'every partner meets its minimum' : `${result.partners.filter((p) => !p.pass).map((p) => p.name).join(', ')} below the minimum`);
      }),
    );
}

function bcfYearEndCommand(): Command {
  return withCommonOptions(new Command('bcf-year-end'))
    .description('write the BCF year-end expenditure by scheme type, commissioner and provider type (XLSX shaped like the national template) from the M12 close')
    .argument('<year>', 'the financial year, e.g. 2025-26')
    .option('--out <dir>', 'directory to write into (created if missing)', '.')
    .addHelpText('after', '\nThe template fields come from each scheme\'s bcf: fields in the agreement; the columns and where\neach figure comes from are in docs/returns.md. Refused (M12_NOT_CLOSED) until M12 is closed.')
    .action(
      action(async (yearText: string, options: ReturnOptions) => {
        const year = yearArgument(yearText);
        const result = await withContext(options, (ctx) => writeBcfYearEndFiles(ctx, { fundId: options.fund, year, outDir: options.out }));
        if (options.json) return printJson(result);
        const f = result.yearEnd.figures;
        console.log(`BCF year-end ${f.year}: ${f.rows.length} expenditure rows, total ${money(f.totalPence)}`);
        console.log(table(['scheme type', 'expenditure'], f.by.schemeType.map((t) => [t.label, money(t.expenditurePence)]), [1]));
        for (const w of f.warnings) process.stderr.write(`warning: ${w}\n`);
        for (const file of result.files) console.log(`written: ${file.path}`);
      }),
    );
}

export function returnsCommand(): Command {
  return new Command('returns')
    .description('statutory returns: the pooled budgets’ memorandum account, the BCF minimum check and the BCF year-end figures')
    .addCommand(memorandumCommand())
    .addCommand(bcfCheckCommand())
    .addCommand(bcfYearEndCommand());
}
