/*
 * Special functions behind the t distribution (internal to stats/): log-gamma, log-beta, erfc and
 * the regularized incomplete beta function, against Python's math module, closed forms, and
 * 80-digit decimal evaluations.
 */
import { describe, expect, it } from 'vitest';
import { erfc, logBeta, logGamma, regularizedIncompleteBeta } from './special.js';

function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

describe('logGamma', () => {
  // Reference values: Python 3.11 math.lgamma (C library lgamma, independent of Lanczos).
  it.each([
    [1e-5, 11.512919692895824],
    [0.1, 2.2527126517342055],
    [0.5, 0.5723649429247004],
    [1.5, -0.12078223763524543],
    [3.7, 1.4280723266653883],
    [10, 12.801827480081467],
    [171.5, 709.1431630309282],
    [1e5, 1051287.7089736566],
  ])('matches math.lgamma at x = %s', (x, expected) => {
    expectRelativelyClose(logGamma(x), expected, 1e-13);
  });

  it('gives ln Gamma(1) = ln Gamma(2) = 0 and ln Gamma(0.5) = ln sqrt(pi)', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });

  it('gives factorials at the integers: ln Gamma(n) = ln((n - 1)!)', () => {
    let factorial = 1;
    for (let n = 2; n <= 20; n++) {
      factorial *= n - 1;
      expectRelativelyClose(logGamma(n), Math.log(factorial), 1e-13);
    }
  });
});

describe('logBeta', () => {
  it('equals ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b) for small arguments', () => {
    // Python 3: lgamma(2.5) + lgamma(0.5) - lgamma(3) = 0.1639006328376751.
    expect(logBeta(2.5, 0.5)).toBeCloseTo(0.1639006328376751, 14);
  });

  // 80-digit decimal evaluation (Python decimal module, Stirling series with 12 terms after
  // shifting the argument above 60): the large-argument branches avoid the cancellation of three
  // huge log-gammas.
  it.each([
    [500000, 0.5, -5.988816495777464],
    [20, 30, -33.968820791977386],
    [1e9, 1e9, -1386294370.2160115],
  ])('is accurate for B(%s, %s)', (a, b, expected) => {
    expectRelativelyClose(logBeta(a, b), expected, 1e-14);
  });

  it('is symmetric in its arguments', () => {
    expect(logBeta(0.5, 3e4)).toBe(logBeta(3e4, 0.5));
  });
});

describe('erfc', () => {
  // Reference values: Python 3.11 math.erfc.
  it.each([
    [-1, 1.842700792949715],
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.5, 0.4795001221869535],
    [1.9, 0.0072095707647425325],
    [2.5, 0.0004069520174449589],
    [5, 1.5374597944280351e-12],
    [10, 2.088487583762545e-45],
    [26, 5.663192408856143e-296],
  ])('matches math.erfc at x = %s with full relative precision', (x, expected) => {
    expectRelativelyClose(erfc(x), expected, 1e-13);
  });

  it('is continuous where the series hands over to the continued fraction (x = 2)', () => {
    expectRelativelyClose(erfc(2 - 1e-12), erfc(2), 1e-10);
    expectRelativelyClose(erfc(2), 0.004677734981047266, 1e-13); // Python math.erfc(2)
  });

  it('underflows to 0 beyond x = 27', () => {
    expect(erfc(30)).toBe(0);
  });
});

describe('regularizedIncompleteBeta', () => {
  // Closed forms: I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
  it.each([0.01, 0.2, 0.5, 0.8, 0.99])('matches the closed forms at x = %s', (x) => {
    expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
    expectRelativelyClose(regularizedIncompleteBeta(x, 3.5, 1), x ** 3.5, 1e-13);
    expectRelativelyClose(regularizedIncompleteBeta(x, 1, 2.5), 1 - (1 - x) ** 2.5, 1e-13);
  });

  it('satisfies I_x(a, b) = 1 - I_(1-x)(b, a)', () => {
    for (const [x, a, b] of [
      [0.3, 2, 5],
      [0.7, 0.5, 12],
      [0.05, 40, 3],
    ] as const) {
      expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(
        1 - regularizedIncompleteBeta(1 - x, b, a),
        14,
      );
    }
  });

  it('gives one half at x = 1/2 when a = b', () => {
    expect(regularizedIncompleteBeta(0.5, 7.5, 7.5)).toBeCloseTo(0.5, 14);
  });

  it('is 0 at x = 0 and 1 at x = 1', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});
