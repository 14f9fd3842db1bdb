import { ProtocolError } from '../errors.js';
import { studentTQuantile } from './student-t.js';
import { assertConfidence } from './validation.js';

/*
 * Statistics from summaries instead of raw values. The warehouse (ClickHouse) aggregates episodes
 * into counts, sums and sums of squares per cell, so the server never holds the individual scores;
 * these functions finish the job with the same formulas as the raw-value versions
 * (`meanInterval`, `prePostEffectSize`), which are written in terms of them so each formula lives
 * in one place. Definitions: docs/outcomes.md, "Statistics".
 */

/** A sample summarised by its size, mean and sample standard deviation (n - 1 denominator). */
export interface SampleMoments {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
}

/** A sample summarised as the warehouse returns it: n, the sum and the sum of squares. */
export interface SampleSums {
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

function assertCount(n: number, what: string): void {
  if (!(Number.isInteger(n) && n >= 0)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `${what} needs the number of values as a whole number of 0 or more; got ${n}.`,
    );
  }
}

function assertFinite(value: number, name: string, what: string): void {
  if (!Number.isFinite(value)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `${what} needs ${name} as a finite number; got ${value}.`,
    );
  }
}

function assertStandardDeviation(sd: number, name: string, what: string): void {
  if (!(Number.isFinite(sd) && sd >= 0)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `${what} needs ${name} as a finite number of 0 or more; got ${sd}.`,
    );
  }
}

/**
 * Mean with a two-sided t confidence interval from a summary: mean +/- t(1 - alpha/2, n - 1) *
 * sd / sqrt(n), sd being the sample standard deviation (n - 1). The formula behind
 * `meanInterval`; see docs/outcomes.md, "Statistics" (mean change, trajectories).
 *
 * @param confidence confidence level strictly between 0 and 1; 0.95 by default
 * @throws ProtocolError INSUFFICIENT_DATA for n below 2 (no degrees of freedom); INVALID_ARGUMENT
 *   when n is not a whole number of 0 or more, the mean is not finite, sd is negative or not
 *   finite, or the confidence level is outside (0, 1)
 */
export function meanIntervalFromMoments(
  moments: SampleMoments,
  confidence = 0.95,
): { mean: number; lower: number; upper: number } {
  assertConfidence(confidence);
  const { n, mean, sd } = moments;
  const what = 'A confidence interval for a mean';
  assertCount(n, what);
  if (n < 2) {
    throw new ProtocolError('INSUFFICIENT_DATA', `${what} needs at least 2 values; got ${n}.`);
  }
  assertFinite(mean, 'the mean', what);
  assertStandardDeviation(sd, 'the standard deviation', what);
  const halfWidth = (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { mean, lower: mean - halfWidth, upper: mean + halfWidth };
}

/**
 * Pre-post (within-group) effect size from summaries: mean(baseline - endpoint) / SD(baseline),
 * SD being the sample standard deviation (n - 1) of the baselines; see docs/outcomes.md, "Statistics".
 * The formula behind `prePostEffectSize`. PHQ-9 lower is better, so a positive effect size is
 * improvement.
 *
 * @param meanImprovement mean of baseline - endpoint over the paired episodes (note the sign:
 *   the opposite of the "mean change" endpoint - baseline)
 * @param baselineSd sample standard deviation of the same episodes' baselines
 * @throws ProtocolError INSUFFICIENT_DATA when baselineSd is 0 (no spread: the effect size is
 *   undefined); INVALID_ARGUMENT when either input is not finite or baselineSd is negative
 */
export function effectSizeFromMoments(summary: {
  readonly meanImprovement: number;
  readonly baselineSd: number;
}): number {
  const { meanImprovement, baselineSd } = summary;
  const what = 'A pre-post effect size';
  assertFinite(meanImprovement, 'the mean improvement', what);
  assertStandardDeviation(baselineSd, 'the standard deviation of the baselines', what);
  if (baselineSd === 0) {
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      'A pre-post effect size is undefined when the baselines have no spread: all baseline ' +
        'scores are equal, so their standard deviation is 0.',
    );
  }
  return meanImprovement / baselineSd;
}

/**
 * How far below zero a floating-point sum of squared deviations may fall and still be read as 0
 * (rounding) rather than as inconsistent sums: a multiple of the worst-case error of the
 * recursive summation that produced sumSquares, (n - 1) u sum(x^2) (Higham, N. J. 2002,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., SIAM, section 4.2), since sum^2 / n
 * is at most sumSquares (Cauchy-Schwarz) and carries an error of the same order.
 */
function roundingTolerance(n: number, sumSquares: number): number {
  return 4 * n * Number.EPSILON * sumSquares;
}

