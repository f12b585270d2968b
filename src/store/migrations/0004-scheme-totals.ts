// scheme_totals: line_totals without the code combination — per batch, period, status and
// scheme. Status, the close's actuals and suspense read these few rows instead of every code
// combination (bench:close at 1M lines: 592k line_totals rows against 90 here). Only queries
// grouped by codes (the close's recharges, the suspense queue) still read line_totals.
// Kept by the store itself whenever line_totals are written; partial rows are summed by readers.

import type { Migration } from './migration.js';

const backfill = `
INSERT INTO scheme_totals (batch_id, period, status, scheme_id, line_count, amount_pence)
SELECT batch_id, period, status, scheme_id, SUM(line_count), SUM(amount_pence)
FROM line_totals GROUP BY batch_id, period, status, scheme_id;
`;

const sqlite = `
CREATE TABLE scheme_totals (
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  period INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('mapped', 'out_of_scope', 'unmapped')),
  scheme_id TEXT,
  line_count INTEGER NOT NULL,
  amount_pence INTEGER NOT NULL
) STRICT;
CREATE INDEX scheme_totals_batch_period ON scheme_totals (batch_id, period);
${backfill}`;

const postgres = `
CREATE TABLE scheme_totals (
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  period INTEGER NOT NULL,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('mapped', 'out_of_scope', 'unmapped')),
  scheme_id TEXT COLLATE "C",
  line_count INTEGER NOT NULL,
  amount_pence BIGINT NOT NULL
);
CREATE INDEX scheme_totals_batch_period ON scheme_totals (batch_id, period);
${backfill}`;

export const schemeTotals: Migration = { number: 4, name: 'scheme-totals', sql: { sqlite, postgres } };
