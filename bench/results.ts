// What `npm run bench` reports: the result object (printed with --json, and written to
// bench/results/<date>-<lines>.json), the side-by-side table, and the Markdown record
// (bench/results/<date>-<lines>.md). Formatting only; bench/run.ts measures.

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  sqlite: string;
  postgres: string | null;
  ledger: string | null;
  hledger: string | null;
  mawk: string | null;
  commit: string | null;
  loadAverage: { start: number[]; end: number[] };
}

export interface BenchResult {
  date: string;
  command: string;
  lines: number;
  perLedger: { council: number; nhs: number };
  files: { councilMb: number; nhsMb: number };
  machine: Machine;
  limit: { sqliteLinesPerS: number; seconds: number; rows: number; rowsPerStatement: number };
  mawk: { linesPerS: number; seconds: number; councilS: number; nhsS: number; peakRssMb: number | null };
  sqlite: {
    /** Lines per second of the imports' own work: wall time less one start-up floor per import (bench/fund.ts). */
    importLinesPerS: number;
    /** Wall time of both imports, process starts included. */
    importS: number;
    importNetS: number;
    importWallLinesPerS: number;
    startupS: number;
    peakRssMb: number;
    imports: { ledger: string; lines: number; s: number; linesPerS: number; peakRssMb: number }[];
    /** importLinesPerS ÷ the storage limit: issue 7's ratio (the CI guard's too). */
    importVsLimit: number;
    importWallVsLimit: number;
    closeS: number;
    closeInProcessS: number;
    closePeakRssMb: number;
    reportS: number | null;
    reportInProcessS: number | null;
    reportFormatsS: Record<string, number> | null;
    reportPeakRssMb: number | null;
    reportPdfS: number | null;
    reportPdfPeakRssMb: number | null;
    importAndCloseS: number;
  };
  postgres: {
    importLinesPerS: number | null;
    importS: number | null;
    importWallLinesPerS: number | null;
    startupS: number | null;
    peakRssMb: number | null;
    closeS: number | null;
    closeInProcessS: number | null;
    closePeakRssMb: number | null;
  };
  peers: {
    ledgerLines: number | null;
    ledgerS: number | null;
    ledgerPeakRssMb: number | null;
    tandemAtLedgerLinesS: number | null;
    ledgerOverTandem: number | null;
    hledgerLines: number | null;
    hledgerS: number | null;
    hledgerPeakRssMb: number | null;
    tandemAtHledgerLinesS: number | null;
    hledgerOverTandem: number | null;
  };
  targets: Target[];
  checks: Check[];
}

/** One of issue 7's targets: what was measured, and whether it is met (null: this run is not at the target's size). */
export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
}

const int = (n: number) => Math.round(n).toLocaleString('en-GB');
const secs = (n: number) => n.toFixed(2);
const mb = (n: number | null) => (n === null ? '–' : n.toFixed(0));
const times = (n: number) => `${n.toFixed(2)}×`;
export const LEDGER_NAMES: Record<string, string> = { council: 'council', nhs: 'NHS' };

