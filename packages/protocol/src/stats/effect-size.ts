import { ProtocolError } from '../errors.js';
import { mean, sampleStandardDeviation } from './descriptive.js';
import { effectSizeFromMoments } from './moments.js';
import { assertFiniteValues } from './validation.js';

/**
 * Pre-post (within-group) effect size: mean(baseline - endpoint) / SD(baseline), with the sample
 * standard deviation (n - 1) of the baselines; see docs/outcomes.md, "Statistics". Pairs are matched by
 * position: baselines[i] and endpoints[i] belong to the same episode. The formula itself is
 * `effectSizeFromMoments`, shared with the warehouse path that only has sums.
 *
 * Sign: PHQ-9 lower is better, so a POSITIVE effect size means symptoms went DOWN (improvement) and
 * a negative one means they went up (deterioration).
 *
 * @throws ProtocolError INVALID_ARGUMENT when the arrays differ in length or hold a value that is
 *   not a finite number; INSUFFICIENT_DATA for fewer than 2 pairs or when every baseline is the
 *   same (a standard deviation of 0 leaves the effect size undefined)
 */
export function prePostEffectSize(
  baselines: readonly number[],
  endpoints: readonly number[],
): number {
  if (baselines.length !== endpoints.length) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A pre-post effect size needs one endpoint per baseline; got ${baselines.length} ` +
        `baselines and ${endpoints.length} endpoints.`,
    );
  }
  if (baselines.length < 2) {
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      `A pre-post effect size needs at least 2 paired scores; got ${baselines.length}.`,
    );
  }
  assertFiniteValues(baselines, 'Baseline scores');
  assertFiniteValues(endpoints, 'Endpoint scores');
  const improvements = baselines.map((baseline, i) => baseline - (endpoints[i] ?? Number.NaN));
  return effectSizeFromMoments({
    meanImprovement: mean(improvements),
    baselineSd: sampleStandardDeviation(baselines),
  });
}
