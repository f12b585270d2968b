// Import one ledger extract as one batch: all of it or none of it (domain.md §5).
//
// The file is hashed first, so the same bytes imported again are recognised before any parsing
// ("already imported as batch N") and change nothing. Then it streams: a reader (on a worker
// thread for a big file: import-read-thread.ts) parses and maps the lines and hands them over a
// chunk at a time, laid out for the store; this thread counts, totals and digests each chunk and
// writes it inside one transaction while problems are collected; at the end, any problem rolls
// the whole transaction back, so a rejected file writes nothing. In `replace` mode the new batch
// supersedes, period by period, what earlier batches of the ledger held.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Ledger } from '../domain/agreement.js';
import { addPence, invariant, InvariantError, type Pence } from '../domain/money.js';
import { formatPeriod, type PeriodKey, type YearStart } from '../domain/period.js';
import { fileSizeCheck } from '../import/extract.js';
import type { ImportProblem } from '../import/types.js';
import { LinesDigester } from '../store/line-digest.js';
import type { BatchRecord, LineColumns, LineStatus, Store } from '../store/types.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError, type Problem } from './errors.js';
import { assertFundOpen } from './fund-state.js';
import type { ReadEvent, ReadSummary } from './import-read.js';
import { readExtract, type ReaderPlace } from './import-read-thread.js';
import { NumberedTotals } from './line-totals.js';
import { keepClosedPeriods, settleLockedPeriods } from './locked-periods.js';

export interface ImportRequest {
  fundId?: string;
  ledgerId: string;
  path: string;
  /** How the file is named in the batch, the audit trail and problems (e.g. an upload's own name); default `path`. */
  displayName?: string;
  /** The period of lines that carry none, and a check on those that do. */
  period?: PeriodKey;
  /** The year for bare period numbers. */
  year?: YearStart;
  onProgress?: (bytesRead: number, fileBytes: number) => void;
  maxProblems?: number;
  /** Where the file is parsed and mapped (default: by its size); tests force each way. */
  reader?: ReaderPlace;
  /** Tests only: how many codes texts the reader numbers before starting afresh (import-read.ts). */
  codeTextsHeld?: number;
}

export interface ImportResult {
  status: 'imported' | 'already-imported';
  batchId: number;
  fundId: string;
  ledgerId: string;
  file: string;
  sha256: string;
  lines: number;
  controlTotalPence: Pence;
  periods: string[];
  mapped: { lines: number; amountPence: Pence };
  outOfScope: { lines: number; amountPence: Pence };
  unmapped: { lines: number; amountPence: Pence };
  superseded: { batchId: number; period: string }[];
  /** Closed periods this (year-to-date) file repeated exactly: kept from the earlier batch. */
  unchangedClosedPeriods: string[];
  seconds: number;
}

