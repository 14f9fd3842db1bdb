/*
 * Statistics from summaries: hand-computed cases, agreement with the raw-value versions
 * (meanInterval, prePostEffectSize, sampleStandardDeviation) on seeded random data, the exact
 * integer path where plain doubles lose digits, and the error cases.
 */
import { describe, expect, it } from 'vitest';
import { mean, sampleStandardDeviation } from './descriptive.js';
import { prePostEffectSize } from './effect-size.js';
import { meanInterval } from './mean-interval.js';
import { effectSizeFromMoments, meanIntervalFromMoments, momentsFromSums } from './moments.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});
const insufficientData = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INSUFFICIENT_DATA',
});

/**
 * Mulberry32 (Tommy Ettinger, public domain): a tiny seeded 32-bit generator, so the random cases
 * are the same on every run and a failure can be replayed.
 */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PHQ-9 total, 0-27. */
function phq9(random: () => number): number {
  return Math.floor(random() * 28);
}

function sumsOf(values: readonly number[]): { n: number; sum: number; sumSquares: number } {
  let sum = 0;
  let sumSquares = 0;
  for (const value of values) {
    sum += value;
    sumSquares += value * value;
  }
  return { n: values.length, sum, sumSquares };
}

/** |actual - expected| within a relative tolerance (absolute near 0). */
function expectClose(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    relative * Math.max(1, Math.abs(expected)),
  );
}

describe('meanIntervalFromMoments', () => {
  // By hand: n = 2, mean 1, sd sqrt(2): half-width t(0.975, 1) * sqrt(2) / sqrt(2) = 12.7062047
  // (t table, df 1), the same case as meanInterval([0, 2]).
  it('uses n - 1 degrees of freedom', () => {
    const result = meanIntervalFromMoments({ n: 2, mean: 1, sd: Math.SQRT2 });
    expect(result.mean).toBe(1);
    expect(result.lower).toBeCloseTo(1 - 12.7062047, 6);
    expect(result.upper).toBeCloseTo(1 + 12.7062047, 6);
  });

  // By hand: n = 5, mean 14, sd sqrt(10) (the values 10, 12, 14, 16, 18); t(0.995, 4) =
  // 4.6040949 (t table); half-width 4.6040949 * sqrt(10) / sqrt(5) = 4.6040949 * sqrt(2).
  it('uses the requested confidence level (99%)', () => {
    const result = meanIntervalFromMoments({ n: 5, mean: 14, sd: Math.sqrt(10) }, 0.99);
    expect(result.lower).toBeCloseTo(14 - 4.6040949 * Math.SQRT2, 6);
    expect(result.upper).toBeCloseTo(14 + 4.6040949 * Math.SQRT2, 6);
  });

  it('collapses to the mean when sd is 0', () => {
    expect(meanIntervalFromMoments({ n: 3, mean: 5, sd: 0 })).toEqual({
      mean: 5,
      lower: 5,
      upper: 5,
    });
  });

  it('agrees with meanInterval on seeded random PHQ-9 changes, through momentsFromSums', () => {
    const random = mulberry32(20240304);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 300);
      const changes = Array.from({ length: n }, () => phq9(random) - phq9(random));
      const confidence = trial % 2 === 0 ? 0.95 : 0.99;
      const expected = meanInterval(changes, confidence);
      const fromSums = meanIntervalFromMoments(momentsFromSums(sumsOf(changes)), confidence);
      expectClose(fromSums.mean, expected.mean);
      expectClose(fromSums.lower, expected.lower);
      expectClose(fromSums.upper, expected.upper);
    }
  });

  it('reports INSUFFICIENT_DATA for n below 2', () => {
    expect(() => meanIntervalFromMoments({ n: 1, mean: 4, sd: 0 })).toThrow(insufficientData);
    expect(() => meanIntervalFromMoments({ n: 0, mean: 0, sd: 0 })).toThrow(insufficientData);
    expect(() => meanIntervalFromMoments({ n: 1, mean: 4, sd: 0 })).toThrow(
      /at least 2 values; got 1/,
    );
  });

  it('rejects a bad n, mean, sd or confidence as INVALID_ARGUMENT', () => {
    const ok = { n: 10, mean: 3, sd: 2 };
    expect(() => meanIntervalFromMoments({ ...ok, n: 10.5 })).toThrow(invalidArgument);
    expect(() => meanIntervalFromMoments({ ...ok, n: -3 })).toThrow(invalidArgument);
    expect(() => meanIntervalFromMoments({ ...ok, n: Number.NaN })).toThrow(invalidArgument);
    expect(() => meanIntervalFromMoments({ ...ok, mean: Number.NaN })).toThrow(invalidArgument);
    expect(() => meanIntervalFromMoments({ ...ok, sd: -1 })).toThrow(invalidArgument);
    expect(() => meanIntervalFromMoments({ ...ok, sd: Number.POSITIVE_INFINITY })).toThrow(
      invalidArgument,
    );
    expect(() => meanIntervalFromMoments(ok, 1)).toThrow(invalidArgument);
    expect(() => meanIntervalFromMoments(ok, 95)).toThrow(/strictly between 0 and 1/);
  });
});

