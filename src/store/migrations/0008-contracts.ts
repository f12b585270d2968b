// Contracts, activity, outcomes and metrics (issue 10 §1–§2, docs/contracts.md).
//
// - contract_registers: each version of the contract register as loaded (its YAML and the
//   validated model as JSON), like agreement_versions; never edited, a new load is a new version.
// - measure_batches: one imported file of activity, outcomes or metrics, identified by the
//   SHA-256 of its bytes (unique per fund and kind, so the same file twice is refused by the
//   database even if two imports race).
// - measure_lines: the file's lines. fund_id and kind repeat the batch's so the one read
//   (measures in force, per fund and kind) is an index range of this fund's rows alone.
// All three are append-only (triggers, as for closes): a correction is a later file, whose line
// for a subject and period is the one in force.

import type { Migration } from './migration.js';

const KINDS = `('activity', 'outcomes', 'metrics')`;

const sqlite = `
CREATE TABLE contract_registers (
  fund_id TEXT NOT NULL REFERENCES funds (id),
  version INTEGER NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  agreement_version INTEGER NOT NULL,
  source_text TEXT NOT NULL,
  model_json TEXT NOT NULL,
  PRIMARY KEY (fund_id, version)
) STRICT;
CREATE TRIGGER contract_registers_no_update BEFORE UPDATE ON contract_registers BEGIN SELECT RAISE(ABORT, 'contract_registers is append-only'); END;
CREATE TRIGGER contract_registers_no_delete BEFORE DELETE ON contract_registers BEGIN SELECT RAISE(ABORT, 'contract_registers is append-only'); END;

CREATE TABLE measure_batches (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  kind TEXT NOT NULL CHECK (kind IN ${KINDS}),
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER NOT NULL,
  register_version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  UNIQUE (fund_id, kind, file_sha256)
) STRICT;
CREATE INDEX measure_batches_fund ON measure_batches (fund_id, kind, id);
CREATE TRIGGER measure_batches_no_update BEFORE UPDATE ON measure_batches BEGIN SELECT RAISE(ABORT, 'measure_batches is append-only'); END;
CREATE TRIGGER measure_batches_no_delete BEFORE DELETE ON measure_batches BEGIN SELECT RAISE(ABORT, 'measure_batches is append-only'); END;

CREATE TABLE measure_lines (
  batch_id INTEGER NOT NULL REFERENCES measure_batches (id),
  line_no INTEGER NOT NULL,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  kind TEXT NOT NULL CHECK (kind IN ${KINDS}),
  subject TEXT NOT NULL,
  period INTEGER NOT NULL,
  value INTEGER,
  plan INTEGER,
  note TEXT,
  PRIMARY KEY (batch_id, line_no)
) STRICT;
CREATE INDEX measure_lines_in_force ON measure_lines (fund_id, kind, subject, period, batch_id);
CREATE TRIGGER measure_lines_no_update BEFORE UPDATE ON measure_lines BEGIN SELECT RAISE(ABORT, 'measure_lines is append-only'); END;
CREATE TRIGGER measure_lines_no_delete BEFORE DELETE ON measure_lines BEGIN SELECT RAISE(ABORT, 'measure_lines is append-only'); END;
`;

const KEY = 'TEXT COLLATE "C"';

const postgres = `
CREATE TABLE contract_registers (
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  version INTEGER NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  agreement_version INTEGER NOT NULL,
  source_text TEXT NOT NULL,
  model_json TEXT NOT NULL,
  PRIMARY KEY (fund_id, version)
);
CREATE TRIGGER contract_registers_no_change BEFORE UPDATE OR DELETE ON contract_registers
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();

CREATE TABLE measure_batches (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  kind ${KEY} NOT NULL CHECK (kind IN ${KINDS}),
  file_name TEXT NOT NULL,
  file_sha256 ${KEY} NOT NULL,
  file_bytes BIGINT NOT NULL,
  register_version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  UNIQUE (fund_id, kind, file_sha256)
);
CREATE INDEX measure_batches_fund ON measure_batches (fund_id, kind, id);
CREATE TRIGGER measure_batches_no_change BEFORE UPDATE OR DELETE ON measure_batches
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();

CREATE TABLE measure_lines (
  batch_id BIGINT NOT NULL REFERENCES measure_batches (id),
  line_no INTEGER NOT NULL,
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  kind ${KEY} NOT NULL CHECK (kind IN ${KINDS}),
  subject ${KEY} NOT NULL,
  period INTEGER NOT NULL,
  value BIGINT,
  plan BIGINT,
  note TEXT,
  PRIMARY KEY (batch_id, line_no)
);
CREATE INDEX measure_lines_in_force ON measure_lines (fund_id, kind, subject, period, batch_id);
CREATE TRIGGER measure_lines_no_change BEFORE UPDATE OR DELETE ON measure_lines
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();
`;

export const contracts: Migration = { number: 8, name: 'contracts', sql: { sqlite, postgres } };
