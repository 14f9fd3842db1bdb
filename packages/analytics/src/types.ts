import type { GroupingDimension, OutcomeDimension } from './dimensions.js';

/**
 * The results of the analytics service, as the browser and scripts receive them. Every number
 * here has passed small-cell suppression on the server: a suppressed value is null.
 */
/** A rate with its Wilson 95% interval; absent (null) when its denominator is below k. */
export interface RateMetric {
  count: number;
  denominator: number;
  rate: number;
  ci: [number, number];
}

export interface OutcomeGroup {
  /** The group's value of each requested dimension. */
  dimensions: Partial<Record<GroupingDimension, string>>;
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

/** Outcomes by month of episode start (`YYYY-MM-01`). */
export interface TrendResult {
  minCellSize: number;
  points: Array<Omit<OutcomeGroup, 'dimensions'> & { month: string }>;
}

export type TrajectoryPoint =
  | { session: number; suppressed: true }
  | {
      session: number;
      suppressed: false;
      episodes: number;
      mean: number;
      lower: number;
      upper: number;
    };

/** Mean PHQ-9 by session number, one series per group. */
export interface TrajectoryResult {
  minCellSize: number;
  groupBy: OutcomeDimension | null;
  series: Array<{ group: string; points: TrajectoryPoint[] }>;
}

/** Share reliably improved and recovered by exact sessions attended. */
export interface DoseResponseResult {
  minCellSize: number;
  points: Array<{
    sessions: number;
    reliableImprovement: RateMetric | null;
    recovery: RateMetric | null;
  }>;
}