export async function importBatch(ctx: AppContext, request: ImportRequest): Promise<ImportResult> {
  const started = process.hrtime.bigint();
  const fundId = await resolveFund(ctx, request.fundId);
  const { agreement, record } = await agreementInForce(ctx, fundId);
  const ledger = agreement.ledgers.find((l) => l.id === request.ledgerId);
  if (!ledger) {
    const known = agreement.ledgers.map((l) => l.id).join(', ');
    throw new TandemError('LEDGER_UNKNOWN', `ledger "${request.ledgerId}" is not in the agreement of fund ${fundId} (version ${record.version}); its ledgers are: ${known}`, [
      { code: 'LEDGER_UNKNOWN', message: `unknown ledger "${request.ledgerId}"`, file: request.displayName ?? request.path, line: null, column: null },
    ]);
  }
  const shown = request.displayName ?? request.path;
  // a file over the ledger's size limit is refused before it is hashed (src/import/limits.ts)
  const tooLarge = await fileSizeCheck(request.path, ledger.file, shown);
  if (tooLarge !== null) throw rejected(shown, [tooLarge]);
  // Reading starts now, so the reader's start and first chunks overlap the hashing below.
  const reading = readExtract(
    {
      path: request.path,
      ledgerId: ledger.id,
      rules: ledger.rules,
      codeTextsHeld: request.codeTextsHeld,
      options: {
        // The reader names the file in problems as the user knows it.
        fileName: shown,
        settings: ledger.file,
        years: agreement.years,
        period: request.period ?? null,
        year: request.year ?? null,
        maxProblems: request.maxProblems,
      },
    },
    await sizeOf(request.path),
    request.reader,
  );
  const first = reading.next();
  first.catch(() => {}); // awaited below, unless hashing fails first
  try {
    const { sha256, bytes } = await hashFile(request.path);
    const earlier = await ctx.store.findBatchBySha256(fundId, ledger.id, sha256);
    if (earlier) return alreadyImported(earlier, shown, started);
    const opened = (await first).value;
    if (opened?.kind === 'refused') throw rejected(shown, opened.problems);
    invariant(opened?.kind === 'opened', `the reader began with ${opened?.kind ?? 'nothing'}`);

    return await ctx.store.transaction(async (tx) => {
      await tx.lockFund(fundId);
      await assertFundOpen(tx, fundId, `the import of ${shown}`);
      // Another import of the same bytes may have finished while this one waited for the lock.
      const meanwhile = await tx.findBatchBySha256(fundId, ledger.id, sha256);
      if (meanwhile) return alreadyImported(meanwhile, shown, started);
      const batchId = await tx.insertBatch({
        fundId,
        ledgerId: ledger.id,
        fileName: shown,
        fileSha256: sha256,
        fileBytes: bytes,
        mode: ledger.mode,
        agreementVersion: record.version,
        importedAt: isoNow(ctx),
        importedBy: ctx.actor,
        lineCount: 0,
        controlTotalPence: 0,
        headerJson: JSON.stringify(opened.header),
      });
      const writer = new BatchWriter(tx, batchId, ledger, fundId);
      let summary: ReadSummary | null = null;
      for await (const event of reading) {
        summary = await writer.take(event);
        if (event.kind === 'lines') request.onProgress?.(event.bytesRead, opened.fileBytes);
      }
      if (writer.problems.length > 0) throw rejected(shown, writer.problems);
      invariant(summary !== null, 'the reader ended without its summary');
      if (summary.sha256 !== sha256) {
        throw new TandemError('FILE_CHANGED', `${shown} changed while it was being read; nothing was imported — try again`);
      }
      invariant(writer.lineCount > 0, 'a batch with no lines must have been rejected by the reader');

      const periods = [...new Set([...writer.periods, ...(request.period ? [request.period] : [])])].sort((a, b) => a - b);
      await tx.appendLineTotals(batchId, writer.totals.take());
      // Closed periods: refused, unless a year-to-date file repeats them exactly (locked-periods.ts).
      const { open, unchanged } = await settleLockedPeriods(tx, { fundId, ledger, batchId, periods, file: shown });
      await tx.insertBatchPeriods(batchId, periods);
      await keepClosedPeriods(tx, { fundId, ledgerId: ledger.id, batchId, unchanged });
      const superseded = ledger.mode === 'replace' ? await tx.supersede(fundId, ledger.id, open, batchId) : [];
      const digest = writer.digest.finish();
      await tx.completeBatch(batchId, { lineCount: writer.lineCount, controlTotalPence: writer.controlTotalPence, digest });
      const result = summarise(batchId, fundId, ledger.id, shown, sha256, writer, periods, superseded, started);
      result.unchangedClosedPeriods = unchanged.map(formatPeriod);
      await tx.appendAudit({
        fundId,
        actor: ctx.actor,
        action: 'import.batch',
        subject: `batch:${batchId}`,
        details: {
          ledger: ledger.id,
          file: shown,
          bytes,
          lines: result.lines,
          controlTotalPence: result.controlTotalPence,
          periods: result.periods,
          superseded: result.superseded,
          unchangedClosedPeriods: result.unchangedClosedPeriods,
          agreementVersion: record.version,
          // Binds the lines as read to the audit chain (tandem verify; src/store/line-digest.ts).
          linesSha256: digest.sha256,
        },
        inputSha256: sha256,
        at: isoNow(ctx),
      });
      return result;
    });
  } finally {
    // Stops the reader (and its thread) if the import ended before the file did.
    await reading.return(undefined);
  }
}

