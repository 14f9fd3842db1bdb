import type { RateMeasureName } from '@ipt/protocol';
import type {
  AdjustmentFactor,
  GroupingDimension,
  OutcomeDimension,
  OutcomeFilters,
  TimeToImprovementDimension,
} from './dimensions.js';

/**
 * The results of the analytics service, as the browser and scripts receive them. Every number
 * here has passed disclosure control on the server: a suppressed value is null, and where
 * `protected` is true every count, sum and mean carries cell-key noise (docs/outcomes.md,
 * "Disclosure control"). Numbers are full precision; only the dashboard rounds.
 */
/** Whether an answer's numbers are protected (perturbed) or exact, and its k. */
export interface Disclosure {
  minCellSize: number;
  /** True: counts, sums and means carry cell-key noise, intervals are widened for it. */
  protected: boolean;
}

/** A rate with its Wilson 95% interval; absent (null) when its denominator is below k. */
export interface RateMetric {
  count: number;
  denominator: number;
  rate: number;
  ci: [number, number];
}

/** Every rate of the registry (RATE_MEASURES in @ipt/protocol), null when withheld. */
export type OutcomeRates = { [M in RateMeasureName]: RateMetric | null };

export interface OutcomeGroup extends OutcomeRates {
  /** The group's value of each requested dimension. */
  dimensions: Partial<Record<GroupingDimension, string>>;
  /** Episodes in the group; null when suppressed. */
  n: number | null;
  suppressed: boolean;
  finished: number | null;
  paired: number | null;
  meanChange: { mean: number; ci: [number, number] } | null;
  effectSize: number | null;
}

export interface OutcomesResult extends Disclosure {
  groupBy: OutcomeDimension[];
  groups: OutcomeGroup[];
}

/** An estimate with its 95% interval. */
export interface Estimate {
  estimate: number;
  ci: [number, number];
}

/**
 * Why the logistic model of a regression standardisation has no figures: separation (a level, or
 * a combination, in which every episode or none has the outcome), no convergence, a group the
 * adjustment factors cannot tell apart, or no episodes.
 */
export type ModelFailure = 'separation' | 'not-converged' | 'confounded' | 'no-data';

/** Crude and case-mix adjusted figures of one outcome rate (docs/outcomes.md, "Adjusted comparisons"). */
export interface AdjustedMeasure {
  measure: RateMeasureName;
  /**
   * The regression standardisation (the primary adjusted figures): a logistic model of the rate
   * on the group and the adjustment factors over every eligible episode of the compared groups.
   * `episodes` is how many (for protected readers the sum of the released group totals);
   * `aliased` names model columns the others span. Unfitted: why, and which level (crude
   * figures only). Null when fewer than two groups can be compared.
   */
  model:
    | {
        fitted: true;
        episodes: number | null;
        aliased: string[];
        /**
         * Levels of adjustment factors in which no episode (or every one) has the outcome: in
         * the limit of the fit their episodes are predicted at that 0 or 1, and the rest is
         * fitted without them. `episodes` null when below k for protected readers.
         */
        separated: Array<{ factor: string; level: string; episodes: number | null; rate: 0 | 1 }>;
      }
    | { fitted: false; episodes: number | null; reason: ModelFailure; detail: string }
    | null;
  /**
   * Direct standardisation (the sensitivity analysis) needs common support: strata in which
   * every compared group has episodes (protected: at least k), the denominator's episodes inside
   * and outside them, and the share outside. Null when fewer than two groups can be compared.
   * For protected numbers a count below k (and the share it would give) is null: "fewer than k".
   */
  support: {
    strata: number;
    inside: number | null;
    outside: number | null;
    shareOutside: number | null;
  } | null;
  groups: Array<{
    group: string;
    /** True when the group's crude rate is withheld (k rule): it is then not compared. */
    suppressed: boolean;
    /** As observed: the group's own rate, Wilson interval. Null when withheld (k rule). */
    crude: RateMetric | null;
    /** Regression standardised: the mean predicted rate of every episode as if in this group. */
    adjusted: Estimate | null;
    /** Directly standardised over the strata of common support; interval R ± 1.96 √Var. */
    direct: Estimate | null;
    /** The crude rate of the group's episodes inside common support (like with like). */
    crudeInSupport: Estimate | null;
  }>;
  /** Each compared group minus the reference group. */
  differences: Array<{
    group: string;
    crude: Estimate | null;
    adjusted: Estimate | null;
    direct: Estimate | null;
  }>;
  /**
   * Each compared group's risk over the reference's: crude, regression standardised (interval
   * on the log scale) and Mantel-Haenszel over common support.
   */
  ratios: Array<{
    group: string;
    crude: Estimate | null;
    adjusted: Estimate | null;
    direct: Estimate | null;
  }>;
}