describe('effectSizeFromMoments', () => {
  // By hand: baselines 12, 15, 18, 21 have sample SD sqrt(15); improvements 6, 5, 9, 8 have mean 7
  // (the prePostEffectSize worked example). 7 / sqrt(15).
  it('divides the mean improvement by the SD of the baselines', () => {
    expect(effectSizeFromMoments({ meanImprovement: 7, baselineSd: Math.sqrt(15) })).toBe(
      7 / Math.sqrt(15),
    );
    expect(effectSizeFromMoments({ meanImprovement: -7, baselineSd: 5 })).toBe(-1.4);
    expect(effectSizeFromMoments({ meanImprovement: 0, baselineSd: 4 })).toBe(0);
  });

  it('agrees with prePostEffectSize on seeded random paired PHQ-9 scores, through sums', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 300);
      const baselines = Array.from({ length: n }, () => 10 + Math.floor(random() * 18));
      const endpoints = baselines.map((b) => Math.max(0, b - Math.floor(random() * 20) + 4));
      if (new Set(baselines).size === 1) continue;
      const improvements = baselines.map((b, i) => b - (endpoints[i] ?? Number.NaN));
      const fromSums = effectSizeFromMoments({
        meanImprovement: momentsFromSums(sumsOf(improvements)).mean,
        baselineSd: momentsFromSums(sumsOf(baselines)).sd,
      });
      expectClose(fromSums, prePostEffectSize(baselines, endpoints));
    }
  });

  it('reports INSUFFICIENT_DATA, saying the baselines have no spread, when baselineSd is 0', () => {
    expect(() => effectSizeFromMoments({ meanImprovement: 5, baselineSd: 0 })).toThrow(
      insufficientData,
    );
    expect(() => effectSizeFromMoments({ meanImprovement: 5, baselineSd: 0 })).toThrow(
      /baselines have no spread/,
    );
  });

  it('rejects non-finite inputs and a negative SD as INVALID_ARGUMENT', () => {
    expect(() => effectSizeFromMoments({ meanImprovement: Number.NaN, baselineSd: 4 })).toThrow(
      invalidArgument,
    );
    expect(() => effectSizeFromMoments({ meanImprovement: 5, baselineSd: -4 })).toThrow(
      invalidArgument,
    );
    expect(() =>
      effectSizeFromMoments({ meanImprovement: 5, baselineSd: Number.POSITIVE_INFINITY }),
    ).toThrow(invalidArgument);
  });
});

