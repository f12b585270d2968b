// What each ledger holds in a month of the demo's synthetic year: the recurring items of the
// hand-made M01–M03 extracts (make-extracts.mjs) with the same codes, so the same mapping rules
// place them — grants, contracts and block payments at set amounts, ContrOCC and CHC interfaces
// sharing out the rest of each scheme's monthly spend — plus what the rules keep out (council
// depreciation 8100 and the C4990 pool control; the CCG's 5219xx contribution and 709900
// running costs) and what no rule maps yet (C4203, C4501 Discharge to Assess, ASR03, uncoded
// invoices). Items with payees may be spread over many lines (see lines.ts).

import { invariant } from '../domain/money.js';
import { ledgerPart, SCHEMES, type LedgerId, type MonthCalendar, type SchemeId } from './plan.js';
import { between, penceBetween, pick, randomFor, type Random } from './random.js';

export interface Item {
  scheme: SchemeId | null;
  /** Council: cost centre, subjective. CCG: cost centre, account, analysis code (entity 03N). */
  codes: readonly string[];
  text: string;
  /** Day of the month (the council's Transaction Date). */
  day: number;
  pence: number;
  /** Who the item's lines may be spread over; null: always one line. */
  payees: readonly string[] | null;
}

interface Spec extends Omit<Item, 'pence'> {
  fixed?: number;
  weight?: number;
}

export const CARE_HOMES = ['Abbeydale Court', 'Ashgate Lodge', 'Birchwood Grange', 'Brincliffe House', 'Cairn Court', 'Dovecote Lodge', 'Ecclesfield Grange', 'Gleadless Manor', 'Hallam Nursing', 'Hillsborough Court', 'Kenwood Grange', 'Loxley View', 'Meersbrook Court', 'Norton Grange', 'Rivelin Park', 'Rowan Care Home', 'Stannington View', 'Totley Rise', 'Wadsley Park', 'Whirlow Gardens', 'Woodland View', 'Résidence Beauchief'];
const HOME_CARE = ['Don Valley Care', 'Five Weirs Homecare', 'Kelham Care Services', 'Millhouses Home Support', 'Northern Home Care', 'Peak Homecare', 'Porter Brook Support', 'Sheaf Homecare'];
const LAC_TEAMS = ['LAC Burngreave', 'LAC Darnall', 'LAC Firth Park', 'LAC Gleadless', 'LAC Hillsborough', 'LAC Manor'];
const STIT_TEAMS = ['STIT North', 'STIT South', 'STIT East', 'STIT West', 'Reablement nights', 'Therapy team'];
const GROUPS = ['Firth Park community café', 'Gleadless Valley lunch club', "Parson Cross men's shed", 'Lowedges tenants association', 'Woodhouse walking group', 'Shiregreen carers group'];
const EQUIPMENT = ['beds and mattresses', 'hoists and slings', 'bathing aids', 'seating', 'pressure care', 'walking aids', 'toileting', 'collections and cleaning'];
const PCNS = ['Porter Valley PCN', 'Hillsborough PCN', 'Foundry PCN', 'Peak Edge PCN', 'Heeley Plus PCN', 'Upper Don Valley PCN'];
const SPECIALTIES = ['acute medicine', 'geriatric medicine', 'respiratory', 'cardiology', 'general surgery', 'trauma and orthopaedics', 'stroke', 'gastroenterology', 'paediatrics', 'A&E conversions'];
const ASR_ACTIVITY = ['spot-purchased beds', 'night sitting', 'therapy input', 'discharge support'];

/** The council's title line, as its ledger prints it. */
export function councilTitle(cal: MonthCalendar): string {
  return `Sheffield City Council – Financial Ledger – BCF cost centres – Period ${cal.month} 2025/26 (${cal.name} ${cal.year})`;
}

