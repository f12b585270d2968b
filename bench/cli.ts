// Running the built `tandem` CLI from a benchmark: a child process with `--json`, its wall-clock
// time, and its peak RSS (recorded on exit by bench/rss-on-exit.ts). Shared by the benchmarks.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const RSS = join(ROOT, 'dist', 'bench', 'rss-on-exit.js');

export interface Measured<T> {
  wallSeconds: number;
  peakRssMb: number;
  output: T;
}

/** Runs `tandem ARGS --json`; `dir` holds the RSS note. Throws with the output if it fails. */
export function runTandem<T>(args: string[], dir: string): Measured<T> {
  const rssFile = join(dir, `rss-${process.hrtime.bigint()}`);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', RSS, CLI, ...args, '--json'], {
    env: { ...process.env, TANDEM_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`tandem ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return { wallSeconds, peakRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, output: JSON.parse(run.stdout) as T };
}
