import { ProtocolError } from '../errors.js';
import { mean, sampleStandardDeviation } from './descriptive.js';
import { meanIntervalFromMoments } from './moments.js';
import { assertConfidence } from './validation.js';

/**
 * Mean with a two-sided t confidence interval: mean +/- t(1 - alpha/2, n - 1) * s / sqrt(n), where
 * s is the sample standard deviation (n - 1). Used for mean change (endpoint - baseline) and mean
 * PHQ-9 by session; see docs/outcomes.md, "Statistics". The formula itself is
 * `meanIntervalFromMoments`, shared with the warehouse path that only has sums.
 *
 * @param confidence confidence level strictly between 0 and 1; 0.95 by default
 * @throws ProtocolError INSUFFICIENT_DATA for fewer than 2 values; INVALID_ARGUMENT for a value
 *   that is not a finite number or a confidence level outside (0, 1)
 */
export function meanInterval(
  values: readonly number[],
  confidence = 0.95,
): { mean: number; lower: number; upper: number } {
  assertConfidence(confidence);
  if (values.length < 2) {
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      `A confidence interval for a mean needs at least 2 values; got ${values.length}.`,
    );
  }
  return meanIntervalFromMoments(
    { n: values.length, mean: mean(values), sd: sampleStandardDeviation(values) },
    confidence,
  );
}
