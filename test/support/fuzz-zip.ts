// Zip parts in and out for the import fuzz (test/fuzz-import.test.ts, bench/fuzz.ts): unpack a
// workbook into its parts, change a part's XML, and pack it again with true checksums, so a
// mutation reaches exceljs's XML parsers instead of stopping at the CRC check; or pack parts
// that lie about their sizes (zip bombs). Written independently of src/import/zip-archive.ts,
// so a bug there is not copied into the harness that tests it.

import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Buffer;
  /** Store rather than deflate. */
  stored?: boolean;
  /** Already deflated bytes to write as they are (with `data` left empty), e.g. a bomb built in pieces. */
  deflated?: Buffer;
  /** What the directory says the part inflates to (a lie, for bombs); default the truth. */
  declaredSize?: number;
  /** The CRC-32 written; default the true one of `data`. */
  crc?: number;
}

/** The parts of a zip archive, read through its central directory (no zip64, no encryption). */
export function unzipParts(zip: Buffer): ZipPart[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const parts: ZipPart[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    if (!name.endsWith('/')) parts.push({ name, data: method === 0 ? Buffer.from(raw) : inflateRawSync(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return parts;
}

/** A zip archive of the parts, in order (deflated at level 1: the fuzz makes many). */
export function zipParts(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const packed = part.deflated ?? (part.stored ? part.data : deflateRawSync(part.data, { level: 1 }));
    const method = part.stored && part.deflated === undefined ? 0 : 8;
    const name = Buffer.from(part.name, 'utf8');
    const crc = part.crc ?? crc32(part.data);
    const size = part.declaredSize ?? part.data.length;
    const header = (signature: number, length: number): Buffer => {
      const b = Buffer.alloc(length);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(Math.min(size, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    const central = header(0x02014b50, 46);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(Math.min(size, 0xffffffff), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    directory.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directoryBytes = directory.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directoryBytes, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The workbook parts every one-sheet workbook needs besides its sheet (and shared strings). */
export function workbookParts(withSharedStrings: boolean): ZipPart[] {
  const rels = [`<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`];
  if (withSharedStrings) rels.push(`<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  const text = (name: string, xml: string): ZipPart => ({ name, data: Buffer.from(xml, 'utf8') });
  return [
    text('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    text('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    text('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    text('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}">${rels.join('')}</Relationships>`),
  ];
}

/** `<c>` XML escaping for text. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Column letters of a 1-based column number (1 → A, 16384 → XFD). */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** How a workbook built from text rows writes its cells. */
export interface XlsxOptions {
  /** Texts in a shared-strings part (as Excel writes them) instead of inline. */
  sharedStrings?: boolean;
  /** A cell's own XML (given its reference and text), instead of the plain one; null: plain. */
  cell?: (row: number, column: number, ref: string, text: string) => string | null;
}

/** A one-sheet workbook of text rows (an empty text makes no cell). */
export function xlsxOf(rows: string[][], options: XlsxOptions = {}): Buffer {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const shared = (text: string): number => {
    let at = index.get(text);
    if (at === undefined) {
      at = strings.push(text) - 1;
      index.set(text, at);
    }
    return at;
  };
  const body = rows.map((cells, r) => {
    const xml = cells.map((text, c) => {
      const ref = `${columnLetters(c + 1)}${r + 1}`;
      const own = options.cell?.(r + 1, c + 1, ref, text);
      if (own !== null && own !== undefined) return own;
      if (text === '') return '';
      if (options.sharedStrings) return `<c r="${ref}" t="s"><v>${shared(text)}</v></c>`;
      return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(text)}</t></is></c>`;
    });
    return `<row r="${r + 1}">${xml.join('')}</row>`;
  });
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${body.join('')}</sheetData></worksheet>`;
  const parts = [...workbookParts(options.sharedStrings === true), { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet, 'utf8') }];
  if (options.sharedStrings) {
    const items = strings.map((text) => `<si><t xml:space="preserve">${xmlEscape(text)}</t></si>`).join('');
    parts.push({ name: 'xl/sharedStrings.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${items}</sst>`, 'utf8') });
  }
  return zipParts(parts);
}