/** Counts, totals, digests and writes the reader's chunks; stops writing (but keeps checking) after the first problem. */
class BatchWriter {
  readonly problems: Problem[] = [];
  readonly totals = new NumberedTotals();
  readonly digest = new LinesDigester();
  readonly periods = new Set<PeriodKey>();
  readonly byStatus: Record<LineStatus, { lines: number; amountPence: Pence }> = {
    mapped: { lines: 0, amountPence: 0 },
    out_of_scope: { lines: 0, amountPence: 0 },
    unmapped: { lines: 0, amountPence: 0 },
  };
  lineCount = 0;
  controlTotalPence: Pence = 0;

  constructor(
    private readonly tx: Store,
    private readonly batchId: number,
    private readonly ledger: Ledger,
    private readonly fundId: string,
  ) {}

  /** Handles one event; the summary when it is the last. */
  async take(event: ReadEvent): Promise<ReadSummary | null> {
    switch (event.kind) {
      case 'lines':
        for (const p of event.problems) this.problems.push(toProblem(p));
        if (this.ledger.mode === 'append' && this.ledger.file.columns.id !== null) await this.checkAppendIds(event.lines);
        // the batch will be rejected: don't spend time counting and writing
        if (this.problems.length > 0) return null;
        // Totals held under the reader's old codes numbers are written before any new number is met.
        if (event.lines.codesRenumbered && this.totals.size > 0) await this.tx.appendLineTotals(this.batchId, this.totals.take());
        this.tally(event.lines);
        await this.tx.insertLines(this.batchId, event.lines);
        if (this.totals.full) await this.tx.appendLineTotals(this.batchId, this.totals.take());
        return null;
      case 'end':
        return event.summary;
      default:
        throw new InvariantError(`the reader sent ${event.kind} after the header`);
    }
  }

  private tally(c: LineColumns): void {
    // Per target of the chunk first (a handful), then into the three statuses: one array slot per
    // line instead of a keyed lookup; the period set is asked only when the period changes.
    const lines = new Array<number>(c.targets.length).fill(0);
    const pence = new Array<Pence>(c.targets.length).fill(0);
    let lastPeriod = -1;
    for (let i = 0; i < c.count; i++) {
      const period = c.period[i]!;
      const amountPence = c.amountPence[i]!;
      const targetNo = c.target[i]!;
      this.totals.add(period, targetNo, c.targets[targetNo]!, c.codesNo[i]!, c.codes[i]!, amountPence);
      this.digest.addLine(c.lineNo[i]!, period, amountPence, c.lineId === null ? null : c.lineId[i]!, c.codes[i]!, c.raw[i]!);
      if (period !== lastPeriod) this.periods.add((lastPeriod = period));
      lines[targetNo] = lines[targetNo]! + 1;
      pence[targetNo] = addPence(pence[targetNo]!, amountPence);
      // Summed apart from the statuses, so summarise's check that they add back means something.
      this.controlTotalPence = addPence(this.controlTotalPence, amountPence);
    }
    for (const [targetNo, target] of c.targets.entries()) {
      const sum = this.byStatus[target.status];
      sum.lines += lines[targetNo]!;
      sum.amountPence = addPence(sum.amountPence, pence[targetNo]!);
    }
    this.lineCount += c.count;
  }

