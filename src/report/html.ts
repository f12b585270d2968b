// The joint finance report as one self-contained HTML page (domain.md §9): styles and SVG charts
// inline, no script, no network request (a Content-Security-Policy forbids any), accessible
// (lang, heading hierarchy, captions, scoped headers, RAG in words) and printable on A4 landscape.
// The PDF (pdf.ts) is printed from this same page. Every text value is escaped (escape.ts).

import { invariant } from '../domain/money.js';
import { html } from './escape.js';
import { balancesSection, journalsSection, provenanceSection, unmappedSection } from './html-ledger.js';
import { budgetSection, chartsSection, poolsSection, riskShareSection, summarySection, titleBlock } from './html-sections.js';
import { memorandumSection, memorandumSectionIds } from './html-memorandum.js';
import { contractsSection, metricsSection, multiYearSection, planningSectionIds } from './html-planning.js';
import { standaloneHead } from './html-style.js';
import type { ReportData, ReportFigures } from './report-data.js';

const AMOUNTS = ['annualBudgetPence', 'ytdBudgetPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const satisfies readonly (keyof ReportFigures)[];

/** The summary must read pooled, aligned, integrated, with integrated = pooled + aligned exactly. */
function checkSummary(data: ReportData): void {
  const [pooled, aligned, integrated] = data.summary;
  invariant(pooled?.id === 'pooled' && aligned?.id === 'aligned' && integrated?.id === 'integrated' && data.summary.length === 3, 'report summary must be pooled, aligned, integrated');
  for (const key of AMOUNTS) {
    invariant(integrated[key] === pooled[key] + aligned[key], `report summary: integrated ${key} (${integrated[key]}) is not pooled + aligned (${pooled[key] + aligned[key]})`);
  }
}

/** The report's sections in order; contracts and metrics only when the fund has them, the memorandum account only at M12. */
const sections = (data: ReportData): (readonly [string, string])[] => [
  ['summary', 'Fund summary'],
  ['schemes', 'Schemes by pool'],
  ['budget', 'Budget reconciliation'],
  ...planningSectionIds(data),
  ['risk-share', 'Risk share'],
  ...memorandumSectionIds(data),
  ['charts', 'Trends and variances'],
  ['multi-year', 'The fund over the years'],
  ['journals', 'Journals'],
  ['balances', 'Agreement of balances'],
  ['unmapped', 'Unmapped lines'],
  ['provenance', 'Provenance'],
];

/** The whole report page. */
export function renderReportHtml(data: ReportData): string {
  checkSummary(data);
  const title = `${data.fund.name}: joint finance report, ${data.monthName} (${data.period}) – ${data.classification}`;
  const page = html`${standaloneHead(title)}
<body>
${titleBlock(data)}
<div class="page">
<nav class="contents" aria-label="Contents"><strong>Contents</strong><ol>${sections(data).map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ol></nav>
<main>
${summarySection(data)}
${poolsSection(data)}
${budgetSection(data)}
${contractsSection(data)}
${metricsSection(data)}
${riskShareSection(data)}
${memorandumSection(data)}
${chartsSection(data)}
${multiYearSection(data)}
${journalsSection(data)}
${balancesSection(data)}
${unmappedSection(data)}
${provenanceSection(data)}
</main>
<p class="footer-marking">${data.classification}</p>
</div>
</body>
</html>
`;
  return page.text;
}
