// Other programs run on the benchmark's files, each as a child process timed from spawn to exit
// (process start included) with its peak RSS from GNU time (`/usr/bin/time -f %M`, Debian
// package `time`; without it the RSS is reported as null):
// - mawk summing the amount column of each extract to exact pence: the file-read reference;
// - ledger-cli and hledger computing the balances of the plain-text journal (bench/journal.ts).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseHledgerBalances, parseLedgerBalances } from './journal.js';

const GNU_TIME = '/usr/bin/time';
/** hledger fails on `£` under a non-UTF-8 locale (field notes §3). */
const ENV = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

export interface ToolRun {
  wallSeconds: number;
  /** Peak resident set size, from GNU time; null without it. */
  peakRssMb: number | null;
  stdout: string;
}

export function hasTool(command: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '';
}

/** The first line a tool prints for `args` (its version), or null if it is not installed. */
export function toolVersion(command: string, args: string[]): string | null {
  if (!hasTool(command)) return null;
  const run = spawnSync(command, args, { encoding: 'utf8', env: ENV });
  return `${run.stdout}${run.stderr}`.split('\n')[0]?.trim() || null;
}

/** Runs `command args`, timed; throws with its stderr if it fails. `dir` holds GNU time's note. */
export function runMeasured(command: string, args: string[], dir: string): ToolRun {
  const timed = existsSync(GNU_TIME);
  const rssFile = join(dir, `peak-rss-${process.hrtime.bigint()}`);
  const [program, programArgs] = timed ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const run = spawnSync(program, programArgs, { encoding: 'utf8', env: ENV, maxBuffer: 64 << 20 });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status ?? run.signal}):\n${run.stderr}`);
  let peakRssMb: number | null = null;
  if (timed) {
    peakRssMb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
    rmSync(rssFile, { force: true });
  }
  return { wallSeconds, peakRssMb, stdout: run.stdout };
}

// The council amount is the last quoted field ("46,418.89" or "(1,234.56)"; descriptions are
// quoted and hold commas): split on `"`, it is field NF-1 on a data line. Pence are worked out
// from the text's whole and decimal parts, so the sum is exact (integers in doubles, < 2^53).
const MAWK_COUNCIL = `BEGIN { FS = "\\"" }
NR > 2 && NF >= 5 {
  a = $(NF - 1); negative = substr(a, 1, 1) == "("; gsub(/[(),]/, "", a); split(a, part, ".")
  v = part[1] * 100 + part[2]; sum += negative ? -v : v; n++
}
END { printf "%d %.0f\\n", n, sum }`;

// NHS: debit and credit are the last two (unquoted) fields; the description before them is quoted
// and holds a comma, so count from the end.
const MAWK_NHS = `BEGIN { FS = "," }
NR > 1 {
  d = $(NF - 1); c = $NF; sub(/\\r$/, "", c)
  if (d != "") { split(d, part, "."); sum += part[1] * 100 + part[2] }
  if (c != "") { split(c, part, "."); sum -= part[1] * 100 + part[2] }
  n++
}
END { printf "%d %.0f\\n", n, sum }`;

export interface MawkSum extends ToolRun {
  lines: number;
  pence: number;
}

/** mawk's reading of one extract: lines and the amounts' sum in pence. */
export function mawkSum(shape: 'council' | 'nhs', file: string, dir: string): MawkSum {
  const run = runMeasured('mawk', [shape === 'council' ? MAWK_COUNCIL : MAWK_NHS, file], dir);
  const match = /^(\d+) (-?\d+)\n?$/.exec(run.stdout);
  if (!match) throw new Error(`mawk printed ${JSON.stringify(run.stdout)}`);
  return { ...run, lines: Number(match[1]), pence: Number(match[2]) };
}

export interface PeerBalances extends ToolRun {
  /** Depth-2 account → pence. */
  balances: Map<string, number>;
}

/** `ledger -f FILE balance --depth 2`, in a tab-separated format (the work is the default balance report's). */
export function ledgerBalance(journal: string, dir: string): PeerBalances {
  const run = runMeasured('ledger', ['-f', journal, 'balance', '--depth', '2', '--empty', '--no-total', '--balance-format', '%(account)\t%(scrub(display_total))\n'], dir);
  return { ...run, balances: parseLedgerBalances(run.stdout) };
}

/** `hledger -f FILE balance --depth 2`, as CSV. */
export function hledgerBalance(journal: string, dir: string): PeerBalances {
  const run = runMeasured('hledger', ['-f', journal, 'balance', '--depth', '2', '-E', '--no-total', '-O', 'csv', '--layout=bare'], dir);
  return { ...run, balances: parseHledgerBalances(run.stdout) };
}