/** Issue 7's targets against this run. A target stated at one size is judged only at that size. */
export function targets(r: BenchResult): Target[] {
  const out: Target[] = [];
  const at = (size: number, ok: boolean) => (r.lines === size ? ok : null);
  const s = r.sqlite;
  out.push({
    target: 'SQLite import at 1M lines ≥ 0.8 × the storage limit',
    measured: `${times(s.importVsLimit)} (${int(s.importLinesPerS)} of ${int(r.limit.sqliteLinesPerS)} lines/s, start-up floor taken off; ${times(s.importWallVsLimit)} with it)`,
    met: at(1_000_000, s.importVsLimit >= 0.8),
  });
  const pgRate = r.postgres.importLinesPerS;
  out.push({ target: 'PostgreSQL import ≥ 300,000 lines/s', measured: pgRate === null ? 'skipped' : `${int(pgRate)} lines/s`, met: pgRate === null ? null : pgRate >= 300_000 });
  out.push({ target: 'close at 10M lines ≤ 2 s (SQLite)', measured: `${secs(s.closeS)} s whole process, ${secs(s.closeInProcessS)} s in process`, met: at(10_000_000, s.closeS <= 2) });
  const pgClose = r.postgres.closeS;
  out.push({
    target: 'close at 10M lines ≤ 2 s (PostgreSQL)',
    measured: pgClose === null ? 'skipped' : `${secs(pgClose)} s whole process, ${secs(r.postgres.closeInProcessS ?? 0)} s in process`,
    met: pgClose === null ? null : at(10_000_000, pgClose <= 2),
  });
  const rss: [string, number | null][] = [
    ['SQLite import', s.peakRssMb],
    ['SQLite close', s.closePeakRssMb],
    ['report HTML+XLSX+CSV', s.reportPeakRssMb],
    ['report PDF', s.reportPdfPeakRssMb],
    ['PostgreSQL import', r.postgres.peakRssMb],
    ['PostgreSQL close', r.postgres.closePeakRssMb],
  ];
  const [worst, worstMb] = rss.filter((x): x is [string, number] => x[1] !== null).reduce((a, b) => (b[1] > a[1] ? b : a));
  out.push({ target: 'peak RSS ≤ 300 MB (every Tandem process)', measured: `highest ${mb(worstMb)} MB (${worst})`, met: worstMb <= 300 });
  const p = r.peers;
  if (p.ledgerOverTandem !== null && p.ledgerLines !== null) out.push({ target: 'import + close ≥ 4× faster than ledger-cli at 1M lines', measured: `${times(p.ledgerOverTandem)} at ${int(p.ledgerLines)} lines`, met: p.ledgerLines === 1_000_000 ? p.ledgerOverTandem >= 4 : null });
  if (p.hledgerOverTandem !== null && p.hledgerLines !== null) out.push({ target: 'import + close ≥ 15× faster than hledger at 100k lines', measured: `${times(p.hledgerOverTandem)} at ${int(p.hledgerLines)} lines`, met: p.hledgerLines === 100_000 ? p.hledgerOverTandem >= 15 : null });
  return out;
}

export function targetLines(list: Target[]): string[] {
  const verdict = (t: Target) => (t.measured === 'skipped' ? '' : ` — ${t.met === null ? 'not judged at this size' : t.met ? 'met' : 'NOT met'}`);
  return list.map((t) => `${t.target}: ${t.measured}${verdict(t)}`);
}

type Row = [string, string, string, string, string, string];

export function tableRows(r: BenchResult): Row[] {
  const rows: Row[] = [];
  const s = r.sqlite;
  rows.push(['storage limit: better-sqlite3 bare INSERT loop', int(r.limit.rows), secs(r.limit.seconds), int(r.limit.sqliteLinesPerS), '–', `${r.limit.rowsPerStatement} rows/INSERT, 1 transaction`]);
  rows.push(['file read: mawk sums the amounts (both files)', int(r.lines), secs(r.mawk.seconds), int(r.mawk.linesPerS), mb(r.mawk.peakRssMb), 'reference, not a ceiling']);
  for (const i of s.imports) rows.push([`Tandem import → SQLite, ${LEDGER_NAMES[i.ledger] ?? i.ledger}`, int(i.lines), secs(i.s), int(i.linesPerS), mb(i.peakRssMb), '']);
  rows.push(['Tandem import → SQLite, both ledgers', int(r.lines), secs(s.importS), int(s.importWallLinesPerS), mb(s.peakRssMb), `${times(s.importWallVsLimit)} the storage limit`]);
  rows.push([`  less start-up (${secs(s.startupS)} s per import)`, int(r.lines), secs(s.importNetS), int(s.importLinesPerS), '', `${times(s.importVsLimit)} the storage limit`]);
  rows.push(['Tandem close M12, SQLite', int(r.lines), secs(s.closeS), '', mb(s.closePeakRssMb), `in process ${secs(s.closeInProcessS)} s`]);
  if (s.reportS !== null) {
    const f = s.reportFormatsS ?? {};
    const parts = Object.entries(f).map(([k, v]) => `${k.toUpperCase()} ${secs(v)}`).join(', ');
    rows.push(['Tandem report M12, HTML+XLSX+CSV', int(r.lines), secs(s.reportS), '', mb(s.reportPeakRssMb), `in process ${secs(s.reportInProcessS ?? 0)} s (${parts})`]);
  }
  if (s.reportPdfS !== null) rows.push(['Tandem report M12, PDF', int(r.lines), secs(s.reportPdfS), '', mb(s.reportPdfPeakRssMb), '']);
  const p = r.postgres;
  if (p.importS !== null && p.importLinesPerS !== null) {
    rows.push(['Tandem import → PostgreSQL, both ledgers', int(r.lines), secs(p.importS), int(p.importWallLinesPerS ?? 0), mb(p.peakRssMb), '']);
    rows.push([`  less start-up (${secs(p.startupS ?? 0)} s per import)`, int(r.lines), '', int(p.importLinesPerS), '', `${times(p.importLinesPerS / r.limit.sqliteLinesPerS)} the storage limit`]);
    rows.push(['Tandem close M12, PostgreSQL', int(r.lines), secs(p.closeS ?? 0), '', mb(p.closePeakRssMb), `in process ${secs(p.closeInProcessS ?? 0)} s`]);
  }
  const peer = r.peers;
  const peerRow = (tool: string, lines: number | null, s: number | null, rss: number | null, tandem: number | null, ratio: number | null) => {
    if (lines === null || s === null || tandem === null || ratio === null) return;
    rows.push([`${tool} balance (plain-text journal)`, int(lines), secs(s), int(lines / s), mb(rss), `${times(ratio)} Tandem's time`]);
    rows.push(['  Tandem import + close, SQLite, same lines', int(lines), secs(tandem), int(lines / tandem), '', 'child processes, start-up included']);
  };
  peerRow('ledger-cli', peer.ledgerLines, peer.ledgerS, peer.ledgerPeakRssMb, peer.tandemAtLedgerLinesS, peer.ledgerOverTandem);
  peerRow('hledger', peer.hledgerLines, peer.hledgerS, peer.hledgerPeakRssMb, peer.tandemAtHledgerLinesS, peer.hledgerOverTandem);
  return rows;
}

