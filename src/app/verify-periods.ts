// tandem verify, which batch supplies each period: no line may count twice. In `replace` mode a
// ledger's period is live in one batch at most (a new extract supersedes the old, domain.md §5);
// in `append` mode batches add up but a transaction id is held live once. Supersession is derived
// state, so it is also compared with what each import's audit event says it superseded: a period
// switched live or superseded in the database behind Tandem's back shows up here.

import { formatPeriod, type PeriodKey } from '../domain/period.js';
import type { AuditEvent, BatchRecord, Store } from '../store/types.js';
import { eventFor } from './verify-audit.js';
import type { Check } from './verify-report.js';

export async function checkLivePeriods(store: Store, fundId: string, index: Map<string, AuditEvent[]>, check: Check): Promise<void> {
  const batches = await store.listBatches(fundId);
  const live = new Map<string, BatchRecord[]>();
  for (const b of batches) {
    for (const p of b.periods) {
      check.checked += 1;
      if (p in b.supersededPeriods) continue;
      const key = `${b.ledgerId} ${p}`;
      live.set(key, [...(live.get(key) ?? []), b]);
    }
  }
  for (const [key, holders] of live) {
    // Batches are listed by id: each replace-mode batch after the first should have superseded the others.
    if (holders.length < 2 || holders.slice(1).every((b) => b.mode === 'append')) continue;
    const [ledger, period] = [key.slice(0, key.lastIndexOf(' ')), formatPeriod(Number(key.slice(key.lastIndexOf(' ') + 1)))];
    check.fail(fundId, 'PERIOD_LIVE_TWICE', `ledger ${ledger}'s ${period} is live in batches ${holders.map((b) => b.id).join(' and ')} (replace mode): their lines would be counted twice`, { batch: holders[holders.length - 1]!.id, period });
  }
  for (const d of await store.duplicateLiveLineIds(fundId, 20)) {
    const at = d.lines.map((l) => `batch ${l.batchId} line ${l.lineNo}`).join(', ');
    check.fail(fundId, 'LINE_ID_LIVE_TWICE', `transaction id "${d.lineId}" of ledger ${d.ledgerId} is live ${d.lines.length} times (${at}): append-mode imports refuse an id already held`, { batch: d.lines[d.lines.length - 1]!.batchId, line: d.lines[d.lines.length - 1]!.lineNo });
  }
  checkAgainstAudit(fundId, batches, index, check);
}

/** Each batch's periods and every superseded batch-period, as the import that made them recorded them. */
function checkAgainstAudit(fundId: string, batches: readonly BatchRecord[], index: Map<string, AuditEvent[]>, check: Check): void {
  // batch:period → the batch that superseded it, or 'kept' for a closed period an import repeated unchanged.
  const expected = new Map<string, { by: number | 'kept'; event: AuditEvent }>();
  const byId = new Map(batches.map((b) => [b.id, b]));
  for (const b of batches) {
    const event = eventFor(index, 'import.batch', `batch:${b.id}`);
    if (!event) continue; // reported by the audit records check
    const periods = b.periods.map(formatPeriod);
    if (Array.isArray(event.details.periods) && periods.join() !== event.details.periods.join()) {
      check.fail(fundId, 'SUPERSESSION_NOT_AUDITED', `batch ${b.id} covers ${periods.join(', ')}; its audit event ${event.id} recorded ${event.details.periods.join(', ')}`, { batch: b.id, file: b.fileName, auditEvent: event.id });
    }
    for (const s of asList(event.details.superseded)) expected.set(`${String(s.batchId)}:${String(s.period)}`, { by: b.id, event });
    for (const p of asList(event.details.unchangedClosedPeriods)) expected.set(`${b.id}:${String(p)}`, { by: 'kept', event });
  }
  for (const b of batches) {
    for (const p of b.periods) {
      const period = formatPeriod(p);
      const want = expected.get(`${b.id}:${period}`);
      expected.delete(`${b.id}:${period}`);
      const by = b.supersededPeriods[p];
      const where = { batch: b.id, file: b.fileName, period };
      if (by === undefined && want === undefined) continue;
      if (by !== undefined && want !== undefined && (want.by === by || (want.by === 'kept' && keptBy(byId.get(by), b, p)))) continue;
      if (by === undefined) {
        check.fail(fundId, 'SUPERSESSION_NOT_AUDITED', `batch ${b.id}'s ${period} is live, but audit event ${want!.event.id} recorded it ${want!.by === 'kept' ? 'kept superseded by the closed batch' : `superseded by batch ${want!.by}`}`, { ...where, auditEvent: want!.event.id });
      } else {
        check.fail(fundId, 'SUPERSESSION_NOT_AUDITED', `batch ${b.id}'s ${period} is marked superseded by batch ${by}, which the audit trail does not record${want ? ` (event ${want.event.id} says ${want.by === 'kept' ? 'kept for a closed period' : `batch ${want.by}`})` : ''}`, { ...where, ...(want ? { auditEvent: want.event.id } : {}) });
      }
    }
  }
  for (const [key, want] of expected) {
    check.fail(fundId, 'SUPERSESSION_NOT_AUDITED', `audit event ${want.event.id} recorded batch-period ${key} superseded, which the database does not hold`, { auditEvent: want.event.id });
  }
}

/** A closed period repeated unchanged stays with the earlier batch of the same ledger that holds it. */
function keptBy(holder: BatchRecord | undefined, copy: BatchRecord, period: PeriodKey): boolean {
  return holder !== undefined && holder.ledgerId === copy.ledgerId && holder.id < copy.id && holder.periods.includes(period);
}

function asList(value: unknown): Record<string, unknown>[] & unknown[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}
