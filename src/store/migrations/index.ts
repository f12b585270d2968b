// Every migration, in order. Add a new file (0002-…) and list it here; never edit one that
// has shipped: databases in the field have already applied it.

import { invariant } from '../../domain/money.js';
import { initial } from './0001-initial.js';
import { closesForecasts } from './0002-closes-forecasts.js';
import { commentary } from './0003-commentary.js';
import { schemeTotals } from './0004-scheme-totals.js';
import { users } from './0005-users.js';
import { lineDigests } from './0006-line-digests.js';
import { decisions } from './0007-decisions.js';
import { contracts } from './0008-contracts.js';
import { yearEnds } from './0009-year-ends.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [initial, closesForecasts, commentary, schemeTotals, users, lineDigests, decisions, contracts, yearEnds];

MIGRATIONS.forEach((migration, index) => {
  invariant(migration.number === index + 1, `migration ${migration.name} should be number ${index + 1}`);
});

export const LATEST_MIGRATION = MIGRATIONS.length;
