// Running one fuzz case and judging its outcome, for test/fuzz-import.test.ts and bench/fuzz.ts.
// A case passes when it ends clearly: imported (lines with valid numbers, periods and text a
// database can store) or rejected (problems, each with a known code, a reason and a place),
// never an exception; within its time and memory budget; and as its expectation says — a
// content-preserving mutation imports exactly the expected lines, control total and text, a
// limit case is refused with that limit's code. End to end (importBatch on a store), a rejected
// file must also leave the store as it was: no batch, no audit event.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TandemError } from '../../src/app/errors.js';
import type { AppContext } from '../../src/app/context.js';
import { importBatch } from '../../src/app/import-batch.js';
import type { FileSettings } from '../../src/domain/agreement.js';
import { openExtract } from '../../src/import/extract.js';
import type { ImportErrorCode, ImportProblem } from '../../src/import/types.js';
import type { FuzzCase, FuzzFixtures } from './fuzz-fixtures.js';

/** Every import problem code (the compiler checks the list against the type). */
const CODES: Record<ImportErrorCode, true> = {
  FILE_NOT_FOUND: true, FILE_EMPTY: true, FILE_HEADER_ONLY: true, FILE_UNREADABLE: true, FILE_ENCODING: true, CSV_MALFORMED: true,
  COLUMN_MISSING: true, COLUMN_DUPLICATE: true, FIELD_COUNT: true, AMOUNT_EMPTY: true, AMOUNT_INVALID: true, AMOUNT_TOO_PRECISE: true,
  AMOUNT_OUT_OF_RANGE: true, DEBIT_AND_CREDIT: true, DATE_INVALID: true, PERIOD_INVALID: true, PERIOD_MISSING: true,
  PERIOD_OUTSIDE_AGREEMENT: true, PERIOD_MISMATCH: true, LINE_ID_DUPLICATE: true, LEDGER_UNKNOWN: true, RULE_COLUMN_MISSING: true,
  TOO_MANY_ERRORS: true, FILE_TOO_LARGE: true, LINE_TOO_LONG: true, TOO_MANY_COLUMNS: true, TOO_MANY_LINES: true, CELL_TOO_LONG: true,
  XLSX_TOO_LARGE: true, XLSX_TOO_MANY_STRINGS: true,
};

/** Codes of the TandemErrors an import may end in besides IMPORT_REJECTED's problems (docs/errors.md). */
const COMMAND_CODES = new Set(['FILE_NOT_FOUND', 'FILE_UNREADABLE', 'FILE_CHANGED']);

export interface Outcome {
  generator: string;
  status: 'imported' | 'rejected' | 'failed';
  /** Problem codes of a rejection (sorted, distinct). */
  codes: string[];
  lines: number;
  /** Why the case failed (a bug), or null. */
  failure: string | null;
  ms: number;
  /** Peak growth of heap + external memory during the case, sampled. */
  memoryMb: number;
}

export interface Budget {
  ms: number;
  memoryMb: number;
}

interface Seen {
  problems: ImportProblem[];
  lines: number;
  totalPence: number;
  raw: Map<number, string[]>;
  bad: string | null;
}

export class FuzzRunner {
  readonly dir = mkdtempSync(join(tmpdir(), 'tandem-fuzz-'));
  private next = 0;

  constructor(private readonly fixtures: FuzzFixtures) {}

  settingsFor(c: FuzzCase): FileSettings {
    return { ...this.fixtures.settings[c.ledger], format: c.ext, ...(c.limits ? { limits: c.limits } : {}) };
  }

  /** Write the case's file (a fresh name each time) and return its path. */
  write(c: FuzzCase): string {
    const path = join(this.dir, `case-${this.next++}.${c.ext}`);
    if (c.write) c.write(path);
    else writeFileSync(path, c.bytes ?? new Uint8Array(0));
    return path;
  }