const HEADER: Row = ['measurement', 'lines', 'seconds', 'lines/s', 'peak RSS MB', 'compared'];

export function textTable(r: BenchResult): string {
  const rows = [HEADER, ...tableRows(r)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: Row) => row.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return rows.map(line).join('\n');
}

export function checkLines(checks: Check[]): string[] {
  return checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}${c.detail === '' ? '' : `: ${c.detail}`}`);
}

export function machineLine(m: Machine): string {
  return [
    `${m.cores} cores (${m.cpu}), ${m.memoryGiB.toFixed(0)} GiB, ${m.os}, Node ${m.node}, SQLite ${m.sqlite}`,
    m.postgres === null ? null : `PostgreSQL ${m.postgres}`,
    m.ledger,
    m.hledger,
    m.mawk,
  ]
    .filter((x) => x !== null)
    .join('; ');
}

export const READING = [
  'All Tandem figures are `tandem … --json` child processes timed from spawn to exit (Node start-up included); peak RSS from getrusage at exit (Tandem) or GNU time (the other programs).',
  'lines: ledger lines in all, half in each extract (council CSV, NHS CSV); both span M01..M12 of 2025-26.',
  '× the limit: Tandem import lines/s ÷ the bare loop\'s lines/s (1.00 would be storing as fast as SQLite can; parsing, mapping, totals and start-up are what lies between).',
  '× Tandem\'s time: the peer\'s wall time ÷ Tandem\'s import (both extracts) + close of the same lines (2.00× = Tandem twice as fast). The peers only add up a journal; Tandem also keeps every line, maps it and writes the close.',
];

export function markdown(r: BenchResult): string {
  const rows = tableRows(r);
  const cell = (c: string) => c.replaceAll('|', '\\|');
  return [
    `# npm run bench, ${r.lines.toLocaleString('en-GB')} lines (${r.date})`,
    '',
    `\`${r.command}\`${r.machine.commit === null ? '' : ` at ${r.machine.commit}`}`,
    '',
    `Machine: ${machineLine(r.machine)}. Load average ${r.machine.loadAverage.start.map((x) => x.toFixed(2)).join(' ')} at the start, ${r.machine.loadAverage.end.map((x) => x.toFixed(2)).join(' ')} at the end.`,
    '',
    `Files: council CSV ${r.perLedger.council.toLocaleString('en-GB')} lines (${r.files.councilMb.toFixed(0)} MB), NHS CSV ${r.perLedger.nhs.toLocaleString('en-GB')} lines (${r.files.nhsMb.toFixed(0)} MB).`,
    '',
    `| ${HEADER.join(' | ')} |`,
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    '',
    'Targets (issue 7):',
    '',
    ...targetLines(r.targets).map((l) => `- ${l}`),
    '',
    'Checks:',
    '',
    ...checkLines(r.checks).map((l) => `- ${l}`),
    '',
    ...READING.map((l) => `- ${l}`),
    '',
  ].join('\n');
}
