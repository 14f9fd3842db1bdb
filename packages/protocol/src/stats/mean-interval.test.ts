/*
 * meanInterval: worked examples checked against hand and independent Python calculations with
 * t values from published tables, the shape of the interval, and the error cases.
 */
import { describe, expect, it } from 'vitest';
import { meanInterval } from './mean-interval.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});
const insufficientData = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INSUFFICIENT_DATA',
});

describe('meanInterval', () => {
  // Eight PHQ-9 changes (endpoint - baseline). Independently in Python 3: statistics.mean = -6.375,
  // statistics.stdev = 3.814914340921881; t(0.975, 7) = 2.3646243 from the t table (NIST/SEMATECH
  // e-Handbook 1.3.6.7.2: 2.365); half-width 2.3646243 * 3.814914340921881 / sqrt(8) =
  // 3.189348268526399. Tolerance 1e-6 covers the table's 8 significant digits.
  it('reproduces a worked example: mean change of eight paired episodes', () => {
    const result = meanInterval([-8, -5, -12, -3, -7, -10, 0, -6]);
    expect(result.mean).toBe(-6.375);
    expect(result.lower).toBeCloseTo(-9.564348268526398, 6);
    expect(result.upper).toBeCloseTo(-3.185651731473601, 6);
  });

  // By hand: values 0 and 2, mean 1, sample SD sqrt(2), so the half-width is
  // t(0.975, 1) * sqrt(2) / sqrt(2) = t(0.975, 1) = 12.7062047 (t table, df 1).
  it('uses n - 1 degrees of freedom (two values give the df = 1 critical value)', () => {
    const result = meanInterval([0, 2]);
    expect(result.mean).toBe(1);
    expect(result.lower).toBeCloseTo(1 - 12.7062047, 6);
    expect(result.upper).toBeCloseTo(1 + 12.7062047, 6);
  });

  // By hand: 10, 12, 14, 16, 18: mean 14, sample SD sqrt(40 / 4) = sqrt(10); t(0.995, 4) =
  // 4.6040949 (t table); half-width 4.6040949 * sqrt(10) / sqrt(5) = 4.6040949 * sqrt(2).
  it('uses the requested confidence level (99%)', () => {
    const result = meanInterval([10, 12, 14, 16, 18], 0.99);
    const halfWidth = 4.6040949 * Math.SQRT2;
    expect(result.lower).toBeCloseTo(14 - halfWidth, 6);
    expect(result.upper).toBeCloseTo(14 + halfWidth, 6);
  });

  it('is symmetric about the mean, and collapses to it when there is no spread', () => {
    const { mean, lower, upper } = meanInterval([3, 9, 4, 11, 2]);
    expect(mean - lower).toBeCloseTo(upper - mean, 14);
    expect(meanInterval([5, 5, 5])).toEqual({ mean: 5, lower: 5, upper: 5 });
  });

  it('reports INSUFFICIENT_DATA for fewer than 2 values', () => {
    expect(() => meanInterval([])).toThrow(insufficientData);
    expect(() => meanInterval([4])).toThrow(insufficientData);
    expect(() => meanInterval([4])).toThrow(/at least 2 values; got 1/);
  });

  it('rejects non-finite values and a confidence outside (0, 1) as INVALID_ARGUMENT', () => {
    expect(() => meanInterval([1, Number.NaN, 3])).toThrow(invalidArgument);
    expect(() => meanInterval([1, 2, Number.POSITIVE_INFINITY])).toThrow(invalidArgument);
    expect(() => meanInterval([1, 2, 3], 1)).toThrow(invalidArgument);
    expect(() => meanInterval([1, 2, 3], 95)).toThrow(/strictly between 0 and 1/);
  });
});
