import { ProtocolError } from '../errors.js';
import type { EpisodeSummary } from './fold.js';

/**
 * Expected recovery and off-track episodes (docs/outcomes.md, "Expected recovery and off-track
 * episodes"; Finch, Lambert & Schaalje 2001): the network's own finished, paired episodes give,
 * for each baseline band, the 10th, 50th and 90th percentile PHQ-9 at each session; an episode
 * whose score at a session from 3 to 8 lies above its band's 90th percentile is off track.
 */

/** Baseline bands by PHQ-9 total, in order; below 10 is not a case and has no band. */
export const BASELINE_BANDS = [
  { band: '10-12', from: 10, to: 12 },
  { band: '13-15', from: 13, to: 15 },
  { band: '16-18', from: 16, to: 18 },
  { band: '19-21', from: 19, to: 21 },
  { band: '22-27', from: 22, to: 27 },
] as const;
export type BaselineBand = (typeof BASELINE_BANDS)[number]['band'];
export const BASELINE_BAND_NAMES: readonly BaselineBand[] = BASELINE_BANDS.map((b) => b.band);

/** The percentiles of the expected curve (R type 7). */
export const EXPECTED_PERCENTILES = { p10: 0.1, p50: 0.5, p90: 0.9 } as const;

/** The sessions at which an episode is judged on or off track. */
export const OFF_TRACK_SESSIONS = { from: 3, to: 8 } as const;

/** Expected curves run from intake (0) to this session, like the trajectories. */
export const EXPECTED_MAX_SESSION = 20;

/** A score's absence in `sessionTotals`. */
export const NO_SCORE = -1;

export function baselineBand(total: number | null): BaselineBand | null {
  if (total === null) return null;
  return BASELINE_BANDS.find((b) => total >= b.from && total <= b.to)?.band ?? null;
}

/**
 * The episode's in-treatment PHQ-9 total at each session number (index = session, NO_SCORE
 * where none was recorded). Two scores at one session: the later in treatment order counts,
 * as the fold orders them. The projector stores this per episode, so the warehouse reads a
 * session's score without a second rule.
 */
export function sessionTotals(summary: Pick<EpisodeSummary, 'scores'>): number[] {
  const last = Math.max(-1, ...summary.scores.map((m) => m.sessionNumber));
  const totals: number[] = Array.from({ length: last + 1 }, () => NO_SCORE);
  for (const m of summary.scores) totals[m.sessionNumber] = m.total;
  return totals;
}

/** How many scores of each total a cell holds. */
export interface TotalCount {
  total: number;
  count: number;
}

/**
 * R type 7 from a distribution given as counts per value (the same as `quantileType7` over the
 * values written out, without writing them out): h = (n - 1) p, between order statistics
 * floor(h) and floor(h) + 1, 0-based.
 */
export function quantileType7OfCounts(counts: readonly TotalCount[], p: number): number {
  const sorted = counts.filter((c) => c.count > 0).sort((a, b) => a.total - b.total);
  const n = sorted.reduce((sum, c) => sum + c.count, 0);
  if (n === 0) throw new ProtocolError('INSUFFICIENT_DATA', 'A quantile needs at least one value.');
  if (!(p >= 0 && p <= 1)) {
    throw new ProtocolError('INVALID_ARGUMENT', `A quantile's p lies in [0, 1]; got ${p}.`);
  }
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const at = (index: number): number => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.count;
      if (index < seen) return c.total;
    }
    return (sorted.at(-1) as TotalCount).total;
  };
  const below = at(lo);
  const above = at(Math.min(lo + 1, n - 1));
  return below + (h - lo) * (above - below);
}

/** One session of a band's expected curve. */
export interface ExpectedPoint {
  session: number;
  /** Scores at the session among the band's reference episodes. */
  n: number;
  p10: number;
  p50: number;
  p90: number;
}

/**
 * A band's expected curve from its scores by session: only sessions with at least `k` scores
 * have a point (docs/outcomes.md: "from sessions with at least k scores").
 */
export function expectedCurve(
  bySession: ReadonlyMap<number, readonly TotalCount[]>,
  k: number,
): ExpectedPoint[] {
  const points: ExpectedPoint[] = [];
  for (const session of [...bySession.keys()].sort((a, b) => a - b)) {
    const counts = bySession.get(session) ?? [];
    const n = counts.reduce((sum, c) => sum + Math.max(0, c.count), 0);
    if (n < k) continue;
    points.push({
      session,
      n,
      p10: quantileType7OfCounts(counts, EXPECTED_PERCENTILES.p10),
      p50: quantileType7OfCounts(counts, EXPECTED_PERCENTILES.p50),
      p90: quantileType7OfCounts(counts, EXPECTED_PERCENTILES.p90),
    });
  }
  return points;
}

/** The expected curves of every band, by session. */
export type ExpectedReference = ReadonlyMap<BaselineBand, ReadonlyMap<number, ExpectedPoint>>;

/** An episode judged against its band at sessions 3-8. */
export interface OffTrackStatus {
  /** A score at a session 3-8 where its band's curve has a point. */
  assessable: boolean;
  /** Any such score above the 90th percentile. */
  offTrack: boolean;
  /**
   * The latest assessable session, its score and the band's point there; `now` when that
   * score is above the 90th percentile (the episode is off track as of its latest judgement).
   */
  latest: { session: number; total: number; expected: ExpectedPoint; now: boolean } | null;
}

export function offTrackOf(
  baselineTotal: number | null,
  totals: readonly number[],
  reference: ExpectedReference,
): OffTrackStatus {
  const band = baselineBand(baselineTotal);
  const curve = band === null ? undefined : reference.get(band);
  let offTrack = false;
  let latest: OffTrackStatus['latest'] = null;
  if (curve !== undefined) {
    for (let s = OFF_TRACK_SESSIONS.from; s <= OFF_TRACK_SESSIONS.to; s++) {
      const total = totals[s];
      const expected = curve.get(s);
      if (total === undefined || total === NO_SCORE || expected === undefined) continue;
      const above = total > expected.p90;
      offTrack ||= above;
      latest = { session: s, total, expected, now: above };
    }
  }
  return { assessable: latest !== null, offTrack, latest };
}
