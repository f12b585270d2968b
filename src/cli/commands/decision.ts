import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { approveDecision, budgetReconciliationFor, listDecisions, proposeDecision, rejectDecision, showDecision, type ChangeRequest, type DecisionView } from '../../app/decisions.js';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import type { VoteChoice } from '../../domain/governance.js';
import { formatPounds, parseAmount, type Pence } from '../../domain/money.js';
import { formatYear } from '../../domain/period.js';
import { action, periodOption, printJson, withCommonOptions, withContext, yearOption, type CommonOptions } from '../common.js';
import { table } from '../table.js';

const TYPES = ['virement', 'budget-variation', 'risk-share', 'variation', 'dissolution'] as const;

interface ProposeOptions extends CommonOptions {
  text?: string;
  effective?: string;
  year?: string;
  partner?: string;
  from?: string;
  to?: string;
  amount?: string;
  scheme?: string;
  change?: string;
  pool?: string;
  file?: string;
  addScheme?: string;
  removeScheme?: string;
  at?: string;
}

function usage(message: string): TandemError {
  return new TandemError('USAGE', message, [], 2);
}

function need(value: string | undefined, option: string, type: string): string {
  if (value === undefined || value === '') throw usage(`a ${type} needs ${option}`);
  return value;
}

function pence(text: string, option: string): Pence {
  const result = parseAmount(text);
  if (!result.ok) throw usage(`${option} "${text}" is not an amount: ${result.reason}`);
  return result.pence;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new TandemError('FILE_NOT_FOUND', `cannot read ${path}`);
  }
}

function changeRequest(type: string, o: ProposeOptions): ChangeRequest {
  const year = () => yearOption(need(o.year, '--year', type))!;
  switch (type) {
    case 'virement':
      return { type: 'virement', year: year(), partner: need(o.partner, '--partner', type), from: need(o.from, '--from', type), to: need(o.to, '--to', type), amountPence: pence(need(o.amount, '--amount', type), '--amount') };
    case 'budget-variation':
      return { type: 'budget_variation', year: year(), partner: need(o.partner, '--partner', type), scheme: need(o.scheme, '--scheme', type), changePence: pence(need(o.change, '--change', type), '--change') };
    case 'risk-share':
      return { type: 'risk_share_change', pool: need(o.pool, '--pool', type), scheme: o.scheme ?? null, riskShareYaml: readText(need(o.file, '--file', type)) };
    case 'variation':
      if ((o.addScheme === undefined) === (o.removeScheme === undefined)) throw usage('a variation needs exactly one of --add-scheme FILE and --remove-scheme ID');
      return { type: 'agreement_variation', addSchemeYaml: o.addScheme === undefined ? null : readText(o.addScheme), removeScheme: o.removeScheme ?? null };
    case 'dissolution':
      return { type: 'dissolution', date: need(o.at, '--at', type) };
    default:
      throw usage(`"${type}" is not a decision type (${TYPES.join(', ')})`);
  }
}

function dateOption(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw usage(`--on "${text}" is not a date (YYYY-MM-DD)`);
  return text;
}

function decisionId(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw usage(`"${text}" is not a decision number`);
  return n;
}

function votesOption(text: string): { member: string; vote: VoteChoice }[] {
  return text.split(',').map((pair) => {
    const [member, vote] = pair.trim().split('=');
    if (!member || (vote !== 'for' && vote !== 'against' && vote !== 'abstain')) throw usage(`"${pair}" is not a vote: write member=for, member=against or member=abstain, separated by commas`);
    return { member, vote };
  });
}

function summary(d: DecisionView): string {
  const c = d.change;
  if (c.type === 'virement') return `£${formatPounds(c.amountPence)} of ${c.partner}'s ${c.from} → ${c.to}`;
  if (c.type === 'budget_variation') return `${c.partner}'s ${c.scheme} ${c.changePence >= 0 ? '+' : '−'}£${formatPounds(Math.abs(c.changePence))}`;
  if (c.type === 'risk_share_change') return `risk share of ${c.scheme ?? `pool ${c.pool}`}`;
  if (c.type === 'dissolution') return `dissolve the fund at ${c.date}`;
  return c.addScheme ? `add scheme ${c.addScheme.id}` : `remove scheme ${c.removeScheme}`;
}

