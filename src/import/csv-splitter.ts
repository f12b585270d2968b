// Decoded CSV text in, records with their physical line numbers out, one piece of text at a
// time. papaparse's Parser does the splitting (quotes, doubled quotes, embedded newlines); the
// text after its last complete record is kept and parsed again with the next piece, so memory
// holds one piece plus one partial record whatever the file's size. papaparse does not give line
// numbers, so they are counted here: a record starts on the line after the previous record's
// last newline, and newlines inside quoted fields are physical lines too.

import Papa from 'papaparse';
import type { ParseError } from 'papaparse';
import { invariant } from '../domain/money.js';
import type { RecordBatch, SourceFailure, SourceItem } from './record-source.js';
import { groupDigits } from './problems.js';

/** Longest record we hold while waiting for its end; past it a quote is almost surely unclosed. */
export const MAX_RECORD_CHARS = 1_000_000;

/** What papaparse's Parser.parse returns (its typings say `any`). */
interface ParsedText {
  data: string[][];
  errors: ParseError[];
  meta: { cursor: number };
}

type Linebreak = '\n' | '\r\n' | '\r';

const LF = 10;
const CR = 13;

export class CsvSplitter {
  private pending = '';
  /** Physical line number where `pending` starts. */
  private line = 1;
  private skipLeft: number;
  private linebreak: Linebreak | null = null;
  private parser: Papa.Parser | null = null;
  private failed = false;

  constructor(
    private readonly delimiter: string,
    skipTop: number,
  ) {
    // papaparse would quietly fall back to a comma; a bad delimiter is a settings bug
    invariant(delimiter !== '' && !Papa.BAD_DELIMITERS.includes(delimiter), `the CSV delimiter ${JSON.stringify(delimiter)} cannot be used`);
    this.skipLeft = skipTop;
  }

