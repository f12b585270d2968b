// Limits on what one extract may hold, so that a hostile or broken file (a zip bomb, a line with
// no end, a million columns) is refused with a clear, coded problem, in bounded time and memory,
// instead of exhausting the machine. The defaults are far above any real ledger extract, and a
// ledger may set its own in the agreement (`extract.limits`, docs/agreement.md); the reasons name
// that key, so whoever meets a limit knows which one and where to change it.
//
// Every check here is a comparison against a number the reader already has (a length, a count),
// made once per line, field or chunk: limits must not slow a million-line import.

import type { ExtractLimits, FileSettings } from '../domain/agreement.js';
import type { ProblemLog } from './problems.js';
import { groupDigits } from './problems.js';
import type { ImportProblem } from './types.js';

export type ImportLimits = Required<ExtractLimits>;

const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  /** 4 GiB: some 40 million council-shaped lines; the largest extracts seen are a few hundred MB. */
  maxFileBytes: 4096 * MIB,
  /** A CSV record (a line, or several when a quoted field holds newlines): real ones run to hundreds. */
  maxLineChars: 1_000_000,
  /** Excel's own column count (A..XFD); ledger extracts have tens. */
  maxColumns: 16_384,
  /** Data lines in one file: a year of a large council's general ledger is a few million. */
  maxLines: 25_000_000,
  /** Excel's own limit on the text of one cell. */
  maxCellChars: 32_767,
  /** XLSX: the parts Tandem reads, inflated; a 100,000-row sheet inflates to some 30 MB. */
  maxXlsxBytes: 1024 * MIB,
  /** XLSX: the workbook's table of distinct texts, held in memory while the sheet is read. */
  maxSharedStrings: 2_000_000,
  maxSharedStringChars: 100_000_000,
});

/** The agreement's key for each limit, for reasons that say what to change. */
export const LIMIT_KEYS: Readonly<Record<keyof ImportLimits, string>> = Object.freeze({
  maxFileBytes: 'max_file_mb',
  maxLineChars: 'max_line_chars',
  maxColumns: 'max_columns',
  maxLines: 'max_lines',
  maxCellChars: 'max_cell_chars',
  maxXlsxBytes: 'max_xlsx_mb',
  maxSharedStrings: 'max_shared_strings',
  maxSharedStringChars: 'max_shared_string_chars',
});

/** The ledger's limits: its own where the agreement sets them, the defaults otherwise. */
export function importLimits(settings: FileSettings): ImportLimits {
  const own = settings.limits;
  return own === undefined ? { ...DEFAULT_LIMITS } : { ...DEFAULT_LIMITS, ...definedOnly(own) };
}

function definedOnly(limits: ExtractLimits): ExtractLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as ExtractLimits;
}

/** `the limit of 1,000,000 characters (extract.limits.max_line_chars)`. */
export function limitText(limits: ImportLimits, key: keyof ImportLimits, unit: string): string {
  const value = limits[key];
  const shown = key === 'maxFileBytes' || key === 'maxXlsxBytes' ? `${groupDigits(Math.floor(value / MIB))} MB` : `${groupDigits(value)} ${unit}`;
  return `the limit of ${shown} (extract.limits.${LIMIT_KEYS[key]})`;
}

/** A limit met while reading a workbook's parts; xlsx-source.ts turns it into a problem. */
export class LimitError extends Error {
  override readonly name = 'LimitError';
  constructor(
    readonly code: 'XLSX_TOO_LARGE' | 'XLSX_TOO_MANY_STRINGS' | 'CELL_TOO_LONG',
    message: string,
  ) {
    super(message);
  }
}

/** FILE_TOO_LARGE before a byte is read, or null. */
export function fileSizeProblem(size: number, limits: ImportLimits, log: ProblemLog): ImportProblem | null {
  if (size <= limits.maxFileBytes) return null;
  return log.problem(
    'FILE_TOO_LARGE',
    null,
    null,
    `the file is ${groupDigits(Math.ceil(size / MIB))} MB, over ${limitText(limits, 'maxFileBytes', '')}; nothing was read`,
  );
}

/** The header row's own limits: its width, and the length of each name. */
export function headerProblems(fields: string[], lineNo: number, limits: ImportLimits, log: ProblemLog): ImportProblem[] {
  if (fields.length > limits.maxColumns) {
    return [
      log.problem(
        'TOO_MANY_COLUMNS',
        lineNo,
        null,
        `the header row has ${groupDigits(fields.length)} columns, over ${limitText(limits, 'maxColumns', 'columns')}`,
      ),
    ];
  }
  const problems: ImportProblem[] = [];
  fields.forEach((name, index) => {
    if (name.length > limits.maxCellChars) {
      problems.push(
        log.problem('CELL_TOO_LONG', lineNo, `column ${index + 1}`, `the header's name for column ${index + 1} has ${groupDigits(name.length)} characters, over ${limitText(limits, 'maxCellChars', 'characters')}`),
      );
    }
  });
  return problems;
}
