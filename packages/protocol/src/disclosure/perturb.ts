import { ProtocolError } from '../errors.js';
import { resolveMinCellSize } from '../k-rule.js';
import type { NoiseDraw } from './cell-key.js';

/*
 * The perturbation of protected numbers (docs/outcomes.md, "Disclosure control"). Pure functions of
 * the exact value, the cell key of the set of episodes behind it, and the policy: the same set
 * always gets the same noise (asking again, or asking differently, averages nothing away), and
 * two sets that differ by one episode get unrelated noise.
 */

/**
 * Default noise D: every protected count moves by a whole number drawn uniformly from -D..D.
 * D = 1 is the largest noise that keeps docs/outcomes.md's utility target as a bound, not a hope: a
 * rate over 200 or more episodes moves by at most 2D/200 = 1 percentage point, a count by at
 * most 0.5%.
 */
export const DEFAULT_NOISE = 1;
/** The largest D a deployment may configure: beyond it small tables lose their meaning. */
export const MAX_NOISE = 5;

/** What a deployment configured: the k rule's threshold, the noise D, and its keyed draw. */
export interface DisclosurePolicy {
  /** Minimum cell size (validated by `resolveMinCellSize`). */
  readonly k: number;
  /** The largest change noise makes to a count (1..MAX_NOISE). */
  readonly noise: number;
  /** The deployment's keyed draw (see NoiseDraw). */
  readonly draw: NoiseDraw;
}

/**
 * Validates a policy.
 *
 * @throws ProtocolError INVALID_ARGUMENT for a bad k (see `resolveMinCellSize`) or a noise that
 *   is not a whole number from 1 to MAX_NOISE (0 would release exact counts as protected ones)
 */
export function resolveDisclosurePolicy(policy: {
  k: number;
  noise?: number;
  draw: NoiseDraw;
}): DisclosurePolicy {
  const k = resolveMinCellSize(policy.k);
  const noise = policy.noise ?? DEFAULT_NOISE;
  if (!Number.isInteger(noise) || noise < 1 || noise > MAX_NOISE) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `The disclosure noise D must be a whole number from 1 to ${MAX_NOISE} (0 would release ` +
        `exact counts to protected readers, and differencing two questions gives a small count ` +
        `exactly); got ${noise}.`,
    );
  }
  return { k, noise, draw: policy.draw };
}

/** An exact count and the cell key of the episodes it counts. */
export interface KeyedCount {
  readonly count: number;
  readonly key: number;
}

/** The noise stream of counts of episodes: a set has one count, so every measure shares it. */
export const COUNT_STREAM = 0;

/** A whole number drawn uniformly from -bound..bound by the cell key's stream. */
function wholeNoise(key: number, stream: number, bound: number, draw: NoiseDraw): number {
  return Math.floor(draw(key, stream) * (2 * bound + 1)) - bound;
}

/**
 * The protected value of a count: count + e, e uniform on the whole numbers -D..D, drawn by the
 * cell key (a p-table with equal probabilities: mean 0, variance D(D + 1)/3). Never below 0.
 * Counts of episodes use COUNT_STREAM; a count of something else (scores) its own stream.
 */
export function perturbCount(
  cell: KeyedCount,
  policy: Pick<DisclosurePolicy, 'noise' | 'draw'>,
  stream = COUNT_STREAM,
): number {
  return Math.max(0, cell.count + wholeNoise(cell.key, stream, policy.noise, policy.draw));
}

/**
 * The protected value of a whole-number sum: sum + e, e a whole number uniform on
 * -D bound..D bound from the cell key's stream `stream` (not COUNT_STREAM), `bound` being the
 * largest contribution one episode can make to the sum (27 for PHQ-9 totals and changes, 27^2
 * for their squares). Removing one episode changes the sum by at most `bound`; the noise spans
 * twice that. Whole numbers on purpose: a protected sum must look like a sum of whole scores, or
 * its fraction would betray the noise, and with it the exact sum.
 */
export function perturbSum(
  sum: number,
  key: number,
  stream: number,
  bound: number,
  policy: Pick<DisclosurePolicy, 'noise' | 'draw'>,
): number {
  return sum + wholeNoise(key, stream, policy.noise * bound, policy.draw);
}
