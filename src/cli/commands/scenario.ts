import { Command } from 'commander';
import { parseScenarioFormats, runScenario, type ScenarioRunResult } from '../../app/scenario-run.js';
import { formatThousands } from '../../domain/money.js';
import { action, printJson } from '../common.js';
import { table } from '../table.js';

interface ScenarioOptions {
  compare?: string;
  json?: boolean;
  out?: string;
  format: string;
}

export function scenarioCommand(): Command {
  const cmd = new Command('scenario').description('project the fund over several years under a planning scenario (never touches the recorded books)');
  cmd.addCommand(
    new Command('run')
      .description('project a scenario file year by year: budgets, expected spend, the funding gap and each partner’s share of it, social investment repayments')
      .argument('<file>', 'the scenario YAML file (docs/scenarios.md)')
      .option('--compare <file>', 'a second scenario to show side by side (differences are second − first)')
      .option('--out <dir>', 'write the report into this directory (created if missing); without it nothing is written')
      .option('--format <list>', 'comma-separated: html,xlsx (with --out)', 'html,xlsx')
      .option('--json', 'print machine-readable JSON on stdout')
      .addHelpText(
        'after',
        '\nA scenario is a plan, not a record: it does not open the database at all (no --db), so it can neither\nread nor change the recorded books. It reads the scenario file (and an agreement file it names) and\nwrites only the report files asked for with --out.',
      )
      .action(
        action(async (file: string, options: ScenarioOptions) => {
          const formats = parseScenarioFormats(options.format);
          const result = await runScenario({ file, compare: options.compare, formats, outDir: options.out, generatedAt: new Date().toISOString() });
          if (options.json) printJson(result);
          else printSummary(result);
        }),
      ),
  );
  return cmd;
}

function printSummary(result: ScenarioRunResult): void {
  for (const p of result.scenarios) {
    console.log(`${p.scenario.name} (${p.scenario.id}), £000s`);
    const headers = ['year', 'budget', 'spend', 'gap', ...p.partners.map((x) => `${x.id} share`), 'retained'];
    const rows = p.years.map((y) => [
      y.label,
      formatThousands(y.fund.budgetPence),
      formatThousands(y.fund.spendPence),
      formatThousands(y.fund.gapPence),
      ...p.partners.map((x) => formatThousands(y.partners.find((r) => r.partner === x.id)!.gapSharePence)),
      formatThousands(y.fund.retainedPence),
    ]);
    console.log(table(headers, rows, headers.map((_, i) => i).slice(1)));
    console.log('');
  }
  if (result.comparison) {
    const c = result.comparison;
    console.log(`funding gap, ${c.second.name} − ${c.first.name}, £000s`);
    console.log(table(['year', c.first.id, c.second.id, 'difference'], c.years.map((y) => [y.label, formatThousands(y.gap.firstPence), formatThousands(y.gap.secondPence), formatThousands(y.gap.differencePence)]), [1, 2, 3]));
  }
  for (const f of result.files) console.log(`wrote ${f.format}: ${f.path}`);
}