  /** Records completed by this piece of text (`final`: it is the end of the file). */
  push(text: string, final: boolean): SourceItem[] {
    if (this.failed) return [];
    this.pending = this.pending.length === 0 ? text : this.pending + text;
    if (this.linebreak === null) {
      this.linebreak = guessLinebreak(this.pending, final);
      if (this.linebreak === null) return this.guardLength();
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.linebreak, quoteChar: '"' });
    }
    if (this.skipLeft > 0 && !this.skipLines(final)) return this.guardLength();
    if (this.pending.length === 0) return [];
    return this.parse(final);
  }

  /** The line on which the text received so far ends: where a decoding error after it is. */
  lineAtEnd(): number {
    return this.line + countNewlines(this.pending, this.newlineCode(), 0, this.pending.length);
  }

  /** The code unit counted as a physical line end ('\n', or '\r' in old Mac files). */
  newlineCode(): number {
    return this.linebreak === '\r' ? CR : LF;
  }

  /** Drop the lines above the header; false while more text is needed to find them. */
  private skipLines(final: boolean): boolean {
    const breakText = this.linebreak!;
    let from = 0;
    while (this.skipLeft > 0) {
      const at = this.pending.indexOf(breakText, from);
      if (at < 0) {
        if (!final) break;
        from = this.pending.length; // the file ends inside the lines to skip
        this.skipLeft = 0;
        break;
      }
      from = at + breakText.length;
      this.skipLeft--;
      this.line++;
    }
    this.pending = this.pending.slice(from);
    return this.skipLeft === 0;
  }

  private parse(final: boolean): SourceItem[] {
    const parsed = this.parser!.parse(this.pending, 0, !final) as ParsedText;
    const records = parsed.data;
    const cursor = final ? this.pending.length : parsed.meta.cursor;
    if (final && endsWithEmptyRecord(records) && this.pending.charCodeAt(cursor - 1) === this.newlineCode()) {
      records.pop(); // papaparse reads the end of a file after its last newline as one more, empty, record
    }
    const lineNos = this.numberLines(records, cursor);
    const items: SourceItem[] = [];
    const error = firstError(parsed.errors, records.length);
    if (error !== null) {
      const at = error.row ?? records.length - 1;
      if (at > 0) items.push(batch(records.slice(0, at), lineNos.slice(0, at)));
      items.push(this.fail(lineNos[at] ?? this.line, error, records[at]));
      return items;
    }
    this.line += countNewlines(this.pending, this.newlineCode(), 0, cursor);
    this.pending = cursor >= this.pending.length ? '' : this.pending.slice(cursor);
    if (records.length > 0) items.push(batch(records, lineNos));
    return [...items, ...this.guardLength()];
  }

  /**
   * Line numbers of the records parsed from the first `cursor` characters of `pending`. When
   * those characters hold one line end per record, no field spans lines and the numbers simply
   * count up; otherwise each record's fields are searched for the newlines they hold.
   */
  private numberLines(records: string[][], cursor: number): number[] {
    const newline = this.newlineCode();
    const lineNos = new Array<number>(records.length);
    const terminated = cursor > 0 && this.pending.charCodeAt(cursor - 1) === newline;
    const lineEnds = countNewlines(this.pending, newline, 0, cursor);
    if (lineEnds === records.length - (terminated ? 0 : 1)) {
      for (let i = 0; i < records.length; i++) lineNos[i] = this.line + i;
      return lineNos;
    }
    let line = this.line;
    for (let i = 0; i < records.length; i++) {
      lineNos[i] = line;
      line += 1;
      for (const field of records[i]!) line += countNewlines(field, newline, 0, field.length);
    }
    return lineNos;
  }

  /** A partial record this long is not going to end well: stop rather than buffer the file. */
  private guardLength(): SourceItem[] {
    if (this.pending.length <= MAX_RECORD_CHARS) return [];
    this.failed = true;
    return [
      failure(
        this.line,
        null,
        `a record starting on this line runs for more than ${groupDigits(MAX_RECORD_CHARS)} characters; a quote (") is probably never closed, so the rest of the file cannot be split into fields`,
      ),
    ];
  }

  private fail(line: number, error: ParseError, record: string[] | undefined): SourceFailure {
    this.failed = true;
    if (error.code === 'MissingQuotes') {
      return failure(
        line,
        record ? record.length - 1 : null,
        'a quoted field starts in this record but its closing quote (") never comes, so the rest of the file cannot be split into fields',
      );
    }
    return failure(line, null, 'a quoted field has text after its closing quote ("); a quote inside a field must be doubled ("")');
  }
}

/** The first quoting error in a complete record (errors in the held-back partial record wait). */
function firstError(errors: ParseError[], completeRecords: number): ParseError | null {
  let first: ParseError | null = null;
  for (const error of errors) {
    const row = error.row ?? completeRecords - 1;
    if (error.type !== 'Quotes' || row >= completeRecords) continue;
    if (first === null || row < (first.row ?? 0)) first = error;
  }
  return first;
}

function endsWithEmptyRecord(records: string[][]): boolean {
  const last = records[records.length - 1];
  return last !== undefined && last.length === 1 && last[0] === '';
}

function batch(records: string[][], lineNos: number[]): RecordBatch {
  return { kind: 'records', records, lineNos };
}

function failure(line: number, fieldIndex: number | null, reason: string): SourceFailure {
  return { kind: 'failure', code: 'CSV_MALFORMED', line, fieldIndex, reason };
}

/** The file's line ending, from the first one outside quotes; null if more text is needed. */
function guessLinebreak(text: string, final: boolean): Linebreak | null {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) quoted = !quoted;
    else if (!quoted && code === LF) return '\n';
    else if (!quoted && code === CR) {
      if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
      return final ? '\r' : null;
    }
  }
  return final || text.length > MAX_RECORD_CHARS ? '\n' : null;
}

export function countNewlines(text: string, newline: number, from: number, to: number): number {
  const char = newline === LF ? '\n' : '\r';
  let count = 0;
  let at = text.indexOf(char, from);
  while (at >= 0 && at < to) {
    count++;
    at = text.indexOf(char, at + 1);
  }
  return count;
}
