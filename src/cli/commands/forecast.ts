import { Command } from 'commander';
import { importForecasts } from '../../app/forecast-import.js';
import { formatPounds } from '../../domain/money.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';

export function forecastCommand(): Command {
  const forecast = new Command('forecast').description("scheme leads' forecast outturns");
  forecast.addCommand(
    withCommonOptions(new Command('import'))
      .description("import a CSV of scheme, period, amount (optional note): each overrides the scheme's computed FOT for that month only")
      .argument('<file>', 'the CSV file (UTF-8)')
      .action(
        action(async (file: string, options: CommonOptions) => {
          const result = await withContext(options, (ctx) => importForecasts(ctx, { fundId: options.fund, path: file }));
          if (options.json) printJson(result);
          else if (result.status === 'already-imported') console.log(`${file} was already imported as forecast batch ${result.batchId}; nothing changed`);
          else {
            console.log(`imported ${result.forecasts.length} forecast(s) from ${file} as forecast batch ${result.batchId}`);
            for (const f of result.forecasts) console.log(`  ${f.scheme} ${f.period}: £${formatPounds(f.amountPence)}`);
          }
        }),
      ),
  );
  return forecast;
}
