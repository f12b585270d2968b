// Writes the example ledger extracts for M01–M03 2025-26 in the partners' real-world shapes:
//
//   ledgers/scc/2025-26-M0n.csv    the council: Windows-1252 CSV, title line, totals line,
//                                  dates 31/05/2025, credits "(1,234.56)", CRLF
//   ledgers/sccg/2025-26-M01.csv   the CCG (ISFE): UTF-8 CSV with a byte-order mark, CRLF,
//   ledgers/sccg/2025-26-M02.csv   entity + cost centre + account + analysis code, separate
//   ledgers/sccg/2025-26-M03.xlsx  Debit and Credit, period number and Year; M03 as a workbook
//
// The lines are written out below by hand (amounts as text, turned into whole pence exactly) so
// they can be read and checked; EXPECTED.md holds their totals, checked independently by
// check-expected.py. Run from the repository root: `node examples/sheffield/make-extracts.mjs`.
// The files are committed; run this only to change them (then re-run the check).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** '1234.56' or '-1234.56' → pence, exactly (no binary fractions). */
function pence(text) {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(text);
  if (!m) throw new Error(`bad amount ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

function grouped(p) {
  const abs = Math.abs(p);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** The council prints credits in brackets and groups thousands; Excel-style quoting. */
function councilAmount(p) {
  const text = p < 0 ? `(${grouped(p)})` : grouped(p);
  return text.includes(',') ? `"${text}"` : text;
}

function csvField(text) {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Windows-1252 for the few characters above ASCII used here; anything else is a mistake.
const CP1252 = { '£': 0xa3, 'é': 0xe9, '–': 0x96, '’': 0x92 };
function windows1252(text) {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0);
      if (code < 0x80) return code;
      if (CP1252[ch] === undefined) throw new Error(`no Windows-1252 byte for ${ch}`);
      return CP1252[ch];
    }),
  );
}

const CC_NAMES = {
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

// [cost centre, subjective, description, date, amount]
const COUNCIL = {
  1: {
    title: 'Sheffield City Council – Financial Ledger – BCF cost centres – Period 1 2025/26 (April 2025)',
    lines: [
      ['C4101', '5001', 'Voluntary Action Sheffield - PKW grant, April', '15/04/2025', '310000.00'],
      ['C4101', '5001', 'SOAR community hub - PKW grant, April', '15/04/2025', '145000.00'],
      ['C4102', '5002', 'Sheffield Carers Centre - contract, April', '22/04/2025', '96500.00'],
      ['C4103', '1101', 'Staff pay - April', '28/04/2025', '182640.50'],
      ['C4201', '5004', 'Medequip - equipment loans, April', '30/04/2025', '612400.00'],
      ['C4201', '9210', 'Recycled equipment credits, April', '30/04/2025', '-12350.00'],
      ['C4201', '5004', 'Medequip - specials and urgent deliveries, April', '30/04/2025', '84600.00'],
      ['C4202', '5004', 'City Wide Care Alarms - monitoring, April', '25/04/2025', '168275.00'],
      ['C4201', '8100', 'Depreciation - equipment stock, April', '30/04/2025', '21000.00'],
      ['C4203', '5004', 'Handyperson scheme - minor adaptations, April', '24/04/2025', '38900.00'],
      ['C4301', '1101', 'Staff pay - April', '28/04/2025', '742310.25'],
      ['C4301', '1501', 'Mileage and travel - April', '28/04/2025', '18420.00'],
      ['C4302', '5002', 'Bierlow House - step-down beds, April', '30/04/2025', '356000.00'],
      ['C4401', '5002', 'ContrOCC interface - residential 65+, April', '30/04/2025', '2184600.00'],
      ['C4401', '9210', 'Client contributions - residential, April', '30/04/2025', '-612450.00'],
      ['C4402', '5002', 'ContrOCC interface - nursing 65+, April', '30/04/2025', '1498300.00'],
      ['C4403', '5002', 'ContrOCC interface - home care, April', '30/04/2025', '1926750.00'],
      ['C4403', '5005', 'Direct payment – Renée Marsh, April (4 wks @ £312.50)', '14/04/2025', '1250.00'],
      ['C4404', '5002', 'Supported living - block contracts, April', '30/04/2025', '402000.00'],
      ['C4990', '9350', 'Reversal of 2024/25 year-end BCF accrual', '01/04/2025', '250000.00'],
      ['C4990', '9350', 'Contribution from NHS Sheffield CCG - April', '30/04/2025', '-7833333.33'],
      ['C4501', '5002', 'D2A beds - Davenport Grange, April', '30/04/2025', '214800.00'],
    ],
  },
  2: {
    title: 'Sheffield City Council – Financial Ledger – BCF cost centres – Period 2 2025/26 (May 2025)',
    lines: [
      ['C4101', '5001', 'Voluntary Action Sheffield - PKW grant, May', '15/05/2025', '310000.00'],
      ['C4101', '5001', 'SOAR community hub - PKW grant, May', '15/05/2025', '145000.00'],
      ['C4101', '5001', 'Age UK Sheffield - befriending, Q1', '20/05/2025', '62500.00'],
      ['C4102', '5002', 'Sheffield Carers Centre - contract, May', '22/05/2025', '96500.00'],
      ['C4103', '1101', 'Staff pay - May', '28/05/2025', '184905.75'],
      ['C4201', '5004', 'Medequip - equipment loans, May', '31/05/2025', '628150.00'],
      ['C4201', '9210', 'Recycled equipment credits, May', '31/05/2025', '-14020.00'],
      ['C4201', '5004', 'Medequip - specials and urgent deliveries, May', '31/05/2025', '79880.00'],
      ['C4202', '5004', 'City Wide Care Alarms - monitoring, May', '23/05/2025', '168275.00'],
      ['C4201', '8100', 'Depreciation - equipment stock, May', '31/05/2025', '21000.00'],
      ['C4203', '5004', 'Handyperson scheme - minor adaptations, May', '23/05/2025', '41250.00'],
      ['C4301', '1101', 'Staff pay - May', '28/05/2025', '748902.60'],
      ['C4301', '1501', 'Mileage and travel - May', '28/05/2025', '19115.40'],
      ['C4302', '5002', 'Bierlow House - step-down beds, May', '31/05/2025', '356000.00'],
      ['C4302', '5002', 'Bierlow House - additional beds, winter tail', '31/05/2025', '42000.00'],
      ['C4401', '5002', 'ContrOCC interface - residential 65+, May', '31/05/2025', '2231880.00'],
      ['C4401', '9210', 'Client contributions - residential, May', '31/05/2025', '-618300.00'],
      ['C4402', '5002', 'ContrOCC interface - nursing 65+, May', '31/05/2025', '1522640.00'],
      ['C4403', '5002', 'ContrOCC interface - home care, May', '31/05/2025', '1968410.00'],
      ['C4403', '5002', 'Home care - provider failure, emergency cover (Crookes)', '19/05/2025', '37500.00'],
      ['C4403', '5005', 'Direct payment – Renée Marsh, May (4 wks @ £312.50)', '12/05/2025', '1250.00'],
      ['C4404', '5002', 'Supported living - block contracts, May', '31/05/2025', '402000.00'],
      ['C4990', '9350', 'Contribution from NHS Sheffield CCG - May', '31/05/2025', '-7833333.33'],
      ['C4501', '5002', 'D2A beds - Davenport Grange, May', '31/05/2025', '214800.00'],
    ],
  },
  3: {
    title: 'Sheffield City Council – Financial Ledger – BCF cost centres – Period 3 2025/26 (June 2025)',
    lines: [
      ['C4101', '5001', 'Voluntary Action Sheffield - PKW grant, June', '16/06/2025', '310000.00'],
      ['C4101', '5001', 'SOAR community hub - PKW grant, June', '16/06/2025', '145000.00'],
      ['C4102', '5002', 'Sheffield Carers Centre - contract, June', '23/06/2025', '96500.00'],
      ['C4103', '1101', 'Staff pay - June', '27/06/2025', '185012.30'],
      ['C4201', '5004', 'Medequip - equipment loans, June', '30/06/2025', '634700.00'],
      ['C4201', '9210', 'Recycled equipment credits, June', '30/06/2025', '-13480.00'],
      ['C4201', '5004', 'Medequip - specials and urgent deliveries, June', '30/06/2025', '81320.00'],
      ['C4202', '5004', 'City Wide Care Alarms - monitoring, June', '24/06/2025', '168275.00'],
      ['C4201', '8100', 'Depreciation - equipment stock, June', '30/06/2025', '21000.00'],
      ['C4203', '5004', 'Handyperson scheme - minor adaptations, June', '24/06/2025', '39600.00'],
      ['C4301', '1101', 'Staff pay - June', '27/06/2025', '751230.90'],
      ['C4301', '1501', 'Mileage and travel - June', '27/06/2025', '18760.10'],
      ['C4302', '5002', 'Bierlow House - step-down beds, June', '30/06/2025', '356000.00'],
      ['C4401', '5002', 'ContrOCC interface - residential 65+, June', '30/06/2025', '2246310.00'],
      ['C4401', '5002', 'Residential 65+ - backdated fee uplift Apr-May (£4.20/wk)', '30/06/2025', '28644.00'],
      ['C4401', '9210', 'Client contributions - residential, June', '30/06/2025', '-621940.00'],
      ['C4402', '5002', 'ContrOCC interface - nursing 65+, June', '30/06/2025', '1531200.00'],
      ['C4403', '5002', 'ContrOCC interface - home care, June', '30/06/2025', '1989460.00'],
      ['C4403', '5005', 'Direct payment – Renée Marsh, June (5 wks @ £312.50)', '16/06/2025', '1562.50'],
      ['C4404', '5002', 'Supported living - block contracts, June', '30/06/2025', '402000.00'],
      ['C4990', '9350', 'Contribution from NHS Sheffield CCG - June', '30/06/2025', '-7833333.33'],
      ['C4501', '5002', 'D2A beds - Davenport Grange, June', '30/06/2025', '214800.00'],
      ['C4501', '1101', 'D2A - discharge coordinators, staff pay June', '27/06/2025', '48210.00'],
    ],
  },
};

// [cost centre, account, analysis code, description, amount: positive = debit, negative = credit]
const NHS = {
  1: [
    ['709100', '521900', 'BCF00', 'Contribution to BCF pooled budget - April', '7833333.33'],
    ['703100', '521300', 'ASR01', 'STH - intermediate care contract, April', '2500000.00'],
    ['703100', '521300', 'ASR02', 'SHSC - community beds, April', '700000.00'],
    ['703200', '521500', 'CHC01', 'CHC packages - care homes, April', '2184500.00'],
    ['703200', '521500', 'CHC01', 'CHC packages - home care, April', '1046300.00'],
    ['703200', '521500', 'CHC02', 'Funded nursing care, April', '352800.00'],
    ['703200', '521500', 'CHC01', 'CHC - refund of overpayment, Rowan Care Home', '-18640.00'],
    ['703300', '521600', 'PKW01', 'GP care planning - LES, April', '486000.00'],
    ['703300', '521600', 'PKW01', 'Social prescribing - April', '94512.48'],
    ['702100', '521100', 'NEL01', 'STH - non-elective admissions, April', '6950000.00'],
    ['702100', '521100', 'NEL01', 'Rotherham FT - non-elective, April', '212500.00'],
    ['702100', '521100', 'NEL01', 'Barnsley FT - non-elective, April', '148300.00'],
    ['702100', '521100', 'NEL01', 'STH - activity challenge credit, Q4 2024/25', '-58420.00'],
    ['709900', '520100', 'ADM01', 'Running costs - Sheffield place team, April', '412750.00'],
    ['703100', '521300', 'ASR03', 'Virtual ward - frailty, April', '165000.00'],
    ['703200', '521500', '', 'Care home invoice - Woodland View (uncoded)', '23450.00'],
  ],
  2: [
    ['709100', '521900', 'BCF00', 'Contribution to BCF pooled budget - May', '7833333.33'],
    ['703100', '521300', 'ASR01', 'STH - intermediate care contract, May', '2500000.00'],
    ['703100', '521300', 'ASR02', 'SHSC - community beds, May', '700000.00'],
    ['703200', '521500', 'CHC01', 'CHC packages - care homes, May', '2215800.00'],
    ['703200', '521500', 'CHC01', 'CHC packages - home care, May', '1061250.00'],
    ['703200', '521500', 'CHC02', 'Funded nursing care, May', '355950.25'],
    ['703200', '521500', 'CHC01', 'CHC - retrospective review refund, Hallam Nursing', '-42310.00'],
    ['703200', '521500', '', 'Care home invoice - Woodland View (uncoded) - reversal', '-23450.00'],
    ['703200', '521500', 'CHC01', 'Care home invoice - Woodland View (recoded from April)', '23450.00'],
    ['703300', '521600', 'PKW01', 'GP care planning - LES, May', '486000.00'],
    ['703300', '521600', 'PKW01', 'Social prescribing - May', '94512.48'],
    ['702100', '521100', 'NEL01', 'STH - non-elective admissions, May', '7080000.00'],
    ['702100', '521100', 'NEL01', 'Rotherham FT - non-elective, May', '219400.00'],
    ['702100', '521100', 'NEL01', 'Barnsley FT - non-elective, May', '151750.00'],
    ['702100', '521100', 'NEL01', 'Chesterfield Royal - non-elective, May', '96200.00'],
    ['709900', '520100', 'ADM01', 'Running costs - Sheffield place team, May', '409880.00'],
    ['703100', '521300', 'ASR03', 'Virtual ward - frailty, May', '172500.00'],
  ],
  3: [
    ['709100', '521900', 'BCF00', 'Contribution to BCF pooled budget - June', '7833333.33'],
    ['703100', '521300', 'ASR01', 'STH - intermediate care contract, June', '2500000.00'],
    ['703100', '521300', 'ASR01', 'STH - intermediate care, Q1 CQUIN adjustment', '-62500.00'],
    ['703100', '521300', 'ASR02', 'SHSC - community beds, June', '700000.00'],
    ['703200', '521500', 'CHC01', 'CHC packages - care homes, June', '2238900.00'],
    ['703200', '521500', 'CHC01', 'CHC packages - home care, June', '1072400.00'],
    ['703200', '521500', 'CHC02', 'Funded nursing care, June', '358100.00'],
    ['703300', '521600', 'PKW01', 'GP care planning - LES, June', '486000.00'],
    ['703300', '521600', 'PKW01', 'Social prescribing - June', '94512.48'],
    ['703400', '521700', 'ILS01', 'Wheelchair service contribution to ICES, Q1', '45000.00'],
    ['702100', '521100', 'NEL01', 'STH - non-elective admissions, June', '7215000.00'],
    ['702100', '521100', 'NEL01', 'Rotherham FT - non-elective, June', '224850.00'],
    ['702100', '521100', 'NEL01', 'Barnsley FT - non-elective, June', '149900.00'],
    ['702100', '521100', 'NEL01', 'Chesterfield Royal - non-elective, June', '88300.00'],
    ['709900', '520100', 'ADM01', 'Running costs - Sheffield place team, June', '415120.00'],
    ['703100', '521300', 'ASR03', 'Virtual ward - frailty, June', '181250.00'],
  ],
};

const NHS_HEADER = ['Entity', 'Cost Centre', 'Account', 'Analysis Code', 'Description', 'Year', 'Period', 'Debit', 'Credit'];

function councilCsv(month) {
  const { title, lines } = COUNCIL[month];
  const rows = [title, 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount'];
  let total = 0;
  for (const [cc, subjective, description, date, amount] of lines) {
    const p = pence(amount);
    total += p;
    rows.push([cc, subjective, csvField(CC_NAMES[cc]), csvField(description), date, councilAmount(p)].join(','));
  }
  rows.push(`,,,Total for period,,${councilAmount(total)}`);
  return windows1252(rows.map((row) => `${row}\r\n`).join(''));
}

function plain(p) {
  return `${Math.floor(Math.abs(p) / 100)}.${String(Math.abs(p) % 100).padStart(2, '0')}`;
}

function nhsCsv(month) {
  const rows = [NHS_HEADER.join(',')];
  for (const [cc, account, analysis, description, amount] of NHS[month]) {
    const p = pence(amount);
    rows.push(['03N', cc, account, analysis, csvField(description), '2025/26', String(month), p > 0 ? plain(p) : '', p < 0 ? plain(p) : ''].join(','));
  }
  return Buffer.from(`\ufeff${rows.map((row) => `${row}\r\n`).join('')}`, 'utf8');
}

/** ISFE's Excel export: codes that look like numbers are numbers, amounts are numbers, blanks are empty. */
async function nhsXlsx(month) {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ISFE GL extract';
  workbook.created = new Date(Date.UTC(2025, 6, 4, 9, 0, 0));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('GL Extract', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(NHS_HEADER).font = { bold: true };
  for (const [cc, account, analysis, description, amount] of NHS[month]) {
    const p = pence(amount);
    // Pence / 100 is the nearest double to the two-decimal amount, which Excel itself would store.
    const money = Math.abs(p) / 100;
    sheet.addRow(['03N', Number(cc), Number(account), analysis === '' ? null : analysis, description, '2025/26', month, p > 0 ? money : null, p < 0 ? money : null]);
  }
  sheet.getColumn(8).numFmt = '#,##0.00';
  sheet.getColumn(9).numFmt = '#,##0.00';
  sheet.columns.forEach((column, i) => (column.width = [8, 12, 10, 14, 52, 9, 8, 16, 16][i]));
  return withFixedZipTimes(Buffer.from(await workbook.xlsx.writeBuffer()));
}

/**
 * exceljs stamps each zip entry with the time of writing; a fixed stamp (2025-07-04 09:00) makes
 * the workbook's bytes the same on every run, so regenerating changes nothing. Walks the central
 * directory and patches the DOS time and date of each entry and of its local header.
 */
function withFixedZipTimes(zip) {
  const time = (9 << 11) | (0 << 5) | 0;
  const date = ((2025 - 1980) << 9) | (7 << 5) | 4;
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('not a zip central directory entry');
    zip.writeUInt16LE(time, at + 12);
    zip.writeUInt16LE(date, at + 14);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('not a zip local header');
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return zip;
}

function write(relative, bytes) {
  const path = join(HERE, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  console.log(`wrote ${relative} (${bytes.length} bytes)`);
}

for (const month of [1, 2, 3]) write(`ledgers/scc/2025-26-M0${month}.csv`, councilCsv(month));
write('ledgers/sccg/2025-26-M01.csv', nhsCsv(1));
write('ledgers/sccg/2025-26-M02.csv', nhsCsv(2));
write('ledgers/sccg/2025-26-M03.xlsx', await nhsXlsx(3));
