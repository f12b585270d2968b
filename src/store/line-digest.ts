// The digest of a batch's lines, recorded when the file is read so that `tandem verify` can tell
// whether a line was edited, deleted or inserted behind Tandem's back. Pure, like audit-hash.ts:
// the import computes it as it streams, the verifier recomputes it from the stored lines.
//
// It covers what never changes about a line — line number, period, amount, transaction id,
// analysis codes and every original column, exactly as stored — and not its mapping, which remap
// rewrites.
//
// Lines are hashed in blocks by line number (0–999, 1000–1999, …), each with its line count and
// amount, so a mismatch is placed within a thousand lines of the file even in a batch of
// millions, and said to be a deletion, an insertion or an edit. Blocks by number rather than by
// count, so one line deleted or inserted upsets its own block only. The batch's digest is the
// SHA-256 of the blocks' JSON; the import's audit event records it too.
//
// A block's SHA-256 is over (format 1): one byte, `l` or `u`; then per line six little-endian
// float64s — line number, period, amount, and the lengths in UTF-16 code units of the line id
// (−1 for none), the codes and raw; then every line id, every codes text and every raw text,
// each run end to end, encoded as Latin-1 when no character of the block is beyond U+00FF (`l`),
// else as UTF-8 (`u`). The lengths make the texts separable, the tag the two encodings distinct.
// Why this shape: it runs for every imported line. A record string per line (numbers to text, a
// template, a rope to flatten, then UTF-8) took ~0.55 s per million lines on the development
// machine; numbers into a typed array, three joins and one hash per block take ~0.25 s, most of
// it SHA-256 itself (an import of a million lines takes ~7 s).

import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { addPence, invariant, InvariantError, type Pence } from '../domain/money.js';

export const DIGEST_BLOCK_LINES = 1000;

/** What the digest reads of a line: StoredLine and RemapLine (with its lineId) both fit. */
export interface DigestLine {
  lineNo: number;
  period: number;
  amountPence: Pence;
  lineId: string | null;
  codes: string;
  raw: string;
}

export interface DigestBlock {
  /** The block's number: its lines are numbered block × 1000 to block × 1000 + 999. */
  block: number;
  firstLineNo: number;
  lastLineNo: number;
  lines: number;
  amountPence: Pence;
  sha256: string;
}

export interface LinesDigest {
  /** SHA-256 (hex) of blocksJson. */
  sha256: string;
  /** JSON array of [block, firstLineNo, lastLineNo, lines, amountPence, sha256], in block order. */
  blocksJson: string;
}

const NUMBERS_PER_LINE = 6;
const WIDE = /[^\x00-\xff]/;
const BIG_ENDIAN = endianness() === 'BE';

export class LinesDigester {
  private readonly done: DigestBlock[] = [];
  private block = -1;
  private firstLineNo = 0;
  private lastLineNo = 0;
  private amountPence: Pence = 0;
  private lines = 0;
  private readonly numbers = new Float64Array(DIGEST_BLOCK_LINES * NUMBERS_PER_LINE);
  private ids: string[] = [];
  private codes: string[] = [];
  private raws: string[] = [];

  /** Lines in increasing line number order (as files are read and as the store pages them). */
  add(lines: readonly DigestLine[]): void {
    for (const l of lines) this.addLine(l.lineNo, l.period, l.amountPence, l.lineId, l.codes, l.raw);
  }

  /** One line, by its parts: the import's reader digests lines it never makes objects of. */
  addLine(lineNo: number, period: number, amountPence: Pence, lineId: string | null, codes: string, raw: string): void {
    const block = Math.floor(lineNo / DIGEST_BLOCK_LINES);
    if (block !== this.block || this.lines === 0) this.startBlock(block, lineNo);
    // The message is built only on failure: this runs for every imported line.
    else if (lineNo <= this.lastLineNo) throw new InvariantError(`line ${lineNo} comes after line ${this.lastLineNo}: lines are digested in order`);
    const at = this.lines * NUMBERS_PER_LINE;
    const n = this.numbers;
    n[at] = lineNo;
    n[at + 1] = period;
    n[at + 2] = amountPence;
    n[at + 3] = lineId === null ? -1 : lineId.length;
    n[at + 4] = codes.length;
    n[at + 5] = raw.length;
    if (lineId !== null) this.ids.push(lineId);
    this.codes.push(codes);
    this.raws.push(raw);
    this.lastLineNo = lineNo;
    this.amountPence = addPence(this.amountPence, amountPence);
    this.lines += 1;
  }

  finish(): LinesDigest {
    this.endBlock();
    const blocksJson = JSON.stringify(this.done.map((b) => [b.block, b.firstLineNo, b.lastLineNo, b.lines, b.amountPence, b.sha256]));
    return { sha256: createHash('sha256').update(blocksJson).digest('hex'), blocksJson };
  }

  private startBlock(block: number, lineNo: number): void {
    this.endBlock();
    invariant(this.done.length === 0 || block > this.done[this.done.length - 1]!.block, `line ${lineNo} comes after a later block: lines are digested in order`);
    this.block = block;
    this.firstLineNo = lineNo;
    this.lastLineNo = lineNo;
  }

  private endBlock(): void {
    if (this.lines === 0) return;
    const text = this.ids.join('') + this.codes.join('') + this.raws.join('');
    const wide = WIDE.test(text);
    const hash = createHash('sha256').update(wide ? 'u' : 'l', 'latin1');
    const numbers = Buffer.from(this.numbers.buffer, 0, this.lines * NUMBERS_PER_LINE * 8);
    // Little-endian on every machine, so a database verified elsewhere gives the same digest.
    if (BIG_ENDIAN) hash.update(Buffer.from(numbers).swap64());
    else hash.update(numbers);
    hash.update(text, wide ? 'utf8' : 'latin1');
    this.done.push({ block: this.block, firstLineNo: this.firstLineNo, lastLineNo: this.lastLineNo, lines: this.lines, amountPence: this.amountPence, sha256: hash.digest('hex') });
    this.lines = 0;
    this.amountPence = 0;
    this.ids = [];
    this.codes = [];
    this.raws = [];
  }
}

/** The blocks of a stored digest, or undefined when the text is not what `finish` writes. */
export function parseDigestBlocks(blocksJson: string): DigestBlock[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(blocksJson);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const blocks: DigestBlock[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || entry.length !== 6) return undefined;
    const [block, firstLineNo, lastLineNo, lines, amountPence, sha256] = entry as unknown[];
    if (![block, firstLineNo, lastLineNo, lines, amountPence].every(Number.isSafeInteger) || typeof sha256 !== 'string') return undefined;
    blocks.push({ block, firstLineNo, lastLineNo, lines, amountPence, sha256 } as DigestBlock);
  }
  return blocks;
}
