// Bad input is normal, not a bug: it travels as a TandemError with a stable code (listed in
// docs/errors.md) and, for files, every problem found with where it is. The CLI prints it for
// people or as JSON; nothing has been written when one is thrown.

export interface Problem {
  code: string;
  message: string;
  file?: string | null;
  line?: number | null;
  column?: string | number | null;
  path?: string | null;
}

export class TandemError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
    /** Exit status for the CLI: 1 for rejected input, 2 for usage. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'TandemError';
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, problems: this.problems } };
  }
}