function councilSpecs(cal: MonthCalendar, random: Random): Spec[] {
  const { month: m, name: n, days: end } = cal;
  const g = 1 + 0.012 * (m - 3); // care-home placements and fees keep growing
  const weeks = cal.mondays.length;
  const specs: Spec[] = [
    fix('pkw', ['C4101', '5001'], `Voluntary Action Sheffield - PKW grant, ${n}`, 15, 310_000_00),
    fix('pkw', ['C4101', '5001'], `SOAR community hub - PKW grant, ${n}`, 15, 145_000_00),
    share('pkw', ['C4101', '5001'], `Community grants - small grants programme, ${n}`, 18, 12, GROUPS),
    fix('pkw', ['C4102', '5002'], `Sheffield Carers Centre - contract, ${n}`, 22, 96_500_00),
    share('pkw', ['C4103', '1101'], `Staff pay - ${n}`, 28, 88, LAC_TEAMS),
    share('ils', ['C4201', '5004'], `Medequip - equipment loans, ${n}`, end, 90, EQUIPMENT),
    share('ils', ['C4201', '9210'], `Recycled equipment credits, ${n}`, end, -2),
    share('ils', ['C4201', '5004'], `Medequip - specials and urgent deliveries, ${n}`, end, 12, EQUIPMENT),
    fix('ils', ['C4202', '5004'], `City Wide Care Alarms - monitoring, ${n}`, 24, 168_275_00),
    fix(null, ['C4201', '8100'], `Depreciation - equipment stock, ${n}`, end, 21_000_00),
    share('asr', ['C4301', '1101'], `Staff pay - ${n}`, 28, 97, STIT_TEAMS),
    share('asr', ['C4301', '1501'], `Mileage and travel - ${n}`, 28, 2.5, STIT_TEAMS),
    fix('asr', ['C4302', '5002'], `Bierlow House - step-down beds, ${n}`, end, 356_000_00),
  ];
  if (m >= 8) specs.push(fix('asr', ['C4302', '5002'], `Bierlow House - additional winter beds, ${n}`, end, 42_000_00));
  if (random() < 0.85) specs.push(fix(null, ['C4203', '5004'], `Handyperson scheme - minor adaptations, ${n}`, 24, penceBetween(random, 37_000_00, 43_500_00, 10_00)));
  specs.push(
    share('lths', ['C4401', '5002'], `ContrOCC interface - residential 65+, ${n}`, end, 40.3 * g, CARE_HOMES),
    share('lths', ['C4401', '9210'], `Client contributions - residential, ${n}`, end, -11.1 * g),
    share('lths', ['C4402', '5002'], `ContrOCC interface - nursing 65+, ${n}`, end, 27.5 * g, CARE_HOMES),
    share('lths', ['C4403', '5002'], `ContrOCC interface - home care, ${n}`, end, 35.7, HOME_CARE),
    fix('lths', ['C4403', '5005'], `Direct payment – Renée Marsh, ${n} (${weeks} wks @ £312.50)`, cal.mondays[1]!, weeks * 312_50),
    fix('lths', ['C4404', '5002'], `Supported living - block contracts, ${n}`, end, 402_000_00),
    fix(null, ['C4990', '9350'], `Contribution from NHS Sheffield CCG - ${n}`, end, -7_833_333_33),
    fix(null, ['C4501', '5002'], `D2A beds - Davenport Grange, ${n}`, end, 214_800_00),
    fix(null, ['C4501', '1101'], `D2A - discharge coordinators, staff pay ${n}`, 27, penceBetween(random, 47_500_00, 52_000_00, 1)),
  );
  return specs;
}

/** A care-home invoice keyed without an analysis code in month m (reversed and recoded the next). */
function uncodedInvoice(seed: number, month: number): { home: string; pence: number } | null {
  if (month < 4 || month > 12) return null;
  const random = randomFor(seed, 'uncoded', month);
  if (random() >= 0.4) return null;
  return { home: pick(random, CARE_HOMES), pence: penceBetween(random, 8_000_00, 32_000_00, 50_00) };
}

