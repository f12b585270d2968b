// The joint finance report's stylesheet, inlined into the one HTML file (no network requests).
// Sober public-sector look after the GOV.UK and NHS design systems: system fonts, black text,
// ruled tables with right-aligned tabular figures, RAG as a labelled badge, and print rules for
// A4 landscape with each section on a new page (the PDF is printed from this same HTML).

import { html, raw, type Html } from './escape.js';

/**
 * The opening of a self-contained Tandem HTML file (the monthly report, the memorandum account, a
 * scenario): no request may leave the file (the CSP allows only its own inline styles and data:
 * images), the report's styles, and any extra CSS of that document.
 */
export function standaloneHead(title: string, extraCss = ''): Html {
  return html`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Tandem">
<title>${title}</title>
<style>${raw(REPORT_CSS)}${raw(extraCss)}</style>
</head>`;
}

export const REPORT_CSS = `
:root {
  --ink: #0b0c0c; --muted: #505a5f; --rule: #b1b4b6; --light: #f3f2f1; --blue: #1d70b8;
  --red: #d4351c; --amber: #ffdd00; --green: #00703c; --dark-blue: #003078;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", Helvetica, sans-serif;
  font-size: 16px; line-height: 1.4;
}
.marking-bar { background: var(--ink); color: #fff; text-align: center; font-weight: 700; letter-spacing: 0.15em; font-size: 14px; padding: 4px 0; }
.page { max-width: 1240px; margin: 0 auto; padding: 0 24px 48px; }
.title-block { border-bottom: 8px solid var(--blue); padding: 28px 0 18px; margin-bottom: 20px; display: flex; justify-content: space-between; gap: 32px; align-items: flex-end; }
.title-block .title { flex: 1 1 auto; }
.report-header .page { padding-bottom: 0; }
.title-block .caption { color: var(--muted); font-size: 20px; margin: 0 0 4px; }
h1 { font-size: 32px; line-height: 1.15; margin: 0 0 8px; }
.title-block .period { font-size: 22px; margin: 0; }
.title-block .period .period-key { color: var(--muted); }
.close-meta { flex: 0 1 auto; max-width: 400px; margin: 0; font-size: 14px; display: grid; grid-template-columns: auto auto; gap: 3px 12px; border-left: 4px solid var(--rule); padding: 4px 0 4px 14px; }
.close-meta div { display: contents; }
.close-meta dt { color: var(--muted); }
.close-meta dd { margin: 0; font-weight: 600; }
h2 { font-size: 27px; line-height: 1.2; margin: 40px 0 16px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 21px; margin: 28px 0 8px; }
h4 { font-size: 17px; margin: 20px 0 6px; }
p { margin: 0 0 12px; max-width: 75ch; }
.lede { color: var(--muted); }
.contents { font-size: 15px; margin: 0 0 8px; }
.contents ol { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 4px 0 0; list-style: none; counter-reset: item; }
.contents li { counter-increment: item; }
.contents li::before { content: counter(item) ". "; color: var(--muted); }
.contents a, a { color: var(--blue); }
.headline { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; margin: 0 0 24px; }
.headline .card { border-left: 6px solid var(--blue); background: var(--light); padding: 12px 16px; }
.headline .card.warn { border-left-color: var(--red); }
.headline dt { font-size: 15px; color: var(--muted); }
.headline dd { margin: 4px 0 0; font-size: 28px; font-weight: 700; font-variant-numeric: tabular-nums; }
.headline dd .unit { font-size: 15px; font-weight: 400; color: var(--muted); margin-left: 4px; }
.headline dd .rag { font-size: 14px; vertical-align: middle; margin-left: 8px; }
table { border-collapse: collapse; width: 100%; margin: 0 0 24px; font-size: 15px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; font-size: 17px; padding: 0 0 8px; }
th, td { border-bottom: 1px solid var(--rule); padding: 7px 10px 7px 0; text-align: left; vertical-align: top; }
th:last-child, td:last-child { padding-right: 0; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; font-weight: 700; }
tbody th { font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums lining-nums; }
.code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 14px; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 3px double var(--ink); }
tr.scheme-row th, tr.scheme-row td { border-bottom: none; }
tr.commentary td { font-size: 14px; padding-top: 0; color: var(--ink); }
.pool-table tbody th { min-width: 16em; }
.pool-table th, .pool-table td { padding-right: 8px; }
.pool-table thead th { white-space: nowrap; }
.pool-table .lead { display: block; font-size: 13px; font-weight: 400; color: var(--muted); }
tr.commentary .label { font-weight: 700; margin-right: 6px; }
.none { color: var(--muted); font-style: italic; }
.by { color: var(--muted); }
.rag { display: inline-block; min-width: 4.2em; text-align: center; padding: 1px 8px; font-weight: 700; font-size: 13px; letter-spacing: 0.02em; border: 2px solid transparent; }
.rag-red { background: var(--red); color: #fff; }
.rag-amber { background: var(--amber); color: var(--ink); border-color: #b29a00; }
.rag-green { background: var(--green); color: #fff; }
.tag { display: inline-block; font-size: 13px; font-weight: 700; padding: 0 6px; background: var(--light); border: 1px solid var(--rule); }
.reasons { margin: 0 0 20px; padding-left: 20px; max-width: 110ch; }
.reasons li { margin-bottom: 4px; }
.changes { margin: 0; padding-left: 18px; }
.warning { border: 4px solid var(--red); padding: 14px 18px; margin: 0 0 20px; font-weight: 600; }
.warning strong { display: block; font-size: 20px; color: var(--red); margin-bottom: 4px; }
.ok { border-left: 6px solid var(--green); background: var(--light); padding: 10px 16px; margin: 0 0 20px; }
.flag { color: var(--red); font-weight: 700; }
.agreed { color: var(--green); font-weight: 700; }
figure { margin: 0 0 28px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 700; font-size: 17px; margin: 0 0 8px; }
figcaption.note { font-weight: 400; font-size: 15px; color: var(--muted); }
svg.chart { display: block; width: 100%; max-width: 980px; height: auto; font-family: inherit; }
.chart-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 8px 32px; }
.trend-table { font-size: 13px; margin-top: 12px; }
.trend-table th, .trend-table td { padding: 4px 6px 4px 0; }
.month-key { display: block; font-weight: 400; color: var(--muted); font-size: 11px; }
dl.provenance { margin: 0 0 24px; font-size: 15px; border-top: 1px solid var(--rule); }
dl.provenance div { display: grid; grid-template-columns: 14em 1fr; gap: 24px; padding: 7px 0; border-bottom: 1px solid var(--rule); }
dl.provenance dt { font-weight: 700; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
caption .ref { display: block; font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 16px; }
caption .journal-meta { display: block; font-weight: 400; font-size: 14px; color: var(--muted); margin: 2px 0 0; }
.journal-table td.num, .journal-table th.num { width: 10em; }
.footer-marking { max-width: none; text-align: center; font-weight: 700; letter-spacing: 0.15em; margin-top: 32px; }
@page { size: A4 landscape; margin: 18mm 10mm 16mm; }
@media print {
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .contents, .footer-marking { display: none; }
  .marking-bar { font-size: 10pt; padding: 2px 0; }
  .title-block { padding: 10px 0 8px; margin-bottom: 12px; border-bottom-width: 5px; }
  .title-block .caption { font-size: 12pt; }
  .title-block .period { font-size: 14pt; }
  .close-meta { font-size: 8.5pt; max-width: 330px; }
  h1 { font-size: 20pt; }
  .headline { gap: 10px; margin-bottom: 14px; }
  .headline .card { padding: 6px 10px; }
  .headline dt { font-size: 9pt; }
  .headline dd { font-size: 16pt; }
  h2 { font-size: 18pt; margin-top: 0; border-top: none; }
  section.report-section { break-before: page; page-break-before: always; }
  section.report-section.first { break-before: auto; page-break-before: auto; }
  table { font-size: 9.5pt; }
  thead { display: table-header-group; }
  tr, .warning, .headline, dl.provenance div { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4, caption, figcaption, .lede { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  svg.chart { max-width: 900px; }
  tr.commentary td { font-size: 8.5pt; }
  .rag, .tag { font-size: 7.5pt; }
  .pool-table .lead { font-size: 8pt; }
  table.journal-table, table.batches-table, table.balances-table, table.unmapped-table { break-inside: avoid; page-break-inside: avoid; }
  dl.provenance { font-size: 9.5pt; }
  dl.provenance div { padding: 3px 0; }
  h3 { margin-top: 16px; }
}
`;