describe('momentsFromSums', () => {
  // By hand: 2, 4, 4, 4, 5, 5, 7, 9: n 8, sum 40, sum of squares 4 + 3 * 16 + 2 * 25 + 49 + 81 =
  // 232; mean 5; squared deviations 232 - 40^2 / 8 = 32; sample SD sqrt(32 / 7).
  it('computes n, mean and sample SD (n - 1)', () => {
    const moments = momentsFromSums({ n: 8, sum: 40, sumSquares: 232 });
    expect(moments.n).toBe(8);
    expect(moments.mean).toBe(5);
    expect(moments.sd).toBe(Math.sqrt(32 / 7));
    expect(moments.sd).toBe(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9]));
  });

  it('gives sd 0 when there is no spread', () => {
    expect(momentsFromSums({ n: 2, sum: 0, sumSquares: 0 })).toEqual({ n: 2, mean: 0, sd: 0 });
    expect(momentsFromSums({ n: 1e7, sum: 27e7, sumSquares: 729e7 })).toEqual({
      n: 1e7,
      mean: 27,
      sd: 0,
    });
  });

  // By hand: 10^7 - 1 scores of 27 and one of 26. sum = 27e7 - 1, sumSquares = 729e7 - 729 + 676.
  // n sumSquares - sum^2 = 10^7 - 1 exactly, so the variance is (10^7 - 1) / (10^7 (10^7 - 1)) =
  // 1e-7. In plain doubles, sumSquares - sum^2 / n gives 1.00000010000001e-7: 7 digits lost.
  it('is exact for integer sums however small the spread (10^7 PHQ-9 scores)', () => {
    const moments = momentsFromSums({ n: 1e7, sum: 27e7 - 1, sumSquares: 729e7 - 53 });
    expect(moments.mean).toBe((27e7 - 1) / 1e7);
    expect(moments.sd).toBe(Math.sqrt(1e-7));
  });

  // By hand: 5 * 10^6 scores of 0 and as many of 27: sum 1.35e8, sum of squares 5e6 * 729 =
  // 3.645e9; squared deviations 10^7 * 13.5^2 = 1.8225e9; variance 1.8225e9 / (10^7 - 1).
  it('handles the largest PHQ-9 spread at n = 10^7', () => {
    const moments = momentsFromSums({ n: 1e7, sum: 1.35e8, sumSquares: 3.645e9 });
    expect(moments.mean).toBe(13.5);
    expectClose(moments.sd, Math.sqrt(1.8225e9 / (1e7 - 1)), 1e-15);
  });

  it('agrees with mean and sampleStandardDeviation on seeded random integer data', () => {
    const random = mulberry32(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 500);
      const values = Array.from({ length: n }, () => phq9(random));
      const moments = momentsFromSums(sumsOf(values));
      expect(moments.n).toBe(n);
      expectClose(moments.mean, mean(values), 1e-14);
      expectClose(moments.sd, sampleStandardDeviation(values), 1e-13);
    }
  });

  it('falls back to floating point for non-integer sums, close to Welford', () => {
    const random = mulberry32(99);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 200);
      const values = Array.from({ length: n }, () => random() * 27);
      const moments = momentsFromSums(sumsOf(values));
      expectClose(moments.mean, mean(values), 1e-12);
      expectClose(moments.sd, sampleStandardDeviation(values), 1e-10);
    }
  });

  it('reads a rounding-level negative sum of squared deviations as sd 0, never NaN', () => {
    // Seven values of 2.3 in doubles: sumSquares - sum^2 / n comes out as -1.4e-14.
    const sums = sumsOf([2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3]);
    expect(sums.sumSquares - sums.sum * (sums.sum / sums.n)).toBeLessThan(0);
    expect(momentsFromSums(sums).sd).toBe(0);
  });

  it('reports INSUFFICIENT_DATA for n below 2 rather than an sd of NaN', () => {
    expect(() => momentsFromSums({ n: 1, sum: 12, sumSquares: 144 })).toThrow(insufficientData);
    expect(() => momentsFromSums({ n: 0, sum: 0, sumSquares: 0 })).toThrow(insufficientData);
    expect(() => momentsFromSums({ n: 1, sum: 12, sumSquares: 144 })).toThrow(
      /at least 2 values; got 1/,
    );
  });

  it('rejects a bad n, bad sums and contradictory sums as INVALID_ARGUMENT', () => {
    const ok = { n: 3, sum: 6, sumSquares: 14 };
    expect(() => momentsFromSums({ ...ok, n: 2.5 })).toThrow(invalidArgument);
    expect(() => momentsFromSums({ ...ok, n: -1 })).toThrow(invalidArgument);
    expect(() => momentsFromSums({ ...ok, sum: Number.NaN })).toThrow(invalidArgument);
    expect(() => momentsFromSums({ ...ok, sumSquares: Number.POSITIVE_INFINITY })).toThrow(
      invalidArgument,
    );
    expect(() => momentsFromSums({ ...ok, sumSquares: -1 })).toThrow(invalidArgument);
    // Integer path: 10^2 / 2 = 50 > 10.
    expect(() => momentsFromSums({ n: 2, sum: 10, sumSquares: 10 })).toThrow(invalidArgument);
    expect(() => momentsFromSums({ n: 2, sum: 10, sumSquares: 10 })).toThrow(/contradict/);
    // Floating-point path: 1.5^2 / 2 = 1.125 > 0.5, far beyond rounding.
    expect(() => momentsFromSums({ n: 2, sum: 1.5, sumSquares: 0.5 })).toThrow(invalidArgument);
  });

  it('feeds meanIntervalFromMoments directly', () => {
    const changes = [-8, -5, -12, -3, -7, -10, 0, -6];
    const fromSums = meanIntervalFromMoments(momentsFromSums(sumsOf(changes)));
    const expected = meanInterval(changes);
    expect(fromSums.mean).toBe(-6.375);
    expectClose(fromSums.lower, expected.lower);
    expectClose(fromSums.upper, expected.upper);
  });
});
