// The report's SVG charts, checked from their markup alone: the number of points and bars, that
// the last actual point sits at the cumulative YTD actual and the forecast ends at the FOT —
// measured against the chart's own axis ticks, not against the code's scales — and that no
// attribute holds NaN, Infinity or undefined.

import { describe, expect, it } from 'vitest';
import { cumulative, exposureChart, trendChart, trendTable, varianceChart } from './charts.js';
import type { ReportSeries } from './report-data.js';

const series: ReportSeries = {
  id: 'fund',
  label: 'Integrated fund',
  monthlyBudgetPence: Array.from({ length: 12 }, () => 100_000_000),
  monthlyActualPence: [90_000_000, 110_000_000, 105_000_000],
  fotPence: 1_250_000_000,
};

const all = (svg: string, re: RegExp) => [...svg.matchAll(re)];
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  if (!m) throw new Error(`no ${name} in ${tag}`);
  return m[1]!;
};
const num = (tag: string, name: string) => Number(attr(tag, name));
const circles = (svg: string, cls: string) => all(svg, new RegExp(`<circle class="point ${cls}"[^>]*>`, 'g')).map((m) => m[0]);
const pathPoints = (d: string) => d.slice(1).split('L').map((p) => p.split(',').map(Number) as [number, number]);

/** Pixel y of an amount, interpolated from two of the y axis's own labelled ticks (£000s). */
function yFromTicks(svg: string): (pence: number) => number {
  const axis = svg.slice(svg.indexOf('<g class="axis axis-y">'), svg.indexOf('<g class="axis axis-x">'));
  const ticks = all(axis, /data-value="([^"]+)" transform="translate\(0,([\d.-]+)\)"/g).map((m) => ({ pence: Number(m[1]!.replace(/,/g, '')) * 100_000, y: Number(m[2]) }));
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  const [a, b] = [ticks[0]!, ticks[ticks.length - 1]!];
  return (pence) => a.y + ((pence - a.pence) * (b.y - a.y)) / (b.pence - a.pence);
}

function expectClean(svg: string) {
  const values = all(svg, /\s[\w:-]+="([^"]*)"/g).map((m) => m[1]!);
  expect(values.length).toBeGreaterThan(20);
  expect(values.filter((v) => /NaN|Infinity|undefined|null/.test(v))).toEqual([]);
}

describe('cumulative', () => {
  it('runs exact totals in pence', () => {
    expect(cumulative([1, 2, -3, 10])).toEqual([1, 3, 0, 10]);
    expect(cumulative([])).toEqual([]);
  });
});

