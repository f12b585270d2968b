// `tandem verify` (issue 8): check every invariant over the stored data and report each breach with
// what and where. It writes nothing. It reads under every fund's lock in one transaction, so it
// sees one consistent state (an import half-seen would look like tampering); imports, closes and
// remaps of those funds wait for it.
//
// The checks, in the report's order: the audit chain; audited records against their events; each
// batch's lines against what was recorded when its file was read; the pre-aggregated totals
// against the lines; the mapping against the agreement in force (warnings); which batch supplies
// each period; each close's hash, own figures, and figures recomputed from its inputs; the lock
// history. A check that cannot run on damaged data is a failure, never a crash.

import { agreementInForce, resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { TandemError, type Problem } from './errors.js';
import { lockedPeriods } from './periods.js';
import { checkChain, checkRecords, indexEvents } from './verify-audit.js';
import { checkBatches } from './verify-batches.js';
import { checkCloses } from './verify-closes.js';
import { checkLivePeriods } from './verify-periods.js';
import { Check, type Finding, type VerifyCheck } from './verify-report.js';

export type { Finding, VerifyCheck } from './verify-report.js';

export interface VerifyRequest {
  /** One fund; by default every fund in the database. */
  fundId?: string;
  /** A hash of the audit chain's head taken earlier and kept elsewhere: it must still be in the chain. */
  auditHead?: string;
}

export interface VerifyReport {
  /** False when any check failed; warnings leave it true. */
  ok: boolean;
  database: string;
  funds: string[];
  summary: { checks: number; ok: number; warnings: number; failures: number };
  /** The chain's last event: keep its hash elsewhere to check later that the trail was not cut short. */
  audit: { events: number; head: { id: number; hash: string } | null };
  checks: VerifyCheck[];
  seconds: number;
}

export async function verify(ctx: AppContext, request: VerifyRequest = {}): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const funds = request.fundId === undefined ? (await ctx.store.listFunds()).map((f) => f.id) : [await resolveFund(ctx, request.fundId)];
  if (request.auditHead !== undefined && !/^[0-9a-f]{64}$/.test(request.auditHead)) {
    throw new TandemError('USAGE', `--audit-head "${request.auditHead}" is not a SHA-256 (64 hexadecimal digits, as verify prints)`, [], 2);
  }
  const c = {
    chain: new Check('audit.chain', 'the audit trail is hash-chained: no event edited, deleted or inserted', 'events'),
    records: new Check('audit.records', 'every agreement version, batch, forecast batch, close and lock is in the audit trail as recorded, and every such event has its record', 'records'),
    lines: new Check('batches.lines', "each batch's lines are those read from its file: count, control total, digest, periods", 'batches'),
    totals: new Check('batches.totals', 'line_totals and scheme_totals agree with the lines they summarise', 'batches'),
    mapping: new Check('batches.mapping', "each live line's mapping is what the agreement in force gives", 'lines'),
    live: new Check('periods.live', 'no line counts twice: one live replace-mode batch per ledger and period, no live transaction id twice, supersession as audited', 'batch-periods'),
    stored: new Check('closes.stored', 'every close document matches its SHA-256 and its record', 'closes'),
    figures: new Check('closes.figures', 'every close: journals balance, agreement of balances is zero, figures add up', 'closes'),
    recomputed: new Check('closes.recomputed', "every close's figures are reproduced from the inputs it records", 'closes'),
    locks: new Check('closes.locks', 'closes and reopens alternate and a locked period still reads what its close read', 'periods'),
  };

  return ctx.store.transaction(async (tx) => {
    const txCtx: AppContext = { ...ctx, store: tx };
    // In one order, so two verifies never wait on each other's locks.
    for (const fundId of [...funds].sort()) await tx.lockFund(fundId);
    const events = await tx.listAudit({});
    checkChain(events, c.chain, request.auditHead);
    for (const fundId of funds) {
      const index = indexEvents(events, fundId);
      await c.records.run(fundId, `the audit records of fund ${fundId}`, () => checkRecords(tx, fundId, events, c.records));
      await c.lines.run(fundId, `the batches of fund ${fundId}`, async () => {
        const { agreement, record } = await agreementInForce(txCtx, fundId);
        const locked = new Set(await lockedPeriods(tx, fundId));
        await checkBatches(tx, fundId, { agreement, version: record.version }, locked, index, { lines: c.lines, totals: c.totals, mapping: c.mapping });
      });
      await c.live.run(fundId, `the live periods of fund ${fundId}`, () => checkLivePeriods(tx, fundId, index, c.live));
      await checkCloses(txCtx, fundId, events, index, c);
    }
    const checks = Object.values(c).map((check) => check.result());
    const head = events.at(-1);
    return {
      ok: checks.every((x) => x.status !== 'failure'),
      database: tx.location,
      funds,
      summary: {
        checks: checks.length,
        ok: checks.filter((x) => x.status === 'ok').length,
        warnings: checks.filter((x) => x.status === 'warning').length,
        failures: checks.filter((x) => x.status === 'failure').length,
      },
      audit: { events: events.length, head: head ? { id: head.id, hash: head.hash } : null },
      checks,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  });
}

/** A failed verification as the error every command reports (code VERIFY_FAILED), each failure a problem saying where. */
export function verifyFailure(report: VerifyReport): TandemError | undefined {
  if (report.ok) return undefined;
  const failures = report.checks.flatMap((check) => check.findings.filter((f) => f.status === 'failure'));
  const omitted = report.checks.reduce((n, check) => n + check.omitted, 0);
  const more = omitted > 0 ? ` (and ${omitted} further finding(s) not listed)` : '';
  const problems: Problem[] = failures.map((f) => ({ code: f.code, message: f.message, file: f.file ?? null, line: f.line ?? null, path: pathOf(f) }));
  const failed = report.checks.filter((check) => check.status === 'failure').map((check) => check.id);
  return new TandemError('VERIFY_FAILED', `verification failed: ${failures.length} breach(es)${more} in ${failed.join(', ')}`, problems);
}

/** Where a finding is, as one path: fund, batch, lines, period and close version, audit event, document path. */
function pathOf(f: Finding): string {
  return [
    f.fund === null ? null : `fund:${f.fund}`,
    f.batch === undefined ? null : `batch:${f.batch}`,
    f.lines === undefined ? null : `lines:${f.lines}`,
    f.period === undefined ? null : `period:${f.period}${f.closeVersion === undefined ? '' : `:v${f.closeVersion}`}`,
    f.auditEvent === undefined ? null : `audit:${f.auditEvent}`,
    f.path ?? null,
  ]
    .filter((x) => x !== null)
    .join(' ');
}
