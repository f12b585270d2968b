// npm run torture -- [--kills 200] [--seed 1] [--lines 10000] [--skip-postgres] [--json]
//
// The long crash-safety run (issue 8 §2): per database engine, SIGKILL `tandem import` and
// `tandem close` at seeded random moments until --kills kills have landed, checking after each
// that `tandem verify` passes, that the database holds the state before the command or after it
// and nothing in between, and that running the command again gives exactly the result of an
// uninterrupted run (test/support/torture.ts says how). SQLite runs in a temp file, PostgreSQL in
// a throwaway server (test/support/postgres.ts); the two engines run side by side. Prints the
// counts: kills per engine and command, where they landed, what the database held afterwards,
// verify passes and re-runs matching. Exits 1 on the first breach, saying what and where.

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/support/postgres.js';
import { useCopyOfBuild } from '../test/support/torture-cli.js';
import { postgresDatabases, sqliteDatabases, type Databases } from '../test/support/torture-db.js';
import { STAGES, runKillSeries, writeExtracts, type SeriesResult } from '../test/support/torture.js';

function wholeNumber(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${text}"`);
  return n;
}

function printTable(results: SeriesResult[]): void {
  const rows: [string, ...string[]][] = [
    ['kills', ...results.map((r) => String(r.kills))],
    ['  of tandem agreement load', ...results.map((r) => String(r.byCommand.agreement))],
    ['  of tandem import', ...results.map((r) => String(r.byCommand.import))],
    ['  of tandem close', ...results.map((r) => String(r.byCommand.close))],
    ...STAGES.map((s): [string, ...string[]] => [`  landed ${s}`, ...results.map((r) => String(r.byStage[s]))]),
    ['database held the state before', ...results.map((r) => String(r.rolledBack))],
    ['database held the state after', ...results.map((r) => String(r.committed))],
    ['tandem verify passed', ...results.map((r) => `${r.verifyPasses}/${r.kills}`)],
    ['re-run matched the reference', ...results.map((r) => `${r.rerunsMatching}/${r.kills}`)],
    ['runs done before their kill', ...results.map((r) => String(r.finishedFirst))],
    ['passes over the script', ...results.map((r) => String(r.passes))],
    ['seconds', ...results.map((r) => r.seconds.toFixed(1))],
  ];
  const header = ['', ...results.map((r) => r.engine)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      lines: { type: 'string', default: '10000' },
      'skip-postgres': { type: 'boolean' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
  const kills = wholeNumber('kills', values.kills, 1);
  const seed = wholeNumber('seed', values.seed, 0);
  const lines = wholeNumber('lines', values.lines, 10);
  const dir = mkdtempSync(join(tmpdir(), 'tandem-torture-'));
  let server: ThrowawayPostgres | undefined;
  const restoreBuild = useCopyOfBuild();
  try {
    const extracts = await writeExtracts(dir, lines);
    const engines: Databases[] = [sqliteDatabases(dir)];
    if (!values['skip-postgres']) {
      server = await startThrowawayPostgres();
      engines.push(postgresDatabases(server.url));
    }
    if (!values.json) console.log(`torture: ${kills} kills per engine, seed ${seed}, ${lines.toLocaleString('en-GB')} lines per extract; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`);
    const log = values.verbose && !values.json ? (line: string) => console.log(line) : undefined;
    // Each engine with its own seed stream, so adding PostgreSQL does not change SQLite's kills.
    const results = await Promise.all(engines.map((databases, i) => runKillSeries({ databases, extracts, kills, seed: seed * 2 + i, log })));
    if (values.json) console.log(JSON.stringify({ kills, seed, lines, results }, null, 2));
    else printTable(results);
  } finally {
    await server?.stop();
    restoreBuild();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`torture: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
