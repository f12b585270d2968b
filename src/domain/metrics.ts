// RAG of an outcome metric against its plan (issue 10 §2, docs/contracts.md#metrics). Values are
// integer hundredths (92.45% is 9245, 1,234 admissions is 123400), so every comparison is exact.
//
// "Worse" depends on the metric's direction: for non-elective admissions (lower is better) an
// actual above plan is worse; for people at home 91 days after reablement (higher is better) an
// actual below plan is. Green: on plan or better, or worse by no more than the amber threshold;
// Amber: worse by more than `amberPercent` of the plan; Red: worse by more than `redPercent`.
// A plan of zero leaves no percentage to compare, so every shortfall against it is Red.

import type { Metric } from './contracts.js';
import { invariant } from './money.js';
import { exceedsPercent } from './percent.js';

export type MetricRag = 'green' | 'amber' | 'red';

export interface MetricAssessment {
  /** Actual − plan, in hundredths of the metric's unit. */
  differenceHundredths: number;
  /** True when the actual is worse than plan (in the metric's direction). */
  worse: boolean;
  rag: MetricRag;
}

export function assessMetric(metric: Pick<Metric, 'direction' | 'amberPercent' | 'redPercent'>, planHundredths: number, actualHundredths: number): MetricAssessment {
  invariant(Number.isSafeInteger(planHundredths) && Number.isSafeInteger(actualHundredths), 'metric values are whole hundredths');
  const difference = actualHundredths - planHundredths;
  const adverse = metric.direction === 'lower_is_better' ? difference : -difference;
  if (adverse <= 0) return { differenceHundredths: difference, worse: false, rag: 'green' };
  const base = Math.abs(planHundredths);
  if (base === 0) return { differenceHundredths: difference, worse: true, rag: 'red' };
  const rag: MetricRag = exceedsPercent(adverse, base, metric.redPercent) ? 'red' : exceedsPercent(adverse, base, metric.amberPercent) ? 'amber' : 'green';
  return { differenceHundredths: difference, worse: true, rag };
}
