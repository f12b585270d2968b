// The import reads big files on a worker thread and small ones on the main thread
// (src/app/import-read-thread.ts). Both places must store exactly the same thing: the same lines,
// totals, digest and results, the same problems for a bad file, and nothing at all when the
// reader fails. Each test forces the place; the worker runs the build (npm test builds first).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch, type ImportResult } from '../src/app/import-batch.js';
import type { ReaderPlace } from '../src/app/import-read-thread.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import type { Store } from '../src/store/types.js';
import { rejection } from './support/rejection.js';
import { storeFactories, type TestStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const COUNCIL_HEADER = 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount';

const context = (store: Store): AppContext => ({ store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });

/** Everything an import stores of a batch, and its result without the timing. */
async function storedBatch(store: Store, result: ImportResult) {
  const { seconds: _seconds, ...rest } = result;
  const batch = await store.getBatch(result.batchId);
  return {
    result: rest,
    lines: await store.getLines(result.batchId, 0, 1_000_000),
    totals: await store.batchLineTotals(result.batchId),
    schemeTotals: await store.batchSchemeTotals(result.batchId),
    digest: await store.getBatchDigest(result.batchId),
    batch: { lineCount: batch?.lineCount, controlTotalPence: batch?.controlTotalPence, periods: batch?.periods },
  };
}

function councilFile(dir: string, name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(['Title line', COUNCIL_HEADER, ...rows, ',,,Total,,"0.00"', ''].join('\r\n'), 'latin1'));
  return path;
}

for (const factory of storeFactories()) {
  describe(`the import's reader on a worker thread and on this one [${factory.dialect}]`, () => {
    const opened: TestStore[] = [];
    const fresh = async () => {
      const s = await factory.create();
      opened.push(s);
      await loadAgreement(context(s.store), join(EXAMPLE, 'agreement.yaml'));
      return s.store;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.dispose();
    });

    it('store the same lines, totals, digests and results for every example extract', async () => {
      const places: ReaderPlace[] = ['worker', 'this-thread'];
      const [onWorker, here] = await Promise.all(places.map(fresh));
      const extracts = exampleExtracts(EXAMPLE);
      expect(extracts.length).toBeGreaterThan(3);
      for (const e of extracts) {
        const a = await importBatch(context(onWorker!), { ledgerId: e.ledgerId, path: e.path, reader: 'worker' });
        const b = await importBatch(context(here!), { ledgerId: e.ledgerId, path: e.path, reader: 'this-thread' });
        expect(a.status).toBe('imported');
        const stored = await storedBatch(onWorker!, a);
        expect(stored.lines.length).toBe(a.lines);
        expect(stored.digest).not.toBeNull();
        expect(stored).toEqual(await storedBatch(here!, b));
      }
    });

    it('store the same totals when the reader numbers codes afresh every chunk (its table bound)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tandem-reader-'));
      // 7,000 lines in four chunks of the reader, 60 code combinations spread over the file.
      const rows = Array.from({ length: 7000 }, (_, i) => `C${4101 + (i % 12)},${5001 + (i % 5)},Care,"Line ${i}",${(i % 28) + 1}/05/2025,"${(i % 97) + 1}.${i % 10}0"`);
      const path = councilFile(dir, 'many.csv', rows);
      const results = [];
      for (const held of [undefined, 3]) {
        const store = await fresh();
        const result = await importBatch(context(store), { ledgerId: 'scc', path, reader: 'worker', codeTextsHeld: held });
        const { seconds: _s, ...rest } = result;
        results.push({ result: rest, totals: await store.batchLineTotals(result.batchId), schemes: await store.batchSchemeTotals(result.batchId), digest: await store.getBatchDigest(result.batchId) });
      }
      expect(results[0]!.totals.length).toBe(60); // 12 cost centres × 5 subjectives, one month
      expect(results[1]).toEqual(results[0]);
    });

    it('reject a bad file with the same problems and write nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tandem-reader-'));
      const rows = Array.from({ length: 5000 }, (_, i) => `A1234,5000,Care,"Line ${i}, with a comma",01/05/2025,"${i + 1}.00"`);
      rows[1234] = 'A1234,5000,Care,Bad amount,01/05/2025,"12.3.4"';
      rows[4321] = 'A1234,5000,Care,Bad date,31/02/2025,"1.00"';
      const path = councilFile(dir, 'bad.csv', rows);
      const problems = [];
      for (const reader of ['worker', 'this-thread'] as const) {
        const store = await fresh();
        const error = await rejection(importBatch(context(store), { ledgerId: 'scc', path, reader }));
        expect(error.code).toBe('IMPORT_REJECTED');
        expect(await store.listBatches('sheffield')).toEqual([]);
        problems.push(error.problems);
      }
      expect(problems[0]!.map((p) => [p.code, p.line])).toEqual([
        ['AMOUNT_INVALID', 1237],
        ['DATE_INVALID', 4324],
      ]);
      expect(problems[0]).toEqual(problems[1]);
    });

    it('fail the import and write nothing when the reader itself fails', async () => {
      const store = await fresh();
      // A stored model whose rule pattern cannot compile: the loader never allows one, so this
      // stands for any unexpected exception on the reader's side.
      const current = (await store.getAgreementVersion('sheffield'))!;
      const model = JSON.parse(current.modelJson);
      model.ledgers.find((l: { id: string }) => l.id === 'scc').rules[0].when = [{ column: 'Cost Centre', pattern: '(' }];
      await store.insertAgreementVersion({ ...current, modelJson: JSON.stringify(model), loadedAt: '2025-07-08T09:00:00Z' });
      const path = exampleExtracts(EXAMPLE).find((e) => e.ledgerId === 'scc')!.path;
      for (const reader of ['worker', 'this-thread'] as const) {
        await expect(importBatch(context(store), { ledgerId: 'scc', path, reader })).rejects.toThrow(/Invalid regular expression/);
        expect(await store.listBatches('sheffield')).toEqual([]);
      }
    });
  });
}
