import type { OutcomeFilters } from '../dimensions.js';
import type { TrajectoryResult } from '../types.js';
import { csvFile, csvLabel, filtersText } from './cells.js';

/**
 * Mean PHQ-9 by session per group (tRPC `outcomes.trajectories`, the Trajectories page's
 * download): one row per group and session, a withheld point's numbers empty.
 */
export function trajectoriesCsv(result: TrajectoryResult, input: { filters: OutcomeFilters }) {
  const dimension = result.groupBy ?? 'group';
  return csvFile(
    [
      dimension,
      'session',
      'suppressed',
      'episodes',
      'mean',
      'ci_lower',
      'ci_upper',
      'minCellSize',
      'protected',
      'filters',
    ],
    result.series.flatMap((s) =>
      s.points.map((p) => [
        result.groupBy === null ? 'all' : csvLabel(result.groupBy, s.group),
        p.session,
        p.suppressed,
        ...(p.suppressed ? [null, null, null, null] : [p.episodes, p.mean, p.lower, p.upper]),
        result.minCellSize,
        result.protected,
        filtersText(input.filters),
      ]),
    ),
  );
}
