/*
 * Student's t distribution: published two-sided critical values, exact closed forms for 1 and 2
 * degrees of freedom, high-precision reference tails, the approach to the normal for large df
 * (Cornish-Fisher expansion), CDF/quantile round trips, symmetry, and argument validation.
 */
import { describe, expect, it } from 'vitest';
import { normalQuantile } from './normal.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});

function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

/** P(T > t) for t > 0, from the public CDF. */
function upperTail(t: number, df: number): number {
  return studentTCdf(-t, df);
}

describe('studentTQuantile', () => {
  // Two-sided 95% critical values t(0.975, df): standard t tables (e.g. NIST/SEMATECH e-Handbook
  // of Statistical Methods, section 1.3.6.7.2, to 3 decimals); 7-decimal values as given by R's
  // qt(0.975, df). The tolerance is the tables' rounding, 5e-8.
  it.each([
    [1, 12.7062047],
    [2, 4.3026527],
    [5, 2.5705818],
    [10, 2.2281389],
    [30, 2.0422725],
    [100, 1.9839715],
  ])('matches the published 97.5th percentile for df = %s', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 7);
  });

  it('matches the published 99.5th percentile for df = 10 (3.1692727)', () => {
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.1692727, 7);
  });

  // df = 1 is the Cauchy distribution: quantile tan(pi (p - 1/2)), i.e. -cot(pi p).
  it.each([1e-12, 0.001, 0.1, 0.3, 0.6, 0.975, 0.9999])(
    'equals the Cauchy closed form for df = 1 at p = %s',
    (p) => {
      const exact = -1 / Math.tan(Math.PI * p);
      expectRelativelyClose(studentTQuantile(p, 1), exact, 1e-10);
    },
  );

  // df = 2: quantile (2p - 1) / sqrt(2 p (1 - p)) (e.g. Hill 1970, CACM 13:619; exact).
  it.each([1e-9, 0.01, 0.2, 0.55, 0.975, 0.999999])(
    'equals the closed form for df = 2 at p = %s',
    (p) => {
      const exact = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      expectRelativelyClose(studentTQuantile(p, 2), exact, 1e-10);
    },
  );

  it('returns exactly 0 at the median, whatever df', () => {
    for (const df of [0.3, 1, 7, 1e6]) {
      expect(studentTQuantile(0.5, df)).toBe(0);
    }
  });

  it('is antisymmetric: quantile(p) = -quantile(1 - p)', () => {
    for (const df of [1, 3.5, 40, 2e5]) {
      for (const p of [0.001, 0.025, 0.2]) {
        expect(studentTQuantile(p, df)).toBeCloseTo(-studentTQuantile(1 - p, df), 12);
      }
    }
  });

  // Cornish-Fisher expansion of t in powers of 1/df around the normal quantile z (Fisher 1925;
  // Abramowitz & Stegun 1964, 26.7.5), four terms: the next term is below 1e-12 for df >= 1000.
  it.each([1000, 12345, 1e5, 1e7, 1e12])(
    'approaches the normal quantile as df grows, as the Cornish-Fisher expansion predicts (df = %s)',
    (df) => {
      const z = normalQuantile(0.975);
      const g1 = (z ** 3 + z) / 4;
      const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
      const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
      const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
      const expansion = z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
      expect(Math.abs(studentTQuantile(0.975, df) - expansion)).toBeLessThan(1e-11);
    },
  );

  it('lies strictly above the normal quantile and falls towards it as df grows', () => {
    const z = normalQuantile(0.975);
    const quantiles = [1, 5, 30, 1000, 1e6].map((df) => studentTQuantile(0.975, df));
    for (let i = 0; i < quantiles.length; i++) {
      const q = quantiles[i] ?? Number.NaN;
      expect(q).toBeGreaterThan(z);
      if (i > 0) expect(q).toBeLessThan(quantiles[i - 1] ?? Number.NaN);
    }
  });

  it('round-trips through the CDF over a grid of p and df, including non-integer df', () => {
    const dfs = [0.5, 1, 2.5, 7, 30, 9999, 10001, 1e7];
    const ps = [1e-10, 0.001, 0.025, 0.3, 0.7, 0.975, 0.999999];
    for (const df of dfs) {
      for (const p of ps) {
        const t = studentTQuantile(p, df);
        const cdf = studentTCdf(t, df);
        // Compare the smaller tail relatively, so the extreme probabilities are held to account.
        if (p < 0.5) expectRelativelyClose(cdf, p, 1e-9);
        else expectRelativelyClose(1 - cdf, 1 - p, 1e-9);
      }
    }
  });

  it('handles very heavy tails (df = 0.05) without losing the bracket', () => {
    const t = studentTQuantile(0.975, 0.05);
    expect(Number.isFinite(t)).toBe(true);
    expectRelativelyClose(1 - studentTCdf(t, 0.05), 0.025, 1e-9);
  });

  it.each([0, 1, -0.2, 1.2, Number.NaN])('rejects p = %s as INVALID_ARGUMENT', (p) => {
    expect(() => studentTQuantile(p, 10)).toThrow(invalidArgument);
  });

  it.each([0, -3, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects df = %s as INVALID_ARGUMENT',
    (df) => {
      expect(() => studentTQuantile(0.975, df)).toThrow(invalidArgument);
    },
  );
});

