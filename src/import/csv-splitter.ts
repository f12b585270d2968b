// Decoded CSV text in, records with their physical line numbers out, one piece of text at a
// time. papaparse's Parser does the splitting (quotes, doubled quotes, embedded newlines); the
// text after its last complete record is kept and parsed again with the next piece, so memory
// holds one piece plus one partial record whatever the file's size. papaparse does not give line
// numbers, so they are counted here: a record starts on the line after the previous record's
// last newline, and newlines inside quoted fields are physical lines too.
//
// Line limit (limits.ts): a physical line longer than the ledger's `max_line_chars` ends the
// split with LINE_TOO_LONG, found from the line ends of each piece (two searches a piece while
// the limit is longer than a piece, as the default is); and a record held while waiting for its
// end may not grow past it either (quoted newlines make one record of several lines). Memory
// holds at most that many characters plus one piece, so a 100 MB line is refused after its first
// megabyte. A piece with no line end in it cannot complete a record, so it is not parsed again: a
// long line costs one parse when it ends, not one per piece.

import Papa from 'papaparse';
import type { ParseError } from 'papaparse';
import { invariant } from '../domain/money.js';
import type { RecordBatch, SourceFailure, SourceItem } from './record-source.js';
import { DEFAULT_LIMITS, limitText, type ImportLimits } from './limits.js';
import { groupDigits } from './problems.js';

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
  /** While the line ending is not known yet: inside quotes, and a CR ended the last piece. */
  private guessQuoted = false;
  private crAtEnd = false;
  /** Characters of the physical line the text so far ends in. */
  private lineChars = 0;

  constructor(
    private readonly delimiter: string,
    skipTop: number,
    private readonly limits: ImportLimits = DEFAULT_LIMITS,
  ) {
    // papaparse would quietly fall back to a comma; a bad delimiter is a settings bug
    invariant(delimiter !== '' && !Papa.BAD_DELIMITERS.includes(delimiter), `the CSV delimiter ${JSON.stringify(delimiter)} cannot be used`);
    this.skipLeft = skipTop;
  }

  /** Records completed by this piece of text (`final`: it is the end of the file). */
  push(text: string, final: boolean): SourceItem[] {
    if (this.failed) return [];
    this.pending = this.pending.length === 0 ? text : this.pending + text;
    const fresh = this.linebreak === null;
    if (fresh) {
      this.linebreak = this.guessLinebreak(text, final);
      if (this.linebreak === null) return this.guardLength();
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.linebreak, quoteChar: '"' });
    }
    const tooLong = this.measureLines(fresh ? this.pending : text);
    if (tooLong !== null) return [tooLong];
    if (this.skipLeft > 0 && !this.skipLines(final)) return this.guardLength();
    if (this.pending.length === 0) return [];
    // every complete record before this piece was taken by an earlier parse
    if (!fresh && !final && text.indexOf(this.newlineCode() === LF ? '\n' : '\r') < 0) return this.guardLength();
    return this.parse(final);
  }

  /**
   * The line on which the text received so far ends: where a decoding error after it is. A CR
   * ending the text while the line end is not known yet ends a line: the bad byte after it is
   * not the LF of a CRLF.
   */
  lineAtEnd(): number {
    const newline = this.linebreak === null && this.crAtEnd ? CR : this.newlineCode();
    return this.line + countNewlines(this.pending, newline, 0, this.pending.length);
  }

  /**
   * LINE_TOO_LONG if a physical line of `text` (the end of `pending`) runs past the limit: the
   * line carried over from earlier pieces, and, only when the limit is shorter than the piece,
   * the lines wholly inside it.
   */
  private measureLines(text: string): SourceFailure | null {
    const max = this.limits.maxLineChars;
    const end = this.newlineCode() === LF ? '\n' : '\r';
    const cr = this.linebreak === '\r\n' ? 1 : 0; // the CR of a CRLF is part of the line end
    let at = text.indexOf(end);
    if (at < 0) {
      this.lineChars += text.length;
      return this.lineChars > max ? this.lineTooLong(text, 0) : null;
    }
    if (this.lineChars + at - cr > max) return this.lineTooLong(text, 0);
    if (text.length > max) {
      for (let next = text.indexOf(end, at + 1); next >= 0; at = next, next = text.indexOf(end, at + 1)) {
        if (next - at - 1 - cr > max) return this.lineTooLong(text, at + 1);
      }
    }
    this.lineChars = text.length - text.lastIndexOf(end) - 1;
    return null;
  }

  /** The failure for the line holding `offset` of `text`, the last text added to `pending`. */
  private lineTooLong(text: string, offset: number): SourceFailure {
    this.failed = true;
    const before = this.pending.length - text.length + offset;
    const line = this.line + countNewlines(this.pending, this.newlineCode(), 0, before);
    const reason = `this line runs for more than ${groupDigits(this.limits.maxLineChars)} characters, ${limitText(this.limits, 'maxLineChars', 'characters')}; the rest of the file was not read`;
    return { kind: 'failure', code: 'LINE_TOO_LONG', line, fieldIndex: null, reason };
  }

  /** The code unit counted as a physical line end ('\n', or '\r' in old Mac files). */
  newlineCode(): number {
    return this.linebreak === '\r' ? CR : LF;
  }

  /**
   * The file's line ending, from the first one outside quotes; null if more text is needed.
   * Only the new piece is scanned (the quote state and a CR at the end of the last piece carry
   * over), so a file with no line end costs one pass, not one per piece. With lines to skip at
   * the top, the first line end decides, quotes or not: a title line is not CSV, and a stray
   * quote in it (`Report "Q1`) must not hide its end (found by the import fuzz).
   */
  private guessLinebreak(text: string, final: boolean): Linebreak | null {
    if (this.crAtEnd && text.length > 0) return text.charCodeAt(0) === LF ? '\r\n' : '\r';
    for (let i = 0; i < text.length && !this.crAtEnd; i++) {
      const code = text.charCodeAt(i);
      if (code === 34 && this.skipLeft === 0) this.guessQuoted = !this.guessQuoted;
      else if (!this.guessQuoted && code === LF) return '\n';
      else if (!this.guessQuoted && code === CR) {
        if (i + 1 < text.length) return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
        this.crAtEnd = true;
      }
    }
    if (this.crAtEnd) return final ? '\r' : null;
    return final || this.pending.length > this.limits.maxLineChars ? '\n' : null;
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

  /**
   * A partial record past the line limit is not going to end well: stop rather than buffer the
   * file. With a quote left open in it, the quote is the likely fault (CSV_MALFORMED);
   * otherwise the line is just too long (LINE_TOO_LONG).
   */
  private guardLength(): SourceItem[] {
    const max = this.limits.maxLineChars;
    if (this.pending.length <= max) return [];
    this.failed = true;
    const over = `runs for more than ${groupDigits(max)} characters, ${limitText(this.limits, 'maxLineChars', 'characters')}`;
    if (quoteLeftOpen(this.pending)) {
      return [failure(this.line, null, `a record starting on this line ${over}; a quote (") is probably never closed, so the rest of the file cannot be split into fields`)];
    }
    return [{ kind: 'failure', code: 'LINE_TOO_LONG', line: this.line, fieldIndex: null, reason: `the line starting here ${over}; the rest of the file was not read` }];
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

/** An odd number of quotes: a quoted field is still open at the end of the text. */
function quoteLeftOpen(text: string): boolean {
  let quotes = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) quotes++;
  return quotes % 2 === 1;
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
