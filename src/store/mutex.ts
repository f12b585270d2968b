// One holder at a time, first come first served. SQLite has one connection per store, so an
// async transaction must keep every other caller off the connection until it commits.

export class Mutex {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** Resolves to a release function once the caller holds the mutex. */
  async acquire(): Promise<() => void> {
    if (this.held) {
      // release() hands the mutex straight to the next waiter, so `held` stays true.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.held = true;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  async runExclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

const shared = new Map<string, { mutex: Mutex; users: number }>();

/** One mutex per key in this process, kept while anyone uses it; call release() when done. */
export function sharedMutex(key: string): { mutex: Mutex; release: () => void } {
  const entry = shared.get(key) ?? { mutex: new Mutex(), users: 0 };
  entry.users += 1;
  shared.set(key, entry);
  let released = false;
  return {
    mutex: entry.mutex,
    release: () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users === 0) shared.delete(key);
    },
  };
}
