import type { RateMetric } from '@ipt/analytics';
import { count, fewerThan, percent } from '../lib/format';

/** A rate with its 95% interval, or why there is none: never a number below k. */
export function rateText(metric: RateMetric | null, k: number): string {
  if (metric === null) return fewerThan(k);
  return `${percent(metric.rate)} (${percent(metric.ci[0])}–${percent(metric.ci[1])})`;
}

export function RateCell({ metric, k }: { metric: RateMetric | null; k: number }) {
  if (metric === null) return <td className="suppressed">{fewerThan(k)}</td>;
  return (
    <td title={`${count(metric.count)} of ${count(metric.denominator)}`}>
      {percent(metric.rate)}{' '}
      <span className="ci">
        ({percent(metric.ci[0])}–{percent(metric.ci[1])})
      </span>
    </td>
  );
}
