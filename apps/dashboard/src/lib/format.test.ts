import { describe, expect, it } from 'vitest';
import { count, fixed, percent, percentagePoints, twoDecimals } from './format';

describe('display rounding', () => {
  it('rounds rates, differences and ratios in one way, never to "-0.0"', () => {
    expect(percent(0.45678)).toBe('45.7%');
    expect(percent(-0.00001)).toBe('0.0%');
    expect(percentagePoints(0.0512)).toBe('+5.1 pp');
    expect(percentagePoints(-0.0512)).toBe('-5.1 pp');
    expect(percentagePoints(-0.00001)).toBe('0.0 pp');
    expect(percentagePoints(0.00001)).toBe('0.0 pp');
    expect(twoDecimals(1.005)).toBe(fixed(1.005, 2));
    expect(count(12.6)).toBe('13');
  });
});
