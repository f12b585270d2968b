// Scheme commentary for the report: append-only rows, the latest per scheme and period in force.

import type { PeriodKey } from '../domain/period.js';
import type { Driver } from './driver.js';
import { int, text } from './row.js';
import type { CommentaryEntry } from './types.js';

export async function insertCommentary(db: Driver, entry: Omit<CommentaryEntry, 'id'>): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.run('INSERT INTO commentary (fund_id, scheme_id, period, text, written_at, written_by) VALUES (?, ?, ?, ?, ?, ?)', [
      entry.fundId,
      entry.schemeId,
      entry.period,
      entry.text,
      entry.writtenAt,
      entry.writtenBy,
    ]);
    const row = await tx.get('SELECT MAX(id) AS id FROM commentary WHERE fund_id = ? AND scheme_id = ? AND period = ?', [entry.fundId, entry.schemeId, entry.period]);
    return int(row ?? {}, 'id');
  });
}

export async function latestCommentary(db: Driver, fundId: string, period: PeriodKey): Promise<CommentaryEntry[]> {
  const rows = await db.all(
    `SELECT c.id, c.fund_id, c.scheme_id, c.period, c.text, c.written_at, c.written_by FROM commentary c
     WHERE c.fund_id = ? AND c.period = ?
       AND c.id = (SELECT MAX(id) FROM commentary x WHERE x.fund_id = c.fund_id AND x.period = c.period AND x.scheme_id = c.scheme_id)
     ORDER BY c.scheme_id`,
    [fundId, period],
  );
  return rows.map((r) => ({
    id: int(r, 'id'),
    fundId: text(r, 'fund_id'),
    schemeId: text(r, 'scheme_id'),
    period: int(r, 'period'),
    text: text(r, 'text'),
    writtenAt: text(r, 'written_at'),
    writtenBy: text(r, 'written_by'),
  }));
}
