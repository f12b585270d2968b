// The digest of each batch's lines (issue 8, `tandem verify`): recorded when the file is read, so
// that a line edited, deleted or inserted in the database behind Tandem's back is detected. See
// src/store/line-digest.ts for what it covers and docs/decisions/0011-verify.md for why.
//
// - lines_sha256: the batch's digest (also written in its import's audit event);
// - lines_blocks: the per-block line counts, amounts and hashes it is the SHA-256 of, which let
//   verify say where in the file a change is. Kept out of the batch reads that every command
//   makes (it is ~100 KB for a million-line file); only verify reads it.
// Both stay NULL for batches imported before this migration: verify warns that it cannot check
// their lines, rather than failing. Columns on batches rather than a table, because a batch gets
// exactly one digest, written in the import's own transaction when its last line is stored.

import type { Migration } from './migration.js';

const sqlite = `
ALTER TABLE batches ADD COLUMN lines_sha256 TEXT;
ALTER TABLE batches ADD COLUMN lines_blocks TEXT;
`;

const postgres = `
ALTER TABLE batches ADD COLUMN lines_sha256 TEXT, ADD COLUMN lines_blocks TEXT;
`;

export const lineDigests: Migration = { number: 6, name: 'line-digests', sql: { sqlite, postgres } };
