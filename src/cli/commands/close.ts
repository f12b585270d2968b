import { Command } from 'commander';
import { closePeriod, reopenPeriod, type CloseDocument, type CloseResult } from '../../app/close.js';
import { journalTotals } from '../../domain/journal.js';
import { formatPounds, type Pence } from '../../domain/money.js';
import { action, periodArgument, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

const RIGHT = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const gbp = (p: Pence) => formatPounds(p);

export function closeCommand(): Command {
  return withCommonOptions(new Command('close'))
    .description('close a month: budgets, forecast outturn, risk share, journals and agreement of balances; the period is then locked')
    .argument('<period...>', 'the month, e.g. 2025-26 M03 or 2025-06')
    .option('--allow-unmapped', 'close even though lines are held in suspense (they are reported prominently)')
    .addHelpText('after', '\nThe close is stored as an immutable version; `tandem reopen` unlocks the period, and closing again stores the next version and lists what changed.\nJSON shape: docs/close.md.')
    .action(
      action(async (parts: string[], options: CommonOptions & { allowUnmapped?: boolean }) => {
        const period = periodArgument(parts);
        const result = await withContext(options, (ctx) => closePeriod(ctx, { fundId: options.fund, period, allowUnmapped: options.allowUnmapped }));
        if (options.json) printJson({ ...result.document, sha256: result.sha256, seconds: result.seconds });
        else console.log(describeClose(result));
      }),
    );
}

export function reopenCommand(): Command {
  return withCommonOptions(new Command('reopen'))
    .description('unlock a closed month (audited); close it again to store a new version')
    .argument('<period...>', 'the month, e.g. 2025-26 M03 or 2025-06')
    .requiredOption('--reason <text>', 'why the period is reopened (kept in the audit trail)')
    .action(
      action(async (parts: string[], options: CommonOptions & { reason: string }) => {
        const period = periodArgument(parts);
        const result = await withContext(options, (ctx) => reopenPeriod(ctx, { fundId: options.fund, period, reason: options.reason }));
        if (options.json) printJson(result);
        else console.log(`reopened ${result.period} (close version ${result.closeVersion} stays in the history); imports and forecasts into it are allowed until it is closed again`);
      }),
    );
}

function unmappedBlock(d: CloseDocument): string[] {
  if (d.unmapped.length === 0) return [];
  const lines = d.unmapped.reduce((n, u) => n + u.lines, 0);
  return [
    `!! ${lines} UNMAPPED LINE(S) HELD IN SUSPENSE — closed with --allow-unmapped; they are in no scheme's figures:`,
    table(['ledger', 'lines', 'amount £'], d.unmapped.map((u) => [u.ledger, u.lines, gbp(u.amountPence)]), [1, 2]),
    '',
  ];
}

export function describeClose(r: CloseResult): string {
  const d = r.document;
  const partners = [...new Set(d.pools.flatMap((p) => Object.keys(p.sharesPence)))];
  const out = [
    `${d.fundName}: ${d.period} closed, version ${d.closeVersion} (agreement version ${d.agreementVersion}) ${r.seconds > 0 ? `in ${r.seconds.toFixed(2)} s` : `on ${d.closedAt} by ${d.closedBy}`}`,
    '',
    ...unmappedBlock(d),
    table(
      ['scheme', 'pool', 'type', 'annual £', 'YTD budget £', 'YTD actual £', 'YTD var £', 'FOT £', 'FOT var £', 'basis', 'RAG'],
      [
        ...d.schemes.map((s) => [s.id, s.pool, s.type, gbp(s.annualBudgetPence), gbp(s.ytdBudgetPence), gbp(s.ytdActualPence), gbp(s.ytdVariancePence), gbp(s.fotPence), gbp(s.fotVariancePence), s.fotBasis, s.rag.toUpperCase()]),
        ...(['pooled', 'aligned', 'fund'] as const).map((k) => {
          const t = d.totals[k];
          return [`total ${k}`, '', '', gbp(t.annualBudgetPence), gbp(t.ytdBudgetPence), gbp(t.ytdActualPence), gbp(t.ytdVariancePence), gbp(t.fotPence), gbp(t.fotVariancePence), '', t.rag.toUpperCase()];
        }),
      ],
      RIGHT(3, 8),
    ),
    '',
    'Risk share of the forecast variance',
    table(
      ['pool', 'netting', 'variance £', ...partners.map((p) => `${p} £`), 'retained £'],
      d.pools.filter((p) => p.fotVariancePence !== 0 || Object.keys(p.sharesPence).length > 0).map((p) => [p.id, p.netting ? 'yes' : 'no', gbp(p.fotVariancePence), ...partners.map((x) => gbp(p.sharesPence[x] ?? 0)), gbp(p.retainedPence)]),
      RIGHT(2, partners.length + 3),
    ),
    ...d.pools.flatMap((p) => p.reasons.map((x) => `  ${x.text}`)),
    '',
    d.journals.length === 0 ? 'No journals this month.' : 'Journals (one pair per partner, one in each ledger)',
    ...(d.journals.length === 0
      ? []
      : [table(['ledger', 'ref', 'kind', 'lines', 'debits = credits £'], d.journals.map((j) => [j.ledger, j.ref, j.variant === 'standard' ? j.kind : `${j.kind} ${j.variant}`, j.lines.length, gbp(journalTotals(j).debitPence)]), [3, 4])]),
    '',
    'Agreement of balances (every difference must be zero)',
    table(
      ['partner', 'counterparty', 'debtor £', 'creditor £', 'difference £', 'YTD debtor £', 'YTD creditor £', 'YTD difference £'],
      d.agreementOfBalances.map((b) => [b.partner, b.counterparty, gbp(b.debtorPence), gbp(b.creditorPence), gbp(b.differencePence), gbp(b.ytdDebtorPence), gbp(b.ytdCreditorPence), gbp(b.ytdDifferencePence)]),
      RIGHT(2, 7),
    ),
  ];
  if (d.previousVersion !== null) {
    out.push('', `Changes against version ${d.previousVersion}: ${d.changes.length === 0 ? 'none' : ''}`);
    for (const c of d.changes.slice(0, 40)) out.push(`  ${c.path}: ${'before' in c ? JSON.stringify(c.before) : '—'} → ${'after' in c ? JSON.stringify(c.after) : '—'}`);
    if (d.changes.length > 40) out.push(`  … ${d.changes.length - 40} more (use --json)`);
  }
  return out.join('\n');
}