/** The likelihood-ratio test of the group x stratifier interaction, for one rate. */
export interface HeterogeneityResult {
  measure: RateMeasureName;
  /** Null when a model could not be fitted; `detail` then says why. */
  test: { statistic: number; df: number; p: number } | null;
  detail: string | null;
}

/** Groups of one dimension compared crude and adjusted for case mix, every outcome rate. */
export interface AdjustedComparisonResult extends Disclosure {
  compare: OutcomeDimension;
  /** The groups compared, in vocabulary order; the first is the reference. */
  groups: string[];
  reference: string;
  /** The adjustment set: the model's factors, and the strata of direct standardisation. */
  adjustFor: AdjustmentFactor[];
  measures: AdjustedMeasure[];
  /**
   * With `within`: the same comparison inside each level of that dimension (every level,
   * whether it holds episodes or not), and for each rate the test of heterogeneity. Null
   * without.
   */
  within: {
    dimension: OutcomeDimension;
    levels: Array<{ level: string; measures: AdjustedMeasure[] }>;
    heterogeneity: HeterogeneityResult[];
  } | null;
}

/** Outcomes by month of episode start (`YYYY-MM-01`). */
export interface TrendResult extends Disclosure {
  points: Array<Omit<OutcomeGroup, 'dimensions'> & { month: string }>;
}

/**
 * One session of a trajectory: withheld ("fewer than k"), shown with its mean, or, for an exact
 * reader only, empty (no episode has a score there: 0 episodes, no mean).
 */
export type TrajectoryPoint =
  | { session: number; suppressed: true }
  | {
      session: number;
      suppressed: false;
      episodes: number;
      mean: number;
      lower: number;
      upper: number;
    }
  | {
      session: number;
      suppressed: false;
      episodes: 0;
      mean: null;
      lower: null;
      upper: null;
    };

/** Mean PHQ-9 by session number, one series per group. */
export interface TrajectoryResult extends Disclosure {
  groupBy: OutcomeDimension | null;
  series: Array<{ group: string; points: TrajectoryPoint[] }>;
}

/**
 * Time to reliable improvement: the cumulative incidence by session per group (Aalen-Johansen,
 * ending without improvement competing, open episodes censored), with 95% intervals.
 */
/**
 * When the clock of time to improvement starts (docs/outcomes.md, "Time to reliable
 * improvement"): at intake (session 0) for factors known then; at a landmark session for one
 * set later (the problem area, at session 3: points are session numbers after it); or at the
 * session each episode's exposure began (medication: `session` null, and a point's session is
 * counted from that time zero).
 */
export interface TimeZero {
  kind: 'intake' | 'landmark' | 'exposure';
  session: number | null;
  /** For people: where the clock starts and which episodes count. */
  description: string;
}

export interface TimeToImprovementResult extends Disclosure {
  groupBy: TimeToImprovementDimension | null;
  timeZero: TimeZero;
  series: Array<{
    group: string;
    /**
     * True when the group has 1 to k-1 episodes with a baseline (protected: or none): no curve.
     * An exact reader sees an empty group as 0 episodes and no points.
     */
    suppressed: boolean;
    /**
     * Episodes with a baseline in the group, counted from its time zero (protected: from
     * protected counts). By medication, an episode that starts it during treatment counts in
     * both groups: without it until the start, with it after.
     */
    episodes: number | null;
    /** Sessions in order until the risk set falls below k. */
    points: Array<{
      session: number;
      /** Episodes still at risk at the session (improvement not yet seen, not ended before). */
      atRisk: number;
      /** Counts at the session: exact answers only (null when protected). */
      events: number | null;
      competing: number | null;
      censored: number | null;
      /** Probability of reliable improvement by this session. */
      incidence: number;
      ci: [number, number];
    }>;
  }>;
}

/**
 * Expected recovery curves (docs/outcomes.md, "Expected recovery and off-track episodes"): per
 * baseline band, the 10th, 50th and 90th percentile PHQ-9 by session of the network's
 * finished, paired episodes, only at sessions with at least k scores.
 */
export interface ExpectedRecoveryResult extends Disclosure {
  bands: Array<{
    band: string;
    /** Finished paired episodes in the band; null below k. */
    episodes: number | null;
    points: Array<{ session: number; n: number; p10: number; p50: number; p90: number }>;
  }>;
}

