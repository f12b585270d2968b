import { Command } from 'commander';
import { verify, verifyFailure, type VerifyReport } from '../../app/verify.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

export function verifyCommand(): Command {
  return withCommonOptions(new Command('verify'))
    .description("check every invariant over the stored data (audit chain, batches and lines, totals, live periods, closes, locks); exits 1 on any breach, naming what and where. Every fund unless --fund; writes nothing")
    .option('--audit-head <sha256>', "an audit chain head hash printed by an earlier verify and kept elsewhere: fail unless it is still in the chain")
    .action(
      action(async (options: CommonOptions & { auditHead?: string }) => {
        const report = await withContext(options, (ctx) => verify(ctx, { fundId: options.fund, auditHead: options.auditHead }));
        const failure = verifyFailure(report);
        // One shape either way: the report, plus the `error` every failed command prints.
        if (options.json) printJson(failure ? { ...report, ...failure.toJSON() } : report);
        else console.log(describeReport(report));
        if (failure) {
          if (!options.json) process.stderr.write(`tandem: ${failure.message}\n`);
          process.exitCode = failure.exitCode;
        }
      }),
    );
}

const MARK = { ok: 'ok', warning: 'warning', failure: 'FAILED' } as const;

export function describeReport(r: VerifyReport): string {
  const { summary: s } = r;
  const out = [
    `${r.database}: ${r.funds.length === 0 ? 'no fund' : `fund ${r.funds.join(', ')}`} — ${s.checks} checks, ${s.ok} ok, ${s.warnings} with warnings, ${s.failures} failed (${r.seconds.toFixed(2)} s)`,
    '',
    table(
      ['check', 'result', 'checked', 'what it checks'],
      r.checks.map((c) => [c.id, MARK[c.status], `${c.checked.toLocaleString('en-GB')} ${c.unit}`, c.title]),
      [2],
    ),
  ];
  for (const c of r.checks.filter((x) => x.findings.length > 0)) {
    out.push('', `${c.id}:`);
    for (const f of c.findings) out.push(`  ${f.status === 'failure' ? 'FAILED' : 'warning'} [${f.code}]${f.fund ? ` fund ${f.fund}:` : ''} ${f.message}`);
    if (c.omitted > 0) out.push(`  … and ${c.omitted} more (use --json for the counts)`);
  }
  out.push('', r.audit.head ? `audit trail: ${r.audit.events} events, head event ${r.audit.head.id} ${r.audit.head.hash} (keep it elsewhere; --audit-head checks it later)` : 'audit trail: empty');
  return out.join('\n');
}
