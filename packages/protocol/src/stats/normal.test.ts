/*
 * normalQuantile (Wichura AS 241): published percentage points of the standard normal, exact
 * values at the centre, symmetry, the far tails, and rejection of probabilities outside (0, 1).
 */
import { describe, expect, it } from 'vitest';
import { normalQuantile } from './normal.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});

describe('normalQuantile', () => {
  // Published critical values of N(0, 1) (Abramowitz & Stegun 1964, Table 26.5, to 9 decimals;
  // the 16-digit values agree with Python's statistics.NormalDist().inv_cdf and R's qnorm).
  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489],
    [0.999, 3.090232306167813],
    [0.95, 1.6448536269514715],
    [0.9, 1.2815515655446008],
    [0.75, 0.6744897501960817],
    [0.01, -2.3263478740408408],
  ])('returns the published percentage point for p = %s', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 13);
  });

  it('returns exactly 0 at the median', () => {
    expect(normalQuantile(0.5)).toBe(0);
  });

  it.each([0.001, 0.025, 0.1, 0.3, 0.45])(
    'is antisymmetric: quantile(%s) = -quantile(1 - p)',
    (p) => {
      expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 14);
    },
  );

  it('is strictly increasing across the central and tail regions of the algorithm', () => {
    const ps = [1e-300, 1e-20, 1e-10, 1e-3, 0.07, 0.075, 0.5, 0.925, 0.93, 0.999, 1 - 1e-12];
    const zs = ps.map(normalQuantile);
    for (let i = 1; i < zs.length; i++) {
      expect(zs[i]).toBeGreaterThan(zs[i - 1] ?? Number.NaN);
    }
  });

  // Independent check: Python 3, 0.5 * math.erfc(6.361340902404056 / sqrt(2)) = 1.00000000000001e-10,
  // so -6.361340902404056 is the 1e-10 quantile to about 14 digits.
  it('is accurate for a tiny probability (p = 1e-10, intermediate tail region)', () => {
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11);
  });

  // Python 3: 0.5 * math.erfc(37.0470962993612 / sqrt(2)) = 1.0000000000000776e-300.
  it('is accurate in the far tail (p = 1e-300, r > 5 region)', () => {
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.0470962993612, 10);
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects p = %s as INVALID_ARGUMENT',
    (p) => {
      expect(() => normalQuantile(p)).toThrow(invalidArgument);
    },
  );

  it('explains the accepted range in the error message', () => {
    expect(() => normalQuantile(1)).toThrow(/strictly between 0 and 1; got 1/);
  });
});
