// A throwaway PostgreSQL 15 cluster for tests and benchmarks (docs field notes §4): initdb into
// a short temp directory, start on a free port, and stop + delete it on stop(), on process exit
// and on SIGINT/SIGTERM. As root the binaries run as the `postgres` user via runuser. Clusters
// left behind by a killed run (their owner process gone) are cleaned up on the next start.
// Plain Node, no vitest: bench/import.ts uses it too.

import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const BIN = process.env.TANDEM_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const DIR_PREFIX = 'tandem-pg-';
/** Owner pid file: lets a later run recognise a cluster whose test process died. */
const OWNER_FILE = 'owner.pid';
/** Settings for speed: a crash loses a throwaway database, which is fine. */
const FAST = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200';

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust auth, no password). */
  url: string;
  stop(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 binaries not found in ${BIN}: install postgresql-15 (or set TANDEM_PG_BIN), or point TANDEM_TEST_PG_URL at a server`);
  }
  sweepAbandonedClusters();
  const dir = fs.mkdtempSync(path.join(shortTmpDir(), DIR_PREFIX));
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  const asPostgres = postgresUser();
  if (asPostgres) fs.chownSync(dir, asPostgres.uid, asPostgres.gid);
  const data = path.join(dir, 'data');
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    stopClusterSync(dir, 'fast');
  };
  const onExit = () => stopSync();
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    process.off(signal, onSignal);
    // With no other handler left, die of the signal as Node would have without ours.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await pgTool(dir, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    const port = await startOnFreePort(dir, data);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        process.off('exit', onExit);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        stopSync();
      },
    };
  } catch (error) {
    stopSync();
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw new Error(`could not start a throwaway PostgreSQL: ${(error as Error).message}`);
  }
}

/** Another process may take the port between our probe and the server's bind: try a few. */
async function startOnFreePort(dir: string, data: string): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${FAST}`;
    try {
      await pgTool(dir, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', options, 'start']);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`${(lastError as Error).message}\n${tail(path.join(dir, 'server.log'))}`);
}

async function pgTool(dir: string, tool: string, args: string[]): Promise<void> {
  const [command, commandArgs] = commandFor(tool, args);
  try {
    await run(command, commandArgs, { cwd: dir, timeout: 60_000 });
  } catch (error) {
    const failure = error as Error & { stderr?: string; stdout?: string };
    throw new Error(`${tool} failed: ${failure.stderr?.trim() || failure.stdout?.trim() || failure.message}`);
  }
}

function commandFor(tool: string, args: string[]): [string, string[]] {
  const binary = path.join(BIN, tool);
  // initdb refuses to run as root; the cluster is owned by the postgres system user instead.
  return postgresUser() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Synchronous, so it can run in an 'exit' handler. */
function stopClusterSync(dir: string, mode: 'fast' | 'immediate'): void {
  const data = path.join(dir, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
    const [command, args] = commandFor('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    try {
      execFileSync(command, args, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Already stopped, or cannot be: the directory is removed either way.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function sweepAbandonedClusters(): void {
  const parent = shortTmpDir();
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(parent, name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours, or being created right now
    }
    if (Number.isInteger(owner) && !isAlive(owner)) stopClusterSync(dir, 'immediate');
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Unix socket paths are limited to ~107 bytes, so keep the cluster directory short. */
function shortTmpDir(): string {
  const tmp = os.tmpdir();
  return tmp.length <= 40 ? tmp : '/tmp';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}