/** An open episode off track now: its latest judged session lies above the band's 90th. */
export interface OffTrackEpisode {
  episodeId: string;
  clinic: string;
  band: string;
  /** The latest session 3-8 with a score where the band has a point, and that score. */
  session: number;
  total: number;
  expected: { p10: number; p50: number; p90: number };
  /** The latest session with a score or attendance. */
  lastSession: number;
}

/** A clinic's open episodes off track now (its own readers and the steward only). */
export interface OffTrackListResult {
  episodes: OffTrackEpisode[];
  /** True when more than the list's limit are off track (narrow by clinic). */
  truncated: boolean;
}

/** One of a clinic's own episodes, for laying over its band's expected curve. */
export interface EpisodeScoresResult {
  episodeId: string;
  clinic: string;
  /** Null when the baseline is below 10 or missing: no band to compare with. */
  band: string | null;
  scores: Array<{ session: number; total: number }>;
}

/** Share reliably improved and recovered by exact sessions attended. */
export interface DoseResponseResult extends Disclosure {
  points: Array<{
    sessions: number;
    /** The last point pools every episode with this many sessions or more. */
    orMore: boolean;
    reliableImprovement: RateMetric | null;
    recovery: RateMetric | null;
  }>;
}

export type AuditUnit =
  | { unit: string; clinic: string; suppressed: true }
  | {
      unit: string;
      /** The unit's clinic (the clinic itself at clinic level). */
      clinic: string;
      suppressed: false;
      n: number;
      /** Paired finished episodes (the denominator of reliable improvement); null below k. */
      eligible: number | null;
      reliableImprovement: RateMetric | null;
      /** Improvements expected from the network's model of severity, age band and condition. */
      expected: number | null;
      /** Observed / expected. */
      ratio: number | null;
      /** Ratio x network rate: reliable improvement adjusted for case mix. */
      standardisedRate: number | null;
      funnel: 'within' | 'outside_95' | 'outside_99.8' | null;
      sessionsWithinRange: RateMetric | null;
      problemAreaBySession3: RateMetric | null;
      phq9EverySession: RateMetric | null;
      /** Episodes off track at sessions 3-8 among those judged (Wilson interval). */
      offTrack: RateMetric | null;
      selfHarmFlags: number | null;
    };

/** Each clinic or therapist against the network, with the funnel's control limits. */
export interface AuditResult extends Disclosure {
  level: 'clinic' | 'therapist';
  /**
   * What the expected counts adjust for: the network's logistic model of reliable improvement
   * on these factors (docs/outcomes.md, "Clinic audit"); `note` names levels predicted at their
   * observed 0 or 1, or says why there is no model (expected from the network rate alone).
   */
  caseMix: { adjustedFor: string[]; note: string | null };
  /** Reliable improvement over the whole cohort; null when nothing is paired yet. */
  networkRate: number | null;
  /**
   * The share of the cohort's episodes off track at sessions 3-8 among those that could be
   * judged (against the network's expected curves), with its Wilson interval.
   */
  networkOffTrack: RateMetric | null;
  units: AuditUnit[];
  funnel: Array<{
    n: number;
    lower95: number;
    upper95: number;
    lower998: number;
    upper998: number;
  }>;
}

/** The data-quality page. Episode counts below k are null; event counts are not about people. */
export interface DataQualityResult extends Disclosure {
  ingestByDay: Array<{ day: string; events: number }>;
  rejects: Array<{ path: string; message: string; events: number }>;
  deadLetters: Array<{ origin: string; reason: string; messages: number; latest: string }>;
  /** Episodes with each finding: exact (the list of them is given too). */
  findings: Array<{ code: string; episodes: number }>;
  pairedByClinic: Array<
    | { clinic: string; suppressed: true }
    | { clinic: string; suppressed: false; completeness: RateMetric | null }
  >;
}

/** A named cohort: the filters that define it. */
export interface SavedCohort {
  name: string;
  /** Who saved it; empty for cohorts saved before cohorts had owners. */
  owner: string;
  /** `private`: its owner only; `network`: everyone who may read. */
  visibility: 'private' | 'network';
  /** Whether the asking principal may delete it (its owner, or a steward). */
  mine: boolean;
  filters: OutcomeFilters;
  savedAt: string;
}

/** One entry of the access log: who asked what, when, and with what result; never the numbers. */
export interface AccessLogRow {
  at: string;
  principal: string;
  role: string;
  via: string;
  surface: string;
  procedure: string;
  filters: string;
  cellsReleased: number;
  cellsWithheld: number;
  status: number;
  durationMs: number;
}
