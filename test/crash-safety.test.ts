// Crash safety (issue 8 §2), the short series: `tandem import` and `tandem close` (and the first
// `tandem agreement load`) killed with SIGKILL at 20 seeded random moments on SQLite and 20 on
// PostgreSQL, side by side. After each
// kill `tandem verify` passes, the database holds the state before the command or after it and
// nothing in between, and running the command again leaves exactly what an uninterrupted run
// leaves (test/support/torture.ts). `npm run torture -- --kills 200` is the long run.
// Needs the build (npm test builds first): the children run a copy of dist/ taken at the start.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useCopyOfBuild } from './support/torture-cli.js';
import { postgresDatabases, sqliteDatabases, type Databases } from './support/torture-db.js';
import { runKillSeries, writeExtracts, type Extracts } from './support/torture.js';

const KILLS = 20;
/** Small, so verify after each kill is quick: kills are aimed from the BEGIN mark, not by file size. */
const LINES = 5_000;

let dir: string;
let extracts: Extracts;
let restoreBuild: (() => void) | undefined;

beforeAll(async () => {
  restoreBuild = useCopyOfBuild();
  dir = mkdtempSync(join(tmpdir(), 'tandem-crash-'));
  extracts = await writeExtracts(dir, LINES);
});

afterAll(() => {
  restoreBuild?.();
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('a SIGKILL at any moment leaves a verified database and a re-run gives the uninterrupted result', () => {
  const engines: [string, number, () => Databases][] = [
    ['sqlite', 11, () => sqliteDatabases(dir)],
    ['postgres', 12, () => postgresDatabases(inject('pgUrl'))],
  ];
  for (const [engine, seed, databases] of engines) {
    it(`${engine}: ${KILLS} kills of import and close`, async () => {
      const result = await runKillSeries({ databases: databases(), extracts, kills: KILLS, seed });
      expect(result.kills).toBe(KILLS);
      expect(result.verifyPasses).toBe(KILLS);
      expect(result.rerunsMatching).toBe(KILLS);
      expect(result.rolledBack + result.committed).toBe(KILLS);
      // Both commands were killed, and some kills landed inside the command's own transaction.
      expect(result.byCommand.import).toBeGreaterThan(0);
      expect(result.byCommand.close).toBeGreaterThan(0);
      expect(result.byStage['in transaction'] + result.byStage.committing).toBeGreaterThan(0);
      console.log(`${engine}: ${JSON.stringify(result)}`);
    }, 300_000);
  }
});