function outcome(d: DecisionView): string {
  if (d.dissolution !== null) return `, the fund dissolved at ${d.dissolution.date} (statement in audit event ${d.dissolution.auditEvent}); imports, closes, reopens and decisions are now refused`;
  if (d.agreementVersion !== null) return `, agreement version ${d.agreementVersion} from ${d.effectiveFrom}`;
  return d.status === 'pending' ? `, to take effect ${d.type === 'dissolution' ? 'when approved at a quorate committee meeting, in' : 'from'} ${d.effectiveFrom}` : '';
}

function printDecision(d: DecisionView): void {
  console.log(`decision ${d.id} (${d.type}): ${d.status}${outcome(d)}`);
  console.log(`  ${summary(d)}`);
  console.log(`  "${d.title}" — proposed ${d.proposedAt} by ${d.proposedBy}`);
  for (const a of d.approvals) console.log(`  approved by ${a.person} (${a.role}, ${a.partner})${a.on ? ` on ${a.on}` : ''}`);
  for (const m of d.meetings) console.log(`  approved at a meeting${m.on ? ` on ${m.on}` : ''}: ${m.for} for, ${m.against} against, ${m.abstain} abstaining`);
  if (d.rejected) console.log(`  rejected by ${d.rejected.by}${d.rejected.on ? ` on ${d.rejected.on}` : ''}: ${d.rejected.reason ?? ''}`);
}

