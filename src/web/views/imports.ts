// What the imports pages show: the upload form (only ledgers the user may upload to), the batch
// history with what superseded what, and an import job — progress while it runs, then the batch
// it made or every problem of a rejected file (line, column, reason). All text goes through
// `html`, so file names and problem messages from uploads are escaped.

import { TandemError } from '../../app/errors.js';
import type { Ledger } from '../../domain/agreement.js';
import { formatPounds, type Pence } from '../../domain/money.js';
import { formatPeriod } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import type { BatchRecord } from '../../store/types.js';
import type { ImportJob, JobStatus } from '../import-jobs.js';
import { errorSummary, summaryList, table, when } from './manage.js';

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024).toLocaleString('en-GB')} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
}

function pounds(pence: Pence): string {
  return `£${formatPounds(pence)}`;
}

export function uploadForm(ledgers: Ledger[], csrf: string, limitBytes: number, error: TandemError | null, chosen: string | undefined): Html {
  if (ledgers.length === 0) return html`<p class="govuk-body">You cannot upload extracts: uploads are made by a finance officer of the partner whose ledger it is.</p>`;
  return html`<h2 class="govuk-heading-m">Upload a ledger extract</h2>
<p class="govuk-body">The whole file is imported or none of it: a file with any bad line is rejected and every problem listed. The same file uploaded again changes nothing. Largest file: ${size(limitBytes)}.</p>
<form method="post" action="/imports" enctype="multipart/form-data" data-module="tandem-upload" novalidate>
<input type="hidden" name="_csrf" value="${csrf}">
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="ledger">Ledger</label>
<select class="govuk-select" id="ledger" name="ledger">${ledgers.map((l) => html`<option value="${l.id}"${l.id === chosen ? html` selected` : html``}>${l.name} (${l.id}, ${l.file.format === 'auto' ? 'CSV or XLSX' : l.file.format.toUpperCase()})</option>`)}</select></div>
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="file">File</label>
${error ? html`<p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error.message}</p>` : html``}
<input class="govuk-file-upload${error ? ' govuk-file-upload--error' : ''}" id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"${error ? html` aria-describedby="file-error"` : html``}></div>
<div class="tandem-upload-progress" hidden><label class="govuk-label" for="upload-progress">Sending the file</label><progress id="upload-progress" max="100" value="0"></progress></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Upload</button>
</form>`;
}

function batchState(b: BatchRecord): Html {
  const superseded = Object.entries(b.supersededPeriods);
  if (superseded.length === 0) return html`<strong class="govuk-tag govuk-tag--green">Live</strong>`;
  const live = b.periods.filter((p) => !(p in b.supersededPeriods));
  const tag = live.length === 0 ? html`<strong class="govuk-tag govuk-tag--grey">Superseded</strong>` : html`<strong class="govuk-tag govuk-tag--yellow">Partly superseded</strong>`;
  return html`${tag}<ul class="govuk-list govuk-body-s">${superseded.map(([period, by]) => html`<li>${formatPeriod(Number(period))} by batch ${by}</li>`)}</ul>`;
}

export function batchHistory(batches: BatchRecord[], ledgerNames: Map<string, string>): Html {
  const rows = [...batches]
    .sort((a, b) => b.id - a.id)
    .map(
      (b) => html`<tr class="govuk-table__row" data-batch="${b.id}"><th scope="row" class="govuk-table__header">${b.id}</th><td class="govuk-table__cell">${ledgerNames.get(b.ledgerId) ?? b.ledgerId}</td>
<td class="govuk-table__cell">${b.fileName}<br><span class="govuk-body-s">${size(b.fileBytes)}, SHA-256 ${b.fileSha256.slice(0, 12)}…</span></td><td class="govuk-table__cell">${when(b.importedAt)}<br><span class="govuk-body-s">${b.importedBy}</span></td>
<td class="govuk-table__cell govuk-table__cell--numeric">${b.lineCount.toLocaleString('en-GB')}</td><td class="govuk-table__cell govuk-table__cell--numeric tandem-num">${pounds(b.controlTotalPence)}</td>
<td class="govuk-table__cell">${b.periods.map(formatPeriod).join(', ')}</td><td class="govuk-table__cell">${batchState(b)}</td></tr>`,
    );
  if (rows.length === 0) return html`<h2 class="govuk-heading-m">Batch history</h2><p class="govuk-body">No extract has been imported into the ledgers you can see.</p>`;
  return html`<div class="tandem-table-scroll"><table class="govuk-table" id="batches"><caption class="govuk-table__caption govuk-table__caption--m">Batch history (newest first)</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${['Batch', 'Ledger', 'File', 'Imported', 'Lines', 'Control total', 'Periods', 'State'].map((h) => html`<th scope="col" class="govuk-table__header">${h}</th>`)}</tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table></div>`;
}

