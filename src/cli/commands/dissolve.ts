import { Command } from 'commander';
import { dissolveFund, type DissolveResult } from '../../app/dissolve.js';
import { describePosition } from '../../domain/dissolution.js';
import { journalTotals } from '../../domain/journal.js';
import { formatPounds, type Pence } from '../../domain/money.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

const gbp = (p: Pence) => formatPounds(p);
const RIGHT = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function dissolveCommand(): Command {
  return withCommonOptions(new Command('dissolve'))
    .description('preview the dissolution statement at the end of a closed month (contributions, spend, the position shared, commitments past the date, final settlement journals); dissolving is a decision of the joint committee')
    .requiredOption('--at <date>', 'the dissolution date: the last day of a closed month, e.g. 2026-09-30')
    .option('--preview', 'show the statement and record nothing (required: without it the command is refused, DISSOLUTION_NEEDS_DECISION)')
    .option('--text <text>', 'a resolution to show with the statement')
    .addHelpText(
      'after',
      '\nTo dissolve the fund, the joint committee decides it at a quorate meeting (never under delegation):\n  tandem decision propose dissolution --at 2026-09-30 --text "RESOLUTION"\n  tandem decision approve ID --votes member1=for,member2=for,… --on 2026-10-14\nThat approval records this statement (audit event fund.dissolve) and locks the fund: imports, closes,\nreopens and decisions are then refused (FUND_DISSOLVED). The statement, its rules and its JSON shape:\ndocs/dissolution.md.',
    )
    .action(
      action(async (options: CommonOptions & { at: string; preview?: boolean; text?: string }) => {
        const result = await withContext(options, (ctx) => dissolveFund(ctx, { fundId: options.fund, date: options.at, preview: options.preview, text: options.text }));
        if (options.json) printJson({ ...result.document, sha256: result.sha256, preview: result.preview, auditEvent: result.auditEvent });
        else console.log(describeDissolution(result));
      }),
    );
}

export function describeDissolution(r: DissolveResult): string {
  const d = r.document;
  const head = r.preview
    ? `PREVIEW — nothing recorded. ${d.fundName}: dissolution at ${d.date} (${d.period}). To dissolve, the joint committee approves a dissolution decision at a meeting (tandem decision propose dissolution --at ${d.date}).`
    : `${d.fundName}: dissolved at ${d.date} (${d.period}); recorded as audit event ${r.auditEvent}. Imports, closes, reopens and decisions are now refused.`;
  const partnerIds = d.partners.map((p) => p.id);
  return [
    head,
    `From the close of ${d.period} version ${d.closeVersion} (agreement version ${d.agreementVersion}); SHA-256 ${r.sha256}`,
    '',
    `Position to ${d.date}: ${describePosition(d.totals.positionPence)} (contributions £${gbp(d.totals.incomePence)} − spend £${gbp(d.totals.spendPence)})`,
    table(
      ['scheme', 'pool', 'type', 'contributions £', 'spend £', 'position £'],
      [...d.schemes.map((s) => [s.id, s.pool, s.type, gbp(s.incomePence), gbp(s.spendPence), gbp(s.positionPence)]), ['total', '', '', gbp(d.totals.incomePence), gbp(d.totals.spendPence), gbp(d.totals.positionPence)]],
      RIGHT(3, 5),
    ),
    '',
    `Shared: ${d.ruleText}`,
    table(
      ['unit', 'position £', ...partnerIds.map((p) => `${p} £`)],
      d.units.map((u) => [u.id, gbp(u.positionPence), ...partnerIds.map((p) => gbp(u.sharesPence[p] ?? 0))]),
      RIGHT(1, partnerIds.length + 1),
    ),
    '',
    'Each partner (a positive share or settlement is money to the partner)',
    table(
      ['partner', 'contributions £', 'spend £', 'pooled share £', 'aligned £', 'share £', 'settled before £', 'final settlement £'],
      d.partners.map((p) => [p.id, gbp(p.contributionsPence), gbp(p.spendPence), gbp(p.pooledSharePence), gbp(p.alignedPositionPence), gbp(p.sharePence), gbp(p.settledPence), gbp(p.settlementPence)]),
      RIGHT(1, 7),
    ),
    '',
    d.commitments.length === 0 ? `No commitments run past ${d.date}.` : `Commitments that run past ${d.date}`,
    ...(d.commitments.length === 0
      ? []
      : [table(['commitment', 'scheme', 'lead commissioner', 'ends', 'remaining £', 'carried by'], d.commitments.map((c) => [c.name, c.scheme, c.leadCommissioner, c.ends, gbp(c.remainingPence), Object.entries(c.carriedPence).map(([p, v]) => `${p} £${gbp(v)}`).join(', ')]), [4])]),
    '',
    d.journals.length === 0 ? 'No final settlement journals: no money moves between the partners.' : 'Final settlement journals (one pair per partner, one in each ledger)',
    ...(d.journals.length === 0 ? [] : [table(['ledger', 'ref', 'lines', 'debits = credits £'], d.journals.map((j) => [j.ledger, j.ref, j.lines.length, gbp(journalTotals(j).debitPence)]), [2, 3])]),
  ].join('\n');
}
