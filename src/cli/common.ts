// What every command shares: where the database is, who is acting, JSON or human output, and
// one way of reporting failure (message + every problem, exit status non-zero).

import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AppContext } from '../app/context.js';
import { TandemError, type Problem } from '../app/errors.js';
import { parsePeriodArg, parseYear, type PeriodKey, type YearStart } from '../domain/period.js';
import { openStore } from '../store/open.js';

export interface CommonOptions {
  db?: string;
  user?: string;
  json?: boolean;
  fund?: string;
}

export function withCommonOptions(cmd: Command, options: { fund?: boolean } = { fund: true }): Command {
  cmd
    .option('--db <location>', 'SQLite file path or postgres:// URL (default: $TANDEM_DB or ./tandem.db)')
    .option('--user <name>', 'who is acting, for the audit trail (default: $TANDEM_USER or the OS user)')
    .option('--json', 'print machine-readable JSON on stdout');
  if (options.fund !== false) cmd.option('--fund <id>', 'which fund, when the database holds more than one');
  return cmd;
}

export function dbLocation(options: CommonOptions): string {
  return options.db ?? process.env.TANDEM_DB ?? './tandem.db';
}

export function actor(options: CommonOptions): string {
  if (options.user) return options.user;
  if (process.env.TANDEM_USER) return process.env.TANDEM_USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Open the store, run the use case, always close; print errors the same way for every command. */
export async function withContext<T>(options: CommonOptions, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const store = await openStore(dbLocation(options));
  try {
    return await fn({ store, actor: actor(options), now: () => new Date() });
  } finally {
    await store.close();
  }
}

/** `--period` as typed (`2025-26 M03` or `2025-06`), or a usage error (exit 2). */
export function periodOption(text: string | undefined): PeriodKey | undefined {
  if (text === undefined) return undefined;
  const period = parsePeriodArg(text);
  if (period === undefined) throw new TandemError('USAGE', `--period "${text}" is not a period (try "2025-26 M03" or 2025-06)`, [], 2);
  return period;
}

/** `--year` as typed (`2025-26`), or a usage error (exit 2). */
export function yearOption(text: string | undefined): YearStart | undefined {
  if (text === undefined) return undefined;
  const year = parseYear(text);
  if (year === undefined) throw new TandemError('USAGE', `--year "${text}" is not a financial year (try 2025-26)`, [], 2);
  return year;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const MAX_PRINTED_PROBLEMS = 50;

export function where(p: Problem): string {
  const parts: string[] = [];
  if (p.file) parts.push(p.file);
  if (p.line !== null && p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.column !== null && p.column !== undefined && p.column !== '') parts.push(typeof p.column === 'number' ? `column ${p.column}` : `column "${p.column}"`);
  if (p.path) parts.push(p.path);
  return parts.join(', ');
}

export function reportFailure(error: unknown, json: boolean): number {
  if (error instanceof TandemError) {
    if (json) printJson(error.toJSON());
    else {
      process.stderr.write(`tandem: ${error.message}\n`);
      for (const p of error.problems.slice(0, MAX_PRINTED_PROBLEMS)) {
        const at = where(p);
        process.stderr.write(`  ${at ? `${at}: ` : ''}${p.message} [${p.code}]\n`);
      }
      if (error.problems.length > MAX_PRINTED_PROBLEMS) process.stderr.write(`  … ${error.problems.length - MAX_PRINTED_PROBLEMS} more (use --json for all)\n`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json) printJson({ error: { code: 'INTERNAL', message, problems: [] } });
  else process.stderr.write(`tandem: internal error: ${message}\n${error instanceof Error && process.env.TANDEM_DEBUG ? `${error.stack}\n` : ''}`);
  return 70;
}

/** Wrap a command action: print failures and set the exit status. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const cmd = args[args.length - 1] as Command;
      const json = Boolean(cmd.opts().json);
      process.exitCode = reportFailure(error, json);
    }
  };
}

/** A period given as arguments: `2025-26 M03` (two words or one) or `2025-06`; a usage error otherwise. */
export function periodArgument(parts: string[]): PeriodKey {
  const text = parts.join(' ');
  const period = parsePeriodArg(text);
  if (period === undefined) throw new TandemError('USAGE', `"${text}" is not a period (try "2025-26 M03" or 2025-06)`, [], 2);
  return period;
}
