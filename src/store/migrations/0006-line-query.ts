// lines_drill_down: the index behind the web app's drill-down from a figure to its lines
// (src/store/line-query.ts). It leads with the scheme and period, so a scheme's lines of the
// year to date are one range of the index, already in the default order (period, batch, line);
// status and amount ride along so filtering by status and sorting by amount read the index
// alone. Rows are appended in (batch, line) order within each scheme and period, so the index
// grows at its ends during an import instead of at random places (the reason a line_id index was
// refused in 0001-initial). Measured on 1M lines (bench/generate.ts, realistic codes, two CLI
// imports, 2-core VM): SQLite 7.7 s → 8.7 s (+13%), PostgreSQL no difference beyond noise
// (8.0-8.7 s either way); a remap moving 125k lines to another scheme 6.35 s → 6.48 s. In
// return a scheme's first page of lines takes 0.5 ms instead of up to 0.8 s, sorting by amount
// 22 ms instead of 1.1 s, and page 2000 6 ms instead of 0.7 s (SQLite).

import type { Migration } from './migration.js';

const sqlite = `
CREATE INDEX lines_drill_down ON lines (scheme_id, period, batch_id, line_no, status, amount_pence);
`;

const postgres = `
CREATE INDEX lines_drill_down ON lines (scheme_id, period, batch_id, line_no) INCLUDE (status, amount_pence);
`;

export const lineQuery: Migration = { number: 6, name: 'line-query', sql: { sqlite, postgres } };
