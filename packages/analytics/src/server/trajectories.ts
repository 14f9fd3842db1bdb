import {
  meanIntervalFromMoments,
  momentsFromSums,
  resolveMinCellSize,
  wilsonInterval,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { DIMENSIONS, type OutcomeDimension, type OutcomeFilters } from '../dimensions.js';
import type { DoseResponseResult, TrajectoryResult } from '../types.js';
import { cohortWhere } from './outcomes-sql.js';

/** Sessions shown on trajectory charts: intake (0) to 20 covers standard and extended IPT. */
export const TRAJECTORY_MAX_SESSION = 20;

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const count = z.coerce.number().int().nonnegative();

const trajectoryRow = z.object({
  grp: z.string(),
  session: count,
  episodes: count,
  scores: count,
  total_sum: z.coerce.number().int(),
  total_sum_squares: z.coerce.number().int(),
});

/**
 * Mean PHQ-9 by session number per group, with 95% t intervals (OUTCOMES.md, "Trajectories").
 * A point from fewer than k episodes is suppressed: a mean of a handful of people is theirs.
 */
export async function trajectories(
  warehouse: Warehouse,
  scope: Scope,
  input: { groupBy: OutcomeDimension | null; filters: OutcomeFilters },
  options: { minCellSize: number },
): Promise<TrajectoryResult> {
  const k = resolveMinCellSize(options.minCellSize);
  const { where, params } = cohortWhere(scope, input.filters);
  const group = input.groupBy === null ? "'all'" : DIMENSIONS[input.groupBy].column;
  const sql = `SELECT e.grp AS grp, s.session_number AS session, uniqExact(s.episode_id) AS episodes, count() AS scores,
  sum(toInt64(s.total)) AS total_sum, sum(toInt64(s.total) * toInt64(s.total)) AS total_sum_squares
FROM episode_scores AS s FINAL
INNER JOIN (SELECT episode_id, ${group} AS grp FROM episodes FINAL WHERE ${where}) AS e ON e.episode_id = s.episode_id
WHERE s.timepoint IN ('intake', 'session', 'end') AND s.session_number <= ${TRAJECTORY_MAX_SESSION}
GROUP BY grp, session
ORDER BY grp, session`;
  const rows = await warehouse.query(
    defineQuery({
      name: `outcomes.trajectories[${input.groupBy ?? ''}]`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: trajectoryRow,
    }),
    params,
  );
  const order = input.groupBy === null ? [] : DIMENSIONS[input.groupBy].values;
  const groups = [...new Set(rows.map((r) => r.grp))].sort(
    (a, b) => order.indexOf(a) - order.indexOf(b),
  );
  return {
    minCellSize: k,
    groupBy: input.groupBy,
    series: groups.map((name) => ({
      group: name,
      points: rows
        .filter((r) => r.grp === name)
        .map((r) => {
          if (r.episodes < k || r.scores < 2)
            return { session: r.session, suppressed: true as const };
          const moments = momentsFromSums({
            n: r.scores,
            sum: r.total_sum,
            sumSquares: r.total_sum_squares,
          });
          const interval = meanIntervalFromMoments(moments);
          return {
            session: r.session,
            suppressed: false as const,
            episodes: r.episodes,
            mean: round(interval.mean),
            lower: round(interval.lower),
            upper: round(interval.upper),
          };
        }),
    })),
  };
}

const doseRow = z.object({
  sessions: count,
  eligible: count,
  improved: count,
  cases: count,
  recovered: count,
});

/**
 * Dose-response: the share reliably improved (of paired finished episodes) and recovered (of
 * those with baseline caseness) by exact number of sessions attended.
 */
export async function doseResponse(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
  options: { minCellSize: number },
): Promise<DoseResponseResult> {
  const k = resolveMinCellSize(options.minCellSize);
  const { where, params } = cohortWhere(scope, filters);
  const sql = `SELECT sessions_attended AS sessions,
  countIf(outcome_eligible = 1) AS eligible,
  countIf(outcome_eligible = 1 AND reliable_improvement = 1) AS improved,
  countIf(outcome_eligible = 1 AND recovery IS NOT NULL) AS cases,
  countIf(outcome_eligible = 1 AND recovery = 1) AS recovered
FROM episodes FINAL
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
  const rate = (hits: number, of: number) => {
    if (of < k) return null;
    const ci = wilsonInterval(hits, of);
    return {
      count: hits,
      denominator: of,
      rate: round(hits / of, 4),
      ci: [round(ci.lower, 4), round(ci.upper, 4)] as [number, number],
    };
  };
  return {
    minCellSize: k,
    points: rows.map((r) => ({
      sessions: r.sessions,
      reliableImprovement: rate(r.improved, r.eligible),
      recovery: rate(r.recovered, r.cases),
    })),
  };
}