describe('studentTCdf', () => {
  it('is exactly one half at t = 0 for any df', () => {
    for (const df of [0.5, 1, 2, 10, 1e5, 1e9]) {
      expect(studentTCdf(0, df)).toBe(0.5);
    }
  });

  // Closed forms: df = 1, F(t) = 1/2 + atan(t)/pi; df = 2, F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
  it.each([-50, -3, -0.4, 0.7, 2, 12.7])(
    'matches the df = 1 and df = 2 closed forms at t = %s',
    (t) => {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
    },
  );

  // Reference upper tails P(T > t) from an 80-digit decimal evaluation of I_x(df/2, 1/2) / 2
  // (Python decimal module; same continued fraction, but without double rounding error). df 5000
  // and 9999 sit just below the switch to Hill's large-df method, where the continued fraction is
  // least well conditioned; df 1e6 and 1e7 check Hill's method itself.
  it.each([
    [30, 4, 1.9092281804187843e-4],
    [100, 8, 1.1364324038640403e-12],
    [2.5, 1.5, 0.12391822654314813],
    [0.5, 3, 0.18365407799297173],
    [12, 0.3, 0.3846552370441262],
    [5000, 1.96, 0.025025626145909766],
    [9999, 0.5, 0.30854304021175677],
    [1e6, 1.96, 0.024998033792634895],
    [1e7, 20, 2.7647156034788506e-89],
  ])('matches a high-precision reference tail for df = %s, t = %s', (df, t, expected) => {
    expectRelativelyClose(upperTail(t, df), expected, 1e-12);
  });

  it('is symmetric: F(-t) = 1 - F(t)', () => {
    for (const df of [1, 4.5, 60, 5e5]) {
      for (const t of [0.1, 1, 2.5, 6]) {
        expect(studentTCdf(-t, df)).toBeCloseTo(1 - studentTCdf(t, df), 15);
      }
    }
  });

  it('keeps relative precision far in the lower tail (no 1 - F cancellation)', () => {
    // df = 1: F(-t) = atan(1/t)/pi, about 1/(pi t) for large t.
    expectRelativelyClose(studentTCdf(-1e8, 1), Math.atan(1e-8) / Math.PI, 1e-12);
  });

  it('is continuous where the large-df method takes over (df = 1e4)', () => {
    for (const t of [0.5, 1.96, 5]) {
      const below = upperTail(t, 1e4);
      const above = upperTail(t, 1e4 * (1 + 1e-12));
      expectRelativelyClose(above, below, 1e-11);
    }
  });

  it('reaches 0 and 1 at the infinities', () => {
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 3)).toBe(0);
    expect(studentTCdf(Number.POSITIVE_INFINITY, 3)).toBe(1);
  });

  it('rejects t = NaN and df outside (0, infinity) as INVALID_ARGUMENT', () => {
    expect(() => studentTCdf(Number.NaN, 3)).toThrow(invalidArgument);
    expect(() => studentTCdf(1, 0)).toThrow(invalidArgument);
    expect(() => studentTCdf(1, -1)).toThrow(invalidArgument);
    expect(() => studentTCdf(1, Number.NaN)).toThrow(invalidArgument);
    expect(() => studentTCdf(1, Number.POSITIVE_INFINITY)).toThrow(/degrees of freedom/);
  });
});
