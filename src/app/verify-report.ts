// The shape of `tandem verify`'s report (docs/cli.md): the checks run, each ok, warning or failure,
// with findings that say what is wrong and where — fund, batch and file, line numbers, period and
// close version, audit event, path in a close document — so it can be found without a debugger.

export type CheckStatus = 'ok' | 'warning' | 'failure';

export interface Finding {
  status: 'warning' | 'failure';
  /** Stable, listed in docs/cli.md. */
  code: string;
  message: string;
  fund: string | null;
  batch?: number;
  file?: string;
  /** A line number of the file (its physical line, or row of a spreadsheet). */
  line?: number;
  /** A range of the file's line numbers, e.g. "3–26". */
  lines?: string;
  period?: string;
  closeVersion?: number;
  auditEvent?: number;
  /** Where inside a close document, e.g. `totals.fund.fotPence`. */
  path?: string;
}

export type Where = Omit<Finding, 'status' | 'code' | 'message' | 'fund'>;

export interface VerifyCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** How many things the check looked at (events, batches, lines, closes…), in `unit`. */
  checked: number;
  unit: string;
  findings: Finding[];
  /** Findings beyond the first MAX_FINDINGS, counted, not listed. */
  omitted: number;
}

/** A report stays readable when a database is badly damaged: the rest are counted. */
export const MAX_FINDINGS = 200;

export class Check {
  checked = 0;
  private readonly findings: Finding[] = [];
  private omitted = 0;
  private worst: CheckStatus = 'ok';

  constructor(
    readonly id: string,
    readonly title: string,
    readonly unit: string,
  ) {}

  fail(fund: string | null, code: string, message: string, where: Where = {}): void {
    this.add({ status: 'failure', code, message, fund, ...where });
  }

  warn(fund: string | null, code: string, message: string, where: Where = {}): void {
    this.add({ status: 'warning', code, message, fund, ...where });
  }

  /** Runs one part of the check; if it throws (the data is too damaged to read), that is a failure, not a crash. */
  async run(fund: string | null, what: string, fn: () => Promise<void>, where: Where = {}): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.fail(fund, 'CHECK_FAILED', `${what} could not be checked: ${(e as Error).message}`, where);
    }
  }

  result(): VerifyCheck {
    return { id: this.id, title: this.title, status: this.worst, checked: this.checked, unit: this.unit, findings: this.findings, omitted: this.omitted };
  }

  private add(finding: Finding): void {
    if (finding.status === 'failure') this.worst = 'failure';
    else if (this.worst === 'ok') this.worst = 'warning';
    if (this.findings.length < MAX_FINDINGS) this.findings.push(finding);
    else this.omitted += 1;
  }
}
