// `tandem journals`: the journals of a stored close, one file per ledger, as an upload CSV or as
// a plain-text accounting journal for ledger-cli and hledger. Read from the close snapshot, never
// recomputed, so the files always match what was closed.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Agreement } from '../domain/agreement.js';
import { journalTotals, type Journal } from '../domain/journal.js';
import type { Pence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import { journalsToCsv } from '../export/journals-csv.js';
import { journalsToLedgerText } from '../export/journals-ledger.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { readClose } from './close.js';
import type { AppContext } from './context.js';

export type JournalFormat = 'csv' | 'ledger';

export interface JournalFile {
  ledger: string;
  path: string;
  journals: number;
  debitPence: Pence;
}

export interface JournalExportResult {
  fundId: string;
  period: string;
  closeVersion: number;
  format: JournalFormat;
  files: JournalFile[];
}

/** The code columns a ledger's journals are written in: its partner's coding. */
export function codeColumnsOf(agreement: Agreement, ledgerId: string): string[] {
  const partner = agreement.ledgers.find((l) => l.id === ledgerId)?.partner;
  return (partner && agreement.coding[partner]?.codeColumns) || [];
}

export async function exportJournals(ctx: AppContext, request: { fundId?: string; period: PeriodKey; version?: number; format: JournalFormat; outDir: string }): Promise<JournalExportResult> {
  const fundId = await resolveFund(ctx, request.fundId);
  const close = await readClose(ctx, { fundId, period: request.period, version: request.version });
  const { agreement } = await agreementInForce(ctx, fundId, close.agreementVersion);
  const byLedger = new Map<string, Journal[]>();
  for (const j of close.journals) byLedger.set(j.ledger, [...(byLedger.get(j.ledger) ?? []), j]);
  await mkdir(request.outDir, { recursive: true });
  const files: JournalFile[] = [];
  const stem = `${fundId}-${close.period.replace(' ', '-')}-v${close.closeVersion}`;
  for (const [ledger, journals] of byLedger) {
    const columns = codeColumnsOf(agreement, ledger);
    const text = request.format === 'csv' ? journalsToCsv(journals, columns) : journalsToLedgerText(journals, columns);
    const file = path.join(request.outDir, `${stem}-${ledger}.${request.format === 'csv' ? 'csv' : 'journal'}`);
    // Written beside the target and renamed, so a reader never sees half a file.
    await writeFile(`${file}.part`, text, { mode: 0o640 });
    await rename(`${file}.part`, file);
    files.push({ ledger, path: file, journals: journals.length, debitPence: journals.reduce((n, j) => n + journalTotals(j).debitPence, 0) });
  }
  return { fundId, period: close.period, closeVersion: close.closeVersion, format: request.format, files };
}