  /** In append mode a transaction id already held in a live batch is a duplicate (domain.md §5). */
  private async checkAppendIds(lines: LineColumns): Promise<void> {
    const ids = lines.lineId;
    if (ids === null) return;
    const seen = new Set(await this.tx.findLiveLineIds(this.fundId, this.ledger.id, ids.filter((id): id is string => id !== null)));
    if (seen.size === 0) return;
    for (let i = 0; i < lines.count; i++) {
      const id = ids[i];
      if (id != null && seen.has(id)) {
        this.problems.push({
          code: 'LINE_ID_DUPLICATE',
          message: `line id "${id}" was already imported for ledger ${this.ledger.id}`,
          line: lines.lineNo[i]!,
          column: this.ledger.file.columns.id,
        });
      }
    }
  }
}

function summarise(
  batchId: number,
  fundId: string,
  ledgerId: string,
  file: string,
  sha256: string,
  writer: BatchWriter,
  periods: PeriodKey[],
  superseded: { batchId: number; period: PeriodKey }[],
  started: bigint,
): ImportResult {
  const result: ImportResult = {
    status: 'imported',
    batchId,
    fundId,
    ledgerId,
    file,
    sha256,
    lines: writer.lineCount,
    controlTotalPence: writer.controlTotalPence,
    periods: periods.map(formatPeriod),
    mapped: writer.byStatus.mapped,
    outOfScope: writer.byStatus.out_of_scope,
    unmapped: writer.byStatus.unmapped,
    superseded: superseded.map((s) => ({ batchId: s.batchId, period: formatPeriod(s.period) })),
    unchangedClosedPeriods: [],
    seconds: elapsed(started),
  };
  invariant(result.mapped.lines + result.outOfScope.lines + result.unmapped.lines === result.lines, 'every line is mapped, out of scope or unmapped');
  invariant(
    result.mapped.amountPence + result.outOfScope.amountPence + result.unmapped.amountPence === result.controlTotalPence,
    'mapped + out of scope + unmapped add back to the control total',
  );
  return result;
}

function alreadyImported(batch: BatchRecord, file: string, started: bigint): ImportResult {
  return {
    status: 'already-imported',
    batchId: batch.id,
    fundId: batch.fundId,
    ledgerId: batch.ledgerId,
    file,
    sha256: batch.fileSha256,
    lines: batch.lineCount,
    controlTotalPence: batch.controlTotalPence,
    periods: batch.periods.map(formatPeriod),
    mapped: { lines: 0, amountPence: 0 },
    outOfScope: { lines: 0, amountPence: 0 },
    unmapped: { lines: 0, amountPence: 0 },
    superseded: [],
    unchangedClosedPeriods: [],
    seconds: elapsed(started),
  };
}

function toProblem(p: ImportProblem): Problem {
  return { code: p.code, message: p.reason, file: p.file, line: p.line, column: p.column };
}

function rejected(path: string, problems: (ImportProblem | Problem)[]): TandemError {
  const list = problems.map((p) => ('reason' in p ? toProblem(p) : p));
  const counted = list.filter((p) => p.code !== 'TOO_MANY_ERRORS').length;
  const more = list.find((p) => p.code === 'TOO_MANY_ERRORS');
  const summary = more ? `${counted}+ problems` : `${counted} problem${counted === 1 ? '' : 's'}`;
  return new TandemError('IMPORT_REJECTED', `${path} was rejected with ${summary}; nothing was imported`, list);
}

/** The file's size, or 0 when it cannot be read (hashing it then says why). */
async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new TandemError('FILE_NOT_FOUND', `${path} is not a file`);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return { sha256: hash.digest('hex'), bytes: info.size };
  } catch (e) {
    if (e instanceof TandemError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new TandemError(err.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read ${path}: ${err.message}`, [
      { code: err.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', message: err.message, file: path, line: null, column: null },
    ]);
  }
}

function elapsed(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
