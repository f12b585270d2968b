// The built `tandem` CLI as a child process for the crash and concurrency harness: started with
// --json and the transaction probe preloaded (torture-probe.ts), killable with SIGKILL at any
// moment, and able to say which transaction marks it had written when it ended.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The checkout: from test/support (vitest) or dist/test/support (built). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const ROOT = findRoot(import.meta.dirname);
const PROBE_PREFIX = '@tandem-probe'; // as torture-probe.ts writes it (not imported: that would load its patches here)

const built = (root: string) => ({ cli: path.join(root, 'dist', 'src', 'cli', 'main.js'), probe: path.join(root, 'dist', 'test', 'support', 'torture-probe.js') });
let binaries = built(ROOT);

/**
 * Runs the children from a private copy of the built CLI until the returned function is called.
 * Other people rebuilding dist/ in the same checkout during a long run would otherwise have a
 * child load half-written modules and fail for reasons that have nothing to do with Tandem.
 * The copy finds its packages through a link to the checkout's node_modules.
 */
export function useCopyOfBuild(): () => void {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-torture-build-'));
  fs.cpSync(path.join(ROOT, 'dist', 'src'), path.join(copy, 'dist', 'src'), { recursive: true });
  fs.mkdirSync(path.join(copy, 'dist', 'test', 'support'), { recursive: true });
  fs.copyFileSync(built(ROOT).probe, built(copy).probe);
  fs.writeFileSync(path.join(copy, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  binaries = built(copy);
  return () => {
    binaries = built(ROOT);
    fs.rmSync(copy, { recursive: true, force: true });
  };
}

export interface Mark {
  event: 'begin' | 'commit' | 'committed' | 'rollback';
  /** Which transaction of the process, from 1 (opening the store migrates in the first). */
  tx: number;
  /** When the harness read it, in ms since the process was spawned. */
  atMs: number;
}

export interface CliResult {
  args: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Without the probe's lines. */
  stderr: string;
  marks: Mark[];
  ms: number;
  /** What --json printed (the result, or `{ error }` on failure). */
  json<T = Record<string, unknown>>(): T;
  /** The error code a failed command printed, if any. */
  errorCode(): string | undefined;
}

export class CliRun {
  readonly marks: Mark[] = [];
  readonly done: Promise<CliResult>;
  private readonly started = process.hrtime.bigint();
  private readonly child;
  private watchers: (() => void)[] = [];
  private closed = false;

  constructor(readonly args: string[]) {
    this.child = spawn(process.execPath, ['--import', binaries.probe, binaries.cli, ...args, '--json'], {
      env: { ...process.env, TANDEM_USER: 'torture' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: string[] = [];
    let pending = '';
    this.child.stdout.on('data', (b: Buffer) => out.push(b));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) this.read(line, err);
    });
    this.done = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (exitCode, signal) => {
        if (pending) this.read(pending, err);
        const stdout = Buffer.concat(out).toString('utf8');
        const json = <T>() => JSON.parse(stdout) as T;
        resolve({
          args,
          exitCode,
          signal,
          stdout,
          stderr: err.join('\n').trim(),
          marks: this.marks,
          ms: this.elapsedMs(),
          json,
          errorCode: () => {
            try {
              return json<{ error?: { code?: string } }>().error?.code;
            } catch {
              return undefined;
            }
          },
        });
        this.closed = true;
        this.notify();
      });
    });
  }

  /** SIGKILL now; the result says whether it landed (signal SIGKILL) or the process had already exited. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  killAfter(ms: number): void {
    const timer = setTimeout(() => this.kill(), ms);
    const clear = () => clearTimeout(timer);
    this.done.then(clear, clear);
  }

  /** Resolves once a mark matching `wanted` has been read; rejects if the process ends first. */
  async waitForMark(wanted: (m: Mark) => boolean): Promise<Mark> {
    for (;;) {
      const found = this.marks.find(wanted);
      if (found) return found;
      if (this.closed) {
        const r = await this.done;
        throw new Error(`tandem ${this.args[0]} ended (${r.exitCode ?? r.signal}) before the awaited mark: ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
      }
      await new Promise<void>((resolve) => this.watchers.push(resolve));
    }
  }

  private read(line: string, err: string[]): void {
    if (!line.startsWith(PROBE_PREFIX)) {
      if (line !== '') err.push(line);
      return;
    }
    const [, event, tx] = line.split(' ');
    this.marks.push({ event: event as Mark['event'], tx: Number(tx), atMs: this.elapsedMs() });
    this.notify();
  }

  private notify(): void {
    const waiting = this.watchers;
    this.watchers = [];
    for (const w of waiting) w();
  }

  private elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e6;
  }
}

/** Runs `tandem ARGS --json` to the end. */
export function tandem(args: string[]): Promise<CliResult> {
  return new CliRun(args).done;
}

/** Runs it and fails with its output unless it exits 0. */
export async function tandemOk<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await tandem(args);
  if (r.exitCode !== 0) throw new Error(`tandem ${args.join(' ')} failed (${r.exitCode ?? r.signal}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
  return r.json<T>();
}
