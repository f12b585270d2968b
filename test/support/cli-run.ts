// Running the built CLI from a test (npm test builds first): `tandem ARGS --db DIR/t.db` in the
// test's folder, as a named user, with its status and output.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A runner for a test whose folder is set later (in beforeAll): `folder` is read at each call. */
export function cliIn(folder: () => string, user: string): (...args: string[]) => CliRun {
  return (...args) => {
    const dir = folder();
    const run = spawnSync(process.execPath, [CLI, ...args, '--db', join(dir, 't.db')], { encoding: 'utf8', cwd: dir, env: { ...process.env, TANDEM_USER: user } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
}
