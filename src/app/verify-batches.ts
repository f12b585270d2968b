// tandem verify, the ledger data of a fund: each batch's lines read back once, in line order, and
// compared with what was recorded when its file was read (line count, control total, the lines'
// digest: src/store/line-digest.ts, and the import's audit event), with the pre-aggregated totals
// that status, close and reports read (line_totals, scheme_totals), and with the mapping the
// agreement in force gives (a difference there is a warning: remap is how it is resolved).

import { createHash } from 'node:crypto';
import type { Agreement } from '../domain/agreement.js';
import { compileRules, type LineMapper } from '../domain/mapping.js';
import { addPence, formatPounds, type Pence } from '../domain/money.js';
import { formatPeriod, type PeriodKey } from '../domain/period.js';
import { DIGEST_BLOCK_LINES, LinesDigester, parseDigestBlocks, type DigestBlock, type LinesDigest } from '../store/line-digest.js';
import type { AuditEvent, BatchRecord, LineTotal, Store } from '../store/types.js';
import { eventFor } from './verify-audit.js';
import type { Check } from './verify-report.js';
import { LineTotalsAccumulator } from './line-totals.js';

const CHUNK = 10_000;
/** Line numbers quoted per finding; the rest are counted. */
const EXAMPLES = 5;

export interface BatchChecks {
  lines: Check;
  totals: Check;
  mapping: Check;
}

interface Scan {
  lines: number;
  amountPence: Pence;
  digest: LinesDigest;
  /** Lines whose period the batch does not cover: counted nowhere. */
  outside: { lineNo: number; period: PeriodKey }[];
  outsideCount: number;
  /** Lines outside every range of line numbers the digest recorded: inserted. */
  strays: number[];
  totals: Omit<LineTotal, 'batchId'>[];
  remap: { open: number[]; openCount: number; closed: number[]; closedCount: number };
}

export async function checkBatches(store: Store, fundId: string, inForce: { agreement: Agreement; version: number }, locked: ReadonlySet<PeriodKey>, index: Map<string, AuditEvent[]>, checks: BatchChecks): Promise<void> {
  for (const batch of await store.listBatches(fundId)) {
    const where = { batch: batch.id, file: batch.fileName };
    await checks.lines.run(fundId, `batch ${batch.id}`, async () => {
      checks.lines.checked += 1;
      checks.totals.checked += 1;
      const recorded = await store.getBatchDigest(batch.id);
      const blocks = recorded ? parseDigestBlocks(recorded.blocksJson) : undefined;
      const live = batch.periods.some((p) => !(p in batch.supersededPeriods));
      const ledger = live ? inForce.agreement.ledgers.find((l) => l.id === batch.ledgerId) : undefined;
      let mapper: LineMapper | undefined;
      if (ledger) {
        const compiled = compileRules(ledger.rules, JSON.parse(batch.headerJson) as string[]);
        if (compiled.ok) mapper = compiled.map;
        else checks.mapping.warn(fundId, 'REMAP_NEEDED', `the rules of ledger ${ledger.id} use column(s) ${[...new Set(compiled.missing.map((m) => m.column))].join(', ')} that batch ${batch.id} does not have: remap would refuse it`, where);
      }
      const scan = await scanBatch(store, batch, blocks ?? [], mapper, locked);
      checks.mapping.checked += mapper ? scan.lines : 0;
      const event = eventFor(index, 'import.batch', `batch:${batch.id}`);
      judgeCounts(fundId, batch, scan, event, checks.lines);
      judgeDigest(fundId, batch, scan, recorded, blocks, event, checks.lines);
      if (scan.outsideCount > 0) {
        const first = scan.outside[0]!;
        checks.lines.fail(fundId, 'LINE_OUTSIDE_BATCH_PERIODS', `${scan.outsideCount} line(s) of batch ${batch.id} are in periods the batch does not cover (line ${first.lineNo} in ${formatPeriod(first.period)}${scan.outsideCount > 1 ? `; also lines ${scan.outside.slice(1).map((o) => o.lineNo).join(', ')}` : ''}), so no figure counts them`, { ...where, line: first.lineNo, period: formatPeriod(first.period) });
      }
      await judgeTotals(store, fundId, batch, scan, checks.totals);
      judgeMapping(fundId, batch, scan, checks.mapping, inForce.version);
    }, where);
  }
}

