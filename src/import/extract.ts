// Open a ledger extract (CSV or XLSX) for import. Whole-file problems that can be known before
// any line is parsed — no such file, nothing in it, a damaged workbook, a header that lacks a
// configured column — come back at once as `ok: false`. Otherwise the lines stream in chunks
// (see extract-chunks.ts), with every line problem found on the way.

import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FileSettings } from '../domain/agreement.js';
import { csvRecords } from './csv-source.js';
import { extractChunks, failureProblem } from './extract-chunks.js';
import { openRecords } from './extract-opening.js';
import { planColumns } from './header.js';
import { fileSizeProblem, headerProblems, importLimits } from './limits.js';
import { LineParser } from './line-parser.js';
import { DEFAULT_MAX_PROBLEMS, ProblemLog } from './problems.js';
import { FileBytes, type RecordSource } from './record-source.js';
import type { Extract, ImportProblem, ReadOptions } from './types.js';

export const DEFAULT_CHUNK_LINES = 2000;

export type OpenedExtract = { ok: true; extract: Extract } | { ok: false; problems: ImportProblem[] };

export async function openExtract(path: string, options: ReadOptions): Promise<OpenedExtract> {
  const { settings } = options;
  const log = new ProblemLog(options.fileName, options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  const fail = (problems: ImportProblem[]): OpenedExtract => ({ ok: false, problems });
  const limits = importLimits(settings);

  const file = await fileBytes(path, log);
  if (!(file instanceof FileBytes)) return fail([file]);
  if (file.size === 0) return fail([log.problem('FILE_EMPTY', null, null, 'the file is empty')]);
  const tooLarge = fileSizeProblem(file.size, limits, log);
  if (tooLarge !== null) return fail([tooLarge]);
  if (settings.columns.period === null && settings.columns.date === null && options.period === null) {
    return fail([
      log.problem('PERIOD_MISSING', null, null, "the ledger's files have no period or date column, so the import must be given a period"),
    ]);
  }

  const format = formatOf(path, settings);
  // exceljs is loaded only for an XLSX: it adds ~29 MB and start-up time to every CSV import.
  const source: RecordSource =
    format === 'xlsx' ? (await import('./xlsx-source.js')).xlsxRecords(file, settings, limits) : csvRecords(file, settings, limits);
  const opening = await openRecords(source, settings.skipBottom + 1);
  const close = async (problems: ImportProblem[]): Promise<OpenedExtract> => {
    await source.return(undefined);
    return fail(problems);
  };
  const { header } = opening;
  if (header === null) {
    if (opening.failure !== null) return close([failureProblem(opening.failure, log, null)]);
    return close([log.problem('FILE_EMPTY', null, null, emptyReason(settings, format))]);
  }
  const overLimits = headerProblems(header.fields, header.lineNo, limits, log);
  if (overLimits.length > 0) return close(overLimits);
  const planned = planColumns(header.fields, header.lineNo, settings, log);
  if (!planned.ok) return close(planned.problems);
  const { plan } = planned;
  if (opening.ended && opening.failure === null && opening.dataRecords <= settings.skipBottom) {
    return close([log.problem('FILE_HEADER_ONLY', null, null, headerOnlyReason(header.lineNo, settings.skipBottom))]);
  }

  const chunks = extractChunks({
    replay: opening.replay,
    source: opening.ended ? null : source,
    parser: new LineParser(plan, options, log, format === 'xlsx', limits.maxCellChars),
    log,
    bytes: file,
    header: plan.header,
    skipBottom: settings.skipBottom,
    chunkLines: options.chunkLines ?? DEFAULT_CHUNK_LINES,
    limits,
  });
  return { ok: true, extract: { header: plan.header, fileBytes: file.size, chunks, sha256: () => file.sha256() } };
}

/**
 * FILE_TOO_LARGE for a file over the ledger's size limit, or null (also when the file cannot be
 * read: opening it says why). The import asks before hashing, so a huge file is refused at once.
 */
export async function fileSizeCheck(path: string, settings: FileSettings, fileName: string): Promise<ImportProblem | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? fileSizeProblem(info.size, importLimits(settings), new ProblemLog(fileName)) : null;
  } catch {
    return null;
  }
}

function formatOf(path: string, settings: FileSettings): 'csv' | 'xlsx' {
  if (settings.format !== 'auto') return settings.format;
  return extname(path).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
}

async function fileBytes(path: string, log: ProblemLog): Promise<FileBytes | ImportProblem> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return log.problem('FILE_NOT_FOUND', null, null, 'this is a folder or device, not a file');
    return new FileBytes(path, info.size);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return log.problem('FILE_NOT_FOUND', null, null, 'there is no such file');
    return log.problem('FILE_UNREADABLE', null, null, `the file cannot be opened (${code ?? String(error)})`);
  }
}

function emptyReason(settings: FileSettings, format: 'csv' | 'xlsx'): string {
  const where = format === 'xlsx' ? (settings.sheet === null ? 'the first sheet' : `sheet "${settings.sheet}"`) : 'the file';
  const skipped = settings.skipTop > 0 ? ` after the ${settings.skipTop} ${format === 'xlsx' ? 'rows' : 'lines'} to skip at the top` : '';
  return `${where} has no header row${skipped}: there is nothing in it`;
}

function headerOnlyReason(headerLine: number, skipBottom: number): string {
  const totals = skipBottom > 0 ? ` (besides the ${skipBottom} totals ${skipBottom === 1 ? 'line' : 'lines'} at the bottom)` : '';
  return `the file has a header row (line ${headerLine}) but no data lines${totals}`;
}
