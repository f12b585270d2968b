// The import's reader thread: runs readExtractEvents on the file named in workerData and posts
// each event to the main thread, which answers every event it has finished with a message. At
// most MAX_EVENTS_AHEAD events are unanswered at once, so a slow store (PostgreSQL over a network)
// holds the reader back instead of letting parsed chunks pile up in memory.

import { parentPort, workerData } from 'node:worker_threads';
import { MAX_EVENTS_AHEAD, readExtractEvents, transferables, type ReadInput, type WorkerMessage } from './import-read.js';

const port = parentPort;
if (port === null) throw new Error('import-read-worker.ts runs only as a worker thread');

let credit = MAX_EVENTS_AHEAD;
let waiting: (() => void) | null = null;
port.on('message', () => {
  credit += 1;
  waiting?.();
});

try {
  for await (const event of readExtractEvents(workerData as ReadInput)) {
    while (credit === 0) await new Promise<void>((resolve) => (waiting = resolve));
    waiting = null;
    credit -= 1;
    port.postMessage({ kind: 'event', event } satisfies WorkerMessage, transferables(event));
  }
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  port.postMessage({ kind: 'failed', name: e.name, message: e.message, stack: e.stack } satisfies WorkerMessage);
} finally {
  port.close();
}
