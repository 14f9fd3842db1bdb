import {
  effectSizeFromMoments,
  meanIntervalFromMoments,
  momentsFromSums,
  resolveMinCellSize,
  suppressCells,
  wilsonInterval,
} from '@ipt/protocol';
import { z } from 'zod';
import { defineQuery, type Warehouse } from '../gateway.js';
import { type CompareOutcomesInput, DIMENSIONS, type OutcomeDimension } from './dimensions.js';
import { outcomesSql } from './outcomes-sql.js';

/** A rate with its Wilson 95% interval; absent (null) when its denominator is below k. */
export interface RateMetric {
  count: number;
  denominator: number;
  rate: number;
  ci: [number, number];
}

export interface OutcomeGroup {
  /** The group's value of each requested dimension. */
  dimensions: Partial<Record<OutcomeDimension, string>>;
  /** Episodes in the group; null when suppressed. */
  n: number | null;
  suppressed: boolean;
  finished: number | null;
  paired: number | null;
  reliableImprovement: RateMetric | null;
  reliableDeterioration: RateMetric | null;
  recovery: RateMetric | null;
  reliableRecovery: RateMetric | null;
  response: RateMetric | null;
  remission: RateMetric | null;
  meanChange: { mean: number; ci: [number, number] } | null;
  effectSize: number | null;
}

export interface OutcomesResult {
  minCellSize: number;
  groupBy: OutcomeDimension[];
  groups: OutcomeGroup[];
}

const count = z.coerce.number().int().nonnegative();
const sum = z.coerce.number().int();
const sumsRow = z.object({
  problemArea: z.string().optional(),
  sessionBucket: z.string().optional(),
  medication: z.string().optional(),
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
  input: CompareOutcomesInput,
  options: { minCellSize: number },
): Promise<OutcomesResult> {
  const k = resolveMinCellSize(options.minCellSize);
  const { sql, params } = outcomesSql(input);
  const rows = await warehouse.query(
    defineQuery({
      name: `outcomes.compare[${input.groupBy.join(',')}]`,
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
  const groups = decisions.map(({ cell, suppressed }) => {
    const dimensions = Object.fromEntries(input.groupBy.map((d) => [d, cell[d] ?? '']));
    return suppressed ? suppressedGroup(dimensions) : openGroup(dimensions, cell, k);
  });
  return { minCellSize: k, groupBy: input.groupBy, groups };
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
function sortByVocabulary(rows: SumsRow[], groupBy: readonly OutcomeDimension[]): SumsRow[] {
  const rank = (d: OutcomeDimension, value: string | undefined) => {
    const index = DIMENSIONS[d].values.indexOf(value ?? '');
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...rows].sort((a, b) => {
    for (const d of groupBy) {
      const diff = rank(d, a[d]) - rank(d, b[d]);
      if (diff !== 0) return diff;
    }
    return 0;
  });
}
