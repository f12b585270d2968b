import { Command } from 'commander';
import { TandemError } from '../../app/errors.js';
import { multiYear } from '../../app/multi-year.js';
import { runYearEnd, type YearEndResult } from '../../app/year-end.js';
import { formatPounds, type Pence } from '../../domain/money.js';
import { parseYear } from '../../domain/period.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';
import { describeClose } from './close.js';

const gbp = (p: Pence | null) => (p === null ? '' : formatPounds(p));

function yearArgument(text: string): number {
  const year = parseYear(text);
  if (year === undefined) throw new TandemError('USAGE', `"${text}" is not a financial year (try 2025-26)`, [], 2);
  return year;
}

export function yearEndCommand(): Command {
  return withCommonOptions(new Command('year-end'))
    .description('end a financial year whose months M01..M11 are closed: close M12 if it is open, record the settlement, make the year final, and carry into the next year what the agreement says')
    .argument('<year>', 'the financial year, e.g. 2025-26')
    .option('--allow-unmapped', 'when the year-end closes M12: close it even though lines are held in suspense (as tandem close --allow-unmapped)')
    .addHelpText('after', '\nIf M12 is open the year-end closes it first (the normal close, with its settlement journals), in the same transaction: a refusal of either writes nothing. The next year\'s budgets (uplifted or as stated, plus carry-forward and recovery lines) become an agreement version in force from its M01. Running it again on a final year changes nothing. See docs/year-end.md.')
    .action(
      action(async (text: string, options: CommonOptions & { allowUnmapped?: boolean }) => {
        const year = yearArgument(text);
        const result = await withContext(options, (ctx) => runYearEnd(ctx, { fundId: options.fund, year, allowUnmapped: options.allowUnmapped }));
        if (options.json) printJson({ created: result.created, ...result.document, sha256: result.sha256 });
        else console.log(describeYearEnd(result));
      }),
    );
}

export function describeYearEnd(r: YearEndResult): string {
  const d = r.document;
  const head = r.created
    ? `${d.fund}: ${d.year} is final (settlement from the M12 close version ${d.closeVersion}${d.closedM12 ? ', made by this year-end' : ''})`
    : `${d.fund}: ${d.year} was already final (year-end on ${d.at} by ${d.by}); nothing changed`;
  const partners = Object.keys(d.settlement.byPartnerPence);
  return [
    ...(r.close ? [describeClose(r.close), ''] : []),
    head,
    '',
    'Settlement (risk share at M12)',
    table(['unit', 'variance £', ...partners.map((p) => `${p} £`), 'retained £'], d.settlement.units.map((u) => [u.unit, gbp(u.variancePence), ...partners.map((p) => gbp(u.sharesPence[p] ?? 0)), gbp(u.retainedPence)]), Array.from({ length: partners.length + 2 }, (_, i) => i + 1)),
    '',
    d.lines.length === 0 ? 'Nothing carried into the next year.' : `Into ${d.nextYear ?? 'no next year'}`,
    ...d.lines.map((l) => `  ${l.text}`),
    '',
    d.agreementVersion === null ? 'No new agreement version.' : `Agreement version ${d.agreementVersion} is in force from ${d.effectiveFrom}.`,
  ].join('\n');
}

export function yearsCommand(): Command {
  return withCommonOptions(new Command('years'))
    .description('the multi-year view: each scheme and partner over every year of the agreement — budgets, outturns, risk shares and carry-forwards')
    .addHelpText('after', '\nBudgets: original (in force at M01) and current (at the latest close); outturn: year-to-date actual at the latest close (M12 once closed). See docs/year-end.md.')
    .action(
      action(async (options: CommonOptions) => {
        const view = await withContext(options, (ctx) => multiYear(ctx, { fundId: options.fund }));
        if (options.json) {
          printJson(view);
          return;
        }
        console.log(
          table(
            ['year', 'scheme', 'pool', 'type', 'original £', 'current £', 'outturn £', 'at', 'carried in £', 'final'],
            view.schemes.map((s) => [s.year, s.scheme, s.pool, s.type, gbp(s.originalBudgetPence), gbp(s.currentBudgetPence), gbp(s.outturnPence), s.closedTo ?? '', gbp(s.carriedInPence), s.final ? 'yes' : '']),
            [4, 5, 6, 8],
          ),
        );
        console.log('');
        console.log(
          table(
            ['year', 'partner', 'original £', 'current £', 'actual £', 'risk share £', 'carried in £', 'at', 'final'],
            view.partners.map((p) => [p.year, p.partner, gbp(p.originalContributionPence), gbp(p.currentContributionPence), gbp(p.actualPence), gbp(p.riskSharePence), gbp(p.carriedInPence), p.closedTo ?? '', p.final ? 'yes' : '']),
            [2, 3, 4, 5, 6],
          ),
        );
      }),
    );
}
