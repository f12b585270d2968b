// Downloads: for each closed period, the report as HTML, PDF, XLSX and each CSV table, and each
// ledger's journals (upload CSV and ledger-cli/hledger text) that the user may download. Files
// are made on request by the CLI's own use cases (writeReportFiles, exportJournals) into a
// temporary directory and streamed (src/web/views/send-file.ts). Every part of a download's
// address is checked before anything is made: the period must parse and be closed, the format
// and CSV table must be ones Tandem writes, the ledger an id of the agreement — so `..%2F`, a
// ledger id with `/`, or any other name never reaches the file system (400 or 404).

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import { resolveFund } from '../../app/agreements.js';
import type { AppContext } from '../../app/context.js';
import { exportJournals, type JournalFormat } from '../../app/journal-export.js';
import { periodStates } from '../../app/periods.js';
import { writeReportFiles } from '../../app/report-files.js';
import { formatPeriod, type PeriodKey } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import { appContext, type WebContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { closeOfPeriod, ledgerDecisions } from '../views/fund.js';
import { badRequest, isId, parsePeriodSlug, periodSlug } from '../views/params.js';
import { sendGenerated } from '../views/send-file.js';

const REPORT_FORMATS = ['html', 'pdf', 'xlsx'] as const;
type PageFormat = (typeof REPORT_FORMATS)[number];
const JOURNAL_FORMATS: readonly JournalFormat[] = ['csv', 'ledger'];
const FORMAT_LABEL: Record<PageFormat, string> = { html: 'HTML', pdf: 'PDF', xlsx: 'Excel (XLSX)' };

/** Closed periods of the fund (latest event a close, not a reopen), latest first. */
async function closedPeriods(ctx: AppContext, fundId: string): Promise<PeriodKey[]> {
  return [...(await periodStates(ctx.store, fundId)).values()].filter((e) => e.action === 'close').map((e) => e.period).sort((a, b) => b - a);
}

/** The closed period named in the address: 400 if it is not a period at all, null if not closed. */
async function closedPeriodOf(ctx: AppContext, fundId: string, slug: string): Promise<PeriodKey | null> {
  const period = parsePeriodSlug(slug);
  if (period === undefined) throw badRequest(`"${slug}" is not a period (write it like 2025-26-M03)`);
  return (await closedPeriods(ctx, fundId)).includes(period) ? period : null;
}

function link(href: string, text: string, hidden: string): Html {
  return html`<a class="govuk-link" href="${href}" download>${text}<span class="govuk-visually-hidden"> ${hidden}</span></a>`;
}

async function periodSection(c: WebContext, ctx: AppContext, fundId: string, period: PeriodKey): Promise<Html> {
  const session = c.get('session')!;
  const close = (await closeOfPeriod(ctx, fundId, period))!;
  const { data } = close.report;
  const slug = periodSlug(period);
  const name = formatPeriod(period);
  const tables = close.csvTables();
  const decisions = ledgerDecisions(session, close.agreement, 'ledger.journals.download');
  const journals = data.journals.map((l) => {
    const decision = decisions.get(l.ledger)?.decision ?? { allowed: false as const, reason: 'the ledger is no longer in the agreement' };
    const label = html`<strong>${l.ledgerName}</strong> (${l.journals.length} journal${l.journals.length === 1 ? '' : 's'}): `;
    if (!decision.allowed) return html`<li>${label}you cannot download these: ${decision.reason}.</li>`;
    const base = `/downloads/journals/${slug}/${encodeURIComponent(l.ledger)}`;
    return html`<li>${label}${link(`${base}/csv`, 'upload CSV', `of ${l.ledgerName} journals, ${name}`)}, ${link(`${base}/ledger`, 'ledger text', `of ${l.ledgerName} journals, ${name}`)}</li>`;
  });
  return html`<h2 class="govuk-heading-m" id="period-${slug}">${name} (${data.monthName}), close version ${data.provenance.closeVersion}</h2>
<h3 class="govuk-heading-s">Report</h3>
<ul class="govuk-list">${REPORT_FORMATS.map((f) => html`<li>${link(`/downloads/report/${slug}/${f}`, FORMAT_LABEL[f], `report, ${name}`)}${f === 'pdf' ? html` <span class="govuk-body-s">(takes a few seconds to print)</span>` : html``}</li>`)}</ul>
<h3 class="govuk-heading-s">Report tables as CSV</h3>
<ul class="govuk-list">${tables.map((t) => html`<li>${link(`/downloads/report/${slug}/csv/${encodeURIComponent(t)}`, `${t}.csv`, `report table, ${name}`)}</li>`)}</ul>
<h3 class="govuk-heading-s">Journals by ledger</h3>
${journals.length > 0 ? html`<ul class="govuk-list">${journals}</ul>` : html`<p class="govuk-body">This close made no journals.</p>`}`;
}

export function downloadRoutes(app: Hono<WebEnv>): void {
  app.get('/downloads', requireAction('report.download'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const periods = await closedPeriods(ctx, fundId);
    const sections: Html[] = [];
    for (const period of periods) sections.push(await periodSection(c, ctx, fundId, period));
    const fund = (await ctx.store.listFunds()).find((f) => f.id === fundId);
    const body = html`${heading(fund?.name ?? fundId, 'Downloads')}
<p class="govuk-body">The monthly report and journals of every closed month, made from the stored close when you ask for them, so they match what was closed.</p>
${sections.length > 0 ? sections : html`<p class="govuk-body">No month has been closed yet.</p>`}`;
    return c.html(page({ title: 'Downloads', session, current: '/downloads', body }));
  });

  app.get('/downloads/report/:period/:format', requireAction('report.download'), async (c) => {
    const ctx = appContext(c);
    const format = c.req.param('format');
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) return c.notFound();
    const fundId = await resolveFund(ctx);
    const period = await closedPeriodOf(ctx, fundId, c.req.param('period'));
    if (period === null) return c.notFound();
    const kind = format as PageFormat;
    const response = await sendGenerated(async (dir) => {
      const result = await writeReportFiles(ctx, { fundId, period, formats: [kind], outDir: dir });
      const file = result.files.find((f) => f.format === kind)!.path;
      return { file, name: path.basename(file), kind };
    });
    return response ?? c.notFound();
  });

  app.get('/downloads/report/:period/csv/:table', requireAction('report.download'), async (c) => {
    const ctx = appContext(c);
    const table = c.req.param('table');
    if (!isId(table)) return c.notFound();
    const fundId = await resolveFund(ctx);
    const period = await closedPeriodOf(ctx, fundId, c.req.param('period'));
    if (period === null) return c.notFound();
    const response = await sendGenerated(async (dir) => {
      const result = await writeReportFiles(ctx, { fundId, period, formats: ['csv'], outDir: dir });
      const csvDir = result.files.find((f) => f.format === 'csv')!.path;
      // The name is looked up among the files written, never joined onto a path as given.
      const found = (await readdir(csvDir)).find((name) => name === `${table}.csv`);
      if (!found) return null;
      return { file: path.join(csvDir, found), name: `${path.basename(csvDir).replace(/-csv$/, '')}-${found}`, kind: 'csv' };
    });
    return response ?? c.notFound();
  });

  app.get('/downloads/journals/:period/:ledger/:format', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const format = c.req.param('format');
    const ledgerId = c.req.param('ledger');
    if (!(JOURNAL_FORMATS as readonly string[]).includes(format) || !isId(ledgerId)) return c.notFound();
    const fundId = await resolveFund(ctx);
    const period = await closedPeriodOf(ctx, fundId, c.req.param('period'));
    if (period === null) return c.notFound();
    const close = await closeOfPeriod(ctx, fundId, period);
    const entry = close && ledgerDecisions(session, close.agreement, 'ledger.journals.download').get(ledgerId);
    if (!entry) return c.notFound();
    if (!entry.decision.allowed) {
      return c.html(page({ title: 'Not allowed', session, body: html`<h1 class="govuk-heading-l">You cannot download these journals</h1><p class="govuk-body">${entry.decision.reason}</p>` }), 403);
    }
    const response = await sendGenerated(async (dir) => {
      const result = await exportJournals(ctx, { fundId, period, format: format as JournalFormat, outDir: dir });
      const file = result.files.find((f) => f.ledger === ledgerId);
      return file ? { file: file.path, name: path.basename(file.path), kind: format === 'csv' ? 'csv' : 'journal' } : null;
    });
    return response ?? c.notFound();
  });
}
