import { RELIABLE_CHANGE_POINTS } from '../outcome.js';
import { PHQ9_CASENESS_THRESHOLD } from '../phq9.js';
import type { CompetingObservation } from '../stats/cumulative-incidence.js';
import type { EpisodeSummary } from './fold.js';

/*
 * Per-episode signals for care (docs/outcomes.md, "Time to reliable improvement" and "Relapse after
 * the end"), classified once here from the fold's summary; the warehouse stores them and SQL
 * only counts.
 */

/** The last session seen: the larger of the sessions attended and the last scored session. */
export function lastSessionSeen(summary: EpisodeSummary): number {
  const scored = summary.scores.map((m) => m.sessionNumber);
  return Math.max(summary.sessionsAttended, ...scored, 0);
}

/**
 * An episode's time to reliable improvement on the session scale. Event: the first in-treatment
 * PHQ-9 after the baseline at least 6 points below it, at its session. Competing event: the
 * episode ended without one, at its last session seen. Censored: still open, at its last session
 * seen. Null without a baseline: improvement is not defined.
 */
export function timeToImprovement(summary: EpisodeSummary): CompetingObservation | null {
  const baseline = summary.baseline;
  if (!summary.started || baseline === null) return null;
  const improved = summary.scores.find(
    (m) => m !== baseline && baseline.total - m.total >= RELIABLE_CHANGE_POINTS,
  );
  // Scores are in treatment order, so the first found is the earliest session.
  if (improved !== undefined) return { time: improved.sessionNumber, status: 'event' };
  return { time: lastSessionSeen(summary), status: summary.ended ? 'competing' : 'censored' };
}

/** Follow-ups count toward relapse within this many weeks after the end. */
export const RELAPSE_WINDOW_WEEKS = 52;

export interface RelapseSignal {
  /** Recovered at the end: paired, finished, baseline caseness and endpoint below 10. */
  recovered: boolean;
  /** A follow-up PHQ-9 within the window (null unless recovered). */
  followedUp: boolean | null;
  /** A follow-up total of 10 or more within the window (null unless followed up). */
  relapsed: boolean | null;
}

/**
 * Relapse after the end: recovered at the end, and a follow-up PHQ-9 total of 10 or more within
 * 52 weeks of it. The rate is over recovered episodes with a follow-up in the window; follow-up
 * completeness (followed up / recovered) goes beside it. Follow-ups never change the endpoint.
 */
export function relapseOf(summary: EpisodeSummary): RelapseSignal {
  const recovered = summary.outcomeEligible && summary.outcome?.recovery === true;
  if (!recovered) return { recovered: false, followedUp: null, relapsed: null };
  const inWindow = summary.followUps.filter(
    (f) => f.weeksAfterEnd !== null && f.weeksAfterEnd <= RELAPSE_WINDOW_WEEKS,
  );
  if (inWindow.length === 0) return { recovered: true, followedUp: false, relapsed: null };
  return {
    recovered: true,
    followedUp: true,
    relapsed: inWindow.some((f) => f.total >= PHQ9_CASENESS_THRESHOLD),
  };
}
