/**
 * @fileoverview Benchmarking: indirect standardisation (a unit with the network's rates in
 * every stratum has ratio 1 whatever its case mix; case mix alone does not make a unit look
 * better or worse) and funnel limits (exact binomial with interpolation, Spiegelhalter 2005,
 * against an independent Python computation; wider at 99.8%, narrowing with n, close to the normal
 * approximation for large n).
 */
import { describe, expect, it } from 'vitest';
import {
  funnelLimit,
  funnelLimits,
  indirectlyStandardise,
  normalQuantile,
  ProtocolError,
} from '../src/index.js';

describe('indirectlyStandardise', () => {
  it('gives ratio 1 to units with the network rate in each band, whatever their case mix', () => {
    // Mild cases recover 80% of the time, severe 40%, in every unit.
    const { networkRate, units } = indirectlyStandardise([
      { unit: 'a', stratum: 'mild', n: 90, events: 72 },
      { unit: 'a', stratum: 'severe', n: 10, events: 4 },
      { unit: 'b', stratum: 'mild', n: 10, events: 8 },
      { unit: 'b', stratum: 'severe', n: 90, events: 36 },
    ]);
    expect(networkRate).toBeCloseTo(120 / 200, 12);
    for (const unit of units) {
      expect(unit.ratio).toBeCloseTo(1, 12);
      expect(unit.standardisedRate).toBeCloseTo(networkRate, 12);
    }
    // Crude rates differ (76% vs 44%) only because of case mix.
    expect(units.find((u) => u.unit === 'a')?.expectedRate).toBeCloseTo(0.76, 12);
    expect(units.find((u) => u.unit === 'b')?.expectedRate).toBeCloseTo(0.44, 12);
  });

  it('computes observed over expected by hand', () => {
    const { units } = indirectlyStandardise([
      { unit: 'x', stratum: 's1', n: 20, events: 10 },
      { unit: 'y', stratum: 's1', n: 80, events: 30 },
      { unit: 'x', stratum: 's2', n: 50, events: 40 },
      { unit: 'y', stratum: 's2', n: 50, events: 20 },
    ]);
    // Network: s1 40/100, s2 60/100. x expected = 20*0.4 + 50*0.6 = 38, observed 50.
    const x = units.find((u) => u.unit === 'x');
    expect(x?.expected).toBeCloseTo(38, 12);
    expect(x?.ratio).toBeCloseTo(50 / 38, 12);
  });

  it('refuses impossible counts and an empty network', () => {
    expect(() => indirectlyStandardise([{ unit: 'a', stratum: 's', n: 5, events: 6 }])).toThrow(
      ProtocolError,
    );
    expect(() => indirectlyStandardise([{ unit: 'a', stratum: 's', n: 0, events: 0 }])).toThrow(
      /no episodes/,
    );
  });
});

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
