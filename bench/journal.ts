// The benchmark's lines as a plain-text journal for ledger-cli and hledger (field notes §3), and
// the balances to check them by. Pure helpers, no process is started here (bench/peers.ts runs
// the tools).
//
// Each ledger line is one transaction: its date, its description, the account it is spent on and
// the ledger's control account as the offset (amount elided; the tool balances it):
//
//   2025-05-08 Home care, ref 12
//       Fund:s3:council:C4300  46418.89 GBP
//       Ledger:council
//
// The spend account is `Fund:<scheme>:<ledger>:<cost centre>` for a mapped line,
// `Suspense:<ledger>:<cost centre>` for an unmapped one and `OutOfScope:<ledger>:<cost centre>`
// for a line outside the fund. Which is which is decided here by benchTarget, written again from
// the rules of bench/agreement.ts (not with Tandem's mapping code), so that the balances the
// tools print at depth 2 (`Fund:s1`, `Suspense:nhs`, …) are an independent reading of the lines
// that Tandem's close must agree with to the penny.

import Papa from 'papaparse';
import { writeLines, type CouncilLine, type NhsLine } from './generate.js';

export type BenchLedger = 'council' | 'nhs';

/** What the bench agreement's rules make of a line: a scheme, out of scope, or unmapped (suspense). */
export type Target = { kind: 'mapped'; scheme: string } | { kind: 'out_of_scope' } | { kind: 'unmapped' };

/** bench/agreement.ts's rules, in its order (the first rule that matches wins). `fields` as bench/generate.ts draws them. */
export function benchTarget(ledger: BenchLedger, fields: readonly string[]): Target {
  if (ledger === 'council') {
    const [costCentre = '', subjective = ''] = fields;
    const code = Number(subjective);
    if (/^\d+$/.test(subjective) && code >= 9000 && code <= 9999) return { kind: 'out_of_scope' };
    if (costCentre.startsWith('C41')) return { kind: 'mapped', scheme: 's1' };
    if (costCentre.startsWith('C42')) return { kind: 'mapped', scheme: 's2' };
    if (costCentre.startsWith('C43')) return { kind: 'mapped', scheme: 's3' };
    if (/^C44[0-9]{2}$/.test(costCentre)) return { kind: 'mapped', scheme: 's4' };
    return { kind: 'unmapped' };
  }
  const costCentre = fields[1] ?? '';
  if (fields[3] === 'ZZ999') return { kind: 'out_of_scope' };
  if (costCentre.startsWith('70')) return { kind: 'mapped', scheme: 'nel' };
  if (costCentre.startsWith('71')) return { kind: 'mapped', scheme: 's1' };
  if (costCentre.startsWith('72')) return { kind: 'mapped', scheme: 's3' };
  return { kind: 'unmapped' };
}

/** The depth-2 account a line's spend is totalled in: `Fund:s1`, `Suspense:nhs`, `OutOfScope:council`. */
export function topAccount(ledger: BenchLedger, target: Target): string {
  if (target.kind === 'mapped') return `Fund:${target.scheme}`;
  return `${target.kind === 'unmapped' ? 'Suspense' : 'OutOfScope'}:${ledger}`;
}

/** Exact pounds from pence, two decimals, no grouping, minus before the digits: `-1234.56`. */
export function poundsText(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new Error(`not a whole number of pence: ${pence}`);
  const abs = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Exact pence from a tool's amount: `-1234.56`, `1234.56 GBP`, or a bare `0`. Throws on anything else. */
export function penceFromText(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{2}))?(?: GBP)?$/.exec(text.trim());
  if (!match || (match[3] === undefined && match[2] !== '0')) throw new Error(`not an amount in GBP with two decimals: ${JSON.stringify(text)}`);
  const pence = Number(match[2]) * 100 + Number(match[3] ?? 0);
  if (!Number.isSafeInteger(pence)) throw new Error(`amount too large to hold exactly: ${text}`);
  return match[1] === '-' ? -pence : pence;
}

/** Free text on one line, with no `;` (a comment in hledger): whitespace and control runs become one space. */
function oneLine(text: string): string {
  return text.replaceAll(';', ',').replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** `31/05/2025` → `2025-05-31`. */
export function isoFromCouncilDate(date: string): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date);
  if (!match) throw new Error(`not a DD/MM/YYYY date: ${date}`);
  return `${match[3]}-${match[2]}-${match[1]}`;
}

