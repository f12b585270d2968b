// Activity, outcomes and metrics, imported from CSV or XLSX like a ledger extract (docs/contracts.md):
// every bad line reported with its line, column and reason and nothing written; the same file
// again (by the SHA-256 of its bytes) is "already imported" and changes nothing; otherwise one
// batch, all of it or none of it, audited. A later file's line for the same contract (or metric)
// and month is the one in force, so a correction is simply a new file.
//
//   activity: contract, period, units    (units delivered that month)
//   outcomes: contract, period, outcomes (outcomes achieved that month)
//   metrics:  metric, period, plan, actual (either may be empty, not both)
// each with an optional note column. Periods as 2025-26 M03 or 2025-06.

import { createHash } from 'node:crypto';
import { inTerm, type ContractRegister } from '../domain/contracts.js';
import { parseAmount } from '../domain/money.js';
import { formatPeriod, parsePeriodArg, type PeriodKey } from '../domain/period.js';
import type { MeasureKind, MeasureLine } from '../store/contract-types.js';
import { resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { readInputFile, registerInForce } from './contracts.js';
import { TandemError, type Problem } from './errors.js';
import { measureRows, type MeasureRow } from './measure-records.js';

export interface MeasureImportResult {
  status: 'imported' | 'already-imported';
  kind: MeasureKind;
  batchId: number;
  fundId: string;
  file: string;
  sha256: string;
  lines: number;
}

type Report = (column: string, code: string, message: string) => void;

interface KindSpec {
  subject: 'contract' | 'metric';
  /** The value columns after subject and period. */
  values: string[];
  rejected: string;
  read(cells: Record<string, string>, period: PeriodKey, register: ContractRegister, report: Report): Pick<MeasureLine, 'value' | 'plan'> | undefined;
}

const WHOLE = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;

function count(text: string, column: string, report: Report): number | undefined {
  const n = WHOLE.test(text) ? Number(text.replace(/,/g, '')) : NaN;
  if (Number.isSafeInteger(n)) return n;
  report(column, 'MEASURE_COUNT_INVALID', `"${text}" is not a whole number of ${column} (0 or more, no decimals)`);
  return undefined;
}

/** A metric value in hundredths (92.45% → 9245), exactly; empty → null. */
function metricValue(text: string, column: string, report: Report): number | null | undefined {
  if (text === '') return null;
  const parsed = parseAmount(text.replace(/%$/, '').trim());
  if (parsed.ok && parsed.pence >= 0) return parsed.pence;
  report(column, 'MEASURE_VALUE_INVALID', `"${text}" is not a ${column} value (a number of 0 or more with at most two decimal places)`);
  return undefined;
}

function contractCount(column: 'units' | 'outcomes'): KindSpec['read'] {
  return (cells, period, register, report) => {
    const contract = register.contracts.find((c) => c.id === cells.contract);
    if (!contract) report('contract', 'MEASURE_CONTRACT_UNKNOWN', `"${cells.contract}" is not a contract of the register (${register.contracts.map((c) => c.id).join(', ') || 'none'})`);
    else if (!inTerm(contract, period)) {
      report('period', 'MEASURE_OUTSIDE_TERM', `${formatPeriod(period)} is outside the term of ${contract.id} (${formatPeriod(contract.start)} to ${formatPeriod(contract.end)})`);
    }
    const n = count(cells[column]!, column, report);
    return n === undefined ? undefined : { value: n, plan: null };
  };
}

const KINDS: Record<MeasureKind, KindSpec> = {
  activity: { subject: 'contract', values: ['units'], rejected: 'ACTIVITY_REJECTED', read: contractCount('units') },
  outcomes: { subject: 'contract', values: ['outcomes'], rejected: 'OUTCOMES_REJECTED', read: contractCount('outcomes') },
  metrics: {
    subject: 'metric',
    values: ['plan', 'actual'],
    rejected: 'METRICS_REJECTED',
    read(cells, _period, register, report) {
      if (!register.metrics.some((m) => m.id === cells.metric)) report('metric', 'MEASURE_METRIC_UNKNOWN', `"${cells.metric}" is not a metric of the register (${register.metrics.map((m) => m.id).join(', ') || 'none'})`);
      const plan = metricValue(cells.plan!, 'plan', report);
      const actual = metricValue(cells.actual!, 'actual', report);
      if (plan === null && actual === null) report('actual', 'MEASURE_VALUE_MISSING', 'a metric line needs a plan, an actual, or both');
      return plan === undefined || actual === undefined ? undefined : { value: actual, plan };
    },
  },
};

function parseLines(rows: MeasureRow[], file: string, spec: KindSpec, register: ContractRegister): { lines: MeasureLine[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const [first, ...data] = rows;
  const header = first?.fields ?? [];
  const headerLine = first?.lineNo ?? 1;
  if (first === undefined) return { lines: [], problems: [{ code: 'FILE_EMPTY', message: 'the file has no header row: there is nothing in it', file, line: null, column: null }] };
  const names = header.map((h) => h.trim().toLowerCase());
  const required = [spec.subject, 'period', ...spec.values];
  for (const c of required) {
    if (!names.includes(c)) problems.push({ code: 'COLUMN_MISSING', message: `the header has no "${c}" column (it needs ${required.join(', ')}; note is optional)`, file, line: headerLine, column: c });
  }
  if (data.length === 0 && problems.length === 0) problems.push({ code: 'FILE_HEADER_ONLY', message: 'the file has a header but no lines', file, line: null, column: null });
  const lines: MeasureLine[] = [];
  if (problems.length > 0) return { lines, problems };
  const seen = new Map<string, number>();
  data.forEach(({ fields, lineNo: line }) => {
    const before = problems.length;
    const report: Report = (column, code, message) => problems.push({ code, message, file, line, column });
    if (fields.length !== header.length) return report('', 'FIELD_COUNT', `${fields.length} fields where the header has ${header.length}`);
    const cells = Object.fromEntries(names.map((n, c) => [n, fields[c]!.trim()]));
    const period = parsePeriodArg(cells.period!);
    if (period === undefined) return report('period', 'PERIOD_INVALID', `"${cells.period}" is not a period (write 2025-26 M03 or 2025-06)`);
    const values = spec.read(cells, period, register, report);
    if (values === undefined || problems.length > before) return;
    const subject = cells[spec.subject]!;
    const key = `${subject}@${period}`;
    if (seen.has(key)) return report('period', 'MEASURE_DUPLICATE', `a second line for ${subject} in ${formatPeriod(period)} (the first is line ${seen.get(key)})`);
    seen.set(key, line);
    lines.push({ lineNo: line, subject, period, ...values, note: cells.note ? cells.note : null });
  });
  return { lines, problems };
}

export async function importMeasures(ctx: AppContext, kind: MeasureKind, request: { fundId?: string; path: string; displayName?: string }): Promise<MeasureImportResult> {
  const spec = KINDS[kind];
  const fundId = await resolveFund(ctx, request.fundId);
  const file = request.displayName ?? request.path;
  const bytes = await readInputFile(request.path, file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const result = (status: MeasureImportResult['status'], batchId: number, lines: number): MeasureImportResult => ({ status, kind, batchId, fundId, file, sha256, lines });
  const earlier = await ctx.store.findMeasureBatchBySha256(fundId, kind, sha256);
  if (earlier) return result('already-imported', earlier.id, earlier.lineCount);

  const read = await measureRows(request.path, bytes.length, file);
  if (read.problems.length > 0) throw new TandemError(spec.rejected, `${file} cannot be read; nothing was imported`, read.problems);
  const { record, register } = await registerInForce(ctx, fundId);
  const { lines, problems } = parseLines(read.rows, file, spec, register);
  if (problems.length > 0) throw new TandemError(spec.rejected, `${file} was rejected with ${problems.length} problem(s); nothing was imported`, problems);

  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    const raced = await tx.findMeasureBatchBySha256(fundId, kind, sha256);
    if (raced) return result('already-imported', raced.id, raced.lineCount);
    const at = isoNow(ctx);
    const batch = { fundId, kind, fileName: file, fileSha256: sha256, fileBytes: bytes.length, registerVersion: record.version, importedAt: at, importedBy: ctx.actor, lineCount: lines.length };
    const batchId = await tx.insertMeasureBatch(batch, lines);
    const periods = [...new Set(lines.map((l) => l.period))].sort((a, b) => a - b).map(formatPeriod);
    await tx.appendAudit({ fundId, actor: ctx.actor, action: `${kind}.import`, subject: `measure-batch:${batchId}`, details: { file, kind, lines: lines.length, periods, registerVersion: record.version }, inputSha256: sha256, at });
    return result('imported', batchId, lines.length);
  });
}
