// The header row decides where every configured column is. Names are compared after trimming
// (exports pad them), and exactly otherwise: a misspelt or missing column is reported with the
// columns the file does have, rather than guessed at.

import { invariant } from '../domain/money.js';
import type { FileSettings } from '../domain/agreement.js';
import type { ProblemLog } from './problems.js';
import type { ImportProblem } from './types.js';

/** A configured column and where the header puts it. */
export interface Column {
  name: string;
  index: number;
}

export interface ColumnPlan {
  /** Header names, trimmed, in file order. */
  header: string[];
  headerLine: number;
  date: Column | null;
  period: Column | null;
  year: Column | null;
  /** One signed amount column, or null when the ledger uses debit and credit columns. */
  amount: Column | null;
  debit: Column | null;
  credit: Column | null;
  description: Column | null;
  id: Column | null;
  codes: Column[];
}

export type PlanResult = { ok: true; plan: ColumnPlan } | { ok: false; problems: ImportProblem[] };

export function planColumns(rawHeader: string[], headerLine: number, settings: FileSettings, log: ProblemLog): PlanResult {
  const { columns } = settings;
  invariant(
    columns.amount !== null || (columns.debit !== null && columns.credit !== null),
    'ledger file settings must name an amount column or both debit and credit columns',
  );
  const header = rawHeader.map((name) => name.trim());
  const problems: ImportProblem[] = [...duplicateProblems(header, headerLine, log)];
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    if (!positions.has(name)) positions.set(name, index);
  });

  const locate = (name: string | null): Column | null => {
    if (name === null) return null;
    const index = positions.get(name.trim());
    if (index === undefined) {
      problems.push(log.problem('COLUMN_MISSING', headerLine, name, missingReason(name, header, headerLine)));
      return null;
    }
    return { name: header[index]!, index };
  };

  const plan: ColumnPlan = {
    header,
    headerLine,
    date: locate(columns.date),
    period: locate(columns.period),
    year: locate(columns.year),
    amount: locate(columns.amount),
    debit: columns.amount === null ? locate(columns.debit) : null,
    credit: columns.amount === null ? locate(columns.credit) : null,
    description: locate(columns.description),
    id: locate(columns.id),
    codes: columns.codes.map(locate).filter((column): column is Column => column !== null),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plan };
}

function duplicateProblems(header: string[], headerLine: number, log: ProblemLog): ImportProblem[] {
  const firstAt = new Map<string, number>();
  const problems: ImportProblem[] = [];
  header.forEach((name, index) => {
    if (name === '') return; // unnamed columns (a trailing comma) cannot be referred to, so cannot clash
    const first = firstAt.get(name);
    if (first === undefined) firstAt.set(name, index);
    else {
      problems.push(
        log.problem('COLUMN_DUPLICATE', headerLine, name, `the header names column "${name}" twice (columns ${first + 1} and ${index + 1})`),
      );
    }
  });
  return problems;
}

function missingReason(name: string, header: string[], headerLine: number): string {
  const named = header.filter((column) => column !== '').map((column) => `"${column}"`);
  const similar = header.find((column) => column.toLowerCase().replace(/\s+/g, ' ') === name.trim().toLowerCase().replace(/\s+/g, ' '));
  const hint = similar !== undefined ? ` (did you mean "${similar}"?)` : '';
  return `the ledger settings name column "${name}", but the header on line ${headerLine} has no such column${hint}; its columns are ${named.join(', ')}`;
}
