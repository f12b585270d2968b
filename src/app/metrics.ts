// `tandem metrics` (docs/contracts.md#metrics): the register's outcome metrics with their plan,
// actual and RAG per period, from the metrics files imported (the latest file's line for a
// metric and month is the one in force).

import type { PeriodKey } from '../domain/period.js';
import { metricRows, type MetricRow } from '../report/metrics.js';
import { resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { registerInForce } from './contracts.js';

export interface MetricsReport {
  fundId: string;
  registerVersion: number;
  metrics: MetricRow[];
}

export async function metricsReport(ctx: AppContext, options: { fundId?: string; upTo?: PeriodKey } = {}): Promise<MetricsReport> {
  const fundId = await resolveFund(ctx, options.fundId);
  const { record, register } = await registerInForce(ctx, fundId);
  const measures = await ctx.store.measuresInForce(fundId, 'metrics');
  return { fundId, registerVersion: record.version, metrics: metricRows(register.metrics, measures, options.upTo) };
}
