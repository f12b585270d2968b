// What a ledger extract reader gives the app layer: parsed lines in chunks (bounded memory),
// and every problem found, as data with a stable code and where it is (file, line, column).

import type { FileSettings } from '../domain/agreement.js';
import type { Pence } from '../domain/money.js';
import type { PeriodKey, YearStart } from '../domain/period.js';

export type ImportErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_EMPTY'
  | 'FILE_HEADER_ONLY'
  | 'FILE_UNREADABLE' // truncated / corrupt XLSX, not a spreadsheet
  | 'FILE_ENCODING' // bytes not valid in the declared encoding
  | 'CSV_MALFORMED' // unbalanced quotes, etc.
  | 'COLUMN_MISSING' // a column named in the ledger settings is not in the header
  | 'COLUMN_DUPLICATE' // the header names a column twice
  | 'FIELD_COUNT' // a line has a different number of fields from the header
  | 'AMOUNT_EMPTY'
  | 'AMOUNT_INVALID'
  | 'AMOUNT_TOO_PRECISE'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'DEBIT_AND_CREDIT' // both debit and credit filled on one line
  | 'DATE_INVALID'
  | 'PERIOD_INVALID'
  | 'PERIOD_MISSING' // no period/date in the line and none given with --period
  | 'PERIOD_OUTSIDE_AGREEMENT'
  | 'PERIOD_MISMATCH' // the line's period differs from the --period given
  | 'LINE_ID_DUPLICATE' // a transaction id seen twice (within a batch, or before in append mode)
  | 'LEDGER_UNKNOWN'
  | 'RULE_COLUMN_MISSING' // a mapping rule names a column the file lacks
  | 'TOO_MANY_ERRORS'
  // limits (limits.ts): a file past one is refused, whatever else it holds
  | 'FILE_TOO_LARGE' // the file's size
  | 'LINE_TOO_LONG' // a CSV record's length
  | 'TOO_MANY_COLUMNS' // the header's (or an XLSX row's) width
  | 'TOO_MANY_LINES' // data lines in the file
  | 'CELL_TOO_LONG' // one field's length
  | 'XLSX_TOO_LARGE' // the workbook's parts, inflated (declared or actual)
  | 'XLSX_TOO_MANY_STRINGS'; // the workbook's shared strings: how many, or their total length

export interface ImportProblem {
  code: ImportErrorCode;
  file: string;
  /** 1-based line (CSV) or row (XLSX) number; null for whole-file problems. */
  line: number | null;
  /** The column's header name (or a letter/number if there is no header); null if not one column. */
  column: string | null;
  reason: string;
}

export interface ExtractLine {
  /** 1-based physical line number where the record starts (CSV) or the row number (XLSX). */
  lineNo: number;
  period: PeriodKey;
  amountPence: Pence;
  date: string | null; // ISO YYYY-MM-DD
  description: string | null;
  lineId: string | null;
  /** Values of settings.columns.codes, in that order. */
  codes: string[];
  /** Every original column's value as text, aligned with the header. */
  raw: string[];
}

export interface ReadOptions {
  /** Name shown in problems (usually the path as the user gave it). */
  fileName: string;
  settings: FileSettings;
  /** The agreement's financial years; lines outside them are PERIOD_OUTSIDE_AGREEMENT. */
  years: YearStart[];
  /** From --period: the period of lines that carry none, and the check for lines that do. */
  period: PeriodKey | null;
  /** Year for bare period numbers (`3`, `M03`) when the file has no year column. */
  year: YearStart | null;
  /** Stop collecting line problems after this many (then one TOO_MANY_ERRORS). Default 100. */
  maxProblems?: number;
  /** Lines per chunk. Default 2,000. */
  chunkLines?: number;
}

export interface ExtractChunk {
  lines: ExtractLine[];
  problems: ImportProblem[];
  /** Bytes of the file read so far (for a progress bar). */
  bytesRead: number;
}

export interface Extract {
  /** Original header names, in file order. */
  header: string[];
  /** Size of the file in bytes. */
  fileBytes: number;
  /** Chunks in file order. A whole-file problem comes as a chunk with no lines and ends the stream. */
  chunks: AsyncIterable<ExtractChunk>;
  /** sha256 (hex) of the file's bytes; available once `chunks` has been read to the end. */
  sha256(): string;
}