export function jobProgress(job: ImportJob, status: JobStatus): Html {
  return html`<div data-module="tandem-import-progress" data-status="/imports/jobs/${job.id}/status">
<p class="govuk-body" aria-live="polite" id="import-progress-text">Importing: ${status.percent}% of the file read (${size(status.bytesRead)} of ${size(status.fileBytes)}).</p>
<label class="govuk-label" for="import-progress">Progress</label><progress id="import-progress" max="100" value="${status.percent}">${status.percent}%</progress>
<p class="govuk-body-s">This page updates itself. Nothing is stored until the whole file has been read and checked.</p></div>`;
}

function resultSummary(job: ImportJob): Html {
  const r = job.result!;
  const rows: [string, Html | string][] = [
    ['Batch', String(r.batchId)],
    ['File', `${r.file} (SHA-256 ${r.sha256})`],
    ['Lines', r.lines.toLocaleString('en-GB')],
    ['Control total', pounds(r.controlTotalPence)],
    ['Periods', r.periods.join(', ')],
    ['Mapped to schemes', `${r.mapped.lines.toLocaleString('en-GB')} lines, ${pounds(r.mapped.amountPence)}`],
    ['Out of scope', `${r.outOfScope.lines.toLocaleString('en-GB')} lines, ${pounds(r.outOfScope.amountPence)}`],
    ['Unmapped (suspense)', r.unmapped.lines > 0 ? html`${r.unmapped.lines.toLocaleString('en-GB')} lines, ${pounds(r.unmapped.amountPence)} – <a class="govuk-link" href="/suspense">see the suspense queue</a>` : 'none'],
  ];
  if (r.superseded.length > 0) rows.push(['Superseded', r.superseded.map((s) => `${s.period} of batch ${s.batchId}`).join('; ')]);
  if (r.unchangedClosedPeriods.length > 0) rows.push(['Closed months repeated unchanged', r.unchangedClosedPeriods.join(', ')]);
  return summaryList(rows);
}

export function problemsTable(problems: TandemError['problems']): Html {
  return html`<div class="tandem-table-scroll"><table class="govuk-table" id="problems"><caption class="govuk-table__caption govuk-table__caption--m">Every problem found (${problems.length})</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Line</th><th scope="col" class="govuk-table__header">Column</th><th scope="col" class="govuk-table__header">Reason</th><th scope="col" class="govuk-table__header">Code</th></tr></thead>
<tbody class="govuk-table__body">${problems.map(
    (p) => html`<tr class="govuk-table__row"><td class="govuk-table__cell">${p.line ?? '–'}</td><td class="govuk-table__cell">${p.column ?? '–'}</td><td class="govuk-table__cell">${p.message}</td><td class="govuk-table__cell"><code>${p.code}</code></td></tr>`,
  )}</tbody></table></div>`;
}

/** The job page's main content: progress, or how the import ended. */
export function jobBody(job: ImportJob, status: JobStatus, ledgerName: string): Html {
  const heading = html`<a href="/imports" class="govuk-back-link">Back to Imports</a><span class="govuk-caption-l">${ledgerName}</span><h1 class="govuk-heading-l">Import of ${job.fileName}</h1>`;
  const meta = summaryList([
    ['Uploaded', html`${when(job.startedAt.toISOString())} by ${job.session.user.email}`],
    ['Size', size(job.fileBytes)],
  ]);
  if (job.state === 'running') return html`${heading}${meta}${jobProgress(job, status)}`;
  if (job.state === 'imported') {
    const r = job.result!;
    const title = r.status === 'already-imported' ? `Already imported as batch ${r.batchId}: nothing changed` : `Imported batch ${r.batchId}`;
    return html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="import-done" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="import-done">Success</h2></div>
<div class="govuk-notification-banner__content"><h3 class="govuk-notification-banner__heading">${title}</h3></div></div>${heading}${resultSummary(job)}`;
  }
  const error = job.error!;
  const summary = errorSummary(new TandemError(error.code, error.message), '#problems');
  const problems = error.problems.length > 0 ? problemsTable(error.problems) : html``;
  return html`${summary}${heading}${meta}<p class="govuk-body">Nothing from this file was imported. Correct the file and upload it again.</p>${problems}<p class="govuk-body"><a class="govuk-link" href="/imports">Upload a corrected file</a></p>`;
}

/** Rows for a table of how a job ended, for the history of this session's uploads (newest first). */
export function recentJobs(jobs: ImportJob[]): Html {
  if (jobs.length === 0) return html``;
  const word = { running: 'Importing', imported: 'Imported', rejected: 'Rejected', failed: 'Failed' } as const;
  return table(
    'Your uploads in this session',
    ['File', 'Started', 'Outcome'],
    jobs.map((j) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" href="/imports/jobs/${j.id}">${j.fileName}</a></th><td class="govuk-table__cell">${when(j.startedAt.toISOString())}</td><td class="govuk-table__cell">${word[j.state]}${j.result ? ` (batch ${j.result.batchId})` : ''}</td></tr>`),
  );
}
