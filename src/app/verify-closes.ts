// tandem verify, the closes of a fund: every version of every close is read back and checked —
// its SHA-256 and its header against the stored record, its own figures (journals balance,
// balances agree, subtotals add up: src/domain/close-check.ts), and its figures recomputed from
// the inputs it records (verify-recompute.ts). And the lock history: closes and reopens alternate,
// each close is the next version, and a locked period is still supplied by the batches its close
// read — a closed month cannot change until it is reopened.

import { createHash } from 'node:crypto';
import { diffJson } from '../domain/agreement-diff.js';
import { checkCloseDocument } from '../domain/close-check.js';
import { formatPeriod, type PeriodKey } from '../domain/period.js';
import { canonicalJson } from '../store/audit-hash.js';
import type { AuditEvent, CloseRecord, PeriodEvent } from '../store/types.js';
import type { CloseDocument } from './close.js';
import type { AppContext } from './context.js';
import { eventFor } from './verify-audit.js';
import { COMPUTED_KEYS, recomputeClose } from './verify-recompute.js';
import type { Check } from './verify-report.js';

export interface CloseChecks {
  stored: Check;
  figures: Check;
  recomputed: Check;
  locks: Check;
}

type Summary = Omit<CloseRecord, 'documentJson'>;

export async function checkCloses(ctx: AppContext, fundId: string, events: readonly AuditEvent[], index: Map<string, AuditEvent[]>, checks: CloseChecks): Promise<void> {
  const closes = await ctx.store.listCloses(fundId);
  const periodEvents = await ctx.store.listPeriodEvents(fundId);
  for (const summary of closes) {
    const name = `the close of ${formatPeriod(summary.period)} version ${summary.version}`;
    const where = { period: formatPeriod(summary.period), closeVersion: summary.version };
    let record: CloseRecord | undefined;
    let doc: CloseDocument | undefined;
    await checks.stored.run(fundId, name, async () => {
      checks.stored.checked += 1;
      record = await ctx.store.getClose(fundId, summary.period, summary.version);
      if (!record) return; // listed a moment ago; closes are never deleted by Tandem
      if (createHash('sha256').update(record.documentJson).digest('hex') !== record.documentSha256) {
        checks.stored.fail(fundId, 'CLOSE_HASH_MISMATCH', `${name} no longer matches its SHA-256 ${record.documentSha256}: the stored document was altered`, where);
      }
      try {
        doc = JSON.parse(record.documentJson) as CloseDocument;
      } catch (e) {
        checks.stored.fail(fundId, 'CLOSE_UNREADABLE', `${name} is not readable JSON (${(e as Error).message}): nothing more of it can be checked`, where);
        return;
      }
      const header: [string, unknown, unknown][] = [
        ['fund', doc.fund, fundId],
        ['period', doc.period, formatPeriod(record.period)],
        ['closeVersion', doc.closeVersion, record.version],
        ['agreementVersion', doc.agreementVersion, record.agreementVersion],
        ['closedAt', doc.closedAt, record.closedAt],
      ];
      for (const [path, inDoc, inRecord] of header) {
        if (inDoc !== inRecord) checks.stored.fail(fundId, 'CLOSE_RECORD_DIFFERS', `${name}: the document says ${path} ${String(inDoc)}, its record ${String(inRecord)}`, { ...where, path });
      }
    }, where);
    if (!record || !doc) continue;
    const [stored, parsed] = [record, doc];
    await checks.figures.run(fundId, name, async () => {
      checks.figures.checked += 1;
      for (const p of checkCloseDocument(parsed)) checks.figures.fail(fundId, p.code, `${name}: ${p.message}`, { ...where, path: p.path });
    }, where);
    await checks.recomputed.run(fundId, name, async () => {
      checks.recomputed.checked += 1;
      await judgeRecompute(ctx, fundId, stored, parsed, closes, periodEvents, events, index, checks.recomputed);
    }, where);
  }
  await checks.locks.run(fundId, 'the lock history', () => checkLocks(ctx, fundId, closes, periodEvents, checks.locks));
}

async function judgeRecompute(
  ctx: AppContext,
  fundId: string,
  record: CloseRecord,
  doc: CloseDocument,
  closes: readonly Summary[],
  periodEvents: readonly PeriodEvent[],
  events: readonly AuditEvent[],
  index: Map<string, AuditEvent[]>,
  check: Check,
): Promise<void> {
  const period = formatPeriod(record.period);
  const name = `the close of ${period} version ${record.version}`;
  const where = { period, closeVersion: record.version };
  const status = standing(record, closes, periodEvents);
  const result = await recomputeClose(ctx, record, doc, closes);
  if (!result.ok) {
    const message = `${name}${status} cannot be recomputed: ${result.missing.join('; ')} ${result.missing.length === 1 ? 'is' : 'are'} missing`;
    if (result.unrecorded) check.warn(fundId, 'CLOSE_NOT_REPRODUCIBLE', message, where);
    else check.fail(fundId, 'CLOSE_INPUT_MISSING', `${message}, though Tandem never deletes them`, where);
    return;
  }
  const pick = (source: object) => Object.fromEntries(COMPUTED_KEYS.map((k) => [k, (source as Record<string, unknown>)[k]]));
  const [was, now] = [pick(doc), pick(result.computation)];
  if (canonicalJson(was) === canonicalJson(now)) return;
  const changes = diffJson(was, JSON.parse(JSON.stringify(now)) as unknown);
  const shown = changes.slice(0, 5).map((c) => `${c.path}: ${'before' in c ? short(c.before) : '(none)'} stored, ${'after' in c ? short(c.after) : '(none)'} recomputed`);
  const more = changes.length > 5 ? `, and ${changes.length - 5} more` : '';
  const closeEvent = eventFor(index, 'close', `close:${period}:v${record.version}`);
  const remaps = remapsSince(events, fundId, closeEvent?.id ?? 0, new Set((doc.sources?.batches ?? []).map((b) => b.ledger)));
  if (remaps.length > 0) {
    check.warn(fundId, 'CLOSE_NOT_REPRODUCIBLE', `${name}${status} cannot be recomputed from today's data: the mapping of lines it read changed after it was closed (${remaps.join('; ')}), and Tandem keeps no earlier mapping. Its stored figures stand, checked by their SHA-256 and their own sums; today's data differs at ${shown.join('; ')}${more}`, { ...where, path: changes[0]?.path });
  } else {
    check.fail(fundId, 'CLOSE_NOT_REPRODUCED', `${name}${status} does not match what its recorded inputs give: ${shown.join('; ')}${more}`, { ...where, path: changes[0]?.path });
  }
}

