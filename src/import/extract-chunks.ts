// The body of an extract as ExtractChunks: records in, parsed lines and problems out, a chunk at
// a time. Blank records are skipped; the last `skipBottom` records are held back and dropped at
// the end (totals); a reader failure ends the stream with one chunk holding just that problem.
// Past the ledger's line limit reading stops, with TOO_MANY_LINES as that failure.

import { HoldBack } from './hold-back.js';
import { limitText, type ImportLimits } from './limits.js';
import type { LineParser } from './line-parser.js';
import type { ProblemLog } from './problems.js';
import { isBlankRecord, type FileBytes, type RecordSource, type SourceFailure, type SourceItem } from './record-source.js';
import type { ExtractChunk, ExtractLine, ImportProblem } from './types.js';

export interface ChunkInput {
  replay: SourceItem[];
  /** The rest of the records after `replay`; null when replay already holds them all. */
  source: RecordSource | null;
  parser: LineParser;
  log: ProblemLog;
  bytes: FileBytes;
  header: string[];
  skipBottom: number;
  chunkLines: number;
  limits: ImportLimits;
}

export async function* extractChunks(input: ChunkInput): AsyncGenerator<ExtractChunk, void, undefined> {
  const { parser, log, bytes } = input;
  const held = new HoldBack(input.skipBottom);
  let lines: ExtractLine[] = [];
  // records looked at since the last chunk: a file of bad lines still yields chunks as it goes,
  // so problems and progress reach the consumer before the end
  let looked = 0;
  const chunk = (problems: ImportProblem[] = log.takePending()): ExtractChunk => {
    const done: ExtractChunk = { lines, problems, bytesRead: bytes.position };
    lines = [];
    looked = 0;
    return done;
  };
  let failure: SourceFailure | null = null;
  let linesLeft = input.limits.maxLines;
  try {
    for await (const item of replayThen(input.replay, input.source)) {
      if (item.kind === 'failure') {
        failure = item;
        break;
      }
      const { records, lineNos } = item;
      for (let i = 0; i < records.length; i++) {
        const fields = records[i]!;
        if (isBlankRecord(fields) || !held.push(fields, lineNos[i]!)) continue;
        if (--linesLeft < 0) {
          failure = tooManyLines(held.releasedLineNo, input.limits);
          break;
        }
        const line = parser.parse(held.releasedFields, held.releasedLineNo);
        if (line !== null) lines.push(line);
        if (++looked >= input.chunkLines) yield chunk();
      }
      if (failure !== null) break;
    }
  } finally {
    await input.source?.return(undefined);
  }
  await bytes.finish(); // hash the rest of the file if reading stopped early
  const overflow = log.overflow();
  const last = chunk([...log.takePending(), ...(overflow ? [overflow] : [])]);
  if (last.lines.length > 0 || last.problems.length > 0 || failure === null) yield last;
  if (failure !== null) yield { lines: [], problems: [failureProblem(failure, log, input.header)], bytesRead: bytes.position };
}

function tooManyLines(lineNo: number, limits: ImportLimits): SourceFailure {
  const reason = `the file has more data lines than ${limitText(limits, 'maxLines', 'lines')}; reading stopped at this line`;
  return { kind: 'failure', code: 'TOO_MANY_LINES', line: lineNo, fieldIndex: null, reason };
}

export function failureProblem(failure: SourceFailure, log: ProblemLog, header: string[] | null): ImportProblem {
  const column = failure.fieldIndex !== null && header !== null ? (header[failure.fieldIndex] ?? null) : null;
  return log.problem(failure.code, failure.line, column || null, failure.reason);
}

async function* replayThen(replay: SourceItem[], source: RecordSource | null): AsyncGenerator<SourceItem, void, undefined> {
  yield* replay;
  if (source !== null) yield* source;
}
