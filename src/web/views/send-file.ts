// Files made for one download: generated into a fresh temporary directory by the same use cases
// as the CLI, then streamed to the browser with a safe Content-Disposition. The directory is
// removed as soon as the file is open (the open handle keeps the data readable on POSIX), or,
// where removal of an open file fails, when the stream closes — so nothing is left behind even
// when the client goes away mid-download.

import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  journal: 'text/plain; charset=utf-8',
} as const;

export type ContentKind = keyof typeof CONTENT_TYPES;

/** A download name with nothing a header or a file system could misread: [A-Za-z0-9._-] only. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned === '' ? 'download' : cleaned.slice(0, 150);
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'tandem-download-'));
}

/**
 * Runs `make` in a fresh temporary directory; `make` returns the file to send (inside the
 * directory) or null. Whatever happens, the directory goes away (see the header).
 */
export async function sendGenerated(make: (dir: string) => Promise<{ file: string; name: string; kind: ContentKind } | null>): Promise<Response | null> {
  const dir = await makeTempDir();
  let handed = false;
  try {
    const made = await make(dir);
    if (!made) return null;
    const resolved = path.resolve(made.file);
    if (!resolved.startsWith(dir + path.sep)) throw new Error(`refusing to send ${resolved}: not inside the download's own directory`);
    const handle = await open(resolved, 'r');
    const { size } = await handle.stat();
    const stream = handle.createReadStream();
    handed = true;
    try {
      await rm(dir, { recursive: true, force: true });
    } catch {
      stream.once('close', () => void rm(dir, { recursive: true, force: true }).catch(() => undefined));
    }
    const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'Content-Type': CONTENT_TYPES[made.kind],
        'Content-Length': String(size),
        'Content-Disposition': `attachment; filename="${safeFileName(made.name)}"`,
      },
    });
  } finally {
    if (!handed) await rm(dir, { recursive: true, force: true });
  }
}
