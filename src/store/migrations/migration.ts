import type { Dialect } from '../driver.js';

/** One numbered schema change, written once per dialect. Applied in a transaction. */
export interface Migration {
  number: number;
  name: string;
  sql: Record<Dialect, string>;
}