export function decisionCommand(): Command {
  const cmd = new Command('decision').description('committee and delegated decisions that change budgets, risk share or scope (docs/governance.md)');

  cmd.addCommand(
    withCommonOptions(new Command('propose'))
      .description('record a proposed decision; it takes effect once approved under the agreement\'s governance')
      .argument('<type>', TYPES.join(' | '))
      .requiredOption('--text <text>', 'what is decided, in words')
      .option('--effective <period>', 'the first period it is in force, e.g. "2025-26 M07" (every type but dissolution)')
      .option('--at <date>', 'dissolution: the dissolution date, the last day of a month, e.g. 2026-09-30 (approved only at a committee meeting; the month must be closed by then)')
      .option('--year <year>', 'virement, budget-variation: the financial year, e.g. 2025-26')
      .option('--partner <id>', 'virement, budget-variation: whose contribution')
      .option('--from <scheme>', 'virement: the scheme the budget leaves')
      .option('--to <scheme>', 'virement: the scheme it goes to')
      .option('--amount <pounds>', 'virement: how much')
      .option('--scheme <id>', 'budget-variation: the scheme; risk-share: a scheme with its own rules')
      .option('--change <pounds>', 'budget-variation: the change to the contribution, e.g. -500000')
      .option('--pool <id>', 'risk-share: the pool')
      .option('--file <yaml>', 'risk-share: the new rules (overspend and underspend, as in docs/agreement.md)')
      .option('--add-scheme <yaml>', 'variation: a scheme to add (one entry of schemes:, as in docs/agreement.md)')
      .option('--remove-scheme <id>', 'variation: a scheme to remove')
      .action(
        action(async (type: string, options: ProposeOptions) => {
          const change = changeRequest(type, options);
          if (type !== 'dissolution' && options.effective === undefined) throw usage(`a ${type} needs --effective PERIOD, e.g. --effective "2025-26 M07"`);
          const effectiveFrom = periodOption(options.effective);
          const d = await withContext(options, (ctx) => proposeDecision(ctx, { fundId: options.fund, title: options.text ?? '', effectiveFrom, change }));
          if (options.json) printJson(d);
          else printDecision(d);
        }),
      ),
  );

  cmd.addCommand(
    withCommonOptions(new Command('approve'))
      .description('approve a decision: by a named officer or member under delegation (--by), or at a committee meeting (--votes)')
      .argument('<id>', 'the decision number')
      .option('--by <person>', 'delegated: who approves (an id from the agreement\'s governance section)')
      .option('--partner <id>', 'delegated: the partner the approver acts for (checked)')
      .option('--votes <list>', 'at a meeting: every member present and their vote, e.g. cllr1=for,gb2=against,gb3=abstain')
      .option('--on <date>', 'the date of the approval or meeting (YYYY-MM-DD)')
      .option('--text <text>', 'a note, e.g. the minute reference')
      .action(
        action(async (id: string, options: CommonOptions & { by?: string; partner?: string; votes?: string; on?: string; text?: string }) => {
          if ((options.by === undefined) === (options.votes === undefined)) throw usage('give either --by PERSON (delegated) or --votes LIST (at a meeting)');
          const base = { fundId: options.fund, id: decisionId(id), on: dateOption(options.on), text: options.text };
          const request = options.by !== undefined ? { ...base, route: 'delegated' as const, by: options.by, partner: options.partner } : { ...base, route: 'meeting' as const, votes: votesOption(options.votes!) };
          const d = await withContext(options, (ctx) => approveDecision(ctx, request));
          if (options.json) printJson(d);
          else printDecision(d);
        }),
      ),
  );

  cmd.addCommand(
    withCommonOptions(new Command('reject'))
      .description('record that a decision was refused')
      .argument('<id>', 'the decision number')
      .requiredOption('--by <person>', 'who refused it (an id from the agreement\'s governance section)')
      .requiredOption('--text <reason>', 'why')
      .option('--on <date>', 'the date (YYYY-MM-DD)')
      .action(
        action(async (id: string, options: CommonOptions & { by: string; text: string; on?: string }) => {
          const d = await withContext(options, (ctx) => rejectDecision(ctx, { fundId: options.fund, id: decisionId(id), by: options.by, on: dateOption(options.on), reason: options.text }));
          if (options.json) printJson(d);
          else printDecision(d);
        }),
      ),
  );

  cmd.addCommand(
    withCommonOptions(new Command('show'))
      .description('show one decision with its approvals, votes and effect')
      .argument('<id>', 'the decision number')
      .action(
        action(async (id: string, options: CommonOptions) => {
          const d = await withContext(options, (ctx) => showDecision(ctx, { fundId: options.fund, id: decisionId(id) }));
          if (options.json) printJson(d);
          else printDecision(d);
        }),
      ),
  );

  cmd.addCommand(
    withCommonOptions(new Command('list'))
      .description('list every decision of the fund')
      .action(
        action(async (options: CommonOptions) => {
          const list = await withContext(options, (ctx) => listDecisions(ctx, { fundId: options.fund }));
          if (options.json) printJson(list);
          else console.log(table(['id', 'type', 'status', 'from', 'version', 'change', 'text'], list.map((d) => [d.id, d.type, d.status, d.effectiveFrom, d.agreementVersion ?? '', summary(d), d.title]), [0]));
        }),
      ),
  );
  cmd.addCommand(
    withCommonOptions(new Command('reconciliation'))
      .description("each scheme's budget for a year: as the agreement file set it, every change an approved decision made since, and the budget now")
      .option('--year <year>', 'the financial year, e.g. 2025-26 (default: the first year of the agreement in force)')
      .action(
        action(async (options: CommonOptions & { year?: string }) => {
          const asked = yearOption(options.year);
          const { year, rows } = await withContext(options, async (ctx) => {
            const fundId = await resolveFund(ctx, options.fund);
            const y = asked ?? (await agreementInForce(ctx, fundId)).agreement.years[0]!;
            return { year: y, rows: await budgetReconciliationFor(ctx, { fundId, year: y }) };
          });
          if (options.json) printJson({ year: formatYear(year), schemes: rows });
          else {
            const gbp = (p: Pence) => formatPounds(p);
            const changes = (r: (typeof rows)[number]) => r.changes.map((c) => `decision ${c.decision} (v${c.version}) ${c.pence >= 0 ? '+' : '−'}${gbp(Math.abs(c.pence))}`).join('; ');
            console.log(`Budget reconciliation ${formatYear(year)}`);
            console.log(table(['scheme', 'name', 'original £', 'changes', 'current £'], rows.map((r) => [r.scheme, r.name, gbp(r.originalPence), changes(r), gbp(r.currentPence)]), [2, 4]));
          }
        }),
      ),
  );
  return cmd;
}
