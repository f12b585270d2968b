// `tandem contracts`, `contracts load`, `contracts history`, `activity import`, `outcomes import`,
// `metrics` and `metrics import` (docs/contracts.md): printing only; the rules are in src/app.

import { Command } from 'commander';
import { contractsReport } from '../../app/contract-report.js';
import { contractRegisterHistory, loadContracts } from '../../app/contracts.js';
import { importMeasures, type MeasureImportResult } from '../../app/measure-import.js';
import { metricsReport } from '../../app/metrics.js';
import { formatPounds } from '../../domain/money.js';
import type { MeasureKind } from '../../store/contract-types.js';
import { formatHundredths } from '../../report/metrics.js';
import { action, periodOption, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

const gbp = (pence: number) => formatPounds(pence, { symbol: true });

export function contractsCommand(): Command {
  // `tandem contracts [--period P]` is the default subcommand `show`: a command with options of its
  // own would take `--json` from `tandem contracts load FILE --json` before `load` saw it.
  const cmd = new Command('contracts').description('the contract register: providers, contracts and their payment mechanisms (docs/contracts.md)');
  const show = withCommonOptions(new Command('show'))
    .description('the contracts of the register in force: value, spend to date from the ledgers, and what each is due by its payment mechanism (the default)')
    .option('--period <period>', 'the month to report up to, e.g. "2025-26 M06" (default: the latest with ledger data, activity or outcomes)')
    .action(
      action(async (options: CommonOptions & { period?: string }) => {
        const period = periodOption(options.period);
        const report = await withContext(options, (ctx) => contractsReport(ctx, { fundId: options.fund, period }));
        if (options.json) return printJson(report);
        console.log(`contracts of fund ${report.fundId}, ${report.year} to ${report.period} (register version ${report.registerVersion})`);
        const rows = report.contracts.map((c) => [c.id, c.provider.id, c.mechanism, gbp(c.annualValuePence), c.mechanism === 'block' ? '' : String(c.mechanism === 'outcome' ? c.outcomesYtd : c.unitsYtd), gbp(c.dueYtdPence), gbp(c.spendYtdPence), gbp(c.spendMinusDuePence)]);
        console.log(table(['contract', 'provider', 'mechanism', 'annual value', 'count YTD', 'due YTD', 'spend YTD', 'spend − due'], rows, [3, 4, 5, 6, 7]));
        for (const c of report.contracts) if (c.matchedOutsideSchemesPence !== 0) console.log(`  ${c.id}: ${gbp(c.matchedOutsideSchemesPence)} of matching lines is not mapped to its schemes (${c.schemes.join(', ')})`);
        for (const w of report.warnings) console.log(`  warning: ${w}`);
      }),
    );
  cmd.addCommand(show, { isDefault: true });
  cmd.addCommand(
    withCommonOptions(new Command('load'))
      .description('validate a contract register YAML file against the agreement in force and store it as a new version (an identical file changes nothing)')
      .argument('<file>', 'the register YAML file (docs/contracts.md)')
      .action(
        action(async (file: string, options: CommonOptions) => {
          const result = await withContext(options, (ctx) => loadContracts(ctx, { fundId: options.fund, path: file }));
          if (options.json) printJson(result);
          else if (!result.created) console.log(`${file} is unchanged: fund ${result.fundId} stays at contract register version ${result.version}`);
          else console.log(`loaded ${file} as contract register version ${result.version} of fund ${result.fundId}: ${result.contracts} contract(s), ${result.metrics} metric(s)`);
        }),
      ),
  );
  cmd.addCommand(
    withCommonOptions(new Command('history'))
      .description('list every version of the contract register')
      .action(
        action(async (options: CommonOptions) => {
          const versions = await withContext(options, (ctx) => contractRegisterHistory(ctx, options.fund));
          if (options.json) printJson(versions);
          else console.log(table(['version', 'loaded at', 'by', 'file', 'agreement', 'sha256'], versions.map((v) => [v.version, v.loadedAt, v.loadedBy, v.sourceFile, v.agreementVersion, v.sourceSha256.slice(0, 12)]), [0, 4]));
        }),
      ),
  );
  return cmd;
}

function importCommand(kind: MeasureKind, description: string): Command {
  return withCommonOptions(new Command('import'))
    .description(description)
    .argument('<file>', 'the CSV file (UTF-8), or an XLSX workbook (its first sheet)')
    .action(
      action(async (file: string, options: CommonOptions) => {
        const result: MeasureImportResult = await withContext(options, (ctx) => importMeasures(ctx, kind, { fundId: options.fund, path: file }));
        if (options.json) printJson(result);
        else if (result.status === 'already-imported') console.log(`${file} was already imported as ${kind} batch ${result.batchId}; nothing changed`);
        else console.log(`imported ${result.lines} line(s) of ${kind} from ${file} as batch ${result.batchId}`);
      }),
    );
}

export function activityCommand(): Command {
  return new Command('activity').description('units of activity delivered per contract and month').addCommand(importCommand('activity', 'import a CSV or XLSX of contract, period, units (optional note); a later file’s line for a contract and month replaces an earlier one'));
}

export function outcomesCommand(): Command {
  return new Command('outcomes').description('outcomes achieved per contract and month').addCommand(importCommand('outcomes', 'import a CSV or XLSX of contract, period, outcomes (optional note); a later file’s line for a contract and month replaces an earlier one'));
}

export function metricsCommand(): Command {
  const cmd = new Command('metrics').description('the outcome metrics (BCF-style) of the contract register');
  const show = withCommonOptions(new Command('show'))
    .description('each metric’s plan, actual and RAG per month (the default)')
    .option('--period <period>', 'show months up to this one (default: all)')
    .action(
      action(async (options: CommonOptions & { period?: string }) => {
        const upTo = periodOption(options.period);
        const report = await withContext(options, (ctx) => metricsReport(ctx, { fundId: options.fund, upTo }));
        if (options.json) return printJson(report);
        const value = (v: number | null) => (v === null ? '' : formatHundredths(v));
        for (const m of report.metrics) {
          const way = m.direction === 'lower_is_better' ? 'lower is better' : 'higher is better';
          console.log(`\n${m.name} (${m.id}; ${m.unit}; ${way}; Amber worse than plan by over ${m.amberPercent}%, Red over ${m.redPercent}%)`);
          if (m.periods.length === 0) console.log('  no plan or actual imported yet');
          else console.log(table(['period', 'plan', 'actual', 'actual − plan', 'RAG'], m.periods.map((p) => [p.period, value(p.planHundredths), value(p.actualHundredths), value(p.differenceHundredths), p.rag ?? '']), [1, 2, 3]));
        }
      }),
    );
  cmd.addCommand(show, { isDefault: true });
  cmd.addCommand(importCommand('metrics', 'import a CSV or XLSX of metric, period, plan, actual (optional note; plan or actual may be empty)'));
  return cmd;
}
