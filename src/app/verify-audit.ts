// tandem verify, the audit trail: the hash chain itself, and the cross-references between the trail
// and the records it describes. The chain shows an event edited, deleted or inserted in the middle;
// the cross-references show what the chain alone cannot — a record written without its event,
// an event whose record is gone, a record whose hash or counts differ from what was audited — and
// `--audit-head` (a hash kept outside the database) shows a trail cut short or rewritten.

import { formatPeriod } from '../domain/period.js';
import { canonicalJson, findChainBreak, GENESIS_HASH } from '../store/audit-hash.js';
import type { AuditEvent, Store } from '../store/types.js';
import type { Check } from './verify-report.js';

export function checkChain(events: readonly AuditEvent[], check: Check, auditHead?: string): void {
  check.checked += events.length;
  // After a break, carry on from the broken event's own hash, so every further break is named too.
  let from = 0;
  for (;;) {
    const before = from > 0 ? events[from - 1] : undefined;
    const broken = findChainBreak(events.slice(from), before?.hash ?? GENESIS_HASH);
    if (!broken) break;
    const what = `audit event ${broken.id} (${broken.action}${broken.subject ? ` ${broken.subject}` : ''}, ${broken.at})`;
    const after = events[events.indexOf(broken) - 1];
    if (broken.prevHash !== (after?.hash ?? GENESIS_HASH)) {
      const gap = after ? broken.id - after.id - 1 : 0;
      const missing = gap === 1 ? `; id ${after!.id + 1} is missing` : gap > 1 ? `; ids ${after!.id + 1}–${broken.id - 1} are missing` : '';
      check.fail(broken.fundId, 'AUDIT_CHAIN_BROKEN', `${what} does not link to ${after ? `event ${after.id}, the one before it` : 'the start of the chain'}: an event between them was deleted or inserted, or the one before was edited and rehashed${missing}`, { auditEvent: broken.id });
    } else {
      check.fail(broken.fundId, 'AUDIT_CHAIN_BROKEN', `${what} no longer matches its hash: it was edited after it was written`, { auditEvent: broken.id });
    }
    from = events.indexOf(broken) + 1;
  }
  if (auditHead !== undefined && !events.some((e) => e.hash === auditHead)) {
    check.fail(null, 'AUDIT_HEAD_MISSING', `no audit event has the hash ${auditHead} given with --audit-head: the trail was cut short or rewritten since that hash was taken`);
  }
}

/** A fund's events by `action subject`, oldest first. */
export function indexEvents(events: readonly AuditEvent[], fundId: string): Map<string, AuditEvent[]> {
  const index = new Map<string, AuditEvent[]>();
  for (const e of events) {
    if (e.fundId !== fundId) continue;
    const key = `${e.action} ${e.subject ?? ''}`;
    const list = index.get(key);
    if (list) list.push(e);
    else index.set(key, [e]);
  }
  return index;
}

/** The audit event that records a record, or undefined. */
export function eventFor(index: Map<string, AuditEvent[]>, action: string, subject: string): AuditEvent | undefined {
  return index.get(`${action} ${subject}`)?.[0];
}

const AGREEMENT_ACTIONS = ['agreement.load', 'agreement.rule.add', 'decision.effective', 'year.end.version'];

