/**
 * @fileoverview Benchmarking: funnel limits (exact binomial with interpolation, Spiegelhalter 2005,
 * against an independent Python computation; wider at 99.8%, narrowing with n, close to the normal
 * approximation for large n).
 */
import { describe, expect, it } from 'vitest';
import { funnelLimit, funnelLimits, normalQuantile, ProtocolError } from '../src/index.js';

describe('funnel limits', () => {
  it('match an independent computation (Python, exact binomial, n = 100, p = 0.5)', () => {
    // Spiegelhalter's interpolation (r - alpha) / n, computed with math.comb in Python 3.11.
    const limits = funnelLimits(0.5, 100);
    expect(limits.lower95).toBeCloseTo(0.396824041726007, 9);
    expect(limits.upper95).toBeCloseTo(0.5931759582739929, 9);
    expect(limits.lower998).toBeCloseTo(0.3412158837225012, 9);
    expect(limits.upper998).toBeCloseTo(0.6487841162774984, 9);
  });

  it('widen at 99.8% and narrow as n grows', () => {
    const small = funnelLimits(0.3, 50);
    const large = funnelLimits(0.3, 2000);
    expect(small.lower998).toBeLessThan(small.lower95);
    expect(small.upper998).toBeGreaterThan(small.upper95);
    expect(large.upper95 - large.lower95).toBeLessThan(small.upper95 - small.lower95);
  });

  it('approach the normal approximation for large n', () => {
    const n = 5000;
    const p = 0.45;
    const half = normalQuantile(0.975) * Math.sqrt((p * (1 - p)) / n);
    const { lower95, upper95 } = funnelLimits(p, n);
    expect(Math.abs(lower95 - (p - half))).toBeLessThan(0.002);
    expect(Math.abs(upper95 - (p + half))).toBeLessThan(0.002);
  });

  it('refuses a target outside 0-1 and n below 1', () => {
    expect(() => funnelLimit(1.2, 10, 0.025)).toThrow(ProtocolError);
    expect(() => funnelLimit(0.5, 0, 0.025)).toThrow(ProtocolError);
  });
});