/**
 * n, mean and sample standard deviation (n - 1) from a count, a sum and a sum of squares, as
 * returned by `count()`, `sum(x)` and `sum(x * x)`.
 *
 * Numerical caveat. The textbook formula sumSquares - sum^2 / n subtracts two nearly equal numbers
 * when the spread is small next to the mean, losing about log10(1 + mean^2 / variance) digits
 * (Chan, T. F., Golub, G. H. & LeVeque, R. J. 1983, "Algorithms for computing the sample variance:
 * analysis and recommendations", The American Statistician 37:242-247). So:
 *
 * - When sum and sumSquares are safe integers (integer columns such as PHQ-9 totals: ClickHouse
 *   sums them exactly as Int64/UInt64), n * sumSquares - sum^2 is formed EXACTLY in BigInt and
 *   rounded once; the SD is then correct to a few units in the last place however small the spread
 *   is. PHQ-9 totals (0-27) stay far inside that range: for n = 10^7, sum <= 2.7e8 and
 *   sumSquares <= 7.3e9, against 2^53 = 9.0e15. (Plain doubles would already lose 7 digits on
 *   10^7 scores of 27 but one of 26: variance 1.00000010e-7 instead of 1e-7.)
 * - Otherwise (non-integer values, or sums past 2^53) it falls back to floating point. The sums
 *   then carry their own rounding error, about n u sumSquares for naive summation, which the
 *   subtraction magnifies: the relative error of the variance is about n u (1 + mean^2 /
 *   variance), u = 1.1e-16. Harmless for score-like data; for values with a tiny spread around a
 *   large mean, sum deviations from a fixed shift instead, or use ClickHouse's
 *   `stddevSampStable`, which is computed stably. A slightly negative result within rounding
 *   (see `roundingTolerance`) is read as 0.
 *
 * Fewer than 2 values: this THROWS rather than returning sd NaN or null. The sample standard
 * deviation has no value there (the same rule as `sampleStandardDeviation`), and a `number` sd
 * lets the result go straight into `meanIntervalFromMoments`. Such cells are below the
 * small-cell floor (k >= 5, docs/outcomes.md "Disclosure control") and are suppressed before any
 * statistic is computed; a caller that only needs the mean of one value can take sum / n.
 *
 * @throws ProtocolError INSUFFICIENT_DATA for n below 2; INVALID_ARGUMENT when n is not a whole
 *   number of 0 or more, a sum is not finite, sumSquares is negative, or the sums contradict each
 *   other (sumSquares below sum^2 / n, which no real data can produce)
 */
export function momentsFromSums(sums: SampleSums): SampleMoments {
  const { n, sum, sumSquares } = sums;
  const what = 'A standard deviation from sums';
  assertCount(n, what);
  assertFinite(sum, 'the sum', what);
  assertStandardDeviation(sumSquares, 'the sum of squares', what);
  if (n < 2) {
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      `A sample standard deviation needs at least 2 values; got ${n}.`,
    );
  }
  const mean = sum / n;
  const variance =
    Number.isSafeInteger(sum) && Number.isSafeInteger(sumSquares)
      ? exactIntegerVariance(n, sum, sumSquares)
      : floatingPointVariance(n, sum, sumSquares);
  return { n, mean, sd: Math.sqrt(variance) };
}

function inconsistentSums(n: number, sum: number, sumSquares: number): ProtocolError {
  return new ProtocolError(
    'INVALID_ARGUMENT',
    `The sums contradict each other: a sum of squares of ${sumSquares} is below sum^2 / n = ` +
      `${(sum * sum) / n} (n = ${n}, sum = ${sum}), which no real values can give.`,
  );
}

/**
 * (n sumSquares - sum^2) / (n (n - 1)) with the numerator exact: every term is an integer, so
 * BigInt carries it without rounding; only the final conversion and division round.
 */
function exactIntegerVariance(n: number, sum: number, sumSquares: number): number {
  const bigN = BigInt(n);
  const bigSum = BigInt(sum);
  const numerator = bigN * BigInt(sumSquares) - bigSum * bigSum;
  if (numerator < 0n) throw inconsistentSums(n, sum, sumSquares);
  return Number(numerator) / Number(bigN * (bigN - 1n));
}

/** (sumSquares - sum * mean) / (n - 1) in doubles; see the caveat on `momentsFromSums`. */
function floatingPointVariance(n: number, sum: number, sumSquares: number): number {
  const sumSquaredDeviations = sumSquares - sum * (sum / n);
  if (sumSquaredDeviations >= 0) return sumSquaredDeviations / (n - 1);
  if (-sumSquaredDeviations <= roundingTolerance(n, sumSquares)) return 0;
  throw inconsistentSums(n, sum, sumSquares);
}
