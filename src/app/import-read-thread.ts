// Where an import reads its file: on a worker thread for a big file, so decoding, parsing and
// mapping (import-read.ts) run on the second core while this thread writes rows; in this
// thread for a small one, where starting a worker (loading the reader's modules again, ~40 ms)
// would cost more than it saves. Both give the same events in the same order.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readExtractEvents, type ReadEvent, type ReadInput, type WorkerMessage } from './import-read.js';

/** Files of at least this many bytes (~12,000 lines of a typical extract) are read on a worker. */
export const WORKER_MIN_BYTES = 1024 * 1024;

/** auto: by WORKER_MIN_BYTES; the others force one way (tests cover both). */
export type ReaderPlace = 'auto' | 'this-thread' | 'worker';

export function readExtract(input: ReadInput, fileBytes: number, place: ReaderPlace = 'auto'): AsyncGenerator<ReadEvent, void, undefined> {
  const onWorker = place === 'worker' || (place === 'auto' && fileBytes >= WORKER_MIN_BYTES);
  return onWorker ? readOnWorker(input) : readExtractEvents(input);
}

/**
 * The worker's events in order. Asking for the next event tells the worker this one is done
 * (it keeps at most MAX_EVENTS_AHEAD unanswered); returning early or throwing stops the worker.
 */
async function* readOnWorker(input: ReadInput): AsyncGenerator<ReadEvent, void, undefined> {
  const worker = new Worker(workerFile(), { workerData: input });
  const inbox: WorkerMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    inbox.push(message);
    poke();
  });
  worker.on('error', (error) => {
    failure = error;
    poke();
  });
  worker.on('exit', () => {
    exited = true;
    poke();
  });
  try {
    for (;;) {
      const message = inbox.shift();
      if (message === undefined) {
        if (failure !== null) throw failure;
        if (exited) throw new Error('the import reader thread stopped before the end of the file');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.kind === 'failed') throw readerFailure(message);
      yield message.event;
      if (message.event.kind === 'end' || message.event.kind === 'refused') return;
      worker.postMessage('done');
    }
  } finally {
    await worker.terminate();
  }
}

function readerFailure(message: Extract<WorkerMessage, { kind: 'failed' }>): Error {
  const error = new Error(`import reader thread: ${message.message}`);
  error.name = message.name;
  if (message.stack !== undefined) error.stack = `${error.name}: ${error.message}\n--- in the reader thread ---\n${message.stack}`;
  return error;
}

/**
 * The compiled worker. Under vitest this module runs from its TypeScript source, which a worker
 * thread cannot load: tests use the build (`npm test` builds first).
 */
function workerFile(): URL {
  const here = import.meta.url;
  const file = here.endsWith('.ts') ? new URL('../../dist/src/app/import-read-worker.js', here) : new URL('./import-read-worker.js', here);
  if (!existsSync(fileURLToPath(file))) throw new Error(`the import reader ${fileURLToPath(file)} is missing: run npm run build`);
  return file;
}
