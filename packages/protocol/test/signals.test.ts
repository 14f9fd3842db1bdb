/**
 * @fileoverview Per-episode signals for care, on hand-built episodes: the time to reliable
 * improvement (event, competing ending, censoring; the baseline never counts as its own
 * improvement) and relapse after the end (recovered, followed up within 52 weeks, relapsed).
 */
import { describe, expect, it } from 'vitest';
import { foldEpisode, relapseOf, timeToImprovement } from '../src/index.js';
import { episodeFactory } from './episode-factory.js';

function course(scores: Array<[session: number, total: number]>, ended: boolean, sessions = 6) {
  const f = episodeFactory();
  const events = [f.started({}, '2025-01-06')];
  for (let s = 1; s <= sessions; s++) {
    events.push(f.attended(s, `2025-02-${String(s).padStart(2, '0')}`));
  }
  for (const [session, total] of scores) {
    events.push(
      f.phq9(
        total,
        session,
        `2025-02-${String(Math.max(1, session)).padStart(2, '0')}`,
        session === 0 ? 'intake' : 'session',
      ),
    );
  }
  if (ended) events.push(f.ended('completed', '2025-03-01'));
  return { f, events };
}

describe('time to reliable improvement', () => {
  it('is the first session 6 or more points below the baseline', () => {
    const { events } = course(
      [
        [0, 18],
        [2, 14],
        [3, 12],
        [5, 8],
      ],
      true,
    );
    expect(timeToImprovement(foldEpisode(events))).toEqual({ time: 3, status: 'event' });
  });

  it('is a competing event at the last session when the episode ended without it', () => {
    const { events } = course(
      [
        [0, 18],
        [4, 13],
      ],
      true,
    );
    expect(timeToImprovement(foldEpisode(events))).toEqual({ time: 6, status: 'competing' });
  });

  it('is censored at the last session seen while the episode is open', () => {
    const { events } = course(
      [
        [0, 18],
        [4, 15],
      ],
      false,
      4,
    );
    expect(timeToImprovement(foldEpisode(events))).toEqual({ time: 4, status: 'censored' });
  });

  it('has no time without a baseline', () => {
    const { events } = course([[5, 10]], true);
    expect(timeToImprovement(foldEpisode(events))).toBeNull();
  });
});

describe('relapse after the end', () => {
  const recovered = (followUps: Array<[weeks: number, total: number]>) => {
    const { f, events } = course(
      [
        [0, 16],
        [6, 6],
      ],
      true,
    );
    for (const [weeks, total] of followUps) {
      events.push(f.phq9(total, 6, '2025-06-01', 'follow_up', { weeksAfterEnd: weeks }));
    }
    return relapseOf(foldEpisode(events));
  };

  it('counts a follow-up of 10 or more within 52 weeks of a recovered end', () => {
    expect(recovered([[12, 11]])).toEqual({ recovered: true, followedUp: true, relapsed: true });
    expect(recovered([[12, 9]])).toEqual({ recovered: true, followedUp: true, relapsed: false });
    expect(
      recovered([
        [4, 5],
        [26, 14],
      ]),
    ).toEqual({ recovered: true, followedUp: true, relapsed: true });
  });

  it('leaves follow-ups after 52 weeks out, and says when there is none', () => {
    expect(recovered([[60, 20]])).toEqual({ recovered: true, followedUp: false, relapsed: null });
    expect(recovered([])).toEqual({ recovered: true, followedUp: false, relapsed: null });
  });

  it('applies only to episodes recovered at the end, and never moves the endpoint', () => {
    const { f, events } = course(
      [
        [0, 16],
        [6, 12],
      ],
      true,
    );
    events.push(f.phq9(3, 6, '2025-06-01', 'follow_up', { weeksAfterEnd: 8 }));
    const summary = foldEpisode(events);
    expect(summary.endpoint?.total).toBe(12);
    expect(relapseOf(summary)).toEqual({ recovered: false, followedUp: null, relapsed: null });
  });
});
