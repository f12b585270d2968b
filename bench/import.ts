// npm run bench:import -- --lines 1000000 [--skip-postgres] [--keep]
//
// Generates N lines in each ledger shape (bench/generate.ts), then imports them with the real
// `tandem` CLI in child processes — process start, parse, map and store all included — into a
// fresh SQLite file and into a throwaway PostgreSQL server, and prints lines per second and the
// peak RSS of each import. A figure printer, not a timed test.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startThrowawayPostgres } from '../test/support/postgres.js';
import { benchAgreementYaml } from './agreement.js';
import { runTandem } from './cli.js';
import { writeCouncilExtract, writeNhsExtract } from './generate.js';


interface Measured {
  seconds: number;
  peakRssMb: number;
  output: { lines: number };
}

function tandem(args: string[], dir: string): Measured {
  const m = runTandem<{ lines: number }>(args, dir);
  return { seconds: m.wallSeconds, peakRssMb: m.peakRssMb, output: m.output };
}

function importBoth(db: string, dir: string, files: { council: string; nhs: string }) {
  tandem(['agreement', 'load', join(dir, 'agreement.yaml'), '--db', db], dir);
  const council = tandem(['import', '--ledger', 'council', files.council, '--db', db], dir);
  const nhs = tandem(['import', '--ledger', 'nhs', files.nhs, '--db', db], dir);
  return { council, nhs };
}

async function main() {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' }, 'skip-postgres': { type: 'boolean' }, keep: { type: 'boolean' } } });
  const lines = Number(values.lines);
  if (!Number.isSafeInteger(lines) || lines < 1) throw new Error('--lines must be a positive whole number');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const files = { council: join(dir, 'council.csv'), nhs: join(dir, 'nhs.csv') };
  writeFileSync(join(dir, 'agreement.yaml'), benchAgreementYaml());
  const genStart = Date.now();
  const bytes = [await writeCouncilExtract(files.council, lines), await writeNhsExtract(files.nhs, lines)];
  console.log(`generated ${lines.toLocaleString('en-GB')} lines per shape (${((bytes[0]! + bytes[1]!) / 1e6).toFixed(0)} MB) in ${((Date.now() - genStart) / 1000).toFixed(1)} s in ${dir}`);
  console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);

  const rows: string[][] = [];
  const record = (engine: string, r: ReturnType<typeof importBoth>) => {
    for (const [shape, m] of Object.entries(r)) {
      if (m.output.lines !== lines) throw new Error(`${engine} ${shape}: imported ${m.output.lines} lines, expected ${lines}`);
      rows.push([engine, shape, lines.toLocaleString('en-GB'), m.seconds.toFixed(2), Math.round(lines / m.seconds).toLocaleString('en-GB'), m.peakRssMb.toFixed(0)]);
    }
  };
  try {
    record('sqlite', importBoth(join(dir, 'bench.db'), dir, files));
    if (!values['skip-postgres']) {
      const pg = await startThrowawayPostgres();
      try {
        record('postgres', importBoth(pg.url, dir, files));
      } finally {
        await pg.stop();
      }
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const header = ['engine', 'shape', 'lines', 'seconds', 'lines/s', 'peak RSS MB'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(['', header, ...rows].map((r) => (r === '' ? '' : (r as string[]).map((c, i) => c.padStart(widths[i]!)).join('  '))).join('\n'));
  console.log('\n(each import is one `tandem import` process: start-up, parse, map and store included)');
}

await main();
