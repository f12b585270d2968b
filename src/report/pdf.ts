// The joint finance report as a PDF: the report's own HTML (html.ts) printed by headless Chromium
// on A4 landscape, with the fund, period and OFFICIAL marking in every page header and
// "Page X of Y" in the footer. The page is offline (browser.ts): any request fails the render.
// The page is checked before printing, so a page that tried to load anything writes no file.

import { assertNoRequests, withOfflinePage } from './browser.js';
import { escapeHtml } from './escape.js';
import type { ReportData } from './report-data.js';

/** Header and footer templates are rendered by Chromium with no page styles: style inline (and
 * with no double quote inside the style attribute, or the font size is lost and the text is 1 pt). */
const BAND = "font-family: system-ui, Arial, 'Liberation Sans', sans-serif; font-size: 8pt; color: #0b0c0c; width: 100%; margin: 0 10mm; display: flex; justify-content: space-between; align-items: baseline;";
const CELL = 'flex: 1 1 0;';
const MARK = 'text-align: center; font-weight: 700; letter-spacing: 0.1em;';

export function pdfHeaderTemplate(data: ReportData): string {
  const fund = escapeHtml(data.fund.name);
  const period = escapeHtml(`Joint finance report · ${data.monthName} · ${data.period}`);
  const marking = escapeHtml(data.classification);
  return `<div style="${BAND}"><span style="${CELL}">${fund}</span><span style="${CELL} ${MARK}">${marking}</span><span style="${CELL} text-align: right;">${period}</span></div>`;
}

export function pdfFooterTemplate(data: ReportData): string {
  const close = escapeHtml(`Close version ${data.provenance.closeVersion} · SHA-256 ${data.provenance.closeSha256.slice(0, 12)}`);
  const marking = escapeHtml(data.classification);
  const pages = 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>';
  return `<div style="${BAND}"><span style="${CELL} color: #505a5f;">${close}</span><span style="${CELL} ${MARK}">${marking}</span><span style="${CELL} text-align: right;">${pages}</span></div>`;
}

/** Print `html` (from renderReportHtml(data)) to `outFile` as an A4 landscape PDF. */
export async function renderReportPdf(html: string, outFile: string, data: ReportData): Promise<void> {
  await withOfflinePage(async ({ page, blocked }) => {
    await page.setContent(html, { waitUntil: 'load' });
    assertNoRequests(blocked);
    await page.pdf({
      path: outFile,
      format: 'A4',
      landscape: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: pdfHeaderTemplate(data),
      footerTemplate: pdfFooterTemplate(data),
      margin: { top: '16mm', bottom: '14mm', left: '10mm', right: '10mm' },
    });
  });
}
