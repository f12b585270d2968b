// The text of a workbook part on its way from the zip to exceljs's XML parsers, with the checks
// that keep a hostile workbook from taking the machine's memory:
// - decoding is strict UTF-8 across chunk boundaries: bytes that are not UTF-8 make the file
//   unreadable rather than turning into U+FFFD (a changed character in a stored line);
// - shared strings (held in memory while the sheet is read) are counted, with their length,
//   as they are parsed, and parsing stops past the ledger's limits;
// - a sheet's text between two tags (one cell's text, as a naive "huge cell" bomb writes it)
//   may not run past what the longest allowed cell could take, escaped.
// Decoding and the check are one stream step (each step costs a hop per chunk), and each check
// looks at a chunk at a time (tens of KB), never at every character twice.

import { Transform, type TransformCallback } from 'node:stream';
import { LimitError, limitText, type ImportLimits } from './limits.js';
import { groupDigits } from './problems.js';
import { ZipError } from './zip-archive.js';

/** A check on each piece of a part's text, as it passes: a LimitError stops the reading. */
export interface TextGuard {
  inspect(text: string): LimitError | null;
}

/** Bytes in, strings out; fails on bytes that are not UTF-8, or when `guard` says so. */
export class PartText extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly part: string,
    private readonly guard: TextGuard | null,
  ) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.decoded(() => this.decoder.decode(chunk, { stream: true }), done);
  }

  override _flush(done: TransformCallback): void {
    this.decoded(() => this.decoder.decode(), done);
  }

  private decoded(decode: () => string, done: TransformCallback): void {
    let text: string;
    try {
      text = decode();
    } catch {
      done(new ZipError(`the file cannot be read as an XLSX workbook: part ${this.part} is not UTF-8 text`));
      return;
    }
    if (text.length === 0) {
      done();
      return;
    }
    const breach = this.guard?.inspect(text) ?? null;
    if (breach !== null) done(breach);
    else done(null, text);
  }
}

/** The length of what exceljs keeps per shared string: text, rich text runs, or null for an empty one. */
function sharedLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  const runs: unknown = typeof value === 'object' && value !== null ? (value as { richText?: unknown }).richText : undefined;
  if (!Array.isArray(runs)) return 0;
  let length = 0;
  for (const run of runs as { text?: unknown }[]) length += typeof run?.text === 'string' ? run.text.length : 0;
  return length;
}

const CLOSE_SI = '</si>';

/**
 * Counts what exceljs has stored of the shared strings so far as their XML passes to it. The
 * string being parsed is not stored yet, so the XML since the last `</si>` stands in for it
 * (text is never longer than the XML it comes from).
 */
export class SharedStringsGuard implements TextGuard {
  private counted = 0;
  private chars = 0;
  private sinceClose = 0;

  constructor(
    private readonly stored: () => readonly unknown[] | undefined,
    private readonly limits: ImportLimits,
  ) {}

  inspect(text: string): LimitError | null {
    const close = text.lastIndexOf(CLOSE_SI);
    this.sinceClose = close < 0 ? this.sinceClose + text.length : text.length - close - CLOSE_SI.length;
    return this.breach(this.sinceClose);
  }

  /** After parsing: the exact count and length, or a LimitError. */
  check(): LimitError | null {
    return this.breach(0);
  }

  private breach(pending: number): LimitError | null {
    const strings = this.stored() ?? [];
    for (; this.counted < strings.length; this.counted++) this.chars += sharedLength(strings[this.counted]);
    const { maxSharedStrings, maxSharedStringChars } = this.limits;
    if (strings.length > maxSharedStrings) {
      return new LimitError('XLSX_TOO_MANY_STRINGS', `the workbook holds more than ${groupDigits(maxSharedStrings)} shared strings, ${limitText(this.limits, 'maxSharedStrings', 'strings')}`);
    }
    if (this.chars + pending > maxSharedStringChars) {
      return new LimitError(
        'XLSX_TOO_MANY_STRINGS',
        `the workbook's shared strings run to more than ${groupDigits(maxSharedStringChars)} characters, ${limitText(this.limits, 'maxSharedStringChars', 'characters')}`,
      );
    }
    return null;
  }
}

/**
 * Text of a sheet between one `<` and the next: a cell's value or inline text, escaped (at most
 * six characters for one, `&quot;`). A run longer than the longest allowed cell could need is
 * refused before it is held (CELL_TOO_LONG, with no row: the row has not been read). Only runs
 * across chunks are measured: one inside a chunk is no longer than the chunk. Text split by
 * comments is not caught here; the part's inflated size still bounds it.
 */
export class SheetTextGuard implements TextGuard {
  private run = 0;
  private readonly maxRun: number;

  constructor(private readonly limits: ImportLimits) {
    this.maxRun = limits.maxCellChars * 6 + 1024;
  }

  inspect(text: string): LimitError | null {
    const first = text.indexOf('<');
    if (first < 0) this.run += text.length;
    else if (this.run + first > this.maxRun) this.run += first;
    else this.run = text.length - text.lastIndexOf('<');
    if (this.run <= this.maxRun) return null;
    const reason = `a cell of the sheet holds more text than ${limitText(this.limits, 'maxCellChars', 'characters')} allows; the rest of the sheet was not read`;
    return new LimitError('CELL_TOO_LONG', reason);
  }
}
