import { ProtocolError } from '../errors.js';
import { normalQuantile } from './normal.js';
import { assertConfidence } from './validation.js';

/**
 * Wilson score interval for a binomial proportion (Wilson, E. B. 1927, "Probable inference, the
 * law of succession, and statistical inference", JASA 22:209-212), without continuity correction:
 * method 3 of Newcombe, R. G. 1998, "Two-sided confidence intervals for the single proportion:
 * comparison of seven methods", Statistics in Medicine 17:857-872.
 *
 *   (2r + z^2 -/+ z sqrt(z^2 + 4 r (n - r) / n)) / (2 (n + z^2)),  z = Phi^-1(1 - alpha/2)
 *
 * Unlike the Wald interval it stays inside [0, 1] and behaves at 0 and n successes; the bounds are
 * clamped to [0, 1] anyway, and are exactly 0 (r = 0) and exactly 1 (r = n) at the extremes.
 *
 * @param successes r, an integer from 0 to n
 * @param n number of trials, an integer of at least 1
 * @param confidence confidence level strictly between 0 and 1; 0.95 by default
 * @throws ProtocolError INSUFFICIENT_DATA when n is 0; INVALID_ARGUMENT for non-integer or
 *   negative counts, more successes than trials, or a confidence level outside (0, 1)
 */
export function wilsonInterval(
  successes: number,
  n: number,
  confidence = 0.95,
): { lower: number; upper: number } {
  assertConfidence(confidence);
  if (!Number.isInteger(n) || n < 0) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A proportion needs the number of trials as a whole number of 0 or more; got ${n}.`,
    );
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A proportion needs the number of successes as a whole number from 0 to ${n}; ` +
        `got ${successes}.`,
    );
  }
  if (n === 0) {
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      'A proportion has no confidence interval when there are no trials (n = 0).',
    );
  }

  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const centre = 2 * successes + z2;
  const spread = z * Math.sqrt(z2 + (4 * successes * (n - successes)) / n);
  const denominator = 2 * (n + z2);
  const lower = successes === 0 ? 0 : Math.max(0, (centre - spread) / denominator);
  const upper = successes === n ? 1 : Math.min(1, (centre + spread) / denominator);
  return { lower, upper };
}