/** The last day of a 2025-26 period (1 = April 2025 … 12 = March 2026): an NHS line has a period, not a date. */
export function isoPeriodEnd(period: number): string {
  if (!Number.isInteger(period) || period < 1 || period > 12) throw new Error(`not a period 1..12: ${period}`);
  const month = ((period + 2) % 12) + 1;
  const year = period <= 9 ? 2025 : 2026;
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The account a line is spent on, at full depth. */
export function spendAccount(ledger: BenchLedger, fields: readonly string[], target: Target): string {
  const costCentre = (ledger === 'council' ? fields[0] : fields[1]) ?? '';
  const top = topAccount(ledger, target); // Suspense and OutOfScope already name the ledger
  return `${top}${target.kind === 'mapped' ? `:${ledger}` : ''}:${costCentre.replaceAll(':', '-')}`;
}

/** One line as one transaction (text ending in a blank line). */
export function transactionText(ledger: BenchLedger, line: CouncilLine | NhsLine, target: Target = benchTarget(ledger, line.fields)): string {
  const date = ledger === 'council' ? isoFromCouncilDate(line.fields[4] ?? '') : isoPeriodEnd(line.month);
  const description = oneLine(line.fields[ledger === 'council' ? 3 : 4] ?? '');
  return `${date} ${description}\n    ${spendAccount(ledger, line.fields, target)}  ${poundsText(line.pence)} GBP\n    Ledger:${ledger}\n\n`;
}

export const JOURNAL_HEADER = [
  '; Benchmark journal (npm run bench): the same lines as the council and NHS extracts, one transaction each.',
  '; Balances at depth 2 (Fund:<scheme>, Suspense:<ledger>) are what Tandem\'s close must agree with.',
  'commodity GBP',
  '    format 1000.00 GBP',
  '',
  '',
].join('\n');

/** What the lines add up to, worked out from the drawn pence (never from text): depth-2 account → pence, and lines per ledger. */
export interface Truth {
  balances: Map<string, number>;
  lines: Record<BenchLedger, number>;
  /** Every line's pence added up, per ledger (what mawk must print). */
  pence: Record<BenchLedger, number>;
}

export function emptyTruth(): Truth {
  return { balances: new Map(), lines: { council: 0, nhs: 0 }, pence: { council: 0, nhs: 0 } };
}

export function addToTruth(truth: Truth, ledger: BenchLedger, pence: number, target: Target): void {
  const add = (account: string, value: number) => truth.balances.set(account, (truth.balances.get(account) ?? 0) + value);
  add(topAccount(ledger, target), pence);
  add(`Ledger:${ledger}`, -pence);
  truth.lines[ledger] += 1;
  truth.pence[ledger] += pence;
}

export interface LineSource {
  council: () => Iterable<CouncilLine>;
  nhs: () => Iterable<NhsLine>;
}

/** Writes the journal of both ledgers' lines to `path` (or only adds them up when `path` is null). */
export async function writeJournal(path: string | null, source: LineSource): Promise<{ bytes: number; truth: Truth }> {
  const truth = emptyTruth();
  function* all(): Generator<string> {
    yield JOURNAL_HEADER;
    for (const ledger of ['council', 'nhs'] as const) {
      for (const line of source[ledger]()) {
        const target = benchTarget(ledger, line.fields);
        addToTruth(truth, ledger, line.pence, target);
        if (path !== null) yield transactionText(ledger, line, target);
      }
    }
  }
  if (path === null) {
    const lines = all();
    while (!lines.next().done); // adds up without writing
    return { bytes: 0, truth };
  }
  const bytes = await writeLines(path, 'utf8', all);
  return { bytes, truth };
}

/** Keeps depth-2 accounts (`Fund:s1`), as both tools are asked for with --depth 2. */
function depthTwo(account: string): boolean {
  return account.split(':').length === 2;
}

/** `ledger balance --depth 2 --balance-format '%(account)\t%(scrub(display_total))\n'`: depth-2 account → pence. */
export function parseLedgerBalances(stdout: string): Map<string, number> {
  const balances = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const [account, amount, ...rest] = line.split('\t');
    if (account === undefined || amount === undefined || rest.length > 0) throw new Error(`ledger printed an unexpected balance line: ${JSON.stringify(line)}`);
    if (depthTwo(account)) setOnce(balances, account, penceFromText(amount), 'ledger');
  }
  return balances;
}

/** `hledger balance --depth 2 -O csv --layout=bare`: depth-2 account → pence (one commodity, GBP). */
export function parseHledgerBalances(stdout: string): Map<string, number> {
  const parsed = Papa.parse<string[]>(stdout.trim(), { header: false });
  if (parsed.errors.length > 0) throw new Error(`hledger CSV did not parse: ${parsed.errors[0]?.message ?? ''}`);
  const [header, ...rows] = parsed.data;
  if (JSON.stringify(header) !== JSON.stringify(['account', 'commodity', 'balance'])) throw new Error(`hledger printed an unexpected header: ${JSON.stringify(header)}`);
  const balances = new Map<string, number>();
  for (const row of rows) {
    const [account, commodity, balance] = row;
    if (row.length !== 3 || account === undefined || balance === undefined) throw new Error(`hledger printed an unexpected row: ${JSON.stringify(row)}`);
    const pence = penceFromText(balance);
    if (commodity !== 'GBP' && !(commodity === '' && pence === 0)) throw new Error(`hledger: ${account} holds commodity "${commodity ?? ''}"`);
    if (depthTwo(account)) setOnce(balances, account, pence, 'hledger');
  }
  return balances;
}

function setOnce(balances: Map<string, number>, account: string, pence: number, tool: string): void {
  if (balances.has(account)) throw new Error(`${tool} listed ${account} twice`);
  balances.set(account, pence);
}

/** The part of a close that the peers also compute: each scheme's YTD actual as `Fund:<id>`, each ledger's suspense as `Suspense:<ledger>`. */
export interface CloseBalances {
  schemes: { id: string; ytdActualPence: number }[];
  unmapped: { ledger: string; amountPence: number }[];
}

export function closeBalances(close: CloseBalances): Map<string, number> {
  const balances = new Map<string, number>();
  for (const s of close.schemes) balances.set(`Fund:${s.id}`, s.ytdActualPence);
  for (const u of close.unmapped) balances.set(`Suspense:${u.ledger}`, (balances.get(`Suspense:${u.ledger}`) ?? 0) + u.amountPence);
  return balances;
}

/** Only the accounts that a close reports (`Fund:*`, `Suspense:*`). */
export function closeAccountsOf(balances: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...balances].filter(([account]) => account.startsWith('Fund:') || account.startsWith('Suspense:')));
}

export interface Difference {
  account: string;
  expected: number;
  actual: number;
}

/** Every account in either map must hold the same pence (an account missing from one side counts as 0). */
export function compareBalances(expected: ReadonlyMap<string, number>, actual: ReadonlyMap<string, number>): Difference[] {
  const accounts = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return accounts.map((account) => ({ account, expected: expected.get(account) ?? 0, actual: actual.get(account) ?? 0 })).filter((d) => d.expected !== d.actual);
}
