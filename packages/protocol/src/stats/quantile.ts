import { ProtocolError } from '../errors.js';

/**
 * The p-th sample quantile by linear interpolation between order statistics, R's default
 * `quantile(type = 7)` (Hyndman RJ, Fan Y 1996, Sample quantiles in statistical packages, Am
 * Stat 50:361-365, definition 7): h = (n - 1) p, Q = x[floor h] + (h - floor h)(x[floor h + 1]
 * - x[floor h]) over the values sorted ascending, 0-based.
 *
 * @throws ProtocolError INSUFFICIENT_DATA without values; INVALID_ARGUMENT for p outside [0, 1]
 *   or a value that is not finite
 */
export function quantileType7(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new ProtocolError('INSUFFICIENT_DATA', 'A quantile needs at least one value.');
  }
  if (!(p >= 0 && p <= 1)) {
    throw new ProtocolError('INVALID_ARGUMENT', `A quantile's p lies in [0, 1]; got ${p}.`);
  }
  if (values.some((v) => !Number.isFinite(v))) {
    throw new ProtocolError('INVALID_ARGUMENT', 'Quantiles need finite values.');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}