  /** The case through the extract reader alone (fast: no database). */
  async read(c: FuzzCase, budget: Budget): Promise<Outcome> {
    const path = this.write(c);
    try {
      return await measured(c, budget, async () => {
        const settings = this.settingsFor(c);
        const seen: Seen = { problems: [], lines: 0, totalPence: 0, raw: new Map(), bad: null };
        const wanted = new Set(c.expect.kind === 'import' ? (c.expect.raw ?? []).map((r) => r.lineNo) : []);
        const opened = await openExtract(path, { fileName: 'fuzz', settings, years: this.fixtures.agreement.years, period: null, year: null });
        if (!opened.ok) seen.problems.push(...opened.problems);
        else {
          const { extract } = opened;
          let lastLineNo = 0;
          for await (const chunk of extract.chunks) {
            seen.problems.push(...chunk.problems);
            for (const line of chunk.lines) {
              // the store keys lines by number within a batch, in order
              if (line.lineNo <= lastLineNo) seen.bad ??= `line ${line.lineNo} comes after line ${lastLineNo}`;
              lastLineNo = line.lineNo;
              seen.lines++;
              seen.totalPence += line.amountPence;
              seen.bad ??= badLine(line.lineNo, line.amountPence, line.period, line.raw, extract.header.length);
              if (wanted.has(line.lineNo)) seen.raw.set(line.lineNo, line.raw);
            }
          }
          if (statSync(path).size < 16 * 1024 * 1024 && extract.sha256() !== createHash('sha256').update(readFileSync(path)).digest('hex')) {
            seen.bad = 'the extract hashed to something other than the file';
          }
        }
        return judge(c, seen);
      });
    } finally {
      rmSync(path, { force: true });
    }
  }

