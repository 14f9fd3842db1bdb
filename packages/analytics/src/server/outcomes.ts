import {
  effectSizeFromMoments,
  meanIntervalFromMoments,
  momentsFromSums,
  resolveMinCellSize,
  suppressCells,
  wilsonInterval,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import {
  type CompareOutcomesInput,
  DIMENSIONS,
  type GroupingDimension,
  type OutcomeFilters,
} from '../dimensions.js';
import type { OutcomeGroup, OutcomesResult, RateMetric, TrendResult } from '../types.js';
import { outcomesSql } from './outcomes-sql.js';

const count = z.coerce.number().int().nonnegative();
const sum = z.coerce.number().int();
const sumsRow = z.object({
  problemArea: z.string().optional(),
  sessionBucket: z.string().optional(),
  medication: z.string().optional(),
  startMonth: z.string().optional(),
  n: count,
  n_finished: count,
  n_paired: count,
  n_eligible: count,
  n_eligible_cases: count,
  n_reliable_improvement: count,
  n_reliable_deterioration: count,
  n_recovery: count,
  n_reliable_recovery: count,
  n_response: count,
  n_remission: count,
  change_sum: sum,
  change_sum_squares: sum,
  baseline_sum: sum,
  baseline_sum_squares: sum,
});
type SumsRow = z.infer<typeof sumsRow>;

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

/**
 * The outcomes service behind `GET /v1/outcomes` (and the dashboard): one query of sums, then
 * statistics and small-cell suppression, so no number below k ever leaves the server.
 */
export async function compareOutcomes(
  warehouse: Warehouse,
  scope: Scope,
  input: CompareOutcomesInput,
  options: { minCellSize: number },
): Promise<OutcomesResult> {
  const k = resolveMinCellSize(options.minCellSize);
  return {
    minCellSize: k,
    groupBy: input.groupBy,
    groups: await breakdown(warehouse, scope, input, k),
  };
}

/** Outcomes by month of episode start, for trend charts; months are cells like any other. */
export async function outcomeTrend(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
  options: { minCellSize: number },
): Promise<TrendResult> {
  const k = resolveMinCellSize(options.minCellSize);
  const groups = await breakdown(warehouse, scope, { groupBy: ['startMonth'], filters }, k);
  return {
    minCellSize: k,
    points: groups.map(({ dimensions, ...numbers }) => ({
      month: dimensions.startMonth ?? '',
      ...numbers,
    })),
  };
}

async function breakdown(
  warehouse: Warehouse,
  scope: Scope,
  input: { groupBy: readonly GroupingDimension[]; filters: OutcomeFilters },
  k: number,
): Promise<OutcomeGroup[]> {
  const { sql, params } = outcomesSql(scope, input);
  const rows = await warehouse.query(
    defineQuery({
      name: `outcomes.breakdown[${input.groupBy.join(',')}]`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: sumsRow,
    }),
    params,
  );
  const ordered = sortByVocabulary(rows, input.groupBy);
  const decisions = suppressCells(ordered, {
    k,
    count: (row) => row.n,
    dimensions: (row) => input.groupBy.map((d) => row[d] ?? ''),
  });
  return decisions.map(({ cell, suppressed }) => {
    const dimensions = Object.fromEntries(input.groupBy.map((d) => [d, cell[d] ?? '']));
    return suppressed ? suppressedGroup(dimensions) : openGroup(dimensions, cell, k);
  });
}

function openGroup(dimensions: OutcomeGroup['dimensions'], row: SumsRow, k: number): OutcomeGroup {
  const rate = (successes: number, denominator: number): RateMetric | null => {
    if (denominator < k) return null;
    const { lower, upper } = wilsonInterval(successes, denominator);
    return {
      count: successes,
      denominator,
      rate: round(successes / denominator),
      ci: [round(lower), round(upper)],
    };
  };
  let meanChange: OutcomeGroup['meanChange'] = null;
  let effectSize: number | null = null;
  if (row.n_eligible >= k) {
    const change = momentsFromSums({
      n: row.n_eligible,
      sum: row.change_sum,
      sumSquares: row.change_sum_squares,
    });
    const interval = meanIntervalFromMoments(change);
    meanChange = { mean: round(interval.mean), ci: [round(interval.lower), round(interval.upper)] };
    const baseline = momentsFromSums({
      n: row.n_eligible,
      sum: row.baseline_sum,
      sumSquares: row.baseline_sum_squares,
    });
    // Baselines without spread (every one the same) have no standardised effect.
    effectSize =
      baseline.sd > 0
        ? round(effectSizeFromMoments({ meanImprovement: -change.mean, baselineSd: baseline.sd }))
        : null;
  }
  return {
    dimensions,
    n: row.n,
    suppressed: false,
    finished: row.n_finished >= k ? row.n_finished : null,
    paired: row.n_paired >= k ? row.n_paired : null,
    reliableImprovement: rate(row.n_reliable_improvement, row.n_eligible),
    reliableDeterioration: rate(row.n_reliable_deterioration, row.n_eligible),
    recovery: rate(row.n_recovery, row.n_eligible_cases),
    reliableRecovery: rate(row.n_reliable_recovery, row.n_eligible_cases),
    response: rate(row.n_response, row.n_eligible_cases),
    remission: rate(row.n_remission, row.n_eligible_cases),
    meanChange,
    effectSize,
  };
}

function suppressedGroup(dimensions: OutcomeGroup['dimensions']): OutcomeGroup {
  return {
    dimensions,
    n: null,
    suppressed: true,
    finished: null,
    paired: null,
    reliableImprovement: null,
    reliableDeterioration: null,
    recovery: null,
    reliableRecovery: null,
    response: null,
    remission: null,
    meanChange: null,
    effectSize: null,
  };
}

/** Groups in the order the vocabulary lists their values (0, 1-3, 4-7, ... not 0, 1-3, 12-16). */
function sortByVocabulary(rows: SumsRow[], groupBy: readonly GroupingDimension[]): SumsRow[] {
  const rank = (d: GroupingDimension, value: string | undefined) => {
    const index = DIMENSIONS[d].values.indexOf(value ?? '');
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...rows].sort((a, b) => {
    for (const d of groupBy) {
      const diff = rank(d, a[d]) - rank(d, b[d]);
      if (diff !== 0) return diff;
      // Dimensions without a vocabulary (months) sort by value.
      const x = a[d] ?? '';
      const y = b[d] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
