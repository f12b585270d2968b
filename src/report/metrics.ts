// The outcome metrics as report rows (issue 10 §2, docs/contracts.md#metrics): for each metric of
// the register, its plan and actual per period (the trend), each period's RAG against plan, and
// the latest period with an actual. Pure: the monthly report can show these next to the money.

import type { Metric } from '../domain/contracts.js';
import { assessMetric, type MetricRag } from '../domain/metrics.js';
import { formatPeriod, type PeriodKey } from '../domain/period.js';

/** A metric's value for a period, in hundredths (as stored). */
export interface MetricMeasure {
  subject: string;
  period: PeriodKey;
  plan: number | null;
  /** The actual (a measure line's value). */
  value: number | null;
}

export interface MetricPeriodRow {
  period: string;
  /** Hundredths of the unit; null when not given. */
  planHundredths: number | null;
  actualHundredths: number | null;
  /** Actual − plan, when both are given. */
  differenceHundredths: number | null;
  /** RAG against plan, when both are given. */
  rag: MetricRag | null;
}

/** A metric as the register states it, with its figures period by period. */
export interface MetricRow extends Metric {
  periods: MetricPeriodRow[];
  /** The latest period with both plan and actual, or null. */
  latest: MetricPeriodRow | null;
}

/** Report rows for the metrics, periods oldest first, up to `upTo` when given. */
export function metricRows(metrics: readonly Metric[], measures: readonly MetricMeasure[], upTo?: PeriodKey): MetricRow[] {
  return metrics.map((metric) => {
    const periods = measures
      .filter((m) => m.subject === metric.id && (upTo === undefined || m.period <= upTo))
      .sort((a, b) => a.period - b.period)
      .map((m): MetricPeriodRow => {
        const both = m.plan !== null && m.value !== null;
        const assessed = both ? assessMetric(metric, m.plan!, m.value!) : null;
        return { period: formatPeriod(m.period), planHundredths: m.plan, actualHundredths: m.value, differenceHundredths: assessed?.differenceHundredths ?? null, rag: assessed?.rag ?? null };
      });
    const latest = periods.filter((p) => p.rag !== null).at(-1) ?? null;
    return { id: metric.id, name: metric.name, unit: metric.unit, direction: metric.direction, amberPercent: metric.amberPercent, redPercent: metric.redPercent, periods, latest };
  });
}

/** 9245 → "92.45", 123400 → "1,234" (hundredths as a person reads the unit). */
export function formatHundredths(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const whole = Math.trunc(abs / 100).toLocaleString('en-GB');
  const cents = abs % 100;
  return cents === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}