async function scanBatch(store: Store, batch: BatchRecord, blocks: readonly DigestBlock[], mapper: LineMapper | undefined, locked: ReadonlySet<PeriodKey>): Promise<Scan> {
  const digester = new LinesDigester();
  const totals = new LineTotalsAccumulator();
  const periods = new Set(batch.periods);
  const ranges = new Map(blocks.map((b) => [b.block, b]));
  const scan: Scan = { lines: 0, amountPence: 0, digest: { sha256: '', blocksJson: '' }, outside: [], outsideCount: 0, strays: [], totals: [], remap: { open: [], openCount: 0, closed: [], closedCount: 0 } };
  for await (const chunk of store.iterateBatchLines(batch.id, CHUNK)) {
    digester.add(chunk);
    for (const line of chunk) {
      scan.lines += 1;
      scan.amountPence = addPence(scan.amountPence, line.amountPence);
      totals.add(line.period, line, line.codes, line.amountPence);
      if (!periods.has(line.period)) {
        scan.outsideCount += 1;
        if (scan.outside.length < EXAMPLES) scan.outside.push({ lineNo: line.lineNo, period: line.period });
      }
      const range = ranges.get(Math.floor(line.lineNo / DIGEST_BLOCK_LINES));
      if (blocks.length > 0 && (!range || line.lineNo < range.firstLineNo || line.lineNo > range.lastLineNo) && scan.strays.length < EXAMPLES) scan.strays.push(line.lineNo);
      if (!mapper) continue;
      let m;
      try {
        m = mapper(JSON.parse(line.raw) as string[]);
      } catch {
        continue; // unreadable columns: the digest reports the line as changed
      }
      if (m.status === line.status && m.schemeId === line.schemeId && m.ruleIndex === line.ruleIndex) continue;
      const bucket = locked.has(line.period) ? 'closed' : 'open';
      if (scan.remap[bucket].length < EXAMPLES) scan.remap[bucket].push(line.lineNo);
      scan.remap[bucket === 'open' ? 'openCount' : 'closedCount'] += 1;
    }
  }
  scan.digest = digester.finish();
  scan.totals = totals.take();
  return scan;
}

function judgeCounts(fundId: string, batch: BatchRecord, scan: Scan, event: AuditEvent | undefined, check: Check): void {
  const where = { batch: batch.id, file: batch.fileName };
  const stored = `${scan.lines} line(s), £${formatPounds(scan.amountPence)}`;
  if (scan.lines !== batch.lineCount || scan.amountPence !== batch.controlTotalPence) {
    check.fail(fundId, 'BATCH_TOTALS_DIFFER', `batch ${batch.id} (ledger ${batch.ledgerId}, ${batch.fileName}) holds ${stored}; it recorded ${batch.lineCount} line(s), £${formatPounds(batch.controlTotalPence)} when its file was read`, where);
  }
  if (event && (event.details.lines !== batch.lineCount || event.details.controlTotalPence !== batch.controlTotalPence)) {
    check.fail(fundId, 'BATCH_TOTALS_DIFFER', `batch ${batch.id} records ${batch.lineCount} line(s), £${formatPounds(batch.controlTotalPence)}; its audit event ${event.id} recorded ${String(event.details.lines)} line(s), ${String(event.details.controlTotalPence)} pence when the file was read`, { ...where, auditEvent: event.id });
  }
}

function judgeDigest(fundId: string, batch: BatchRecord, scan: Scan, recorded: LinesDigest | null, blocks: DigestBlock[] | undefined, event: AuditEvent | undefined, check: Check): void {
  const where = { batch: batch.id, file: batch.fileName };
  const audited = typeof event?.details.linesSha256 === 'string' ? event.details.linesSha256 : undefined;
  if (recorded === null) {
    if (audited !== undefined) check.fail(fundId, 'LINES_DIGEST_ALTERED', `batch ${batch.id}'s line digest was removed: its audit event ${event!.id} recorded ${audited}`, { ...where, auditEvent: event!.id });
    else check.warn(fundId, 'LINES_NOT_DIGESTED', `batch ${batch.id} (${batch.fileName}) was imported before Tandem kept line digests: its line count and control total are checked, but an edit that keeps both cannot be seen`, where);
    return;
  }
  if (audited !== undefined && audited !== recorded.sha256) {
    check.fail(fundId, 'LINES_DIGEST_ALTERED', `batch ${batch.id}'s line digest ${recorded.sha256} is not the one its audit event ${event!.id} recorded (${audited})`, { ...where, auditEvent: event!.id });
  }
  // The blocks say where a change is; they count only if they are what the digest was taken over.
  if (blocks === undefined || createHash('sha256').update(recorded.blocksJson).digest('hex') !== recorded.sha256) {
    check.fail(fundId, 'LINES_DIGEST_ALTERED', `batch ${batch.id}'s recorded line blocks do not hash to its line digest: the digest itself was altered${scan.digest.sha256 === recorded.sha256 ? ' (the lines still match the digest)' : ''}`, where);
    if (blocks === undefined || scan.digest.sha256 === recorded.sha256) return;
  }
  if (scan.digest.sha256 === recorded.sha256) return;
  const now = new Map((parseDigestBlocks(scan.digest.blocksJson) ?? []).map((b) => [b.block, b]));
  const was = new Map(blocks.map((b) => [b.block, b]));
  for (const n of [...new Set([...was.keys(), ...now.keys()])].sort((a, b) => a - b)) {
    const [before, after] = [was.get(n), now.get(n)];
    if (before && after && before.sha256 === after.sha256) continue;
    const first = Math.min(before?.firstLineNo ?? Infinity, after?.firstLineNo ?? Infinity);
    const last = Math.max(before?.lastLineNo ?? -Infinity, after?.lastLineNo ?? -Infinity);
    const change = (after?.lines ?? 0) - (before?.lines ?? 0);
    const how = change < 0 ? `${-change} line(s) deleted` : change > 0 ? `${change} line(s) inserted` : 'edited in place';
    const pence = (after?.amountPence ?? 0) - (before?.amountPence ?? 0);
    const stray = scan.strays.filter((s) => s >= first && s <= last);
    const at = stray.length > 0 ? ` (line ${stray.join(', ')} lies outside the lines imported there: inserted)` : '';
    check.fail(fundId, 'LINES_CHANGED', `batch ${batch.id} (ledger ${batch.ledgerId}, ${batch.fileName}), lines ${first}–${last}: ${before?.lines ?? 0} line(s) were imported, ${after?.lines ?? 0} are stored — ${how}${at}; their amounts add to £${formatPounds(after?.amountPence ?? 0)}, £${formatPounds(before?.amountPence ?? 0)} when imported${pence === 0 ? '' : ` (${pence > 0 ? '+' : '−'}£${formatPounds(Math.abs(pence))})`}`, { ...where, lines: `${first}–${last}`, ...(stray.length > 0 ? { line: stray[0] } : {}) });
  }
}

