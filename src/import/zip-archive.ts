// Reading parts of a zip archive (an XLSX workbook) through its central directory, the list of
// entries at the end of the file. exceljs's own streaming unzip reads entries in stored order
// from one pass and, on Node 20, sometimes loses the last entries (exceljs issue #3064), waits
// forever on a damaged entry, and cannot tell a truncated file from a whole one. Here every part
// is found by its directory record, read with a bounded file stream, inflated by zlib, and
// checked against its CRC-32, so damage is an error, never a hang or silently missing data.
// A part that inflates past the size its directory record declares is cut off there (a zip
// bomb declares small sizes and inflates to gigabytes), so the declared sizes, which the
// workbook reader holds to the ledger's limit, bound what is ever inflated.

import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Bad input, with a reason a finance officer can act on. */
export class ZipError extends Error {
  override readonly name = 'ZipError';
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const OLE_SIGNATURE = 0xe011cfd0; // .xls files, and password-protected .xlsx files
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_EXTRA = 0x0001;
const MASK_32 = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 1;
/** Far beyond any ledger's directory; guards against reading a corrupt size. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** An XLSX workbook has a few dozen parts; a directory of more is not one (and would fill memory). */
export const MAX_ENTRIES = 100_000;

const TRUNCATED = 'the file cannot be read as an XLSX workbook: it is truncated or damaged';

export class ZipArchive {
  private constructor(
    readonly path: string,
    readonly size: number,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Read the directory of the zip at `path`; a ZipError if it is not a whole zip archive. */
  static async open(path: string, size: number): Promise<ZipArchive> {
    const file = await open(path, 'r');
    try {
      const read = async (position: number, length: number): Promise<Buffer> => {
        if (position < 0 || length < 0 || position + length > size) throw new ZipError(`${TRUNCATED} (a part lies beyond the end of the file)`);
        const buffer = Buffer.alloc(length);
        await file.read(buffer, 0, length, position);
        return buffer;
      };
      const head = await read(0, Math.min(size, 4));
      if (head.length < 4 || head.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipError(notZipReason(head));
      const { offset, length } = await findDirectory(read, size);
      if (length > MAX_DIRECTORY_BYTES) throw new ZipError(`${TRUNCATED} (its zip directory is implausibly large)`);
      const entries = parseDirectory(await read(offset, length));
      return new ZipArchive(path, size, entries);
    } finally {
      await file.close();
    }
  }

  /**
   * The inflated bytes of one part as a stream that fails (rather than ends early) if the data
   * is damaged. `onRead` is told how far into the file reading has got, for progress.
   */
  async openEntry(entry: ZipEntry, onRead?: (position: number) => void): Promise<Readable> {
    if (entry.flags & ENCRYPTED_FLAG) throw new ZipError('the workbook is password-protected; save an unprotected copy');
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw new ZipError(`the workbook uses a compression method Tandem cannot read (${entry.method}); save it again from Excel`);
    }
    const header = Buffer.alloc(30);
    const file = await open(this.path, 'r');
    try {
      await file.read(header, 0, 30, entry.localHeaderOffset);
    } finally {
      await file.close();
    }
    if (header.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipError(`${TRUNCATED} (part ${entry.name} is not where the directory says)`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > this.size) throw new ZipError(`${TRUNCATED} (part ${entry.name} runs past the end of the file)`);
    // a stored empty part has no bytes at all, and a file stream cannot be asked for none
    const raw =
      entry.compressedSize === 0 ? Readable.from([]) : createReadStream(this.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
    if (onRead) {
      let position = start;
      raw.on('data', (chunk: Buffer) => {
        position += chunk.length;
        onRead(position);
      });
    }
    const check = new CrcCheck(entry);
    const inflated = entry.method === DEFLATED ? raw.pipe(createInflateRaw()) : raw;
    // pipe() does not pass errors on: forward them, so whoever reads `check` sees them
    raw.on('error', (error: Error) => check.destroy(error));
    if (inflated !== raw) inflated.on('error', (error: Error) => check.destroy(new ZipError(`${TRUNCATED} (${entry.name}: ${error.message})`)));
    // a reader that gives up early (or a failed check) releases the file and the inflater
    check.on('close', () => {
      raw.destroy();
      if (inflated !== raw) inflated.destroy();
    });
    return inflated.pipe(check);
  }
}

/**
 * Passes bytes through, and fails at the end unless their count and CRC-32 match the directory;
 * fails at once when they run past the declared size, so no more is inflated.
 */
class CrcCheck extends Transform {
  private crc = 0;
  private bytes = 0;

  constructor(private readonly entry: ZipEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.size) {
      done(new ZipError(`${TRUNCATED} (part ${this.entry.name} inflates to more than the ${this.entry.size} bytes its zip directory declares)`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.entry.size || this.crc >>> 0 !== this.entry.crc >>> 0) {
      done(new ZipError(`${TRUNCATED} (part ${this.entry.name} does not match its checksum)`));
    } else done();
  }
}

type ReadAt = (position: number, length: number) => Promise<Buffer>;

async function findDirectory(read: ReadAt, size: number): Promise<{ offset: number; length: number }> {
  const tailBytes = Math.min(size, END_RECORD_BYTES + MAX_COMMENT_BYTES);
  const tail = await read(size - tailBytes, tailBytes);
  for (let at = tailBytes - END_RECORD_BYTES; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_OF_DIRECTORY) continue;
    const endOffset = size - tailBytes + at;
    let length = tail.readUInt32LE(at + 12);
    let offset = tail.readUInt32LE(at + 16);
    if (offset === MASK_32 || length === MASK_32) {
      // zip64: the real figures are in a zip64 end record, found through the locator before this one
      const locator = await read(endOffset - 20, 20);
      if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) continue;
      const end64 = await read(Number(locator.readBigUInt64LE(8)), 56);
      if (end64.readUInt32LE(0) !== ZIP64_END) continue;
      length = Number(end64.readBigUInt64LE(40));
      offset = Number(end64.readBigUInt64LE(48));
    }
    if (offset + length <= endOffset) return { offset, length };
  }
  throw new ZipError(`${TRUNCATED} (its zip directory is missing)`);
}

function parseDirectory(directory: Buffer): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  while (at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_HEADER) {
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    const entry: ZipEntry = {
      name,
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    applyZip64(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.set(name, entry);
    if (entries.size > MAX_ENTRIES) throw new ZipError(`the file is not an XLSX workbook: its zip directory lists more than ${MAX_ENTRIES} parts`);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== directory.length) throw new ZipError(`${TRUNCATED} (its zip directory is damaged)`);
  return entries;
}

/** Sizes and offsets too large for 32 bits are in the zip64 extra field, in this order. */
function applyZip64(entry: ZipEntry, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA) {
      let field = at + 4;
      const next = (): number => {
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (entry.size === MASK_32) entry.size = next();
      if (entry.compressedSize === MASK_32) entry.compressedSize = next();
      if (entry.localHeaderOffset === MASK_32) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

function notZipReason(head: Buffer): string {
  if (head.length === 4 && head.readUInt32LE(0) === OLE_SIGNATURE) {
    return 'the file is an Excel 97-2003 (.xls) workbook or a password-protected one; save it as an unprotected .xlsx';
  }
  return 'the file is not an XLSX workbook (it is not a zip archive)';
}
