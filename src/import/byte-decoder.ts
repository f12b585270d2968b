// Bytes to text in the ledger's declared encoding, chunk by chunk. Invalid bytes are an error
// (FILE_ENCODING), never silently replaced: a replaced `£` would change what a line says.
// A UTF-8 byte order mark is taken at its word even when the settings say Windows-1252, because
// a file re-saved by Excel as "CSV UTF-8" starts with one, and reading it as Windows-1252 would
// turn the first header name into `ï»¿Cost Centre`.
// A NUL byte is refused in either encoding: no text export writes one (a UTF-16 "Unicode text"
// file is full of them), and PostgreSQL cannot store it in a text column.

export type Encoding = 'utf-8' | 'windows-1252';

/** Where decoding failed: the offset of the bad byte in the chunk (-1 if not known) and why. */
export interface DecodeError {
  offset: number;
  reason: string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Bytes Windows-1252 leaves undefined; WHATWG's decoder maps them to control characters instead of failing. */
const UNDEFINED_IN_1252 = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

/**
 * Windows-1252's characters for bytes 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ).
 * Some Node 20 builds (20.20.x, nodejs/node#60888) decode these bytes as the C1 control
 * characters U+0080–U+009F instead, so an en dash in a council's description would be stored
 * as a control character. Those code points cannot come from a Windows-1252 file otherwise, so
 * mapping them back is exact on every Node version.
 */
const C1_TO_1252: Record<number, string> = {
  0x80: '\u20ac', 0x82: '\u201a', 0x83: '\u0192', 0x84: '\u201e', 0x85: '\u2026', 0x86: '\u2020', 0x87: '\u2021',
  0x88: '\u02c6', 0x89: '\u2030', 0x8a: '\u0160', 0x8b: '\u2039', 0x8c: '\u0152', 0x8e: '\u017d', 0x91: '\u2018',
  0x92: '\u2019', 0x93: '\u201c', 0x94: '\u201d', 0x95: '\u2022', 0x96: '\u2013', 0x97: '\u2014', 0x98: '\u02dc',
  0x99: '\u2122', 0x9a: '\u0161', 0x9b: '\u203a', 0x9c: '\u0153', 0x9e: '\u017e', 0x9f: '\u0178',
};

function fixC1(text: string): string {
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => C1_TO_1252[c.charCodeAt(0)] ?? c) : text;
}

export class ByteDecoder {
  private decoder: TextDecoder | null = null;
  private encoding: Encoding;
  /** The platform decoder failed (and so reset itself): a partial character it held is gone. */
  private broken = false;

  constructor(declared: Encoding) {
    this.encoding = declared;
  }

  /** Text of the next chunk (an incomplete character at its end waits for the next chunk). */
  decode(bytes: Uint8Array): string | DecodeError {
    if (this.decoder === null) {
      if (startsWithBom(bytes)) this.encoding = 'utf-8';
      // ignoreBOM false: the decoder drops a leading BOM itself
      this.decoder = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: false });
    }
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      return { offset: nul, reason: 'byte 0x00 (NUL) cannot appear in a CSV file: it may be UTF-16 ("Unicode text") or not text at all; export it as CSV' };
    }
    if (this.encoding === 'windows-1252') {
      const offset = firstUndefined1252(bytes);
      if (offset >= 0) return { offset, reason: `byte 0x${hex(bytes[offset]!)} is not a character in Windows-1252` };
    }
    try {
      const text = this.decoder.decode(bytes, { stream: true });
      return this.encoding === 'windows-1252' ? fixC1(text) : text;
    } catch {
      this.broken = true;
      const offset = firstInvalidUtf8(bytes);
      const byte = offset >= 0 ? bytes[offset]! : -1;
      const hint = byte === 0xa3 ? ' (0xA3 is £ in Windows-1252: the file may be Windows-1252, not UTF-8)' : '';
      return { offset, reason: `the file is not valid UTF-8${byte >= 0 ? `: byte 0x${hex(byte)} cannot appear here` : ''}${hint}` };
    }
  }

  /**
   * The text of `bytes` before `offset`, where `decode` found a fault: all of it valid, so the
   * lines before the fault can be counted. (After a UTF-8 failure the platform decoder has
   * reset, so the prefix is decoded afresh, without a character begun in the previous chunk.)
   */
  validPrefix(bytes: Uint8Array, offset: number): string {
    try {
      if (!this.broken && this.decoder !== null) {
        const text = this.decoder.decode(bytes.subarray(0, offset), { stream: true });
        return this.encoding === 'windows-1252' ? fixC1(text) : text;
      }
      let start = 0;
      while (start < 3 && start < offset && (bytes[start]! & 0xc0) === 0x80) start++;
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, offset), { stream: true });
    } catch {
      return '';
    }
  }

  /** Whatever is left at the end of the file: an incomplete character is an error. */
  end(): string | DecodeError {
    if (this.decoder === null) return '';
    try {
      return this.decoder.decode();
    } catch {
      return { offset: -1, reason: 'the file ends in the middle of a UTF-8 character' };
    }
  }
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

function firstUndefined1252(bytes: Uint8Array): number {
  let first = -1;
  for (const value of UNDEFINED_IN_1252) {
    const at = bytes.indexOf(value);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/**
 * The offset of the first byte that makes the chunk invalid UTF-8, found by bisection with the
 * platform decoder (only on the error path). Leading continuation bytes belong to a character
 * begun in the previous chunk and are skipped. -1 if the fault straddles the chunk boundary.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let start = 0;
  while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  const fails = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  if (!fails(bytes.length - start)) return -1;
  let low = 1;
  let high = bytes.length - start; // fails(high) holds
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (fails(middle)) high = middle;
    else low = middle + 1;
  }
  return leadOfBrokenCharacter(bytes, start + high - 1);
}

/**
 * The decoder fails on the byte after a character that was cut short (`ï` from Windows-1252,
 * 0xEF, then an ASCII `s`); the byte to blame is the one that began that character.
 */
function leadOfBrokenCharacter(bytes: Uint8Array, failedAt: number): number {
  const failing = bytes[failedAt]!;
  if (failing >= 0x80 && failing < 0xc0) return failedAt; // a stray continuation byte is itself the fault
  for (let back = 1; back <= 3 && failedAt - back >= 0; back++) {
    const byte = bytes[failedAt - back]!;
    if (byte >= 0xc0) return failedAt - back;
    if (byte < 0x80) break;
  }
  return failedAt;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
