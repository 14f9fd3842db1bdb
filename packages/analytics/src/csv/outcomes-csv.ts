import { RATE_MEASURE_NAMES } from '@ipt/protocol';
import type { OutcomeFilters } from '../dimensions.js';
import type { OutcomesResult, RateMetric } from '../types.js';
import { type CsvValue, csvFile, csvLabel, filtersText } from './cells.js';

/** The five columns of each rate of the registry, in its order: `recovery_count`, ... */
export const rateColumns = (name: string): string[] => [
  `${name}_count`,
  `${name}_denominator`,
  `${name}_rate`,
  `${name}_ci_lower`,
  `${name}_ci_upper`,
];

export function rateCells(metric: RateMetric | null): CsvValue[] {
  return metric === null
    ? [null, null, null, null, null]
    : [metric.count, metric.denominator, metric.rate, metric.ci[0], metric.ci[1]];
}

/**
 * The outcomes breakdown (`GET /v1/outcomes`, the Compare page's download): one row per group,
 * a withheld group's numbers empty; columns fixed for a given groupBy, so a script can rely on
 * them. Each row says its filters and whether its numbers are `protected` (cell-key noise,
 * docs/outcomes.md "Disclosure control") or exact.
 */
export function outcomesCsv(result: OutcomesResult, filters: OutcomeFilters): string {
  const dimensions = result.groupBy.length === 0 ? ['group'] : result.groupBy;
  const header = [
    ...dimensions,
    'n',
    'suppressed',
    'finished',
    'paired',
    ...RATE_MEASURE_NAMES.flatMap(rateColumns),
    'meanChange',
    'meanChange_ci_lower',
    'meanChange_ci_upper',
    'effectSize',
    'minCellSize',
    'protected',
    'filters',
  ];
  const rows = result.groups.map((group) => [
    ...(result.groupBy.length === 0
      ? ['all']
      : result.groupBy.map((d) => csvLabel(d, group.dimensions[d] ?? ''))),
    group.n,
    group.suppressed,
    group.finished,
    group.paired,
    ...RATE_MEASURE_NAMES.flatMap((r) => rateCells(group[r])),
    group.meanChange?.mean ?? null,
    group.meanChange?.ci[0] ?? null,
    group.meanChange?.ci[1] ?? null,
    group.effectSize,
    result.minCellSize,
    result.protected,
    filtersText(filters),
  ]);
  return csvFile(header, rows);
}
