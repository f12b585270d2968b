// Reading an archive: a directory of files, or a tar holding one (as `tandem backup` writes for
// PostgreSQL, or as an auditor may have packed the directory). A tar is not unpacked: its index
// of members is read once, and each member is streamed straight from its place in the file.
// Lines are split from the raw bytes as they stream, and every byte goes through the hash.

import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { TandemError } from './errors.js';

export type BackupKind = 'sqlite' | 'tar' | 'directory';

export interface ArchiveSource {
  readonly path: string;
  readonly kind: 'directory' | 'tar';
  /** The files the archive holds (names without any directory). */
  names(): string[];
  size(name: string): number | undefined;
  stream(name: string): Readable;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const READ_CHUNK = 1 << 20;

/** What a backup file is, by its first bytes (a directory is an archive directory). */
export async function detectBackup(file: string): Promise<BackupKind | 'unknown'> {
  const info = await statOrThrow(file);
  if (info.isDirectory()) return 'directory';
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 16 && head.subarray(0, 16).equals(SQLITE_MAGIC)) return 'sqlite';
    if (bytesRead === 512 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
    return 'unknown';
  } finally {
    await handle.close();
  }
}

export async function openArchiveSource(file: string): Promise<ArchiveSource> {
  const kind = await detectBackup(file);
  if (kind === 'directory') return directorySource(file);
  if (kind === 'tar') return tarSource(file);
  throw new TandemError('BACKUP_UNRECOGNISED', `${file} is neither a Tandem archive (a directory, or a tar of one) nor a SQLite database`);
}

async function statOrThrow(file: string) {
  try {
    return await stat(file);
  } catch {
    throw new TandemError('FILE_NOT_FOUND', `${file} does not exist`);
  }
}

async function directorySource(dir: string): Promise<ArchiveSource> {
  const sizes = new Map<string, number>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) sizes.set(entry.name, (await stat(path.join(dir, entry.name))).size);
  }
  return {
    path: dir,
    kind: 'directory',
    names: () => [...sizes.keys()],
    size: (name) => sizes.get(name),
    stream: (name) => createReadStream(path.join(dir, name), { highWaterMark: READ_CHUNK }),
  };
}

interface TarMember {
  offset: number;
  size: number;
}

async function tarSource(file: string): Promise<ArchiveSource> {
  const members = await tarIndex(file);
  return {
    path: file,
    kind: 'tar',
    names: () => [...members.keys()],
    size: (name) => members.get(name)?.size,
    stream(name) {
      const m = members.get(name);
      if (!m || m.size === 0) return Readable.from([]);
      return createReadStream(file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: READ_CHUNK });
    },
  };
}

/** Regular members by name (inside the archive's one directory), read from the headers alone. */
async function tarIndex(file: string): Promise<Map<string, TarMember>> {
  const damaged = (message: string) => new TandemError('ARCHIVE_INVALID', `${file} is not a readable tar: ${message}; nothing was written`, [{ code: 'TAR_INVALID', message, file }]);
  const handle = await open(file, 'r');
  const members = new Map<string, TarMember>();
  try {
    const total = (await handle.stat()).size;
    const header = Buffer.alloc(512);
    for (let at = 0; ; ) {
      const { bytesRead } = await handle.read(header, 0, 512, at);
      if (bytesRead < 512) throw damaged(`it ends inside the header at byte ${at} (cut short?)`);
      if (header.every((b) => b === 0)) break;
      if (!checksumOk(header)) throw damaged(`the header at byte ${at} is damaged (checksum)`);
      const size = tarSize(header);
      const type = String.fromCharCode(header[156]!);
      const name = tarName(header);
      const data = at + 512;
      if (data + size > total) throw damaged(`member ${name} runs past the end of the file (cut short?)`);
      if (type === '0' || type === '\0') {
        const inner = name.replace(/^\.\//, '').split('/').filter((p) => p !== '');
        const base = inner.length === 2 || inner.length === 1 ? inner.at(-1)! : null; // files in the top directory only
        if (base !== null) {
          if (members.has(base)) throw damaged(`it holds ${base} twice`);
          members.set(base, { offset: data, size });
        }
      }
      at = data + Math.ceil(size / 512) * 512;
    }
  } finally {
    await handle.close();
  }
  return members;
}

function checksumOk(header: Buffer): boolean {
  const stored = parseInt(header.toString('latin1', 148, 156).replace(/[\0 ]+$/g, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return stored === sum;
}

function tarSize(header: Buffer): number {
  if ((header[124]! & 0x80) !== 0) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(header[i]!);
    return Number(size);
  }
  return parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
}

function tarName(header: Buffer): string {
  const field = (from: number, to: number) => {
    const end = header.indexOf(0, from);
    return header.toString('utf8', from, end === -1 || end > to ? to : end);
  };
  const name = field(0, 100);
  const prefix = header.toString('latin1', 257, 262) === 'ustar' ? field(345, 500) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** A file's size, SHA-256 and number of lines, and whether its last byte ends a line. */
export interface FileScan {
  bytes: number;
  sha256: string;
  lines: number;
  endsWithNewline: boolean;
}

export async function scanFile(source: ArchiveSource, name: string, hash: Hash, onBytes?: (n: number) => void): Promise<FileScan> {
  let bytes = 0;
  let lines = 0;
  let last = 10;
  for await (const chunk of source.stream(name) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
    onBytes?.(chunk.length);
  }
  return { bytes, sha256: hash.digest('hex'), lines, endsWithNewline: last === 10 };
}

/**
 * The file's lines (without their newlines), a chunk at a time, every byte hashed. A last line
 * without a newline is yielded as it is; scanFile has already refused such a file.
 */
export async function* readLines(source: ArchiveSource, name: string, hash: Hash): AsyncGenerator<string[]> {
  let rest: Buffer | null = null;
  for await (const chunk of source.stream(name) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    const buffer: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    for (let nl = buffer.indexOf(10); nl !== -1; nl = buffer.indexOf(10, start)) {
      lines.push(buffer.toString('utf8', start, nl));
      start = nl + 1;
    }
    rest = start < buffer.length ? buffer.subarray(start) : null;
    if (lines.length > 0) yield lines;
  }
  if (rest) yield [rest.toString('utf8')];
}

export async function readSmallText(source: ArchiveSource, name: string, limit: number): Promise<string | undefined> {
  const size = source.size(name);
  if (size === undefined) return undefined;
  if (size > limit) throw new TandemError('ARCHIVE_INVALID', `${name} in ${source.path} is ${size} bytes, more than a manifest can be`, [{ code: 'MANIFEST_INVALID', message: `${size} bytes`, file: name }]);
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream(name) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
