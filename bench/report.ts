// npm run bench:report -- --lines 1000000 [--keep]
//
// How long the monthly report takes on a large fund. Generates N ledger lines (bench/generate.ts,
// realistic codes, M01..M09), imports them with the real `tandem` CLI into a fresh SQLite file,
// closes M09, then runs `tandem report 2025-26 M09` as child processes: once for HTML + XLSX +
// CSV together (the XLSX's Lines sheet streams every mapped line behind the figures) and once
// for the PDF (Debian Chromium). It prints each format's own seconds, the wall-clock time of each
// process and its peak RSS. A figure printer, not a timed test.

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchAgreementYaml } from './agreement.js';
import { runTandem } from './cli.js';
import { writeCouncilExtract, writeNhsExtract } from './generate.js';

const PERIOD = ['2025-26', 'M09'];

interface ReportOutput {
  files: { format: string; path: string; seconds: number }[];
  seconds: number;
}

const tandem = runTandem;

function size(path: string): string {
  const st = statSync(path);
  if (!st.isDirectory()) return `${(st.size / 1e6).toFixed(1)} MB`;
  return 'directory';
}

async function main() {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' }, keep: { type: 'boolean' } } });
  const lines = Number(values.lines);
  if (!Number.isSafeInteger(lines) || lines < 2) throw new Error('--lines must be a whole number of at least 2');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-report-'));
  const db = join(dir, 'bench.db');
  const out = join(dir, 'out');
  const fmt = (n: number) => n.toLocaleString('en-GB');
  try {
    writeFileSync(join(dir, 'agreement.yaml'), benchAgreementYaml());
    const files = { council: join(dir, 'council.csv'), nhs: join(dir, 'nhs.csv') };
    await writeCouncilExtract(files.council, Math.ceil(lines / 2), 1, { subjectives: 20 });
    await writeNhsExtract(files.nhs, Math.floor(lines / 2), 2, { accounts: 10, analysisCodes: 2 });
    console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${fmt(lines)} lines in ${dir}`);
    tandem(['agreement', 'load', join(dir, 'agreement.yaml'), '--db', db], dir);
    tandem(['import', '--ledger', 'council', files.council, '--db', db], dir);
    tandem(['import', '--ledger', 'nhs', files.nhs, '--db', db], dir);
    tandem(['close', ...PERIOD, '--allow-unmapped', '--db', db], dir);

    const rows: string[][] = [];
    for (const formats of ['html,xlsx,csv', 'pdf']) {
      const m = tandem<ReportOutput>(['report', ...PERIOD, '--format', formats, '--out', out, '--db', db], dir);
      for (const f of m.output.files) rows.push([formats, f.format, f.seconds.toFixed(2), '', '', size(f.path)]);
      rows.push([formats, 'total', m.output.seconds.toFixed(2), m.wallSeconds.toFixed(2), m.peakRssMb.toFixed(0), '']);
    }
    const header = ['run', 'format', 'seconds', 'wall s', 'peak RSS MB', 'size'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    console.log([header, ...rows].map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n'));
    console.log('seconds: measured inside the process (report data built once, then each format); wall s: the whole process, Node start included.');
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
