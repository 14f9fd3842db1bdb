/*
 * prePostEffectSize: hand-computed improvement and deterioration examples (sign convention:
 * positive is improvement on PHQ-9), use of the sample SD of the baselines, and the error cases.
 */
import { describe, expect, it } from 'vitest';
import { prePostEffectSize } from './effect-size.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});
const insufficientData = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INSUFFICIENT_DATA',
});

describe('prePostEffectSize', () => {
  // By hand: baselines 12, 15, 18, 21 (mean 16.5, squared deviations 20.25 + 2.25 + 2.25 + 20.25
  // = 45, sample SD sqrt(45 / 3) = sqrt(15)); endpoints 6, 10, 9, 13; improvements 6, 5, 9, 8,
  // mean 7. Effect size 7 / sqrt(15) = 1.8073922282301278.
  it('is positive for improvement: mean(baseline - endpoint) / SD(baseline)', () => {
    expect(prePostEffectSize([12, 15, 18, 21], [6, 10, 9, 13])).toBeCloseTo(7 / Math.sqrt(15), 14);
  });

  // By hand: baselines 6, 10, 9, 13 (mean 9.5, squared deviations sum 25, SD sqrt(25 / 3));
  // every score rises, mean change -7. Effect size -7 / sqrt(25 / 3) = -7 sqrt(3) / 5.
  it('is negative for deterioration and uses the SD of the baselines, not of the endpoints', () => {
    expect(prePostEffectSize([6, 10, 9, 13], [12, 15, 18, 21])).toBeCloseTo(
      (-7 * Math.sqrt(3)) / 5,
      14,
    );
  });

  it('is 0 when the mean change is 0', () => {
    expect(prePostEffectSize([10, 20], [12, 18])).toBe(0);
  });

  it('rejects arrays of different lengths as INVALID_ARGUMENT', () => {
    expect(() => prePostEffectSize([10, 12, 14], [5, 6])).toThrow(invalidArgument);
    expect(() => prePostEffectSize([10, 12, 14], [5, 6])).toThrow(/3 baselines and 2 endpoints/);
  });

  it('reports INSUFFICIENT_DATA for fewer than 2 pairs', () => {
    expect(() => prePostEffectSize([], [])).toThrow(insufficientData);
    expect(() => prePostEffectSize([15], [8])).toThrow(insufficientData);
  });

  it('reports INSUFFICIENT_DATA, saying the baselines have no spread, when all baselines are equal', () => {
    expect(() => prePostEffectSize([14, 14, 14], [5, 9, 12])).toThrow(insufficientData);
    expect(() => prePostEffectSize([14, 14, 14], [5, 9, 12])).toThrow(/baselines have no spread/);
  });

  it('rejects non-finite scores as INVALID_ARGUMENT, saying which side is wrong', () => {
    expect(() => prePostEffectSize([10, Number.NaN], [5, 6])).toThrow(invalidArgument);
    expect(() => prePostEffectSize([10, 12], [5, Number.NaN])).toThrow(/Endpoint scores/);
  });
});
