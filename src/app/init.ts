// Create or upgrade the database. Applying migrations changes the record's structure, so it
// is audited like any other write (nothing is recorded when there was nothing to apply).

import { isoNow, type AppContext } from './context.js';

export interface InitResult {
  database: string;
  dialect: 'sqlite' | 'postgres';
  applied: number[];
  schemaVersion: number;
}

export async function initStore(ctx: AppContext): Promise<InitResult> {
  const applied = await ctx.store.migrate();
  const schemaVersion = await ctx.store.schemaVersion();
  if (applied.length > 0) {
    await ctx.store.appendAudit({
      fundId: null,
      actor: ctx.actor,
      action: 'store.migrate',
      subject: `schema:${schemaVersion}`,
      details: { applied, schemaVersion },
      inputSha256: null,
      at: isoNow(ctx),
    });
  }
  return { database: ctx.store.location, dialect: ctx.store.dialect, applied, schemaVersion };
}
