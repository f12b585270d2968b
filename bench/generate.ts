// Deterministic ledger extracts for benchmarks, in the two shapes of a real fund: the council's
// CSV (cost centre + subjective, Windows-1252, "(1,234.56)" credits, quoted descriptions with
// commas, dates 31/05/2025) and the NHS body's CSV (entity + cost centre + account + analysis
// code, separate debit/credit columns, period numbers with a year column). Seeded, so the same
// --lines gives the same bytes on every machine. Written with a buffered stream: memory stays
// flat whatever the size. How many values the drawn codes take is a parameter: the defaults (the
// import benchmark's) make nearly one code combination per line; bench/close.ts asks for fewer,
// as real ledgers have, so a month holds a few thousand combinations.

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

async function writeLines(path: string, encoding: 'latin1' | 'utf8', lines: () => Generator<string>): Promise<number> {
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

/** Council shape, Windows-1252 (latin1 covers every character used here except ’, so avoid it). */
export function writeCouncilExtract(path: string, lines: number, seed = 1, { subjectives = 900 }: CouncilCodes = {}): Promise<number> {
  const random = prng(seed);
  return writeLines(path, 'latin1', function* () {
    yield 'Sheffield City Council - transactions extract\r\n';
    yield 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount\r\n';
    for (let i = 0; i < lines; i++) {
      const cc = `${COUNCIL_SCHEMES[Math.floor(random() * 4)]}${String(Math.floor(random() * 100)).padStart(2, '0')}`;
      const outOfScope = random() < 0.001; // subjective 9100: outside the fund
      const subjective = outOfScope ? '9100' : String(5000 + Math.floor(random() * subjectives));
      const pence = Math.floor(random() * 5_000_000) - 200_000;
      const amount = pence < 0 ? `"(${money(pence)})"` : `"${money(pence)}"`;
      const day = 1 + Math.floor(random() * 28);
      const month = 4 + Math.floor(random() * 9); // April..December 2025
      const word = WORDS[Math.floor(random() * WORDS.length)]!.replace('’', "'");
      yield `${cc},${subjective},Adult Care ${cc},"${word}, ref ${i}",${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/2025,${amount}\r\n`;
    }
    yield `,,,Total,,"${money(0)}"\r\n`;
  });
}

/** NHS shape, UTF-8 with BOM: debit and credit columns, period numbers and a year column. */
export function writeNhsExtract(path: string, lines: number, seed = 2, { accounts = 300, analysisCodes = 50 }: NhsCodes = {}): Promise<number> {
  const random = prng(seed);
  return writeLines(path, 'utf8', function* () {
    yield '\ufeffEntity,Cost Centre,Account,Analysis Code,Description,Year,Period,Debit,Credit\r\n';
    for (let i = 0; i < lines; i++) {
      const cc = `7${String(Math.floor(random() * 4))}${String(Math.floor(random() * 100)).padStart(2, '0')}`;
      const account = String(520000 + Math.floor(random() * accounts));
      const analysis = random() < 0.001 ? 'ZZ999' : `AN${String(Math.floor(random() * analysisCodes)).padStart(3, '0')}`;
      const pence = Math.floor(random() * 8_000_000);
      const credit = random() < 0.05;
      const period = 1 + Math.floor(random() * 9);
      yield `03N,${cc},${account},${analysis},"Acute & community, batch ${i}",2025/26,${period},${credit ? '' : money(pence).replace(/,/g, '')},${credit ? money(pence).replace(/,/g, '') : ''}\r\n`;
    }
  });
}
