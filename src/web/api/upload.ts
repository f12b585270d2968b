// A file sent as the raw request body (ledger extracts, forecasts): its type checked from
// Content-Type, its size from Content-Length before a byte is read and again while it streams
// to a private temporary directory (a missing or false Content-Length cannot get past the
// limit), then handed to the use case by path and always deleted afterwards.

import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'hono';
import { ApiError } from './errors.js';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type UploadFormat = 'csv' | 'xlsx';
const FORMATS: Record<string, UploadFormat> = { [CSV_TYPE]: 'csv', [XLSX_TYPE]: 'xlsx' };

/** 100 MiB: a year of a large partner's ledger as CSV is well under this. */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes.toLocaleString('en-GB')} bytes`;
  return `${(bytes / (1024 * 1024)).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
}

/** The upload's format from its Content-Type (parameters such as charset ignored), or 415. */
export function uploadFormat(c: Context, accepted: readonly UploadFormat[]): UploadFormat {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format = FORMATS[type];
  if (format === undefined || !accepted.includes(format)) {
    const wanted = accepted.map((f) => (f === 'csv' ? `${CSV_TYPE} (CSV)` : `${XLSX_TYPE} (XLSX)`)).join(' or ');
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `the file must be sent as the request body with Content-Type ${wanted}; got ${type === '' ? 'no Content-Type' : `"${type}"`}`);
  }
  return format;
}

function tooLarge(limit: number): ApiError {
  return new ApiError('UPLOAD_TOO_LARGE', `the file is larger than the upload limit of ${size(limit)}; split the extract (for example one file per month) and upload each part`);
}

/** A safe file name for the upload: the client's (letters, digits, dot, dash, underscore) or a default. */
export function uploadName(given: string | undefined, fallback: string, format: UploadFormat): string {
  const base = (given ?? '').replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 100);
  const name = base === '' ? fallback : base;
  return name.toLowerCase().endsWith(`.${format}`) ? name : `${name}.${format}`;
}

/**
 * Streams the request body to `<temp dir>/<name>`, runs `work` on that path, and removes the
 * directory whatever happens. 413 when Content-Length or the bytes received exceed `limit`.
 */
export async function withUploadedFile<T>(c: Context, options: { name: string; limit: number }, work: (path: string) => Promise<T>): Promise<T> {
  const declared = c.req.header('Content-Length');
  if (declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > options.limit) throw tooLarge(options.limit);
  const dir = await mkdtemp(join(tmpdir(), 'tandem-upload-'));
  try {
    const path = join(dir, options.name);
    await saveBody(c.req.raw.body, path, options.limit);
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function saveBody(body: ReadableStream<Uint8Array> | null, path: string, limit: number): Promise<void> {
  const file = await open(path, 'wx', 0o600);
  try {
    if (body === null) return;
    const reader = body.getReader();
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        await reader.cancel();
        throw tooLarge(limit);
      }
      await file.write(value);
    }
  } finally {
    await file.close();
  }
}
