// Where an archive is written: a directory (`tandem export`), or one tar file (`tandem backup`
// of a PostgreSQL store). Either is built under a temporary name beside its target and renamed
// into place only when complete and synced, so a failed or interrupted run never leaves something
// that looks like an archive. Files are readable by their owner only: they hold the whole record.
//
// The tar is POSIX ustar, readable by any tar. Each member's size is known only once its rows are
// written, so its header is written first as a placeholder and filled in afterwards (the file is
// written by position, not as a stream).

import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TAR_DIRECTORY } from './archive-format.js';
import { TandemError } from './errors.js';

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

export interface FileSink {
  write(text: string): Promise<void>;
  close(): Promise<WrittenFile>;
}

export interface ArchiveSink {
  /** Where the archive will be once finished. */
  readonly target: string;
  /** Files are written one at a time: close one before adding the next. */
  addFile(name: string): Promise<FileSink>;
  /** Makes the archive appear at its target. */
  finish(): Promise<void>;
  /** Removes what was written. */
  abort(): Promise<void>;
}

/** Text is buffered to about this many characters before each write. */
const BUFFER_CHARS = 1 << 20;

/** A file written from `position` on, hashing every byte: one class for both kinds of sink. */
class HashingWriter implements FileSink {
  private readonly hash = createHash('sha256');
  private pending = '';
  private bytes = 0;

  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly onClose: (written: WrittenFile, end: number) => Promise<void>,
  ) {}

  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= BUFFER_CHARS) await this.flush();
  }

  async close(): Promise<WrittenFile> {
    await this.flush();
    const written = { bytes: this.bytes, sha256: this.hash.digest('hex') };
    await this.onClose(written, this.position);
    return written;
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    const buffer = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.hash.update(buffer);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset, this.position);
      offset += bytesWritten;
      this.position += bytesWritten;
    }
    this.bytes += buffer.length;
  }
}

const OWNER_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/** A directory that does not exist or is empty (an archive never mixes with other files). */
async function assertFreeDirectory(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new TandemError('OUTPUT_EXISTS', `${dir} exists and is not a directory; give a new or empty directory`);
    throw error;
  }
  if (entries.length > 0) throw new TandemError('OUTPUT_EXISTS', `${dir} is not empty; give a new or empty directory (an archive is never mixed with other files)`);
}

export async function directorySink(dir: string): Promise<ArchiveSink> {
  await assertFreeDirectory(dir);
  await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
  const work = `${path.resolve(dir)}.part-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { mode: 0o700 });
  let current: FileHandle | null = null;
  return {
    target: dir,
    async addFile(name) {
      if (current) throw new Error('an archive file is still open');
      const handle = await open(path.join(work, name), OWNER_FILE, 0o600);
      current = handle;
      return new HashingWriter(handle, 0, async () => {
        await handle.sync();
        await handle.close();
        current = null;
      });
    },
    async finish() {
      if (current) throw new Error('an archive file is still open');
      await syncPath(work);
      await assertFreeDirectory(dir);
      await rmdir(dir).catch(() => {}); // an empty directory given as the target: replaced by the archive
      await rename(work, dir);
      await syncPath(path.dirname(path.resolve(dir)));
    },
    async abort() {
      await current?.close().catch(() => {});
      await rm(work, { recursive: true, force: true });
    },
  };
}

export async function tarSink(file: string): Promise<ArchiveSink> {
  if (await exists(file)) throw new TandemError('OUTPUT_EXISTS', `${file} already exists; give a new file name (a backup is never written over another)`);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const work = `${file}.part-${process.pid}`;
  await rm(work, { force: true });
  const handle = await open(work, OWNER_FILE, 0o600);
  const mtime = Math.floor(Date.now() / 1000);
  let position = 0;
  let busy = false;
  const writeAt = async (buffer: Buffer, at: number) => {
    let offset = 0;
    while (offset < buffer.length) offset += (await handle.write(buffer, offset, buffer.length - offset, at + offset)).bytesWritten;
  };
  await writeAt(tarHeader(`${TAR_DIRECTORY}/`, 0, mtime, '5'), 0);
  position = 512;
  return {
    target: file,
    async addFile(name) {
      if (busy) throw new Error('an archive file is still open');
      busy = true;
      const headerAt = position;
      await writeAt(Buffer.alloc(512), headerAt); // the placeholder, filled in on close
      return new HashingWriter(handle, headerAt + 512, async (written, end) => {
        await writeAt(tarHeader(`${TAR_DIRECTORY}/${name}`, written.bytes, mtime, '0'), headerAt);
        const padding = (512 - (written.bytes % 512)) % 512;
        if (padding > 0) await writeAt(Buffer.alloc(padding), end);
        position = end + padding;
        busy = false;
      });
    },
    async finish() {
      if (busy) throw new Error('an archive file is still open');
      await writeAt(Buffer.alloc(1024), position); // the end of archive: two zero blocks
      await handle.sync();
      await handle.close();
      if (await exists(file)) throw new TandemError('OUTPUT_EXISTS', `${file} appeared while the backup was written; the backup is left at ${work}`);
      await rename(work, file);
      await syncPath(path.dirname(path.resolve(file)));
    },
    async abort() {
      await handle.close().catch(() => {});
      await rm(work, { force: true });
    },
  };
}

/** A ustar header. Sizes of 8 GiB and more use the base-256 form GNU tar and bsdtar read. */
export function tarHeader(name: string, size: number, mtime: number, type: '0' | '5'): Buffer {
  const header = Buffer.alloc(512);
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar member name too long: ${name}`);
  nameBytes.copy(header, 0);
  const octal = (value: number, at: number, width: number) => header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, 'ascii');
  octal(type === '5' ? 0o700 : 0o600, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  if (size < 8 * 1024 ** 3) octal(size, 124, 12);
  else {
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      header[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  octal(mtime, 136, 12);
  header.write(type, 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.fill(0x20, 148, 156); // the checksum is summed with its own field as spaces
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** Whether a file (or directory) is there. */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** fsync a file or directory, so a rename that follows survives a crash with its content. */
async function syncPath(target: string): Promise<void> {
  const handle = await open(target, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
