// Which driver a Store runs on, for the whole-table access of table-access.ts: kept beside the
// Store rather than in its interface, because copying raw rows (ids given, the record's own rules
// bypassed) is for the archive and nothing else.

import type { Driver } from './driver.js';
import type { Store } from './types.js';

const drivers = new WeakMap<Store, Driver>();

export function rememberDriver(db: Driver, store: Store): Store {
  drivers.set(store, db);
  return store;
}

export function driverOf(store: Store): Driver | undefined {
  return drivers.get(store);
}
