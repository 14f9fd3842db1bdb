/**
 * @fileoverview The deployment's keyed draw: deterministic for one secret, different under
 * another (so the noise cannot be computed without the secret), uniform on [0, 1), and
 * unrelated between neighbouring keys and between the streams of one key.
 */
import { describe, expect, it } from 'vitest';
import { createNoiseDraw } from './noise-draw.js';

const draw = createNoiseDraw(new Uint8Array(32).fill(3));
const correlation = (xs: number[], ys: number[]) => {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? 0;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
};

describe('the keyed noise draw', () => {
  it('is the same for the same key and stream, and another under another secret', () => {
    const other = createNoiseDraw(new Uint8Array(32).fill(4));
    let differs = 0;
    for (let key = 0; key < 1000; key++) {
      expect(draw(key, 0)).toBe(draw(key, 0));
      if (Math.floor(other(key, 0) * 3) !== Math.floor(draw(key, 0) * 3)) differs += 1;
    }
    // Independent draws agree on a third of -1/0/1 noises: about 667 of 1000 differ.
    expect(differs).toBeGreaterThan(600);
    expect(differs).toBeLessThan(730);
  });

  it('is uniform: each tenth of [0, 1) within 3% of a tenth over 50,000 keys', () => {
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) {
      const u = draw((i * 2_654_435_761) % 2 ** 32, 0);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      bins[Math.floor(u * 10)] = (bins[Math.floor(u * 10)] ?? 0) + 1;
    }
    for (const bin of bins) expect(Math.abs(bin - 5_000)).toBeLessThan(150);
  });

  it('gives unrelated draws to neighbouring keys and to the streams of one key', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => i * 7919);
    const u0 = keys.map((k) => draw(k, 0));
    expect(
      Math.abs(
        correlation(
          u0,
          keys.map((k) => draw(k + 1, 0)),
        ),
      ),
    ).toBeLessThan(0.03);
    expect(
      Math.abs(
        correlation(
          u0,
          keys.map((k) => draw(k, 1)),
        ),
      ),
    ).toBeLessThan(0.03);
  });
});
