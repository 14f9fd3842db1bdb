/*
 * wilsonInterval: Newcombe's (1998) published worked examples, full-precision agreement with the
 * closed form, exact bounds at 0 and n successes, symmetry, other confidence levels, and
 * validation of counts and confidence.
 */
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});
const insufficientData = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INSUFFICIENT_DATA',
});

describe('wilsonInterval', () => {
  // Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison of
  // seven methods. Stat Med 17:857-872, Table II, method 3 (score interval, no continuity
  // correction), published to 4 decimals.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('reproduces Newcombe (1998) Table II for %s/%s', (successes, n, lower, upper) => {
    const interval = wilsonInterval(successes, n);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  // Independent closed-form evaluation in Python 3 with z = NormalDist().inv_cdf(0.975), using
  // the p-hat form (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
  it.each([
    [81, 263, 0.2552885198782742, 0.36620957698280004],
    [15, 148, 0.062386399530736276, 0.160487241723308],
    [1, 29, 0.0061132142927626506, 0.17175521879320285],
    [5, 10, 0.23659309051256405, 0.763406909487436],
  ])('agrees with an independent closed-form calculation for %s/%s', (successes, n, lo, up) => {
    const interval = wilsonInterval(successes, n);
    expect(interval.lower).toBeCloseTo(lo, 14);
    expect(interval.upper).toBeCloseTo(up, 14);
  });

  it('has a lower bound of exactly 0 with no successes and an upper bound of exactly 1 with all', () => {
    expect(wilsonInterval(0, 20).lower).toBe(0);
    expect(wilsonInterval(20, 20).upper).toBe(1);
    expect(wilsonInterval(0, 1)).toEqual({ lower: 0, upper: expect.any(Number) });
    expect(wilsonInterval(1, 1).upper).toBe(1);
  });

  it('mirrors under swapping successes and failures', () => {
    const a = wilsonInterval(20, 20);
    const b = wilsonInterval(0, 20);
    expect(a.lower).toBeCloseTo(1 - b.upper, 15);
    const c = wilsonInterval(7, 31);
    const d = wilsonInterval(24, 31);
    expect(c.lower).toBeCloseTo(1 - d.upper, 15);
    expect(c.upper).toBeCloseTo(1 - d.lower, 15);
  });

  it('contains the observed proportion and stays within [0, 1]', () => {
    for (const [r, n] of [
      [0, 1],
      [1, 2],
      [3, 7],
      [999, 1000],
      [1, 1_000_000],
    ] as const) {
      const { lower, upper } = wilsonInterval(r, n);
      expect(lower).toBeGreaterThanOrEqual(0);
      expect(upper).toBeLessThanOrEqual(1);
      expect(lower).toBeLessThanOrEqual(r / n);
      expect(upper).toBeGreaterThanOrEqual(r / n);
    }
  });

  // Python 3: same closed form with z = NormalDist().inv_cdf(0.95) = 1.6448536269514715.
  it('uses the requested confidence level (90% for 81/263)', () => {
    const interval = wilsonInterval(81, 263, 0.9);
    expect(interval.lower).toBeCloseTo(0.26331361718848145, 14);
    expect(interval.upper).toBeCloseTo(0.35656634960848815, 14);
  });

  it('widens as the confidence level rises', () => {
    const narrow = wilsonInterval(30, 100, 0.8);
    const wide = wilsonInterval(30, 100, 0.99);
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });

  it('reports INSUFFICIENT_DATA when there are no trials', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(insufficientData);
    expect(() => wilsonInterval(0, 0)).toThrow(/no trials/);
  });

  it.each([
    [3, 2],
    [-1, 5],
    [1.5, 4],
    [1, 4.5],
    [0, -1],
    [Number.NaN, 4],
    [1, Number.POSITIVE_INFINITY],
  ])('rejects successes = %s, n = %s as INVALID_ARGUMENT', (successes, n) => {
    expect(() => wilsonInterval(successes, n)).toThrow(invalidArgument);
  });

  it.each([0, 1, 95, -0.5, Number.NaN])('rejects confidence = %s as INVALID_ARGUMENT', (c) => {
    expect(() => wilsonInterval(5, 10, c)).toThrow(invalidArgument);
  });
});
