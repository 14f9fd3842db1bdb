import {
  DEFAULT_NOISE,
  type DisclosurePolicy,
  exactCount,
  type KeyedCount,
  type KeyedSums,
  meanIntervalFromMoments,
  momentsFromSums,
  type NoiseDraw,
  protectedCount,
  protectedMeanInterval,
  protectedMoments,
  protectedRate,
  resolveDisclosurePolicy,
  wilsonInterval,
} from '@ipt/protocol';
import type { Scope } from '../access.js';
import type { RateMetric } from '../types.js';

/**
 * How the numbers of one answer are released: exact (with the k rule) or protected (docs/outcomes.md,
 * "Disclosure control"). Every analytics function turns its exact counts and sums into released
 * numbers through a DisclosureRule, so an answer is protected or exact as a whole and no query can
 * forget the noise. The rules themselves live in @ipt/protocol.
 */
export interface DisclosureSettings {
  /** The k rule's threshold (MIN_CELL_SIZE). */
  minCellSize: number;
  /** The noise D of protected counts (DISCLOSURE_NOISE); DEFAULT_NOISE when not given. */
  noise?: number;
  /**
   * The deployment's keyed draw (createNoiseDraw). Protected answers need it: without one they
   * are refused, never released with a guessable noise. Exact answers do not use it.
   */
  draw?: NoiseDraw;
}

export interface Moments {
  n: number;
  mean: number;
  sd: number;
  /** The most noise can have moved the mean (0 when exact). */
  meanShift: number;
}

export interface DisclosureRule {
  readonly protected: boolean;
  readonly policy: DisclosurePolicy;
  /**
   * A count: null ("fewer than k") from 1 to k-1. Exact: an empty cell reads 0. Protected: an
   * empty cell reads null like a small one, and so does a protected value below k.
   */
  count(cell: KeyedCount): number | null;
  /**
   * A count derived from counts already released (a sum or difference of them): protected
   * answers withhold it below k (null), exact ones give it as it is. No second noise.
   */
  derived(count: number): number | null;
  /** A rate with its 95% interval (Wilson; widened for the noise when protected). */
  rate(hits: KeyedCount, of: KeyedCount): RateMetric | null;
  /**
   * Mean and spread of a cell's values; `bound` is one episode's largest contribution, `stream`
   * the sum's noise stream (NOISE_STREAMS) and `countStream` the count's, when it counts
   * something other than the cell's episodes.
   */
  moments(cell: KeyedSums, bound: number, stream: number, countStream?: number): Moments | null;
  /** The 95% t interval of a mean from `moments` (widened by meanShift when protected). */
  meanInterval(moments: Moments): { mean: number; lower: number; upper: number };
}

/**
 * The noise stream of each perturbed sum (a sum and its squares take two: n and n + 1). Every
 * summed measure has streams of its own: two measures over one set of episodes with one noise
 * would let their difference through exactly (the change of a cohort minus its PHQ-9 at one
 * session, or its PHQ-9 at two sessions, differenced again without one person, gives that
 * person's values). Counts need none: a set has one count, whatever the measure.
 */
export const NOISE_STREAMS = {
  change: 1,
  baseline: 3,
  /** Mean PHQ-9 at a session (0..TRAJECTORY_MAX_SESSION): streams 10, 12, ... */
  trajectory: (session: number) => 10 + 2 * session,
  /**
   * The number of scores at a session: not a count of episodes (an episode may have two), so
   * not the episodes' stream, or scores minus episodes would come through exactly.
   */
  trajectoryScores: (session: number) => 100 + session,
  /**
   * The episodes of a model's cell with a rate's outcome (adjusted comparisons), keyed by the
   * cell's population, one stream per rate: streams 200, 201, ... (see adjusted-measure.ts).
   */
  outcomeInCell: (rate: number) => 200 + rate,
} as const;

export function disclosureFor(scope: Scope, options: DisclosureSettings): DisclosureRule {
  return scope.disclosure === 'protected'
    ? protectedDisclosure(options)
    : exactDisclosure(resolve(options));
}

/** The disclosure of units a reader may see exactly inside a protected answer (its own clinics). */
export function disclosureOf(
  kind: 'exact' | 'protected',
  options: DisclosureSettings,
): DisclosureRule {
  return kind === 'protected' ? protectedDisclosure(options) : exactDisclosure(resolve(options));
}

/** Exact answers draw no noise: a draw asked of them is a bug, and says so. */
const NO_DRAW: NoiseDraw = () => {
  throw new Error('an exact answer asked for noise');
};

const resolve = (options: DisclosureSettings, draw: NoiseDraw = NO_DRAW) =>
  resolveDisclosurePolicy({
    k: options.minCellSize,
    noise: options.noise ?? DEFAULT_NOISE,
    draw,
  });

function exactDisclosure(policy: DisclosurePolicy): DisclosureRule {
  const { k } = policy;
  return {
    protected: false,
    policy,
    count: (cell) => exactCount(cell.count, k),
    derived: (count) => count,
    rate(hits, of) {
      if (of.count < k) return null;
      const { lower, upper } = wilsonInterval(hits.count, of.count);
      return {
        count: hits.count,
        denominator: of.count,
        rate: hits.count / of.count,
        ci: [lower, upper],
      };
    },
    moments(cell) {
      if (cell.count < k) return null;
      return {
        ...momentsFromSums({ n: cell.count, sum: cell.sum, sumSquares: cell.sumSquares }),
        meanShift: 0,
      };
    },
    meanInterval: (moments) => meanIntervalFromMoments(moments),
  };
}

function protectedDisclosure(options: DisclosureSettings): DisclosureRule {
  if (options.draw === undefined) {
    throw new Error('protected numbers need the deployment noise draw (createNoiseDraw)');
  }
  const policy = resolve(options, options.draw);
  return {
    protected: true,
    policy,
    count: (cell) => protectedCount(cell, policy),
    derived: (count) => (count < policy.k ? null : count),
    rate: (hits, of) => protectedRate(hits, of, policy),
    moments: (cell, bound, stream, countStream) =>
      protectedMoments(cell, bound, stream, policy, countStream),
    meanInterval: (moments) => protectedMeanInterval(moments),
  };
}
