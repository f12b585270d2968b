// Reading an extract for import, as a stream of events: the file refused (problems found before
// any line) or opened (its header); then chunks of lines already mapped and laid out column by
// column for the store, each with the problems found in it; and at the end the file's SHA-256.
//
// No store and no clock here, so it can run on a worker thread (import-read-thread.ts): there the
// second core decodes, parses and maps while the main thread counts, totals, digests and writes
// (the split that kept both threads about equally busy on the benchmark's files: docs/performance.md).
// Everything an event carries is plain data or typed arrays, so it crosses threads as it is.

import type { MappingRule } from '../domain/agreement.js';
import { compileRules, type LineMapper, type MappingResult } from '../domain/mapping.js';
import { openExtract } from '../import/extract.js';
import type { ExtractLine, ImportProblem, ReadOptions } from '../import/types.js';
import type { LineColumns, LineTarget } from '../store/types.js';

export interface ReadInput {
  path: string;
  /** Names the ledger in problems. */
  ledgerId: string;
  options: ReadOptions;
  /** The ledger's mapping rules, compiled against the file's header once it is read. */
  rules: MappingRule[];
  /** Distinct codes texts numbered before the numbering starts afresh (default CODE_TEXTS_HELD; tests set a few). */
  codeTextsHeld?: number;
}

/**
 * Codes texts the reader numbers before it starts afresh, so its table stays bounded whatever
 * the file (a code column with a value per line would otherwise hold every line's text); the
 * same order as the totals' own bound (line-totals.ts).
 */
export const CODE_TEXTS_HELD = 250_000;

export interface ReadSummary {
  /** SHA-256 of the bytes read, to compare with the hash taken before reading. */
  sha256: string;
}

export type ReadEvent =
  | { kind: 'refused'; problems: ImportProblem[] }
  | { kind: 'opened'; header: string[]; fileBytes: number }
  | { kind: 'lines'; lines: LineColumns; problems: ImportProblem[]; bytesRead: number }
  | { kind: 'end'; summary: ReadSummary };

/** Events the reader thread may post before the main thread has finished with the first of them. */
export const MAX_EVENTS_AHEAD = 8;

/** What the reader thread posts: an event, or why it stopped. */
export type WorkerMessage = { kind: 'event'; event: ReadEvent } | { kind: 'failed'; name: string; message: string; stack: string | undefined };

export async function* readExtractEvents(input: ReadInput): AsyncGenerator<ReadEvent, void, undefined> {
  const { fileName } = input.options;
  const opened = await openExtract(input.path, input.options);
  if (!opened.ok) {
    yield { kind: 'refused', problems: opened.problems };
    return;
  }
  const { extract } = opened;
  const compiled = compileRules(input.rules, extract.header);
  if (!compiled.ok) {
    yield {
      kind: 'refused',
      problems: compiled.missing.map((m) => ({
        code: 'RULE_COLUMN_MISSING',
        file: fileName,
        line: null,
        column: m.column,
        reason: `mapping rule ${m.ruleIndex + 1} of ledger ${input.ledgerId} uses column "${m.column}", which the file does not have`,
      })),
    };
    return;
  }
  yield { kind: 'opened', header: extract.header, fileBytes: extract.fileBytes };
  const mapper = new ColumnMapper(compiled.map, input.codeTextsHeld ?? CODE_TEXTS_HELD);
  for await (const chunk of extract.chunks) {
    yield { kind: 'lines', lines: mapper.columns(chunk.lines), problems: chunk.problems, bytesRead: chunk.bytesRead };
  }
  yield { kind: 'end', summary: { sha256: extract.sha256() } };
}

/** The buffers of an event's typed arrays: moved to the other thread, not copied. */
export function transferables(event: ReadEvent): ArrayBuffer[] {
  if (event.kind !== 'lines') return [];
  const c = event.lines;
  return [c.lineNo.buffer, c.period.buffer, c.amountPence.buffer, c.target.buffer, c.codesNo.buffer] as ArrayBuffer[];
}

/** Maps parsed lines and lays them out as LineColumns. */
class ColumnMapper {
  /** The mapper returns one frozen result per rule (and one for unmapped), so identity indexes them. */
  private readonly targetIndex = new Map<MappingResult, number>();
  private readonly targets: LineTarget[] = [];
  /** Each codes text seen, and its number (LineColumns.codesNo). */
  private readonly codesNos = new Map<string, number>();

  constructor(
    private readonly map: LineMapper,
    private readonly codeTextsHeld: number,
  ) {}

  columns(lines: readonly ExtractLine[]): LineColumns {
    const count = lines.length;
    // Checked between chunks, so a chunk's numbers all belong to one numbering.
    const codesRenumbered = this.codesNos.size >= this.codeTextsHeld;
    if (codesRenumbered) this.codesNos.clear();
    const c: LineColumns = {
      count,
      lineNo: new Int32Array(count),
      period: new Int32Array(count),
      amountPence: new Float64Array(count),
      target: new Int32Array(count),
      targets: this.targets,
      lineId: null,
      codes: new Array<string>(count),
      codesNo: new Int32Array(count),
      codesRenumbered,
      raw: new Array<string>(count),
    };
    for (let i = 0; i < count; i++) {
      const line = lines[i]!;
      c.lineNo[i] = line.lineNo;
      c.period[i] = line.period;
      c.amountPence[i] = line.amountPence;
      c.target[i] = this.targetOf(this.map(line.raw));
      const codes = JSON.stringify(line.codes);
      const raw = JSON.stringify(line.raw);
      c.codes[i] = codes;
      c.codesNo[i] = this.codesNoOf(codes);
      c.raw[i] = raw;
      if (line.lineId !== null) (c.lineId ??= new Array<string | null>(count).fill(null))[i] = line.lineId;
    }
    // A copy: the table may grow in later chunks, and this chunk may be on its way to another thread.
    c.targets = this.targets.slice();
    return c;
  }

  private codesNoOf(codes: string): number {
    let no = this.codesNos.get(codes);
    if (no === undefined) {
      no = this.codesNos.size;
      this.codesNos.set(codes, no);
    }
    return no;
  }

  private targetOf(mapping: MappingResult): number {
    let at = this.targetIndex.get(mapping);
    if (at === undefined) {
      at = this.targets.length;
      this.targets.push({ status: mapping.status, schemeId: mapping.schemeId, ruleIndex: mapping.ruleIndex });
      this.targetIndex.set(mapping, at);
    }
    return at;
  }
}
