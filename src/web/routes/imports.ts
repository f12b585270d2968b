// Imports: a finance officer uploads an extract of their partner's own ledger (a multipart form,
// so it works without JavaScript), and watches it import; the page lists the batch history with
// what superseded what. The upload is checked before anything starts — the ledger is theirs, the
// file is there, its type is the ledger's (by extension and by its first bytes) — and then
// `importBatch`, the CLI's own use case, runs on it as a background job (src/web/import-jobs.ts).
//
// The size limit is checked by `uploadLimit` before the session and CSRF middleware read the
// body, and the job pages are answered before the session middleware too (see import-jobs.ts).

import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import { importBatch } from '../../app/import-batch.js';
import { sha256Hex } from '../../agreement/source-text.js';
import { authorise } from '../../domain/access.js';
import type { Agreement, Ledger } from '../../domain/agreement.js';
import { html } from '../../report/escape.js';
import { renameFile } from '../api/errors.js';
import { DEFAULT_MAX_UPLOAD_BYTES, uploadName, type UploadFormat } from '../api/upload.js';
import { appContext, type WebContext, type WebEnv } from '../env.js';
import { refusedPage, requireAction } from '../guard.js';
import type { ImportJobs } from '../import-jobs.js';
import { page } from '../layout.js';
import { SESSION_COOKIE } from '../security.js';
import { heading } from '../views/components.js';
import { batchHistory, jobBody, uploadForm } from '../views/imports.js';
import { errorSummary } from '../views/manage.js';

/** Room for the multipart envelope around the file (boundaries, headers, the other fields). */
const FORM_OVERHEAD_BYTES = 64 * 1024;
/** A rejected file's problems are all listed, up to this many (then a count). */
const MAX_PROBLEMS = 10_000;

function limitOf(c: WebContext): number {
  return c.get('deps').maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
}

function sessionKey(c: WebContext): string | null {
  const token = getCookie(c, SESSION_COOKIE);
  return token ? sha256Hex(token) : null;
}

function uploadable(c: WebContext, agreement: Agreement): Ledger[] {
  const session = c.get('session')!;
  return agreement.ledgers.filter((l) => authorise(session.actor, 'ledger.upload', { ledgerPartner: l.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners }).allowed);
}

async function importsPage(c: WebContext, error: TandemError | null = null, chosen?: string): Promise<string> {
  const session = c.get('session')!;
  const ctx = appContext(c);
  const fundId = await resolveFund(ctx);
  const { agreement } = await agreementInForce(ctx, fundId);
  const sharing = agreement.lineDetailSharedAcrossPartners;
  const visible = agreement.ledgers.filter((l) => authorise(session.actor, 'ledger.lines.view', { ledgerPartner: l.partner, lineDetailSharedAcrossPartners: sharing }).allowed);
  const batches = (await ctx.store.listBatches(fundId)).filter((b) => visible.some((l) => l.id === b.ledgerId));
  const body = html`${error ? errorSummary(error, '#file') : html``}${heading(agreement.fund.name, 'Imports')}
${uploadForm(uploadable(c, agreement), session.csrfToken, limitOf(c), error, chosen)}
${batchHistory(batches, new Map(agreement.ledgers.map((l) => [l.id, l.name])))}`;
  return page({ title: error ? 'Error: Imports' : 'Imports', session, current: '/imports', body });
}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // an XLSX file is a ZIP archive

/** The upload's format, from its name and the ledger's settings, confirmed by its first bytes. */
function formatOf(ledger: Ledger, fileName: string, head: Uint8Array): UploadFormat {
  const ext = fileName.toLowerCase().match(/\.(csv|xlsx)$/)?.[1] as UploadFormat | undefined;
  const expected = ledger.file.format === 'auto' ? ext : ledger.file.format;
  const wanted = ledger.file.format === 'auto' ? 'a .csv or .xlsx file' : `a .${ledger.file.format} file`;
  if (expected === undefined || (ext !== undefined && ext !== expected)) {
    throw new TandemError('UPLOAD_WRONG_TYPE', `${fileName} is not ${wanted}, which is what ledger ${ledger.id} takes`, [], 2);
  }
  const zip = XLSX_MAGIC.every((b, i) => head[i] === b);
  if (expected === 'xlsx' && !zip) throw new TandemError('UPLOAD_WRONG_TYPE', `${fileName} is named .xlsx but is not an Excel workbook (XLSX)`, [], 2);
  if (expected === 'csv' && (zip || head.includes(0))) throw new TandemError('UPLOAD_WRONG_TYPE', `${fileName} is not a CSV text file (it looks like a binary file${zip ? ', perhaps a workbook: save it as CSV or upload it to a ledger that takes XLSX' : ''})`, [], 2);
  return expected;
}

