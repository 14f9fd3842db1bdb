/*
 * mean and sampleStandardDeviation: hand-computed values, the n - 1 denominator, numerical
 * stability with a large offset, and rejection of empty, too-short and non-finite input.
 */
import { describe, expect, it } from 'vitest';
import { mean, sampleStandardDeviation } from './descriptive.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});
const insufficientData = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INSUFFICIENT_DATA',
});

describe('mean', () => {
  it('averages the values', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([-8, -5, -12, -3, -7, -10, 0, -6])).toBe(-6.375);
    expect(mean([42])).toBe(42);
  });

  it('does not overflow where a plain sum would', () => {
    expect(mean([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Number.MAX_VALUE);
  });

  it('reports INSUFFICIENT_DATA for no values', () => {
    expect(() => mean([])).toThrow(insufficientData);
  });

  it('rejects non-finite values as INVALID_ARGUMENT, naming the position', () => {
    expect(() => mean([1, Number.NaN, 3])).toThrow(invalidArgument);
    expect(() => mean([1, 2, Number.NEGATIVE_INFINITY])).toThrow(/value 3 of 3 is -Infinity/);
  });
});

describe('sampleStandardDeviation', () => {
  it('divides by n - 1, not n', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32; population SD 2,
    // sample SD sqrt(32 / 7) = 2.138089935299395.
    expect(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 15);
  });

  it('is sqrt(2) * |a - b| / 2 for two values', () => {
    expect(sampleStandardDeviation([0, 2])).toBeCloseTo(Math.SQRT2, 15);
  });

  it('is exactly 0 when all values are equal', () => {
    expect(sampleStandardDeviation([7, 7, 7])).toBe(0);
  });

  // The example of the Wikipedia article "Algorithms for calculating variance": 4, 7, 13, 16 have
  // sample variance 30; shifted by 1e9 the textbook sum-of-squares formula loses every digit.
  it('is numerically stable with a large common offset', () => {
    const shifted = [4, 7, 13, 16].map((v) => 1e9 + v);
    expect(sampleStandardDeviation(shifted)).toBeCloseTo(Math.sqrt(30), 9);
    expect(mean(shifted)).toBe(1e9 + 10);
  });

  it('reports INSUFFICIENT_DATA for fewer than 2 values', () => {
    expect(() => sampleStandardDeviation([])).toThrow(insufficientData);
    expect(() => sampleStandardDeviation([3])).toThrow(insufficientData);
    expect(() => sampleStandardDeviation([3])).toThrow(/at least 2 values; got 1/);
  });

  it('rejects non-finite values as INVALID_ARGUMENT', () => {
    expect(() => sampleStandardDeviation([1, Number.POSITIVE_INFINITY])).toThrow(invalidArgument);
  });
});
