import { PHQ9_CONTRIBUTION } from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { DIMENSIONS, type OutcomeDimension, type OutcomeFilters } from '../dimensions.js';
import type { DoseResponseResult, TrajectoryPoint, TrajectoryResult } from '../types.js';
import { scoresFrom } from './basis.js';
import { type DisclosureSettings, disclosureFor, NOISE_STREAMS } from './disclosure.js';
import { assertKeyed, keyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import { cohortWhere, countCondition } from './outcomes-sql.js';

/** A session no episode of a group has a score at: an empty cell. */
const NO_EPISODES = { count: 0, key: 0 } as const;

/** Sessions shown on trajectory charts: intake (0) to 20 covers standard and extended IPT. */
export const TRAJECTORY_MAX_SESSION = 20;

const count = z.coerce.number().int().nonnegative();

const trajectoryRow = z.object({
  grp: z.string(),
  session: count,
  ...keyedShape(['episodes'] as const),
  scores: count,
  max_scores: count,
  total_sum: z.coerce.number().int(),
  total_sum_squares: z.coerce.number().int(),
});

/**
 * Mean PHQ-9 by session number per group, with 95% t intervals (docs/outcomes.md, "Trajectories").
 * A point from 1 to k-1 episodes is suppressed: a mean of a handful of people is theirs. An
 * empty point reads 0 episodes to an exact reader, and is suppressed like a small one otherwise.
 * Every group of the dimension and every session 0..TRAJECTORY_MAX_SESSION is returned, with
 * or without scores. Protected: the mean comes from perturbed sums, scaled to the most one
 * episode can add at a session (27 per score it has there).
 */
export async function trajectories(
  warehouse: Warehouse,
  scope: Scope,
  input: { groupBy: OutcomeDimension | null; filters: OutcomeFilters },
  options: DisclosureSettings,
): Promise<TrajectoryResult> {
  const disclosure = disclosureFor(scope, options);
  const { from, where, params } = cohortWhere(scope, input.filters);
  const scores = scoresFrom(scope.basis, 's');
  const group = input.groupBy === null ? "'all'" : DIMENSIONS[input.groupBy].column;
  // One row per episode and session first, so an episode is counted (and keyed) once.
  const sql = `SELECT grp, session, ${[
    ...keyedCount('episodes', null, disclosure.protected),
    ...unkeyedColumn(disclosure.protected),
  ].join(', ')},
  sum(n_scores) AS scores, max(n_scores) AS max_scores,
  sum(score_sum) AS total_sum, sum(score_sum_squares) AS total_sum_squares
FROM (
  SELECT e.grp AS grp, e.record_key AS record_key, s.session_number AS session, count() AS n_scores,
    sum(toInt64(s.total)) AS score_sum, sum(toInt64(s.total) * toInt64(s.total)) AS score_sum_squares
  FROM ${scores.from}
  INNER JOIN (SELECT episode_id, record_key, ${group} AS grp FROM ${from} WHERE ${where}) AS e ON e.episode_id = s.episode_id
  WHERE s.timepoint IN ('intake', 'session', 'end') AND s.session_number <= ${TRAJECTORY_MAX_SESSION}
  GROUP BY grp, s.episode_id, record_key, session
)
GROUP BY grp, session`;
  const rows = await warehouse.query(
    defineQuery({
      name: `outcomes.trajectories[${input.groupBy ?? ''}]`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: trajectoryRow,
    }),
    { ...params, ...scores.params },
  );
  if (disclosure.protected) assertKeyed(rows);
  const groups = input.groupBy === null ? ['all'] : [...DIMENSIONS[input.groupBy].values];
  const found = new Map(rows.map((r) => [`${r.grp}/${r.session}`, r]));
  const sessions = Array.from({ length: TRAJECTORY_MAX_SESSION + 1 }, (_, i) => i);
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    groupBy: input.groupBy,
    series: groups.map((name) => ({
      group: name,
      points: sessions.map((session): TrajectoryPoint => {
        const r = found.get(`${name}/${session}`);
        const episodes = disclosure.count(r === undefined ? NO_EPISODES : keyed(r, 'episodes'));
        // The k rule on the point alone: empty reads 0 to an exact reader (no mean), "fewer
        // than k" to a protected one.
        if (episodes === 0) {
          return { session, suppressed: false, episodes: 0, mean: null, lower: null, upper: null };
        }
        if (r === undefined || episodes === null || r.scores < 2) {
          return { session, suppressed: true };
        }
        const moments = disclosure.moments(
          {
            count: r.scores,
            key: r.episodes_key,
            sum: r.total_sum,
            sumSquares: r.total_sum_squares,
          },
          PHQ9_CONTRIBUTION * Math.max(1, r.max_scores),
          NOISE_STREAMS.trajectory(session),
          NOISE_STREAMS.trajectoryScores(session),
        );
        if (moments === null) return { session, suppressed: true };
        const interval = disclosure.meanInterval(moments);
        return {
          session,
          suppressed: false,
          episodes,
          mean: interval.mean,
          lower: interval.lower,
          upper: interval.upper,
        };
      }),
    })),
  };
}

/**
 * Dose-response points run from 0 to this many sessions; the last pools every episode that
 * attended this many or more, so the grid is the same whatever the data.
 */
export const DOSE_MAX_SESSIONS = 20;

const doseRow = z.object({
  sessions: count,
  ...keyedShape(['eligible', 'improved', 'cases', 'recovered'] as const),
});

/**
 * Dose-response: the share reliably improved (of paired finished episodes) and recovered (of
 * those with baseline caseness) by exact number of sessions attended (the last point: that many
 * or more). Every point 0..DOSE_MAX_SESSIONS is returned.
 */
export async function doseResponse(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
  options: DisclosureSettings,
): Promise<DoseResponseResult> {
  const disclosure = disclosureFor(scope, options);
  const { from, where, params } = cohortWhere(scope, filters);
  const keys = disclosure.protected;
  // The registry's counts: the rates are reliable improvement and recovery, as everywhere.
  const sql = `SELECT least(sessions_attended, ${DOSE_MAX_SESSIONS}) AS sessions,
  ${[
    ...keyedCount('eligible', countCondition('eligible'), keys),
    ...keyedCount('improved', countCondition('reliableImprovement'), keys),
    ...keyedCount('cases', countCondition('eligibleCases'), keys),
    ...keyedCount('recovered', countCondition('recovery'), keys),
    ...unkeyedColumn(keys),
  ].join(',\n  ')}
FROM ${from}
WHERE ${where}
GROUP BY sessions
ORDER BY sessions`;
  const rows = await warehouse.query(
    defineQuery({
      name: 'outcomes.dose_response',
      sql,
      params: z.record(z.string(), z.unknown()),
      row: doseRow,
    }),
    params,
  );
  if (disclosure.protected) assertKeyed(rows);
  const found = new Map(rows.map((r) => [r.sessions, r]));
  const empty = doseRow.parse({ sessions: 0, eligible: 0, improved: 0, cases: 0, recovered: 0 });
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    points: Array.from({ length: DOSE_MAX_SESSIONS + 1 }, (_, sessions) => {
      const r = found.get(sessions) ?? empty;
      return {
        sessions,
        orMore: sessions === DOSE_MAX_SESSIONS,
        reliableImprovement: disclosure.rate(keyed(r, 'improved'), keyed(r, 'eligible')),
        recovery: disclosure.rate(keyed(r, 'recovered'), keyed(r, 'cases')),
      };
    }),
  };
}
