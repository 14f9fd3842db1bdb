/**
 * @fileoverview Expected recovery and off-track episodes, on hand-built data: percentiles from
 * counts equal R's quantile(type = 7) over the values written out; a band's curve has points
 * only where at least k scores are; an episode's score by session is the later of two at one
 * session; an episode above its band's 90th percentile at a session 3-8 is off track, judged
 * now by its latest assessable session.
 */
import { describe, expect, it } from 'vitest';
import {
  BASELINE_BAND_NAMES,
  baselineBand,
  type ExpectedPoint,
  expectedCurve,
  foldEpisode,
  NO_SCORE,
  offTrackOf,
  quantileType7,
  quantileType7OfCounts,
  sessionTotals,
  type TotalCount,
} from '../src/index.js';
import { episodeFactory } from './episode-factory.js';

const counts = (values: number[]): TotalCount[] => {
  const byTotal = new Map<number, number>();
  for (const v of values) byTotal.set(v, (byTotal.get(v) ?? 0) + 1);
  return [...byTotal].map(([total, count]) => ({ total, count }));
};

describe('percentiles from counts', () => {
  it("equal R's quantile(type = 7) on fixtures", () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(.1, .5, .9)) -> 1.4 3.0 7.6
    expect(quantileType7OfCounts(counts([10, 3, 1, 4, 2]), 0.1)).toBeCloseTo(1.4, 12);
    expect(quantileType7OfCounts(counts([10, 3, 1, 4, 2]), 0.5)).toBe(3);
    expect(quantileType7OfCounts(counts([10, 3, 1, 4, 2]), 0.9)).toBeCloseTo(7.6, 12);
    // R: quantile(c(5, 5, 5, 9, 12, 12), c(.1, .9)) -> 5.0 12.0; quantile(c(2, 8), .9) -> 7.4
    expect(quantileType7OfCounts(counts([5, 5, 5, 9, 12, 12]), 0.1)).toBe(5);
    expect(quantileType7OfCounts(counts([5, 5, 5, 9, 12, 12]), 0.9)).toBe(12);
    expect(quantileType7OfCounts(counts([8, 2]), 0.9)).toBeCloseTo(7.4, 12);
  });

  it('equal quantileType7 over the values written out, for 300 random samples', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 300; i++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
        Math.floor(random() * 28),
      );
      for (const p of [0, 0.1, 0.25, 0.5, 0.9, 1]) {
        expect(Math.abs(quantileType7OfCounts(counts(values), p) - quantileType7(values, p))).toBe(
          0,
        );
      }
    }
  });

  it('refuses an empty distribution', () => {
    expect(() => quantileType7OfCounts([], 0.5)).toThrow(/at least one/);
    expect(() => quantileType7OfCounts([{ total: 3, count: 0 }], 0.5)).toThrow(/at least one/);
  });
});

describe('expected curves', () => {
  it('have a point only at sessions with at least k scores', () => {
    const bySession = new Map<number, TotalCount[]>([
      [0, counts([14, 14, 15, 13, 14])],
      [3, counts([10, 12, 9, 11])],
      [4, counts([9])],
    ]);
    const curve = expectedCurve(bySession, 4);
    expect(curve.map((p) => [p.session, p.n])).toEqual([
      [0, 5],
      [3, 4],
    ]);
    // R: quantile(c(9, 10, 11, 12), c(.1, .5, .9)) -> 9.3 10.5 11.7
    expect(curve[1]?.p10).toBeCloseTo(9.3, 12);
    expect(curve[1]?.p50).toBeCloseTo(10.5, 12);
    expect(curve[1]?.p90).toBeCloseTo(11.7, 12);
  });

  it('band baselines 10-12, 13-15, 16-18, 19-21, 22-27; below 10 has none', () => {
    expect(BASELINE_BAND_NAMES).toEqual(['10-12', '13-15', '16-18', '19-21', '22-27']);
    expect([9, 10, 12, 13, 18, 21, 22, 27].map(baselineBand)).toEqual([
      null,
      '10-12',
      '10-12',
      '13-15',
      '16-18',
      '19-21',
      '22-27',
      '22-27',
    ]);
    expect(baselineBand(null)).toBeNull();
  });
});

describe('an episode against its band', () => {
  it("reads the episode's score at each session, the later of two at one session", () => {
    const f = episodeFactory();
    const summary = foldEpisode([
      f.started({}, '2025-01-06'),
      f.phq9(17, 0, '2025-01-06', 'intake'),
      f.attended(1, '2025-01-13'),
      f.phq9(15, 2, '2025-01-20', 'session'),
      f.phq9(13, 2, '2025-01-21', 'session'),
      f.phq9(9, 4, '2025-02-03', 'session'),
    ]);
    expect(sessionTotals(summary)).toEqual([17, NO_SCORE, 13, NO_SCORE, 9]);
  });

  const point = (session: number, p90: number): ExpectedPoint => ({
    session,
    n: 50,
    p10: p90 - 8,
    p50: p90 - 4,
    p90,
  });
  // Band 16-18 has points at sessions 3-6 only (fewer than k later); 13-15 has none.
  const reference = new Map([
    ['16-18' as const, new Map([3, 4, 5, 6].map((s) => [s, point(s, 16 - s)]))],
  ]);
  const totals = (byIndex: Record<number, number>) =>
    Array.from({ length: 10 }, (_, s) => byIndex[s] ?? NO_SCORE);

  it('is off track above the 90th percentile at a session 3-8, and off track now by the latest', () => {
    // p90: 13 at 3, 12 at 4, 11 at 5, 10 at 6.
    const above = offTrackOf(17, totals({ 0: 17, 3: 12, 5: 12 }), reference);
    expect(above).toMatchObject({ assessable: true, offTrack: true });
    expect(above.latest).toMatchObject({ session: 5, total: 12, now: true });
    expect(above.latest?.expected.p90).toBe(11);
    // Off track at 4, back within the band at 6: ever off track, not now.
    const back = offTrackOf(16, totals({ 0: 16, 4: 13, 6: 10 }), reference);
    expect(back).toMatchObject({ assessable: true, offTrack: true });
    expect(back.latest).toMatchObject({ session: 6, now: false });
    // At the 90th percentile exactly is not above it.
    expect(offTrackOf(18, totals({ 3: 13 }), reference).offTrack).toBe(false);
  });

  it('is not assessable without a score at a session 3-8 where its band has a point', () => {
    // Scores only at 7 and 8, where the band has no point; a band with no curve; no band.
    expect(offTrackOf(17, totals({ 0: 17, 7: 20, 8: 20 }), reference)).toEqual({
      assessable: false,
      offTrack: false,
      latest: null,
    });
    expect(offTrackOf(14, totals({ 3: 27 }), reference).assessable).toBe(false);
    expect(offTrackOf(8, totals({ 3: 27 }), reference).assessable).toBe(false);
    expect(offTrackOf(null, totals({ 3: 27 }), reference).assessable).toBe(false);
  });
});