describe('trendChart', () => {
  const svg = trendChart(series, 3).text;

  it('is an image with a title and a description', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title id="chart-trend-fund-title">Integrated fund: cumulative budget, actual and forecast outturn by month</title>');
    expect(svg).toMatch(/<desc id="chart-trend-fund-desc">Cumulative budget rises to 12,000\.0 \(£000s\) at M12\. Cumulative actual to M03 is 3,050\.0\. The forecast outturn is 12,500\.0, a variance of 500\.0/);
    expect(svg).toContain('aria-labelledby="chart-trend-fund-title chart-trend-fund-desc"');
  });

  it('has twelve budget points and one actual point per month to date', () => {
    expect(circles(svg, 'budget')).toHaveLength(12);
    expect(circles(svg, 'actual').map((c) => attr(c, 'data-month'))).toEqual(['M01', 'M02', 'M03']);
    expect(pathPoints(attr(/<path class="line budget"[^>]*>/.exec(svg)![0], 'd'))).toHaveLength(12);
    expect(pathPoints(attr(/<path class="line actual"[^>]*>/.exec(svg)![0], 'd'))).toHaveLength(3);
  });

  it('puts the last actual point at the cumulative YTD actual, on the axis scale', () => {
    const y = yFromTicks(svg);
    const last = circles(svg, 'actual').at(-1)!;
    expect(num(last, 'data-pence')).toBe(305_000_000);
    expect(num(last, 'cy')).toBeCloseTo(y(305_000_000), 0);
    const budgetEnd = circles(svg, 'budget').at(-1)!;
    expect(num(budgetEnd, 'cy')).toBeCloseTo(y(1_200_000_000), 0);
    expect(svg).toContain('YTD 3,050.0');
  });

  it('draws the forecast dashed from the last actual point to the FOT at M12', () => {
    const y = yFromTicks(svg);
    const forecast = /<path class="line forecast"[^>]*>/.exec(svg)![0];
    expect(attr(forecast, 'stroke-dasharray')).toBe('6 4');
    const points = pathPoints(attr(forecast, 'd'));
    expect(points).toHaveLength(2);
    const last = circles(svg, 'actual').at(-1)!;
    expect(points[0]).toEqual([num(last, 'cx'), num(last, 'cy')]);
    const m12 = /data-month="M12" transform="translate\(([\d.]+),/.exec(svg)!;
    expect(points[1]![0]).toBeCloseTo(Number(m12[1]), 1);
    expect(points[1]![1]).toBeCloseTo(y(1_250_000_000), 0);
    expect(svg).toMatch(/>FOT<\/text><text[^>]*>12,500\.0</);
  });

  it('labels the axes: amount ticks in £000s and every month', () => {
    const monthTicks = all(svg, /<g class="tick" data-month="(M\d\d)"[^>]*>.*?<text[^>]*>(\w+)<\/text>/g).map((m) => `${m[2]} ${m[1]}`);
    expect(monthTicks).toEqual(['Apr M01', 'May M02', 'Jun M03', 'Jul M04', 'Aug M05', 'Sep M06', 'Oct M07', 'Nov M08', 'Dec M09', 'Jan M10', 'Feb M11', 'Mar M12']);
    const amountTicks = all(svg, /<g class="tick" data-value="([^"]+)"/g).map((m) => m[1]);
    expect(amountTicks).toContain('0');
    expect(amountTicks.length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('£000s');
  });

  it('has no NaN in any attribute, even for an empty series', () => {
    expectClean(svg);
    const empty = trendChart({ ...series, monthlyBudgetPence: Array(12).fill(0), monthlyActualPence: [0], fotPence: 0 }, 1).text;
    expectClean(empty);
    expect(circles(empty, 'actual')).toHaveLength(1);
  });

  it('at M12 draws twelve actual points and no forecast line', () => {
    const full = trendChart({ ...series, monthlyActualPence: Array(12).fill(100_000_000) }, 12).text;
    expect(circles(full, 'actual')).toHaveLength(12);
    expect(full).not.toContain('class="line forecast"');
    expectClean(full);
  });

  it('gives the same data as a table', () => {
    const table = trendTable(series, 3).text;
    expect(table).toContain('<caption>Integrated fund: cumulative budget, actual and forecast outturn by month, £000s</caption>');
    const actualRow = /<th scope="row">Cumulative actual<\/th>(.*?)<\/tr>/.exec(table)![1]!;
    expect(all(actualRow, /<td class="num">([^<]*)<\/td>/g).map((m) => m[1])).toEqual(['900.0', '2,000.0', '3,050.0']);
    expect(/<th scope="row">Forecast outturn<\/th>.*>12,500\.0<\/td><\/tr>/.test(table)).toBe(true);
  });
});

describe('bar charts', () => {
  const schemes = [
    { id: 'a', name: 'Overspending scheme', fotVariancePence: 248_626_700 },
    { id: 'b', name: 'Underspending scheme', fotVariancePence: -308_888_000 },
    { id: 'c', name: 'On-budget scheme', fotVariancePence: 0 },
  ];

  it('draws one bar per scheme, overspends right of zero and underspends left, in words', () => {
    const svg = varianceChart(schemes).text;
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title id="chart-variance-title">');
    const bars = all(svg, /<rect class="bar [^>]*>/g).map((m) => m[0]);
    expect(bars.map((b) => attr(b, 'data-key'))).toEqual(['a', 'b', 'c']);
    const zero = Number(/data-value="0" transform="translate\(([\d.]+),0\)"/.exec(svg)![1]);
    const [over, under, none] = bars as [string, string, string];
    expect(num(over, 'x')).toBeCloseTo(zero, 1);
    expect(num(over, 'width')).toBeGreaterThan(0);
    expect(num(under, 'x') + num(under, 'width')).toBeCloseTo(zero, 1);
    expect(num(under, 'width')).toBeGreaterThan(num(over, 'width'));
    expect(num(none, 'width')).toBe(0);
    expect(attr(under, 'fill')).toBe('url(#chart-variance-hatch)');
    expect(svg).toContain('>2,486.3 overspend</text>');
    expect(svg).toContain('>-3,088.9 underspend</text>');
    expect(svg).toContain('>0.0 on budget</text>');
    expect(svg).toMatch(/◀ Underspend.*Overspend ▶/);
    expectClean(svg);
  });

  it("draws each partner's exposure with its exact amount", () => {
    const svg = exposureChart([
      { partner: 'scc', name: 'Sheffield City Council', sharePence: 122_109_738 },
      { partner: 'sccg', name: 'NHS Sheffield CCG', sharePence: 125_352_982 },
    ]).text;
    expect(all(svg, /<rect class="bar /g)).toHaveLength(2);
    expect(svg).toContain('>£1,221,097.38</text>');
    expect(svg).toContain('>£1,253,529.82</text>');
    expect(svg).toContain('<title id="chart-exposure-title">');
    expectClean(svg);
  });

  it('copes with no variance at all', () => {
    const svg = varianceChart([{ id: 'z', name: 'Zero', fotVariancePence: 0 }]).text;
    expectClean(svg);
    expect(all(svg, /<rect class="bar /g)).toHaveLength(1);
  });
});
