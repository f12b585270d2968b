// Writing one month of one ledger in that ledger's own extract shape, streamed in chunks so that
// 100,000 lines a month never become one giant string:
//
//   council (scc)  Windows-1252, CRLF, a title line, `Cost Centre,Subjective,Cost Centre Name,
//                  Description,Transaction Date,Amount`, dates 31/07/2025, credits "(1,234.56)",
//                  a totals line whose amount is the sum of the lines
//   CCG (sccg)     UTF-8 with a byte-order mark, CRLF, `Entity,Cost Centre,Account,Analysis Code,
//                  Description,Year,Period,Debit,Credit`, Year 2025/26 and Period 1..12
//
// Each item gets one line, and the lines the month has to spare are shared among the items with
// payees in proportion to their amounts; an item's amount is split exactly over its lines, a few
// of which are credit notes.

import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { formatPounds, invariant } from '../domain/money.js';
import type { Item } from './catalogue.js';
import { councilTitle } from './catalogue.js';
import type { LedgerId, MonthCalendar } from './plan.js';
import { between, type Random } from './random.js';

export const COUNCIL_HEADER = 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount';
export const CCG_HEADER = 'Entity,Cost Centre,Account,Analysis Code,Description,Year,Period,Debit,Credit';

const COST_CENTRE_NAMES: Readonly<Record<string, string>> = {
  C4101: 'People Keeping Well - Community Support',
  C4102: 'People Keeping Well - Carers',
  C4103: 'People Keeping Well - Local Area Coordination',
  C4201: 'Community Equipment Service',
  C4202: 'Telecare',
  C4203: 'Minor Adaptations',
  C4301: 'Short Term Intervention Team (STIT)',
  C4302: 'Intermediate Care Beds',
  C4401: 'Residential Care 65+',
  C4402: 'Nursing Care 65+',
  C4403: 'Home Care',
  C4404: 'Supported Living',
  C4501: 'Discharge to Assess',
  C4990: 'BCF Pool Control',
};

const CHUNK_CHARS = 1 << 18;
const CREDIT_RATE = 0.04;
/** An item is spread over at most one line per £10 of its amount. */
const MIN_LINE_PENCE = 10_00;

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CP1252: Readonly<Record<string, string>> = { '€': '\x80', '‘': '\x91', '’': '\x92', '“': '\x93', '”': '\x94', '–': '\x96', '—': '\x97' };

/** Windows-1252 bytes of the text; a character it cannot hold is a bug in the catalogue. */
export function windows1252(text: string): Buffer {
  const mapped = text.replace(/[^\x00-\x7f\xa0-\xff]/g, (ch) => {
    const byte = CP1252[ch];
    if (byte === undefined) throw new RangeError(`no Windows-1252 byte for "${ch}"`);
    return byte;
  });
  return Buffer.from(mapped, 'latin1');
}

/** The council's amount: thousands grouped, credits in brackets, quoted when it holds a comma. */
export function councilAmount(pence: number): string {
  const text = formatPounds(Math.abs(pence));
  const shown = pence < 0 ? `(${text})` : text;
  return text.includes(',') ? `"${shown}"` : shown;
}

/** How many lines each item gets: one each, then the spare lines shared by amount among items with payees. */
export function lineCounts(items: readonly Item[], linesPerMonth: number): number[] {
  const counts = items.map(() => 1);
  const spreadable = items.flatMap((item, i) => (item.payees !== null && item.pence > 0 ? [i] : []));
  const spare = linesPerMonth - items.length;
  if (spare <= 0 || spreadable.length === 0) return counts;
  const total = spreadable.reduce((sum, i) => sum + items[i]!.pence, 0);
  const remainders: { i: number; fraction: number }[] = [];
  let given = 0;
  for (const i of spreadable) {
    const exact = (spare * items[i]!.pence) / total;
    counts[i]! += Math.floor(exact);
    given += Math.floor(exact);
    remainders.push({ i, fraction: exact - Math.floor(exact) });
  }
  remainders.sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  for (let j = 0; j < spare - given && j < remainders.length; j++) counts[remainders[j]!.i]! += 1;
  for (const i of spreadable) counts[i] = Math.max(1, Math.min(counts[i]!, Math.floor(items[i]!.pence / MIN_LINE_PENCE)));
  return counts;
}

