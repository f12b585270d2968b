// A store driver that logs the SQL of every call that takes some — a Proxy, so whatever the Driver
// interface grows is passed through, and a transaction's handle is wrapped too. Used by the
// two-fund isolation test and bench/scaling.ts to see exactly which statements a use case runs.

import type { Driver, SqlValue } from '../../src/store/driver.js';

export interface Statement {
  sql: string;
  params: readonly SqlValue[];
}

export function recording(driver: Driver, log: Statement[]): Driver {
  return new Proxy(driver, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (prop === 'transaction') {
        return (fn: (tx: Driver) => Promise<unknown>, ...rest: unknown[]) => method.call(target, (tx: Driver) => fn(recording(tx, log)), ...rest);
      }
      return (...args: unknown[]) => {
        // A lock key is a string argument too, but not SQL.
        if (typeof args[0] === 'string' && prop !== 'lockInTransaction') log.push({ sql: args[0], params: Array.isArray(args[1]) ? (args[1] as SqlValue[]) : [] });
        return method.apply(target, args);
      };
    },
  });
}