function ccgSpecs(cal: MonthCalendar, random: Random, seed: number, previous: MonthCalendar | null): Spec[] {
  const { month: m, name: n } = cal;
  const quarter = m / 3;
  const g = 1 + 0.01 * (m - 3);
  const specs: Spec[] = [
    fix(null, ['709100', '521900', 'BCF00'], `Contribution to BCF pooled budget - ${n}`, 1, 7_833_333_33),
    fix('asr', ['703100', '521300', 'ASR01'], `STH - intermediate care contract, ${n}`, 1, 2_500_000_00),
  ];
  if (m % 3 === 0) specs.push(fix('asr', ['703100', '521300', 'ASR01'], `STH - intermediate care, Q${quarter} CQUIN adjustment`, 1, -62_500_00));
  specs.push(
    share('asr', ['703100', '521300', 'ASR01'], `STH - intermediate care, additional activity ${n}`, 1, 1, ASR_ACTIVITY),
    fix('asr', ['703100', '521300', 'ASR02'], `SHSC - community beds, ${n}`, 1, 700_000_00),
    share('lths', ['703200', '521500', 'CHC01'], `CHC packages - care homes, ${n}`, 1, 61 * g, CARE_HOMES),
    share('lths', ['703200', '521500', 'CHC01'], `CHC packages - home care, ${n}`, 1, 29, HOME_CARE),
    share('lths', ['703200', '521500', 'CHC02'], `Funded nursing care, ${n}`, 1, 10, CARE_HOMES),
    fix('lths', ['703200', '521500', 'CHC01'], `CHC - refund of overpayment, ${pick(random, CARE_HOMES)}`, 1, -penceBetween(random, 8_000_00, 45_000_00, 10_00)),
  );
  const before = previous === null ? null : uncodedInvoice(seed, previous.month);
  if (before !== null && previous !== null) {
    specs.push(
      fix(null, ['703200', '521500', ''], `Care home invoice - ${before.home} (uncoded) - reversal`, 1, -before.pence),
      fix('lths', ['703200', '521500', 'CHC01'], `Care home invoice - ${before.home} (recoded from ${previous.name})`, 1, before.pence),
    );
  }
  specs.push(
    fix('pkw', ['703300', '521600', 'PKW01'], `GP care planning - LES, ${n}`, 1, 486_000_00),
    share('pkw', ['703300', '521600', 'PKW01'], `Social prescribing - ${n}`, 1, 1, PCNS),
  );
  if (m % 3 === 0) specs.push(fix('ils', ['703400', '521700', 'ILS01'], `Wheelchair service contribution to ICES, Q${quarter}`, 1, 45_000_00));
  specs.push(
    share('nel', ['702100', '521100', 'NEL01'], `STH - non-elective admissions, ${n}`, 1, 94, SPECIALTIES),
    share('nel', ['702100', '521100', 'NEL01'], `Rotherham FT - non-elective, ${n}`, 1, 2.9, SPECIALTIES),
    share('nel', ['702100', '521100', 'NEL01'], `Barnsley FT - non-elective, ${n}`, 1, 2.0, SPECIALTIES),
    share('nel', ['702100', '521100', 'NEL01'], `Chesterfield Royal - non-elective, ${n}`, 1, 1.15, SPECIALTIES),
  );
  if (previous !== null && random() < 0.3) specs.push(fix('nel', ['702100', '521100', 'NEL01'], `STH - activity challenge credit, ${previous.name}`, 1, -penceBetween(random, 20_000_00, 90_000_00, 10_00)));
  specs.push(
    fix(null, ['709900', '520100', 'ADM01'], `Running costs - Sheffield place team, ${n}`, 1, penceBetween(random, 405_000_00, 418_000_00, 10_00)),
    fix(null, ['703100', '521300', 'ASR03'], `Virtual ward - frailty, ${n}`, 1, 181_250_00 + 8_000_00 * (m - 3) + penceBetween(random, -2_500_00, 2_500_00, 250_00)),
  );
  const now = uncodedInvoice(seed, m);
  if (now !== null) specs.push(fix(null, ['703200', '521500', ''], `Care home invoice - ${now.home} (uncoded)`, 1, now.pence));
  return specs;
}

/**
 * The month's items with their amounts: set amounts as given, and each scheme's remaining part
 * (ledgerPart less its set items) shared among its weighted items, weights jittered ±3%, in
 * whole pence that add back exactly.
 */
export function monthItems(ledger: LedgerId, cal: MonthCalendar, previous: MonthCalendar | null, seed: number, targets: Record<SchemeId, number>): Item[] {
  const random = randomFor(seed, ledger, cal.month, 'items');
  const specs = ledger === 'scc' ? councilSpecs(cal, random) : ccgSpecs(cal, random, seed, previous);
  const amounts = new Map<Spec, number>();
  for (const scheme of SCHEMES) {
    const mine = specs.filter((s) => s.scheme === scheme);
    let rest = ledgerPart(ledger, scheme, cal.month, targets[scheme]);
    for (const s of mine) if (s.fixed !== undefined) rest -= s.fixed;
    const weighted = mine.filter((s) => s.weight !== undefined);
    const weights = weighted.map((s) => s.weight! * between(random, 0.97, 1.03));
    const total = weights.reduce((a, b) => a + b, 0);
    invariant(weighted.length > 0 || rest === 0, `${ledger} ${scheme} M${cal.month}: ${rest} pence with no item to carry it`);
    let acc = 0;
    let before = 0;
    weighted.forEach((s, i) => {
      acc += weights[i]!;
      const upTo = i === weighted.length - 1 ? rest : Math.round((rest * acc) / total);
      amounts.set(s, upTo - before);
      before = upTo;
    });
  }
  return specs.map((spec) => {
    const { fixed, weight, ...item } = spec;
    const pence = fixed ?? amounts.get(spec);
    invariant(pence !== undefined && (weight === undefined) === (fixed !== undefined), `item "${item.text}" needs an amount or a weight`);
    return { ...item, pence };
  });
}

function fix(scheme: SchemeId | null, codes: string[], text: string, day: number, pence: number): Spec {
  return { scheme, codes, text, day, payees: null, fixed: pence };
}

function share(scheme: SchemeId, codes: string[], text: string, day: number, weight: number, payees: readonly string[] | null = null): Spec {
  return { scheme, codes, text, day, payees, weight };
}