/** `pence` as `count` line amounts that add back exactly: a few credit notes, the rest positive. */
export function splitPence(pence: number, count: number, random: Random): Float64Array {
  const out = new Float64Array(count);
  if (count === 1) {
    out[0] = pence;
    return out;
  }
  const weights = new Float64Array(count);
  const average = pence / count;
  let credits = 0;
  let total = 0;
  let last = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0 && random() < CREDIT_RATE) {
      const credit = Math.max(1, Math.round(average * between(random, 0.05, 0.3)));
      out[i] = -credit;
      credits += credit;
    } else {
      weights[i] = 0.3 + 1.4 * random();
      total += weights[i]!;
      last = i;
    }
  }
  const positive = pence + credits;
  let acc = 0;
  let before = 0;
  for (let i = 0; i < count; i++) {
    if (weights[i] === 0) continue;
    acc += weights[i]!;
    const upTo = i === last ? positive : Math.round((positive * acc) / total);
    out[i] = upTo - before;
    before = upTo;
  }
  return out;
}

export interface LedgerMonth {
  ledger: LedgerId;
  cal: MonthCalendar;
  items: readonly Item[];
  counts: readonly number[];
  random: Random;
}

/** Writes the file; returns its number of lines and their total. */
export async function writeLedgerMonth(path: string, month: LedgerMonth): Promise<{ lines: number; totalPence: number }> {
  const { ledger, cal, items, counts, random } = month;
  const council = ledger === 'scc';
  const encode = council ? windows1252 : (text: string) => Buffer.from(text, 'utf8');
  const handle: FileHandle = await open(path, 'w');
  let text = council ? `${councilTitle(cal)}\r\n${COUNCIL_HEADER}\r\n` : `\ufeff${CCG_HEADER}\r\n`;
  let lines = 0;
  let totalPence = 0;
  let ref = cal.month * 1_000_000;
  try {
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const amounts = splitPence(item.pence, counts[i]!, random);
      const [costCentre, second, third] = item.codes as [string, string, string?];
      const prefix = council ? `${costCentre},${second},${csvField(COST_CENTRE_NAMES[costCentre] ?? costCentre)},` : `03N,${costCentre},${second},${third ?? ''},`;
      const single = amounts.length === 1;
      for (let j = 0; j < amounts.length; j++) {
        const pence = amounts[j]!;
        invariant(Number.isSafeInteger(pence) && pence !== 0, `line amount ${pence} of "${item.text}"`);
        let description = item.text;
        let day = item.day;
        if (!single) {
          const payee = item.payees![Math.floor(random() * item.payees!.length)]!;
          ref += 1;
          description = pence < 0 ? `${item.text} - ${payee}, credit note ${ref}` : `${item.text} - ${payee}, ref ${ref}`;
          if (j > 0) day = 1 + Math.floor(random() * cal.days);
        }
        text += council
          ? `${prefix}${csvField(description)},${cal.dates[day]},${councilAmount(pence)}\r\n`
          : `${prefix}${csvField(description)},2025/26,${cal.month},${pence > 0 ? formatPounds(pence, { grouping: false }) : ''},${pence < 0 ? formatPounds(-pence, { grouping: false }) : ''}\r\n`;
        lines += 1;
        totalPence += pence;
        if (text.length >= CHUNK_CHARS) {
          await handle.write(encode(text));
          text = '';
        }
      }
    }
    if (council) text += `,,,Total for period,,${councilAmount(totalPence)}\r\n`;
    await handle.write(encode(text));
  } finally {
    await handle.close();
  }
  invariant(Number.isSafeInteger(totalPence), 'file total stays exact');
  return { lines, totalPence };
}
