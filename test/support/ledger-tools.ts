// Runs ledger-cli and hledger (field-notes §3) on an exported journal file so tests can compare
// their balances with Tandem's own: two independent programs reading the same text. Amounts are
// read exactly into integer pence with `parseAmount`, never through floating point.
//
// Zero balances: both helpers list every account that has postings, including those whose
// balance is zero (ledger `--empty`, hledger `-E`), each with 0. Declared accounts with no
// postings are listed by neither. Each account's own balance is read (ledger `display_amount`,
// hledger's flat default), not a total including sub-accounts.

import { execFile } from 'node:child_process';
import Papa from 'papaparse';
import { parseAmount, type Pence } from '../../src/domain/money.js';

const COMMODITY = 'GBP';

/** Runs a tool under a UTF-8 locale (hledger fails on `£` otherwise); rejects with its stderr. */
function run(command: string, args: readonly string[], options: { quietStderr?: boolean } = {}): Promise<string> {
  const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failed = error !== null || (options.quietStderr === true && stderr.trim() !== '');
      if (!failed) return resolve(stdout);
      const status = error === null ? 'wrote to stderr' : `exit ${String(error.code ?? error.signal)}`;
      reject(new Error(`${command} ${args.join(' ')} failed (${status}):\n${stderr.trim() || error?.message || ''}`));
    });
  });
}

function toPence(text: string, where: string): Pence {
  const result = parseAmount(text);
  if (!result.ok) throw new Error(`${where}: ${result.reason}`);
  return result.pence;
}

function put(balances: Map<string, Pence>, account: string, pence: Pence, tool: string): void {
  if (balances.has(account)) throw new Error(`${tool} listed account "${account}" twice`);
  balances.set(account, pence);
}

/**
 * Account → balance in pence, as ledger-cli reads `file`. One `ACCOUNT<TAB>AMOUNT` line per
 * account (a tab cannot be part of an account name); any other shape, such as a second
 * commodity (printed on a line of its own), is an error.
 */
export async function balancesWithLedger(file: string): Promise<Map<string, Pence>> {
  const format = '%(account)\t%(scrub(display_amount))\n';
  const args = ['--args-only', '-f', file, 'bal', '--flat', '--no-total', '--empty', '--balance-format', format];
  const stdout = await run('ledger', args);
  const balances = new Map<string, Pence>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const match = /^([^\t]+)\t(?:0|(-?\d+\.\d{2}) GBP)$/.exec(line);
    if (!match) throw new Error(`ledger printed an unexpected balance line: ${JSON.stringify(line)}`);
    put(balances, match[1]!, match[2] === undefined ? 0 : toPence(match[2], `ledger, ${match[1]!}`), 'ledger');
  }
  return balances;
}

/** Account → balance in pence, as hledger reads `file`, from its `--layout=bare` CSV. */
export async function balancesWithHledger(file: string): Promise<Map<string, Pence>> {
  const stdout = await run('hledger', ['-f', file, 'bal', '--no-total', '-E', '-O', 'csv', '--layout=bare']);
  const parsed = Papa.parse<string[]>(stdout.trim(), { header: false });
  if (parsed.errors.length > 0) throw new Error(`hledger CSV did not parse: ${parsed.errors[0]?.message ?? ''}`);
  const [header, ...rows] = parsed.data;
  if (JSON.stringify(header) !== JSON.stringify(['account', 'commodity', 'balance'])) {
    throw new Error(`hledger printed an unexpected CSV header: ${JSON.stringify(header)}`);
  }
  const balances = new Map<string, Pence>();
  for (const row of rows) {
    const [account, commodity, balance] = row;
    if (row.length !== 3 || account === undefined || balance === undefined) {
      throw new Error(`hledger printed an unexpected row: ${JSON.stringify(row)}`);
    }
    const pence = toPence(balance, `hledger, ${account}`);
    if (commodity !== COMMODITY && !(commodity === '' && pence === 0)) {
      throw new Error(`hledger: account "${account}" holds commodity "${commodity ?? ''}", expected ${COMMODITY}`);
    }
    put(balances, account, pence, 'hledger');
  }
  return balances;
}

/**
 * Both tools' strict checks: `ledger --pedantic` (undeclared accounts, commodities or tags are
 * errors) and `hledger check -s` (the same, plus balancing). Throws with the failing tool's
 * stderr; any stderr output, even a warning with exit 0, counts as a failure.
 */
export async function checkStrict(file: string): Promise<void> {
  await run('ledger', ['--args-only', '--pedantic', '-f', file, 'bal'], { quietStderr: true });
  await run('hledger', ['-f', file, 'check', '-s'], { quietStderr: true });
}