type Sums = Map<string, { period: PeriodKey; lineCount: number; amountPence: Pence }>;

/** The batch's stored totals against the totals of its lines, per group (codes only for line_totals). */
async function judgeTotals(store: Store, fundId: string, batch: BatchRecord, scan: Scan, check: Check): Promise<void> {
  const sum = (rows: (Omit<LineTotal, 'batchId' | 'codes'> & { codes?: string })[], withCodes: boolean): Sums => {
    const out: Sums = new Map();
    for (const r of rows) {
      const k = `${formatPeriod(r.period)}, ${r.status}${r.schemeId ? ` to ${r.schemeId}` : ''}${withCodes ? `, codes ${r.codes ?? ''}` : ''}`;
      const t = out.get(k) ?? { period: r.period, lineCount: 0, amountPence: 0 };
      out.set(k, { period: r.period, lineCount: t.lineCount + r.lineCount, amountPence: addPence(t.amountPence, r.amountPence) });
    }
    return out;
  };
  const compare = (table: string, stored: Sums, fromLines: Sums) => {
    let shown = 0;
    for (const k of new Set([...stored.keys(), ...fromLines.keys()])) {
      const [s, l] = [stored.get(k), fromLines.get(k)];
      if (s?.lineCount === l?.lineCount && s?.amountPence === l?.amountPence) continue;
      if (shown++ >= EXAMPLES) continue;
      const period = formatPeriod((s ?? l)!.period);
      check.fail(fundId, 'TOTALS_DIFFER', `batch ${batch.id}, ${table} for ${k}: ${s?.lineCount ?? 0} line(s), £${formatPounds(s?.amountPence ?? 0)} stored; its lines give ${l?.lineCount ?? 0}, £${formatPounds(l?.amountPence ?? 0)}`, { batch: batch.id, file: batch.fileName, period });
    }
  };
  compare('line_totals', sum(await store.batchLineTotals(batch.id), true), sum(scan.totals, true));
  compare('scheme_totals', sum(await store.batchSchemeTotals(batch.id), false), sum(scan.totals, false));
}

function judgeMapping(fundId: string, batch: BatchRecord, scan: Scan, check: Check, version: number): void {
  const where = { batch: batch.id, file: batch.fileName };
  const { open, openCount, closed, closedCount } = scan.remap;
  const lines = (n: number[], count: number) => `line${count === 1 ? '' : 's'} ${n.join(', ')}${count > n.length ? ` and ${count - n.length} more` : ''}`;
  if (openCount > 0) {
    check.warn(fundId, 'REMAP_NEEDED', `${openCount} line(s) of batch ${batch.id} (${batch.fileName}) in open periods are mapped otherwise than agreement version ${version} (in force) says (${lines(open, openCount)}): run tandem remap`, { ...where, line: open[0]! });
  }
  if (closedCount > 0) {
    check.warn(fundId, 'CLOSED_MAPPING_KEPT', `${closedCount} line(s) of batch ${batch.id} (${batch.fileName}) in closed periods keep the mapping they were closed with; agreement version ${version} would map them otherwise (${lines(closed, closedCount)})`, { ...where, line: closed[0]! });
  }
}
