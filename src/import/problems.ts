// Problems found in an extract are data, not exceptions: a finance officer should see every bad
// line at once. Past a limit they are only counted, and one TOO_MANY_ERRORS problem at the end
// says how many more there were, so a file with a million bad lines still reports quickly.

import type { ImportErrorCode, ImportProblem } from './types.js';

export const DEFAULT_MAX_PROBLEMS = 100;

export class ProblemLog {
  private pending: ImportProblem[] = [];
  private listed = 0;
  private unlisted = 0;

  constructor(
    readonly fileName: string,
    private readonly maxProblems: number = DEFAULT_MAX_PROBLEMS,
  ) {}

  /** Record a problem on one line; beyond the limit it is counted but not kept. */
  add(code: ImportErrorCode, line: number | null, column: string | null, reason: string): void {
    if (this.listed < this.maxProblems) {
      this.listed++;
      this.pending.push(this.problem(code, line, column, reason));
    } else {
      this.unlisted++;
    }
  }

  /** A problem with no place in the problem budget: whole-file problems are always reported. */
  problem(code: ImportErrorCode, line: number | null, column: string | null, reason: string): ImportProblem {
    return { code, file: this.fileName, line, column, reason };
  }

  get count(): number {
    return this.listed + this.unlisted;
  }

  /** The problems added since the last call, for the next chunk. */
  takePending(): ImportProblem[] {
    if (this.pending.length === 0) return [];
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** At the end of the file: the TOO_MANY_ERRORS problem, if any were only counted. */
  overflow(): ImportProblem | null {
    if (this.unlisted === 0) return null;
    return this.problem(
      'TOO_MANY_ERRORS',
      null,
      null,
      `${this.maxProblems === 1 ? 'only the first problem is listed' : `only the first ${groupDigits(this.maxProblems)} problems are listed`} … and ${groupDigits(this.unlisted)} more ${this.unlisted === 1 ? 'problem' : 'problems'}`,
    );
  }
}

/** `4512` → `4,512`, the same on every machine (no locale). */
export function groupDigits(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
