// The Store's part for year-ends (src/store/year-ends.ts, docs/year-end.md). Kept out of
// types.ts, which Store extends with it.

import type { YearStart } from '../domain/period.js';

export interface YearEndRecord {
  fundId: string;
  year: YearStart;
  /** The version of the M12 close whose risk share is the year's settlement. */
  closeVersion: number;
  /** The agreement version it made for the next year; null when the agreement has no next year. */
  agreementVersion: number | null;
  /** The year-end document (src/app/year-end.ts YearEndDocument) as JSON. */
  documentJson: string;
  documentSha256: string;
  at: string;
  actor: string;
}

export interface YearEndStore {
  /** Records a year as final; a second year-end of the same year is refused by the database. */
  insertYearEnd(record: YearEndRecord): Promise<void>;
  getYearEnd(fundId: string, year: YearStart): Promise<YearEndRecord | undefined>;
  /** Every final year of the fund, oldest first. */
  listYearEnds(fundId: string): Promise<YearEndRecord[]>;
}