async function startImport(c: WebContext, jobs: ImportJobs): Promise<Response> {
  const session = c.get('session')!;
  const ctx = appContext(c);
  const form = await c.req.parseBody();
  const ledgerId = typeof form.ledger === 'string' ? form.ledger : '';
  const fundId = await resolveFund(ctx);
  const { agreement } = await agreementInForce(ctx, fundId);
  const ledger = agreement.ledgers.find((l) => l.id === ledgerId);
  if (!ledger) return c.html(await importsPage(c, new TandemError('LEDGER_UNKNOWN', 'Choose a ledger from the list', [], 2)), 400);
  const decision = authorise(session.actor, 'ledger.upload', { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners });
  if (!decision.allowed) {
    return refusedPage(c, decision.reason);
  }
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) {
    return c.html(await importsPage(c, new TandemError('UPLOAD_MISSING', file instanceof File && file.name !== '' ? `${file.name} is empty` : 'Choose a file to upload', [], 2), ledger.id), 400);
  }
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  let format: UploadFormat;
  try {
    format = formatOf(ledger, file.name, head);
  } catch (error) {
    if (error instanceof TandemError) return c.html(await importsPage(c, error, ledger.id), 415);
    throw error;
  }
  const name = uploadName(file.name, ledger.id, format);
  const tempDir = await mkdtemp(join(tmpdir(), 'tandem-upload-'));
  const path = join(tempDir, name);
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      for await (const chunk of file.stream()) await handle.write(chunk);
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
  const job = jobs.start({ sessionKey: sessionKey(c)!, session }, { ledgerId: ledger.id, ledgerName: ledger.name, fileName: name, fileBytes: file.size, tempDir }, async (onProgress) => {
    try {
      return await importBatch(ctx, { fundId, ledgerId: ledger.id, path, displayName: name, onProgress, maxProblems: MAX_PROBLEMS });
    } catch (error) {
      throw renameFile(error, path, name);
    }
  });
  return c.redirect(`/imports/jobs/${job.id}`, 303);
}

/** Routes answered before the session middleware: the upload size limit and the job pages. */
export function importJobRoutes(app: Hono<WebEnv>, jobs: ImportJobs): void {
  app.post(
    '/imports',
    async (c, next) =>
      bodyLimit({
        maxSize: limitOf(c) + FORM_OVERHEAD_BYTES,
        onError: (c) => c.html(page({ title: 'File too large', session: null, body: html`<h1 class="govuk-heading-l">The file is too large</h1><p class="govuk-body">The largest file Tandem accepts is ${Math.floor(limitOf(c) / (1024 * 1024))} MB. Split the extract (for example one file per month) and upload each part. Nothing was imported.</p><p class="govuk-body"><a class="govuk-link" href="/imports">Back to Imports</a></p>` }), 413),
      })(c, next),
  );
  app.get('/imports/jobs/:id/status', (c) => {
    const job = jobs.get(c.req.param('id'), sessionKey(c));
    if (!job) return c.json({ error: { code: 'NOT_FOUND', message: 'no such import job for this session' } }, 404);
    return c.json(jobs.status(job));
  });
  app.get('/imports/jobs/:id', async (c, next) => {
    const job = jobs.get(c.req.param('id'), sessionKey(c));
    // A finished job goes through the normal session check (the database is free again).
    if (!job || job.state !== 'running') return next();
    const status = jobs.status(job);
    return c.html(page({ title: 'Importing', session: job.session, current: '/imports', head: html`<noscript><meta http-equiv="refresh" content="2"></noscript>`, body: jobBody(job, status, job.ledgerName) }));
  });
}

export function importRoutes(app: Hono<WebEnv>, jobs: ImportJobs): void {
  app.get('/imports', requireAction('fund.view'), async (c) => c.html(await importsPage(c)));
  app.post('/imports', requireAction('fund.view'), (c) => startImport(c, jobs));
  app.get('/imports/jobs/:id', requireAction('fund.view'), async (c) => {
    const job = jobs.get(c.req.param('id'), sessionKey(c));
    if (!job) return c.notFound();
    // Only an ended job gets here: a running one is answered before the session middleware (above).
    return c.html(page({ title: job.state === 'imported' ? 'Imported' : 'Error: import rejected', session: c.get('session')!, current: '/imports', body: jobBody(job, jobs.status(job), job.ledgerName) }));
  });
}
