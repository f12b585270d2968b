// Inline SVG charts for the joint finance report (domain.md §9: "trends and variances are drawn as
// charts"). Geometry comes from d3-scale (scales, ticks, nice domains) and d3-shape (line paths);
// the SVG elements are written here so the report stays one self-contained file with no script.
// Amounts stay integer pence: floating point is used only to turn them into pixel coordinates.
// Every chart is role="img" with a <title> and <desc>; its data is also given as a table or text.

import { scaleBand, scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import { addPence, formatPounds, formatThousands, type Pence } from '../domain/money.js';
import type { ReportSeries } from './report-data.js';
import { html, type Html } from './escape.js';

export const MONTH_KEYS = Array.from({ length: 12 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`);
export const MONTH_ABBR = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar'];

const INK = '#0b0c0c';
const MUTED = '#505a5f';
const GRID = '#dcdcdc';
const BLUE = '#1d70b8';
const BUDGET = '#6f777b';
const OVER = '#d4351c';
const UNDER = '#00703c';

/** Running totals, in exact pence. */
export function cumulative(values: readonly Pence[]): Pence[] {
  const out: Pence[] = [];
  let total = 0;
  for (const v of values) out.push((total = addPence(total, v)));
  return out;
}

/** A pixel coordinate to one decimal place. */
function px(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A tick of an axis that is in pence, labelled in £000s as the committee reads it. */
function tickLabel(value: number): string {
  return formatThousands(Math.round(value)).replace(/\.0$/, '');
}

/** Keep end-of-line labels from overlapping: push two labels apart to at least `gap` pixels. */
function separate(a: number, b: number, gap: number): [number, number] {
  const distance = Math.abs(a - b);
  if (distance >= gap) return [a, b];
  const push = (gap - distance) / 2;
  return a <= b ? [a - push, b + push] : [a + push, b - push];
}

/** The span of a value axis: always includes zero, never collapsed to a point. */
function extent(values: readonly Pence[]): [number, number] {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  return lo === hi ? [lo, lo + 100_000] : [lo, hi];
}

interface Point {
  x: number;
  y: number;
}

const path = line<Point>()
  .x((p) => p.x)
  .y((p) => p.y)
  .digits(1);

function svgOpen(id: string, kind: string, width: number, height: number, title: string, desc: string): Html {
  const label = html`<title id="${id}-title">${title}</title><desc id="${id}-desc">${desc}</desc>`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="${id}-title ${id}-desc" font-size="12" fill="${INK}">${label}`;
}

const T = { width: 960, height: 330, top: 44, right: 130, bottom: 46, left: 78 };

/**
 * Cumulative budget (M01–M12) against cumulative actual (M01..month) and the forecast outturn:
 * a dashed line from the last actual point to the FOT at M12.
 */
export function trendChart(series: ReportSeries, month: number): Html {
  const id = `chart-trend-${series.id}`;
  const budget = cumulative(series.monthlyBudgetPence);
  const actual = cumulative(series.monthlyActualPence.slice(0, month));
  const ytd = actual[actual.length - 1] ?? 0;
  const [lo, hi] = extent([...budget, ...actual, series.fotPence]);
  const y = scaleLinear().domain([lo, hi]).nice().range([T.height - T.bottom, T.top]);
  const x = scalePoint<string>().domain(MONTH_KEYS).range([T.left, T.width - T.right]).padding(0.3);
  const xAt = (i: number) => px(x(MONTH_KEYS[i] ?? 'M01') ?? T.left);
  const at = (i: number, value: Pence): Point => ({ x: xAt(i), y: px(y(value)) });
  const budgetPts = budget.map((v, i) => at(i, v));
  const actualPts = actual.map((v, i) => at(i, v));
  const last = actualPts[actualPts.length - 1] ?? at(0, 0);
  const fotPt = at(11, series.fotPence);
  const forecast = month < 12 ? [last, fotPt] : [];
  // The YTD label sits above-left of the last actual point (clear of a rising line), or, in the
  // first months where that would run into the axis labels, in the empty top-left corner.
  const early = month <= 2;
  const monthLabel = MONTH_KEYS[month - 1] ?? '';
  const title = `${series.label}: cumulative budget, actual and forecast outturn by month`;
  const desc =
    `Cumulative budget rises to ${formatThousands(budget[11] ?? 0)} (£000s) at M12. ` +
    `Cumulative actual to ${monthLabel} is ${formatThousands(ytd)}. ` +
    `The forecast outturn is ${formatThousands(series.fotPence)}, a variance of ${formatThousands(series.fotPence - (budget[11] ?? 0))} against the annual budget.`;
  const yTicks = y.ticks(5).map(
    (t) => html`<g class="tick" data-value="${tickLabel(t)}" transform="translate(0,${px(y(t))})"><line x1="${T.left}" x2="${T.width - T.right + 8}" stroke="${t === 0 ? MUTED : GRID}"/><text x="${T.left - 8}" dy="0.32em" text-anchor="end" fill="${MUTED}">${tickLabel(t)}</text></g>`,
  );
  const xTicks = MONTH_KEYS.map(
    (key, i) =>
      html`<g class="tick" data-month="${key}" transform="translate(${xAt(i)},${T.height - T.bottom})"><line y2="5" stroke="${MUTED}"/><text y="18" text-anchor="middle" fill="${MUTED}">${MONTH_ABBR[i] ?? ''}</text><text y="32" text-anchor="middle" fill="${MUTED}" font-size="10">${key}</text></g>`,
  );
  const [budgetLabelY, fotLabelY] = separate(budgetPts[11]?.y ?? 0, fotPt.y, 30);
  const endX = xAt(11) + 12;
  const fotLabel =
    month < 12
      ? html`<text class="end-label" x="${endX}" y="${px(fotLabelY)}" dy="-0.2em" fill="${BLUE}" font-weight="bold">FOT</text><text x="${endX}" y="${px(fotLabelY)}" dy="1em" fill="${BLUE}">${formatThousands(series.fotPence)}</text>`
      : html``;
  const forecastMarks = forecast.length
    ? html`<path class="line forecast" data-series="forecast" d="${path(forecast) ?? ''}" fill="none" stroke="${BLUE}" stroke-width="2" stroke-dasharray="6 4"/>
<circle class="point forecast" data-month="M12" data-pence="${series.fotPence}" cx="${fotPt.x}" cy="${fotPt.y}" r="4" fill="#fff" stroke="${BLUE}" stroke-width="2"/>`
    : html``;
  const legendItem = (dx: number, label: string, stroke: string, width: number, dash: string) =>
    html`<g transform="translate(${T.left + dx},16)"><line x2="28" stroke="${stroke}" stroke-width="${width}" stroke-dasharray="${dash}"/><text x="34" dy="0.32em">${label}</text></g>`;
  return html`${svgOpen(id, 'trend', T.width, T.height, title, desc)}
<g class="legend">${legendItem(0, 'Cumulative budget', BUDGET, 2, 'none')}${legendItem(170, 'Cumulative actual', BLUE, 3, 'none')}${legendItem(340, 'Forecast to outturn (dashed)', BLUE, 2, '6 4')}<text x="${T.width - 8}" dy="0.32em" y="16" text-anchor="end" fill="${MUTED}">£000s</text></g>
<g class="axis axis-y">${yTicks}</g>
<g class="axis axis-x">${xTicks}</g>
<path class="line budget" data-series="budget" d="${path(budgetPts) ?? ''}" fill="none" stroke="${BUDGET}" stroke-width="2"/>
<g class="points budget">${budgetPts.map((p, i) => html`<circle class="point budget" data-month="${MONTH_KEYS[i] ?? ''}" data-pence="${budget[i] ?? 0}" cx="${p.x}" cy="${p.y}" r="2.5" fill="#fff" stroke="${BUDGET}" stroke-width="1.5"/>`)}</g>
${forecastMarks}
<path class="line actual" data-series="actual" d="${path(actualPts) ?? ''}" fill="none" stroke="${BLUE}" stroke-width="3"/>
<g class="points actual">${actualPts.map((p, i) => html`<circle class="point actual" data-month="${MONTH_KEYS[i] ?? ''}" data-pence="${actual[i] ?? 0}" cx="${p.x}" cy="${p.y}" r="4" fill="${BLUE}"/>`)}</g>
<text class="ytd-label" x="${early ? T.left + 8 : px(last.x - 8)}" y="${early ? T.top + 14 : px(last.y - 10)}" text-anchor="${early ? 'start' : 'end'}" fill="${BLUE}" font-weight="bold">YTD ${early ? `to ${monthLabel} ` : ''}${formatThousands(ytd)}</text>
<text class="end-label" x="${endX}" y="${px(budgetLabelY)}" dy="-0.2em" fill="${BUDGET}" font-weight="bold">Budget</text><text x="${endX}" y="${px(budgetLabelY)}" dy="1em" fill="${BUDGET}">${formatThousands(budget[11] ?? 0)}</text>
${fotLabel}
</svg>`;
}

/** The trend chart's data as a table: months across, cumulative budget, actual and FOT down. */
export function trendTable(series: ReportSeries, month: number): Html {
  const budget = cumulative(series.monthlyBudgetPence);
  const actual = cumulative(series.monthlyActualPence.slice(0, month));
  const cells = (values: readonly (Pence | null)[]) => values.map((v) => (v === null ? html`<td class="num empty"></td>` : html`<td class="num">${formatThousands(v)}</td>`));
  return html`<table class="data-table trend-table">
<caption>${series.label}: cumulative budget, actual and forecast outturn by month, £000s</caption>
<thead><tr><th scope="col">Series</th>${MONTH_KEYS.map((k, i) => html`<th scope="col" class="num">${MONTH_ABBR[i] ?? ''}<span class="month-key">${k}</span></th>`)}</tr></thead>
<tbody>
<tr><th scope="row">Cumulative budget</th>${cells(budget)}</tr>
<tr><th scope="row">Cumulative actual</th>${cells(MONTH_KEYS.map((_, i) => actual[i] ?? null))}</tr>
<tr><th scope="row">Forecast outturn</th>${cells(MONTH_KEYS.map((_, i) => (i === 11 ? series.fotPence : null)))}</tr>
</tbody></table>`;
}

export interface Bar {
  key: string;
  label: string;
  valuePence: Pence;
  /** The words beside the bar, e.g. "2,486.3 overspend" or "£1,221,097.38". */
  valueLabel: string;
}

const B = { width: 960, top: 40, row: 34, bottom: 40, left: 220, right: 24, labelRoom: 150 };

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Horizontal bars from a zero line: positive values to the right (solid), negative to the left
 * (hatched), each with its value in words, so the direction can be read without colour.
 */
export function barChart(options: { id: string; kind: string; title: string; desc: string; bars: readonly Bar[]; positive: string; negative: string; positiveColour: string; negativeColour: string }): Html {
  const { id, bars } = options;
  const height = B.top + B.bottom + Math.max(1, bars.length) * B.row;
  const y = scaleBand<string>()
    .domain(bars.map((b) => b.key))
    .range([B.top, height - B.bottom])
    .paddingInner(0.3)
    .paddingOuter(0.2);
  const x = scaleLinear()
    .domain(extent(bars.map((b) => b.valuePence)))
    .nice()
    .range([B.left + B.labelRoom, B.width - B.right - B.labelRoom]);
  const zero = px(x(0));
  const ticks = x.ticks(5).map(
    (t) => {
      const rule = html`<line y1="${B.top - 6}" y2="${height - B.bottom + 4}" stroke="${t === 0 ? INK : GRID}" stroke-width="${t === 0 ? 1.5 : 1}"/>`;
      const label = html`<text y="${height - B.bottom + 18}" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`;
      return html`<g class="tick" data-value="${tickLabel(t)}" transform="translate(${px(x(t))},0)">${rule}${label}</g>`;
    },
  );
  const rows = bars.map((b) => {
    const top = px(y(b.key) ?? B.top);
    const h = px(y.bandwidth());
    const end = px(x(b.valuePence));
    const negative = b.valuePence < 0;
    const fill = negative ? `url(#${id}-hatch)` : options.positiveColour;
    const labelX = negative ? end - 6 : end + 6;
    const middle = px(top + h / 2);
    const name = html`<title>${b.label}: ${b.valueLabel}</title><text x="${B.left - 10}" y="${middle}" dy="0.32em" text-anchor="end">${shorten(b.label, 30)}</text>`;
    const stroke = negative ? options.negativeColour : options.positiveColour;
    const rect = html`<rect class="bar ${negative ? 'negative' : 'positive'}" data-key="${b.key}" data-pence="${b.valuePence}" x="${Math.min(zero, end)}" y="${top}" width="${px(Math.abs(end - zero))}" height="${h}" fill="${fill}" stroke="${stroke}"/>`;
    const value = html`<text class="bar-label" x="${px(labelX)}" y="${middle}" dy="0.32em" text-anchor="${negative ? 'end' : 'start'}">${b.valueLabel}</text>`;
    return html`<g class="bar-row" data-key="${b.key}">${name}${rect}${value}</g>`;
  });
  return html`${svgOpen(id, options.kind, B.width, height, options.title, options.desc)}
<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line y2="6" stroke="${options.negativeColour}" stroke-width="3"/></pattern></defs>
<g class="axis axis-x">${ticks}</g>
<text x="${zero - 8}" y="${B.top - 16}" text-anchor="end" fill="${MUTED}">◀ ${options.negative}</text><text x="${zero + 8}" y="${B.top - 16}" fill="${MUTED}">${options.positive} ▶</text><text x="${B.width - B.right}" y="${height - 6}" text-anchor="end" fill="${MUTED}">£000s</text>
<g class="bars">${rows}</g>
</svg>`;
}

/** FOT variance by scheme: overspends to the right, underspends to the left. */
export function varianceChart(schemes: readonly { id: string; name: string; fotVariancePence: Pence }[]): Html {
  const word = (v: Pence) => (v > 0 ? 'overspend' : v < 0 ? 'underspend' : 'on budget');
  const bars = schemes.map((s) => ({ key: s.id, label: s.name, valuePence: s.fotVariancePence, valueLabel: `${formatThousands(s.fotVariancePence)} ${word(s.fotVariancePence)}` }));
  return barChart({
    id: 'chart-variance',
    kind: 'variance',
    title: 'Forecast outturn variance by scheme, £000s',
    desc: `Forecast outturn minus annual budget for each scheme. ${bars.map((b) => `${b.label}: ${b.valueLabel}`).join('; ')}.`,
    bars,
    positive: 'Overspend',
    negative: 'Underspend',
    positiveColour: OVER,
    negativeColour: UNDER,
  });
}

/** Each partner's share of the variance under the risk share (its exposure). */
export function exposureChart(exposure: readonly { partner: string; name: string; sharePence: Pence }[]): Html {
  const bars = exposure.map((e) => ({ key: e.partner, label: e.name, valuePence: e.sharePence, valueLabel: formatPounds(e.sharePence, { symbol: true }) }));
  return barChart({
    id: 'chart-exposure',
    kind: 'exposure',
    title: "Each partner's risk-share exposure",
    desc: `Each partner's share of the forecast variance under the risk share: ${bars.map((b) => `${b.label} ${b.valueLabel}`).join('; ')}.`,
    bars,
    positive: 'Bears overspend',
    negative: 'Receives underspend',
    positiveColour: BLUE,
    negativeColour: BLUE,
  });
}
