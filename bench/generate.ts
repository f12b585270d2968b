// Deterministic ledger extracts for benchmarks, in the two shapes of a real fund: the council's
// CSV (cost centre + subjective, Windows-1252, "(1,234.56)" credits, quoted descriptions with
// commas, dates 31/05/2025) and the NHS body's CSV (entity + cost centre + account + analysis
// code, separate debit/credit columns, period numbers with a year column). Seeded, so the same
// --lines gives the same bytes on every machine. Written with a buffered stream: memory stays
// flat whatever the size. How many values the drawn codes take is a parameter: the defaults (the
// import benchmark's) make nearly one code combination per line; bench/close.ts asks for fewer,
// as real ledgers have, so a month holds a few thousand combinations. So is how many months the
// lines span (M01..M09 by default; `npm run bench` asks for all twelve). councilLines/nhsLines
// give the drawn lines as records (columns, pence, month), so that other writers (bench/journal.ts's
// plain-text journal) can write exactly the same lines.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** mulberry32, shared with the demo's generator: a tiny, well-known seeded PRNG; ample for synthetic data. */
import { mulberry32 as prng } from '../src/demo/random.js';

export { prng };

const COUNCIL_SCHEMES = ['C41', 'C42', 'C43', 'C44']; // cost centre prefixes the bench rules map
const WORDS = ['Home care', 'Reablement', 'Residential placement', 'Nursing, long stay', 'Equipment', 'Carers’ support £ grant', 'Day services', 'Direct payment'];

function money(pence: number): string {
  const abs = Math.abs(pence);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(abs % 100).padStart(2, '0')}`;
}

export async function writeLines(path: string, encoding: 'latin1' | 'utf8', lines: () => Generator<string>): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buffer = '';
  let bytes = 0;
  for (const line of lines()) {
    buffer += line;
    if (buffer.length > 1 << 18) {
      bytes += buffer.length;
      if (!out.write(Buffer.from(buffer, encoding))) await once(out, 'drain');
      buffer = '';
    }
  }
  bytes += buffer.length;
  out.end(Buffer.from(buffer, encoding));
  await once(out, 'finish');
  return bytes;
}

/** Distinct subjective codes the council lines draw from (default 900: 5000..5899). */
export interface CouncilCodes {
  subjectives?: number;
}

/** Distinct accounts (default 300) and analysis codes (default 50) the NHS lines draw from. */
export interface NhsCodes {
  accounts?: number;
  analysisCodes?: number;
}

/** How many months of the 2025-26 year, from April (M01), the lines are spread over: 9 (M01..M09, the default) or up to 12. */
export interface Months {
  months?: number;
}

/**
 * One council line as drawn: its CSV columns (as a CSV reader gives them back, without quotes)
 * and what a reader should make of them: the pence (credits negative) and the financial-year
 * month, 1 = April. `fields` are Cost Centre, Subjective, Cost Centre Name, Description,
 * Transaction Date (DD/MM/YYYY), Amount ("46,418.89" or "(1,234.56)").
 */
export interface CouncilLine {
  fields: string[];
  pence: number;
  month: number;
}

/** One NHS line: Entity, Cost Centre, Account, Analysis Code, Description, Year, Period, Debit, Credit. */
export interface NhsLine {
  fields: string[];
  pence: number;
  month: number;
}

function checkMonths(months: number): void {
  if (!Number.isInteger(months) || months < 1 || months > 12) throw new Error(`months must be 1..12, got ${months}`);
}

/** The council lines, drawn one by one: the same seed and options give the same lines, and the first K of N lines are those of K. */
export function* councilLines(lines: number, seed = 1, { subjectives = 900, months = 9 }: CouncilCodes & Months = {}): Generator<CouncilLine> {
  checkMonths(months);
  const random = prng(seed);
  for (let i = 0; i < lines; i++) {
    const cc = `${COUNCIL_SCHEMES[Math.floor(random() * 4)]}${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    const outOfScope = random() < 0.001; // subjective 9100: outside the fund
    const subjective = outOfScope ? '9100' : String(5000 + Math.floor(random() * subjectives));
    const pence = Math.floor(random() * 5_000_000) - 200_000;
    const amount = pence < 0 ? `(${money(pence)})` : money(pence);
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * months); // 1 = April 2025 .. 12 = March 2026
    const calendarMonth = ((month + 2) % 12) + 1;
    const year = month <= 9 ? 2025 : 2026;
    const word = WORDS[Math.floor(random() * WORDS.length)]!.replace('’', "'");
    const date = `${String(day).padStart(2, '0')}/${String(calendarMonth).padStart(2, '0')}/${year}`;
    yield { fields: [cc, subjective, `Adult Care ${cc}`, `${word}, ref ${i}`, date, amount], pence, month };
  }
}

/** The NHS lines, drawn one by one (as councilLines). Debits are positive pence, credits negative. */
export function* nhsLines(lines: number, seed = 2, { accounts = 300, analysisCodes = 50, months = 9 }: NhsCodes & Months = {}): Generator<NhsLine> {
  checkMonths(months);
  const random = prng(seed);
  for (let i = 0; i < lines; i++) {
    const cc = `7${String(Math.floor(random() * 4))}${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    const account = String(520000 + Math.floor(random() * accounts));
    const analysis = random() < 0.001 ? 'ZZ999' : `AN${String(Math.floor(random() * analysisCodes)).padStart(3, '0')}`;
    const pence = Math.floor(random() * 8_000_000);
    const credit = random() < 0.05;
    const period = 1 + Math.floor(random() * months);
    const plain = money(pence).replace(/,/g, '');
    yield { fields: ['03N', cc, account, analysis, `Acute & community, batch ${i}`, '2025/26', String(period), credit ? '' : plain, credit ? plain : ''], pence: credit ? -pence : pence, month: period };
  }
}

/** Council shape, Windows-1252 (latin1 covers every character used here except ’, so avoid it). */
export function writeCouncilExtract(path: string, lines: number, seed = 1, options: CouncilCodes & Months = {}): Promise<number> {
  return writeLines(path, 'latin1', function* () {
    yield 'Sheffield City Council - transactions extract\r\n';
    yield 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount\r\n';
    for (const { fields: f } of councilLines(lines, seed, options)) yield `${f[0]},${f[1]},${f[2]},"${f[3]}",${f[4]},"${f[5]}"\r\n`;
    yield `,,,Total,,"${money(0)}"\r\n`;
  });
}

/** NHS shape, UTF-8 with BOM: debit and credit columns, period numbers and a year column. */
export function writeNhsExtract(path: string, lines: number, seed = 2, options: NhsCodes & Months = {}): Promise<number> {
  return writeLines(path, 'utf8', function* () {
    yield '\ufeffEntity,Cost Centre,Account,Analysis Code,Description,Year,Period,Debit,Credit\r\n';
    for (const { fields: f } of nhsLines(lines, seed, options)) yield `${f[0]},${f[1]},${f[2]},${f[3]},"${f[4]}",${f[5]},${f[6]},${f[7]},${f[8]}\r\n`;
  });
}
