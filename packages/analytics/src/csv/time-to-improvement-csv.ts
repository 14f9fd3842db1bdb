import type { OutcomeFilters } from '../dimensions.js';
import type { TimeToImprovementResult } from '../types.js';
import { type CsvValue, csvFile, filtersText } from './cells.js';

/**
 * Time to reliable improvement (`GET /v1/time-to-improvement`, the Trajectories page's
 * download): one row per group and session of its curve; a withheld group is one row with the
 * session empty, and so is a group without episodes (exact readers only). Counts at a session
 * are empty for protected numbers (only the risk set is released). `time_zero` says where the
 * clock starts: intake, a landmark (`time_zero_session`), or each episode's exposure.
 */
export function timeToImprovementCsv(
  result: TimeToImprovementResult,
  filters: OutcomeFilters,
): string {
  const header = [
    result.groupBy ?? 'group',
    'suppressed',
    'episodes',
    'session',
    'at_risk',
    'improved',
    'ended_without_improvement',
    'censored',
    'incidence',
    'ci_lower',
    'ci_upper',
    'time_zero',
    'time_zero_session',
    'minCellSize',
    'protected',
    'filters',
  ];
  const tail: CsvValue[] = [
    result.timeZero.kind,
    result.timeZero.session,
    result.minCellSize,
    result.protected,
    filtersText(filters),
  ];
  const rows = result.series.flatMap((s): CsvValue[][] => {
    // The group's own value, as the JSON has it (`1-11`, not a label): scripts join on it.
    const group = s.group;
    if (s.suppressed) return [[group, true, ...Array(9).fill(null), ...tail]];
    if (s.points.length === 0) return [[group, false, s.episodes, ...Array(8).fill(null), ...tail]];
    return s.points.map((p) => [
      group,
      false,
      s.episodes,
      p.session,
      p.atRisk,
      p.events,
      p.competing,
      p.censored,
      p.incidence,
      p.ci[0],
      p.ci[1],
      ...tail,
    ]);
  });
  return csvFile(header, rows);
}
