/**
 * @fileoverview Cell-key perturbation (docs/outcomes.md, "Disclosure control"): cell keys add up over
 * disjoint cells; the count noise is a uniform draw from -D..D with mean 0, a deterministic
 * function of the key through the draw; sums move by a whole number of at most D x bound;
 * protected rates stay within 2D/n' of the exact rate and their widened intervals cover it; the
 * k rule holds on exact and protected values, and on the rest of a rate; months are the only
 * protected periods. The draw here is a test's (a seeded hash); the server's is keyed by the
 * deployment's secret (analytics' createNoiseDraw, tested there).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCellKeys,
  CELL_KEY_MODULUS,
  finerThanMonthProblem,
  isLastOfMonth,
  lastOfMonth,
  PHQ9_CONTRIBUTION,
  perturbCount,
  perturbSum,
  protectedCount,
  protectedMeanInterval,
  protectedMoments,
  protectedRate,
  resolveDisclosurePolicy,
} from '../src/index.js';

/** A test draw: a 32-bit mix (MurmurHash3's finaliser) of key and stream, uniform on [0, 1). */
const mix = (value: number) => {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
};
const draw = (key: number, stream: number) =>
  mix(mix(key) ^ mix(Math.imul(stream + 1, 0x9e37_79b9))) / 2 ** 32;
const policy = resolveDisclosurePolicy({ k: 11, noise: 1, draw });
const key = fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 });

describe('cell keys', () => {
  it('of a union of disjoint cells is the sum of their keys modulo 2^32', () => {
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 50 }), (records) => {
        const whole = addCellKeys(...records);
        const half = Math.floor(records.length / 2);
        const parts = addCellKeys(
          addCellKeys(...records.slice(0, half)),
          addCellKeys(...records.slice(half)),
        );
        expect(whole).toBe(parts);
        expect(whole).toBeGreaterThanOrEqual(0);
        expect(whole).toBeLessThan(CELL_KEY_MODULUS);
      }),
    );
  });
});

describe('count noise', () => {
  it('is the same for the same key, and within -D..D', () => {
    fc.assert(
      fc.property(
        key,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 5 }),
        (k, count, noise) => {
          const a = perturbCount({ count, key: k }, { noise, draw });
          expect(perturbCount({ count, key: k }, { noise, draw })).toBe(a);
          expect(Math.abs(a - count)).toBeLessThanOrEqual(noise);
          expect(a).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('is uniform on -1, 0, 1 for D = 1: mean 0, each value a third', () => {
    const seen = new Map<number, number>();
    const n = 90_000;
    for (let i = 0; i < n; i++) {
      const e =
        perturbCount({ count: 1000, key: (i * 2_246_822_519) % CELL_KEY_MODULUS }, policy) - 1000;
      seen.set(e, (seen.get(e) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([-1, 0, 1]);
    for (const times of seen.values()) expect(Math.abs(times / n - 1 / 3)).toBeLessThan(0.01);
  });
});

describe('protected counts, rates and means', () => {
  it('withhold a cell below k, exact or protected', () => {
    for (let k = 0; k < 200; k++) {
      expect(protectedCount({ count: 10, key: k }, policy)).toBeNull();
      const at = protectedCount({ count: 11, key: k }, policy);
      expect(at === null || at >= 11).toBe(true);
    }
  });

  it("keep a rate within 2D/n' of the exact one, its widened interval covering the exact rate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        key,
        key,
        (n, p, k1, k2) => {
          const hits = Math.round(n * p);
          const rate = protectedRate({ count: hits, key: k1 }, { count: n, key: k2 }, policy);
          if (rate === null) return;
          const exact = hits / n;
          expect(Math.abs(rate.rate - exact)).toBeLessThanOrEqual(
            (2 * policy.noise) / rate.denominator + 1e-12,
          );
          expect(rate.count).toBeLessThanOrEqual(rate.denominator);
          expect(rate.ci[0]).toBeLessThanOrEqual(exact + 1e-12);
          expect(rate.ci[1]).toBeGreaterThanOrEqual(exact - 1e-12);
        },
      ),
    );
  });

  it('keeps a rate over 200 or more episodes within 1 percentage point (the utility target)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        key,
        key,
        (n, p, k1, k2) => {
          const hits = Math.round(n * p);
          const rate = protectedRate({ count: hits, key: k1 }, { count: n, key: k2 }, policy);
          if (rate !== null)
            expect(Math.abs(rate.rate - hits / n)).toBeLessThanOrEqual(0.01 + 1e-12);
        },
      ),
    );
  });

  it('moves a sum by at most D x bound, and a mean by at most its meanShift', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -27, max: 27 }), { minLength: 11, maxLength: 400 }),
        key,
        (values, k) => {
          const sum = values.reduce((a, b) => a + b, 0);
          const sumSquares = values.reduce((a, b) => a + b * b, 0);
          const noisy = perturbSum(sum, k, 1, 27, policy);
          // A whole number, as a sum of whole scores is: no fraction to betray the noise.
          expect(Number.isInteger(noisy)).toBe(true);
          expect(Math.abs(noisy - sum)).toBeLessThanOrEqual(27);
          const m = protectedMoments(
            { count: values.length, key: k, sum, sumSquares },
            PHQ9_CONTRIBUTION,
            1,
            policy,
          );
          if (m === null) return;
          expect(Math.abs(m.mean - sum / values.length)).toBeLessThanOrEqual(m.meanShift + 1e-9);
          const interval = protectedMeanInterval(m);
          expect(interval.lower).toBeLessThanOrEqual(sum / values.length + 1e-9);
          expect(interval.upper).toBeGreaterThanOrEqual(sum / values.length - 1e-9);
        },
      ),
    );
  });
});

describe('the policy', () => {
  it('refuses k below 5 and noise outside 1..5', () => {
    expect(() => resolveDisclosurePolicy({ k: 4, noise: 1, draw })).toThrow(/cannot be below 5/);
    expect(() => resolveDisclosurePolicy({ k: 11, noise: 0, draw })).toThrow(/from 1 to 5/);
    expect(() => resolveDisclosurePolicy({ k: 11, noise: 6, draw })).toThrow(/from 1 to 5/);
    expect(() => resolveDisclosurePolicy({ k: 11, noise: 1.5, draw })).toThrow(/whole number/);
  });
});

describe('coarse time', () => {
  it('accepts whole months and names each finer end', () => {
    expect(finerThanMonthProblem({ from: '2026-02-01', to: '2026-02-28' })).toBeNull();
    expect(finerThanMonthProblem({ from: '2024-02-01', to: '2024-02-29' })).toBeNull();
    expect(finerThanMonthProblem({})).toBeNull();
    expect(finerThanMonthProblem({ from: '2026-02-02' })).toBe(
      'periods are whole months: startedFrom 2026-02-02 must be a month (YYYY-MM) or the first day of one',
    );
    expect(finerThanMonthProblem({ to: '2024-02-28' })).toMatch(
      /startedTo 2024-02-28 must be a month \(YYYY-MM\) or the last day of one$/,
    );
    expect(isLastOfMonth('2026-12-31')).toBe(true);
    expect(lastOfMonth('2026-04-10')).toBe('2026-04-30');
  });
});
