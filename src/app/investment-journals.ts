// `tandem investments journals` (docs/contracts.md#social-investment, decision 0022): the outcome
// payment due for a month, per social investment, as a balanced journal in the paying partner's
// ledger — Dr the scheme's spend, Cr the investor — written in the same CSV and ledger-text
// formats as `tandem journals`. The partner posts it; its next ledger extract brings the debit
// back as the scheme's spend through the mapping rules. Tandem never adds the payment to a close
// itself: the ledger stays the book of record, and nothing is counted twice.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Agreement } from '../domain/agreement.js';
import { investmentJournal, mappingOfCodes, payingLedger, spendCodesOf } from '../domain/investment-journal.js';
import { journalTotals, type PostableJournal } from '../domain/journal.js';
import { invariant, type Pence } from '../domain/money.js';
import { formatPeriod, type PeriodKey } from '../domain/period.js';
import { journalsToCsv } from '../export/journals-csv.js';
import { journalsToLedgerText } from '../export/journals-ledger.js';
import { agreementInForce } from './agreements.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';
import { investmentsWithModels } from './investments.js';
import { codeColumnsOf, type JournalFile, type JournalFormat } from './journal-export.js';

export interface RaisedPayment {
  investment: string;
  ref: string;
  ledger: string;
  duePence: Pence;
  /** The calculation, step by step, as the report prints it. */
  steps: string[];
}

export interface InvestmentJournalsResult {
  fundId: string;
  period: string;
  format: JournalFormat;
  raised: RaisedPayment[];
  /** Investments with nothing due for the month, and why. */
  nothingDue: { investment: string; reason: string }[];
  files: JournalFile[];
  journals: PostableJournal[];
  warnings: string[];
}

export async function investmentJournals(ctx: AppContext, request: { fundId?: string; period: PeriodKey; format: JournalFormat; outDir: string }): Promise<InvestmentJournalsResult> {
  const report = await investmentsWithModels(ctx, { fundId: request.fundId, period: request.period });
  const { agreement } = await agreementInForce(ctx, report.fundId);
  const period = formatPeriod(request.period);
  const raised: RaisedPayment[] = [];
  const nothingDue: InvestmentJournalsResult['nothingDue'] = [];
  const journals: PostableJournal[] = [];
  const warnings: string[] = [];
  report.investments.forEach((row, index) => {
    const inv = report.models[index]!;
    const month = row.periods.find((p) => p.period === request.period);
    if (row.duePeriodPence === 0) {
      const inTerm = request.period >= inv.start && request.period <= inv.end;
      const reason = !inTerm ? `${period} is outside its term (${row.start} to ${row.end})` : month === undefined ? 'its outcome is measured over the year and paid at M12' : month.steps.map((s) => s.text).join('; ');
      nothingDue.push({ investment: row.id, reason });
      return;
    }
    const ledger = payingLedger(agreement, inv.paidBy);
    const spend = spendCodesOf(inv, agreement);
    // Checked when the register was loaded; a later agreement version may have dropped them.
    if (!ledger || !spend) throw new TandemError('INVESTMENT_CODING_MISSING', `${inv.id}: partner ${inv.paidBy} has no ledger or coding in the agreement in force, so its payment journal cannot be written; nothing was written`);
    const steps = month!.steps.map((s) => s.text);
    const journal = investmentJournal(inv, agreement, request.period, row.duePeriodPence, steps);
    const mapped = mappingOfCodes(ledger, spend);
    // Checked when the register was loaded; the agreement in force may have changed the rules since.
    if (mapped.status !== 'mapped' || mapped.schemeId !== inv.scheme) warnings.push(`${inv.id}: the debit would no longer come back from ledger ${ledger.id} as spend on ${inv.scheme} (${mapped.status}${mapped.schemeId ? ` ${mapped.schemeId}` : ''}): load a register with journal.spend codes that map to it`);
    journals.push(journal);
    raised.push({ investment: inv.id, ref: journal.ref, ledger: journal.ledger, duePence: row.duePeriodPence, steps });
  });
  const files = journals.length === 0 ? [] : await writeFiles(journals, agreement, report.fundId, period, request);
  return { fundId: report.fundId, period, format: request.format, raised, nothingDue, files, journals, warnings };
}

async function writeFiles(journals: PostableJournal[], agreement: Agreement, fundId: string, period: string, request: { format: JournalFormat; outDir: string }): Promise<JournalFile[]> {
  const byLedger = new Map<string, PostableJournal[]>();
  for (const j of journals) byLedger.set(j.ledger, [...(byLedger.get(j.ledger) ?? []), j]);
  await mkdir(request.outDir, { recursive: true });
  const files: JournalFile[] = [];
  for (const [ledger, own] of byLedger) {
    const columns = codeColumnsOf(agreement, ledger);
    // The writers assert every journal balances before a byte is written.
    const text = request.format === 'csv' ? journalsToCsv(own, columns) : journalsToLedgerText(own, columns);
    const file = path.join(request.outDir, `${fundId}-${period.replace(' ', '-')}-investments-${ledger}.${request.format === 'csv' ? 'csv' : 'journal'}`);
    await writeFile(`${file}.part`, text, { mode: 0o640 });
    await rename(`${file}.part`, file);
    const debitPence = own.reduce((n, j) => n + journalTotals(j).debitPence, 0);
    invariant(debitPence === own.reduce((n, j) => n + journalTotals(j).creditPence, 0), `the ${ledger} payment journals balance`);
    files.push({ ledger, path: file, journals: own.length, debitPence });
  }
  return files;
}
