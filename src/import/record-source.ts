// What the CSV and XLSX readers have in common: records of text fields, each with the line (or
// row) it starts on, delivered in batches so that a million-line file costs a few hundred awaits,
// not a million. A reader that cannot go on (broken quotes, bad bytes, a damaged workbook)
// ends with one failure saying where.

import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { invariant } from '../domain/money.js';

export interface RecordBatch {
  kind: 'records';
  /** Fields of each record: header row, data lines, blank lines and totals alike. */
  records: string[][];
  /** 1-based physical line (CSV) or row number (XLSX) where each record starts. */
  lineNos: number[];
}

export interface SourceFailure {
  kind: 'failure';
  code: 'CSV_MALFORMED' | 'FILE_ENCODING' | 'FILE_UNREADABLE' | 'LINE_TOO_LONG' | 'TOO_MANY_COLUMNS' | 'TOO_MANY_LINES' | 'CELL_TOO_LONG' | 'XLSX_TOO_LARGE' | 'XLSX_TOO_MANY_STRINGS';
  line: number | null;
  /** Which field of the record, when the reader knows; the header turns it into a name. */
  fieldIndex: number | null;
  reason: string;
}

export type SourceItem = RecordBatch | SourceFailure;

export type RecordSource = AsyncGenerator<SourceItem, void, undefined>;

/** A record with no content: an empty line, or a row of empty cells (`,,,,`). Never data. */
export function isBlankRecord(fields: string[]): boolean {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    // most records start with a visible character: decide on it without trimming
    if (field.length > 0 && (field.charCodeAt(0) > 32 || field.trim() !== '')) return false;
  }
  return true;
}

/**
 * The file's bytes as a reader consumes them: a CSV reader hands each piece to `update`, which
 * hashes it, so the hash costs no second read. An XLSX reader jumps about the file (zip parts),
 * so it only reports how far it has got (`reached`), and `finish` hashes the file in one pass.
 * Either way `finish` hashes whatever was not hashed yet, so `sha256()` is always the hash of
 * the whole file, even when reading stopped early at a failure.
 */
export class FileBytes {
  private readonly hash: Hash = createHash('sha256');
  private digest: string | null = null;
  /** Bytes hashed so far, from the start of the file. */
  private hashed = 0;
  /** How far into the file reading has got, for progress. */
  position = 0;

  constructor(
    readonly path: string,
    readonly size: number,
  ) {}

  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
    this.hashed += bytes.length;
    this.position = this.hashed;
  }

  reached(position: number): void {
    this.position = Math.max(this.position, position);
  }

  async finish(): Promise<void> {
    if (this.digest !== null) return;
    if (this.hashed < this.size) {
      for await (const bytes of createReadStream(this.path, { start: this.hashed })) {
        this.hash.update(bytes as Buffer);
        this.hashed += (bytes as Buffer).length;
      }
    }
    this.position = Math.max(this.position, this.hashed);
    this.digest = this.hash.digest('hex');
  }

  sha256(): string {
    invariant(this.digest !== null, 'sha256() is known only once the extract has been read to the end');
    return this.digest;
  }
}