  /** The case end to end through importBatch on a store holding the Sheffield agreement. */
  async importEndToEnd(c: FuzzCase, ctx: AppContext, budget: Budget): Promise<Outcome> {
    const path = this.write(c);
    const fundId = this.fixtures.agreement.fund.id;
    const state = async () => ({ batches: (await ctx.store.listBatches(fundId)).length, audit: (await ctx.store.listAudit({ limit: 1 }))[0]?.id ?? 0 });
    try {
      const before = await state();
      return await measured(c, budget, async () => {
        const seen: Seen = { problems: [], lines: 0, totalPence: 0, raw: new Map(), bad: null };
        let status: 'imported' | 'already-imported' | 'rejected' = 'rejected';
        try {
          const result = await importBatch(ctx, { ledgerId: c.ledger, path, displayName: 'fuzz' });
          status = result.status;
          seen.lines = result.lines;
          seen.totalPence = result.controlTotalPence;
          if (status === 'imported') {
            const batch = await ctx.store.getBatch(result.batchId);
            if (batch?.lineCount !== result.lines || batch.controlTotalPence !== result.controlTotalPence) seen.bad = 'the stored batch differs from the result';
            if (c.expect.kind === 'import' && c.expect.raw !== undefined) {
              for (const line of await ctx.store.getLines(result.batchId, 0, 100_000)) seen.raw.set(line.lineNo, JSON.parse(line.raw) as string[]);
            }
          }
        } catch (error) {
          if (!(error instanceof TandemError)) throw error;
          seen.problems =
            error.problems.length > 0
              ? error.problems.map((p) => ({ code: p.code as ImportErrorCode, file: p.file ?? 'fuzz', line: p.line ?? null, column: p.column === undefined || p.column === null ? null : String(p.column), reason: p.message }))
              : [{ code: error.code as ImportErrorCode, file: 'fuzz', line: null, column: null, reason: error.message }];
        }
        const after = await state();
        if (status === 'rejected' && (after.batches !== before.batches || after.audit !== before.audit)) seen.bad = 'a rejected file wrote to the store';
        if (status === 'imported' && (after.batches !== before.batches + 1 || after.audit === before.audit)) seen.bad = 'an import did not write one batch and its audit event';
        if (status === 'already-imported' && c.expect.kind === 'import') return { ...judge({ ...c, expect: { kind: 'any' } }, seen), status: 'imported' as const };
        return judge(c, seen);
      });
    } finally {
      rmSync(path, { force: true });
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with an imported line, or null: numbers, period, and text a database can hold. */
function badLine(lineNo: number, pence: number, period: number, raw: string[], width: number): string | null {
  if (!Number.isSafeInteger(lineNo) || lineNo < 1) return `line number ${lineNo}`;
  if (!Number.isSafeInteger(pence)) return `amount ${pence} on line ${lineNo}`;
  if (!Number.isSafeInteger(period) || period < 200000) return `period ${period} on line ${lineNo}`;
  if (raw.length !== width) return `line ${lineNo} has ${raw.length} fields for ${width} columns`;
  for (const field of raw) {
    if (typeof field !== 'string' || field.includes('\u0000') || LONE_SURROGATE.test(field)) return `line ${lineNo} holds text no database can store`;
  }
  return null;
}

function judge(c: FuzzCase, seen: Seen): Omit<Outcome, 'ms' | 'memoryMb'> {
  const codes = [...new Set(seen.problems.map((p) => p.code))].sort();
  const status = seen.problems.length > 0 ? 'rejected' : 'imported';
  const outcome = { generator: c.generator, status, codes, lines: seen.lines } as const;
  const fail = (failure: string) => ({ ...outcome, status: 'failed' as const, failure });
  const unclear = seen.problems.find((p) => !(CODES[p.code] || COMMAND_CODES.has(p.code)) || typeof p.reason !== 'string' || p.reason === '' || !(p.line === null || (Number.isSafeInteger(p.line) && p.line > 0)));
  if (unclear) return fail(`an unclear problem: ${JSON.stringify(unclear)}`);
  if (seen.bad !== null) return fail(seen.bad);
  if (status === 'imported' && seen.lines === 0) return fail('neither lines nor a problem');
  const { expect } = c;
  if (expect.kind === 'reject' && (status !== 'rejected' || !codes.some((code) => expect.codes.includes(code)))) {
    return fail(`expected a rejection with ${expect.codes.join(' or ')}, got ${status === 'rejected' ? codes.join(', ') : `${seen.lines} lines`}`);
  }
  if (expect.kind === 'reject' && expect.lines !== undefined && !seen.problems.some((p) => expect.codes.includes(p.code) && expect.lines!.includes(p.line ?? 0))) {
    return fail(`expected ${expect.codes.join(' or ')} on line ${expect.lines.join(' or ')}, got ${JSON.stringify(seen.problems.slice(0, 3))}`);
  }
  if (expect.kind === 'import') {
    if (status !== 'imported') return fail(`expected an import, got ${JSON.stringify(seen.problems.slice(0, 3))}`);
    if (seen.lines !== expect.lines || seen.totalPence !== expect.totalPence) {
      return fail(`expected ${expect.lines} lines totalling ${expect.totalPence}p, got ${seen.lines} totalling ${seen.totalPence}p`);
    }
    for (const want of expect.raw ?? []) {
      const got = seen.raw.get(want.lineNo)?.[want.column];
      if (got !== want.text) return fail(`line ${want.lineNo} column ${want.column}: expected ${JSON.stringify(want.text)}, got ${JSON.stringify(got)}`);
    }
  }
  return { ...outcome, failure: null };
}

/** Run `body`, timing it and sampling memory; an exception or a blown budget is a failure. */
async function measured(c: FuzzCase, budget: Budget, body: () => Promise<Omit<Outcome, 'ms' | 'memoryMb'>>): Promise<Outcome> {
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const start = used();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  const started = performance.now();
  let result: Omit<Outcome, 'ms' | 'memoryMb'>;
  try {
    result = await body();
  } catch (error) {
    result = { generator: c.generator, status: 'failed', codes: [], lines: 0, failure: `threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - started;
  const memoryMb = (Math.max(peak, used()) - start) / (1024 * 1024);
  if (result.status !== 'failed' && ms > budget.ms) result = { ...result, status: 'failed', failure: `took ${Math.round(ms)} ms, over the budget of ${budget.ms} ms` };
  if (result.status !== 'failed' && memoryMb > budget.memoryMb) result = { ...result, status: 'failed', failure: `memory grew by ${Math.round(memoryMb)} MB, over the budget of ${budget.memoryMb} MB` };
  return { ...result, ms, memoryMb };
}