/** " (superseded by version 2)", " (reopened)" or "" for the close in force, to say what a finding is about. */
function standing(record: CloseRecord, closes: readonly Summary[], periodEvents: readonly PeriodEvent[]): string {
  const later = closes.filter((c) => c.period === record.period && c.version > record.version);
  if (later.length > 0) return ` (superseded by version ${Math.max(...later.map((c) => c.version))} after a reopen)`;
  const last = periodEvents.filter((e) => e.period === record.period).at(-1);
  return last?.action === 'reopen' ? ` (reopened: ${last.reason ?? 'no reason'})` : '';
}

/** Remaps after audit event `afterId` that changed lines of these ledgers, in words. */
function remapsSince(events: readonly AuditEvent[], fundId: string, afterId: number, ledgers: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.fundId !== fundId || e.action !== 'remap' || e.id <= afterId || !Array.isArray(e.details.ledgers)) continue;
    for (const l of e.details.ledgers as { id?: unknown; changed?: unknown }[]) {
      if (typeof l.id === 'string' && ledgers.has(l.id) && typeof l.changed === 'number' && l.changed > 0) out.push(`remap, audit event ${e.id}, changed ${l.changed} line(s) of ledger ${l.id}`);
    }
  }
  return out;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Closes and reopens alternate, each close is the period's next version, and a locked period still reads what its close read. */
async function checkLocks(ctx: AppContext, fundId: string, closes: readonly Summary[], periodEvents: readonly PeriodEvent[], check: Check): Promise<void> {
  const periods = [...new Set([...periodEvents.map((e) => e.period), ...closes.map((c) => c.period)])].sort((a, b) => a - b);
  const batches = await ctx.store.listBatches(fundId);
  for (const p of periods) {
    check.checked += 1;
    const period = formatPeriod(p);
    const history = periodEvents.filter((e) => e.period === p);
    const versions = closes.filter((c) => c.period === p);
    const closing = history.filter((e) => e.action === 'close');
    const fail = (message: string) => check.fail(fundId, 'LOCK_HISTORY_INVALID', `${period}: ${message}`, { period });
    history.forEach((e, i) => {
      if (e.action !== (i % 2 === 0 ? 'close' : 'reopen')) fail(`event ${e.id} is a ${e.action} where a ${i % 2 === 0 ? 'close' : 'reopen'} should come: closes and reopens alternate, starting with a close`);
    });
    closing.forEach((e, i) => {
      const close = versions.find((c) => c.id === e.closeId);
      if (close?.version !== i + 1) fail(`close event ${e.id} names ${close ? `version ${close.version}` : `close ${String(e.closeId)}, which is not a close of this period`}; it should be version ${i + 1}`);
    });
    if (versions.length !== closing.length) fail(`${versions.length} close version(s) are stored but ${closing.length} close event(s) lock it`);
    const last = history.at(-1);
    if (last?.action !== 'close') continue;
    const inForce = versions.find((c) => c.id === last.closeId);
    if (inForce) await lockedData(ctx, fundId, p, inForce, batches, check);
  }
}

/** The batches live for a locked period today must be the ones its close read. */
async function lockedData(ctx: AppContext, fundId: string, p: PeriodKey, close: Summary, batches: readonly { id: number; periods: number[]; supersededPeriods: Record<number, number> }[], check: Check): Promise<void> {
  const record = await ctx.store.getClose(fundId, p, close.version);
  let doc: CloseDocument;
  try {
    doc = JSON.parse(record?.documentJson ?? '') as CloseDocument;
  } catch {
    return; // reported by the stored-close check
  }
  const period = formatPeriod(p);
  const read = (doc.sources?.batches ?? []).filter((b) => b.periods.includes(period)).map((b) => b.id).sort((a, b) => a - b);
  const live = batches.filter((b) => b.periods.includes(p) && !(p in b.supersededPeriods)).map((b) => b.id).sort((a, b) => a - b);
  if (read.join() !== live.join()) {
    check.fail(fundId, 'LOCKED_DATA_CHANGED', `${period} is closed (version ${close.version}) with batch(es) ${read.join(', ') || 'none'}, but batch(es) ${live.join(', ') || 'none'} supply it now: its data changed while it was locked`, { period, closeVersion: close.version });
  }
}
