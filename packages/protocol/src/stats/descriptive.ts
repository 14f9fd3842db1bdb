import { ProtocolError } from '../errors.js';
import { assertFiniteValues } from './validation.js';

/**
 * Running mean and sum of squared deviations by Welford's method (Welford 1962, Technometrics
 * 4:419-420): one pass, no catastrophic cancellation, no overflow from summing large values.
 */
function welford(values: readonly number[]): { mean: number; sumSquaredDeviations: number } {
  let running = 0;
  let sumSquaredDeviations = 0;
  let count = 0;
  for (const value of values) {
    count += 1;
    const delta = value - running;
    running += delta / count;
    sumSquaredDeviations += delta * (value - running);
  }
  return { mean: running, sumSquaredDeviations };
}

/**
 * Arithmetic mean.
 *
 * @throws ProtocolError INSUFFICIENT_DATA for no values; INVALID_ARGUMENT for a value that is not
 *   a finite number
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) {
    throw new ProtocolError('INSUFFICIENT_DATA', 'A mean needs at least 1 value; got none.');
  }
  assertFiniteValues(values, 'The values of a mean');
  return welford(values).mean;
}

/**
 * Sample standard deviation, with n - 1 in the denominator (Bessel's correction).
 *
 * @throws ProtocolError INSUFFICIENT_DATA for fewer than 2 values; INVALID_ARGUMENT for a value
 *   that is not a finite number
 */
export function sampleStandardDeviation(values: readonly number[]): number {
  if (values.length < 2) {
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      `A sample standard deviation needs at least 2 values; got ${values.length}.`,
    );
  }
  assertFiniteValues(values, 'The values of a standard deviation');
  return Math.sqrt(welford(values).sumSquaredDeviations / (values.length - 1));
}