/** Every audited record of the fund exists and matches its event, and every such event's record exists. */
export async function checkRecords(store: Store, fundId: string, events: readonly AuditEvent[], check: Check): Promise<void> {
  const mine = events.filter((e) => e.fundId === fundId);
  const index = indexEvents(events, fundId);
  const noEvent = (what: string, where: object) => check.fail(fundId, 'RECORD_NOT_AUDITED', `${what} has no event in the audit trail: it was written behind Tandem's back, or its event was deleted`, where);
  const differs = (what: string, event: AuditEvent, how: string, where: object) => check.fail(fundId, 'RECORD_DIFFERS_FROM_AUDIT', `${what} differs from its audit event ${event.id}: ${how}`, { ...where, auditEvent: event.id });
  const orphan = (event: AuditEvent, what: string) => check.fail(fundId, 'AUDIT_RECORD_MISSING', `audit event ${event.id} (${event.action} ${event.subject}) records ${what}, which the database no longer holds`, { auditEvent: event.id });

  const versions = await store.listAgreementVersions(fundId);
  for (const v of versions) {
    check.checked += 1;
    const event = AGREEMENT_ACTIONS.map((a) => eventFor(index, a, `agreement:${v.version}`)).find((e) => e !== undefined);
    if (!event) noEvent(`agreement version ${v.version}`, {});
    else if (event.inputSha256 !== v.sourceSha256) differs(`agreement version ${v.version}`, event, `its source hash is ${v.sourceSha256}, the event's ${event.inputSha256}`, {});
  }
  const known = new Set(versions.map((v) => v.version));
  for (const e of mine.filter((x) => AGREEMENT_ACTIONS.includes(x.action))) if (!known.has(Number(e.details.version))) orphan(e, `agreement version ${String(e.details.version)}`);

  const batches = await store.listBatches(fundId);
  for (const b of batches) {
    check.checked += 1;
    const event = eventFor(index, 'import.batch', `batch:${b.id}`);
    const where = { batch: b.id, file: b.fileName };
    if (!event) noEvent(`batch ${b.id} (ledger ${b.ledgerId}, ${b.fileName})`, where);
    else if (event.inputSha256 !== b.fileSha256 || event.details.ledger !== b.ledgerId) differs(`batch ${b.id}`, event, `file hash ${b.fileSha256} of ledger ${b.ledgerId}, the event's ${event.inputSha256} of ledger ${String(event.details.ledger)}`, where);
  }
  const batchIds = new Set(batches.map((b) => `batch:${b.id}`));
  for (const e of mine.filter((x) => x.action === 'import.batch')) if (!batchIds.has(e.subject ?? '')) orphan(e, `${e.subject} (${String(e.details.file)})`);

  const forecastBatches = await store.listForecastBatches(fundId);
  for (const f of forecastBatches) {
    check.checked += 1;
    const event = eventFor(index, 'forecast.import', `forecast-batch:${f.id}`);
    if (!event) {
      noEvent(`forecast batch ${f.id} (${f.fileName})`, { file: f.fileName });
      continue;
    }
    const rows = (await store.forecastRows(f.id)).map((r) => ({ scheme: r.schemeId, period: formatPeriod(r.period), amountPence: r.amountPence }));
    if (event.inputSha256 !== f.fileSha256) differs(`forecast batch ${f.id}`, event, 'the file hash', { file: f.fileName });
    else if (canonicalJson(rows) !== canonicalJson(event.details.forecasts ?? null) || rows.length !== f.lineCount) differs(`forecast batch ${f.id}`, event, `its ${rows.length} stored forecast(s) are not the ${f.lineCount} that were imported`, { file: f.fileName });
  }
  const forecastIds = new Set(forecastBatches.map((f) => `forecast-batch:${f.id}`));
  for (const e of mine.filter((x) => x.action === 'forecast.import')) if (!forecastIds.has(e.subject ?? '')) orphan(e, `${e.subject} (${String(e.details.file)})`);

  await checkCloseRecords(store, fundId, mine, index, check, { noEvent, differs, orphan });
}

async function checkCloseRecords(
  store: Store,
  fundId: string,
  mine: readonly AuditEvent[],
  index: Map<string, AuditEvent[]>,
  check: Check,
  say: { noEvent: (what: string, where: object) => void; differs: (what: string, e: AuditEvent, how: string, where: object) => void; orphan: (e: AuditEvent, what: string) => void },
): Promise<void> {
  const closes = await store.listCloses(fundId);
  for (const c of closes) {
    check.checked += 1;
    const subject = `close:${formatPeriod(c.period)}:v${c.version}`;
    const where = { period: formatPeriod(c.period), closeVersion: c.version };
    const event = eventFor(index, 'close', subject);
    if (!event) say.noEvent(`the close of ${formatPeriod(c.period)} version ${c.version}`, where);
    else if (event.inputSha256 !== c.documentSha256) say.differs(`the close of ${formatPeriod(c.period)} version ${c.version}`, event, `its stored SHA-256 is ${c.documentSha256}, the one audited when it was closed ${event.inputSha256}`, where);
  }
  const subjects = new Set(closes.map((c) => `close:${formatPeriod(c.period)}:v${c.version}`));
  for (const e of mine.filter((x) => x.action === 'close')) if (!subjects.has(e.subject ?? '')) say.orphan(e, `the close ${e.subject}`);

  // Each close and reopen of a period is one period event and one audit event.
  const periodEvents = await store.listPeriodEvents(fundId);
  const count = (items: { period: string; action: string }[]) => {
    const n = new Map<string, number>();
    for (const i of items) n.set(`${i.period} ${i.action}`, (n.get(`${i.period} ${i.action}`) ?? 0) + 1);
    return n;
  };
  const stored = count(periodEvents.map((p) => ({ period: formatPeriod(p.period), action: p.action })));
  const audited = count(mine.filter((e) => e.action === 'close' || e.action === 'reopen').map((e) => ({ period: String(e.details.period), action: e.action })));
  for (const key of new Set([...stored.keys(), ...audited.keys()])) {
    check.checked += stored.get(key) ?? 0;
    const [s, a] = [stored.get(key) ?? 0, audited.get(key) ?? 0];
    if (s === a) continue;
    const [period, action] = [key.slice(0, key.lastIndexOf(' ')), key.slice(key.lastIndexOf(' ') + 1)];
    check.fail(fundId, 'RECORD_NOT_AUDITED', `${period} has ${s} ${action} event(s) in its lock history and ${a} in the audit trail: the lock history was altered behind Tandem's back`, { period });
  }
}
