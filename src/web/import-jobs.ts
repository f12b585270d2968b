// Uploads imported in the background, so the page can show progress (issue 6): the upload is
// saved to a private temporary file, `importBatch` runs on it with a progress callback, and the
// job keeps how far it got and how it ended. Jobs live in this process's memory only — the
// record of an import is its batch (or, for a rejected file, nothing at all, by design); a job
// is just the uploader's view of the work, kept for an hour after it ends.
//
// A job belongs to the session that started it: its id is unguessable and it is shown only to a
// request carrying that session's cookie (checked by hash, without the database — on SQLite the
// import holds the one connection until it commits, and the progress must still be answered).

import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { ImportResult } from '../app/import-batch.js';
import { TandemError } from '../app/errors.js';
import type { SessionInfo } from '../app/users.js';

export type JobState = 'running' | 'imported' | 'rejected' | 'failed';

export interface ImportJob {
  id: string;
  /** SHA-256 (hex) of the session token of the user who uploaded the file. */
  sessionKey: string;
  /** The uploader as signed in when the job started (for the page frame while the database is busy). */
  session: SessionInfo;
  ledgerId: string;
  ledgerName: string;
  fileName: string;
  fileBytes: number;
  bytesRead: number;
  state: JobState;
  startedAt: Date;
  finishedAt: Date | null;
  result: ImportResult | null;
  error: TandemError | null;
}

/** What a job looks like to the page's script (no personal data, no paths). */
export interface JobStatus {
  state: JobState;
  bytesRead: number;
  fileBytes: number;
  percent: number;
}

const KEEP_MS = 60 * 60 * 1000;
const MAX_JOBS = 200;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(private readonly now: () => Date) {}

  /**
   * Starts `work` on the uploaded file (in `tempDir`, removed when the work ends, whatever
   * happens) and returns the job at once. `work` reports progress through the callback.
   */
  start(
    owner: { sessionKey: string; session: SessionInfo },
    file: { ledgerId: string; ledgerName: string; fileName: string; fileBytes: number; tempDir: string },
    work: (onProgress: (bytesRead: number, fileBytes: number) => void) => Promise<ImportResult>,
  ): ImportJob {
    this.prune();
    const job: ImportJob = {
      id: randomBytes(18).toString('base64url'),
      ...owner,
      ledgerId: file.ledgerId,
      ledgerName: file.ledgerName,
      fileName: file.fileName,
      fileBytes: file.fileBytes,
      bytesRead: 0,
      state: 'running',
      startedAt: this.now(),
      finishedAt: null,
      result: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    const onProgress = (bytesRead: number, fileBytes: number) => {
      job.bytesRead = bytesRead;
      job.fileBytes = fileBytes;
    };
    void work(onProgress)
      .then((result) => {
        job.result = result;
        job.state = 'imported';
        job.bytesRead = job.fileBytes;
      })
      .catch((error: unknown) => {
        if (error instanceof TandemError) {
          job.state = 'rejected';
          job.error = error;
        } else {
          // A bug or an outage, not the file: logged for the operator, a plain sentence for the user.
          console.error(error);
          job.state = 'failed';
          job.error = new TandemError('INTERNAL', 'the import failed because of a problem in Tandem, not in the file; nothing was imported');
        }
      })
      .finally(() => {
        job.finishedAt = this.now();
        void rm(file.tempDir, { recursive: true, force: true });
      });
    return job;
  }

  /** The job, if it exists and belongs to the session with this key. */
  get(id: string, sessionKey: string | null): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job && sessionKey !== null && job.sessionKey === sessionKey ? job : undefined;
  }

  status(job: ImportJob): JobStatus {
    const percent = job.state !== 'running' ? 100 : job.fileBytes > 0 ? Math.min(99, Math.floor((job.bytesRead * 100) / job.fileBytes)) : 0;
    return { state: job.state, bytesRead: job.bytesRead, fileBytes: job.fileBytes, percent };
  }

  /** Drops jobs that ended over an hour ago, and the oldest ended ones beyond MAX_JOBS. */
  private prune(): void {
    const cutoff = this.now().getTime() - KEEP_MS;
    const ended = [...this.jobs.values()].filter((j) => j.finishedAt !== null);
    for (const job of ended) if (job.finishedAt!.getTime() < cutoff) this.jobs.delete(job.id);
    const excess = this.jobs.size - MAX_JOBS;
    if (excess > 0) for (const job of ended.sort((a, b) => a.finishedAt!.getTime() - b.finishedAt!.getTime()).slice(0, excess)) this.jobs.delete(job.id);
  }
}
