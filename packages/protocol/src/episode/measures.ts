import { scorePhq9 } from '../phq9.js';
import type { Phq9Timepoint, SeverityBand } from '../vocabulary.js';
import type { Phq9RecordedEvent } from './events.js';
import { sortBy } from './order.js';

/** One scored PHQ-9 of an episode. */
export interface Phq9Measurement {
  eventId: string;
  occurredOn: string;
  sessionNumber: number;
  timepoint: Phq9Timepoint;
  total: number;
  severity: SeverityBand;
  selfHarmFlag: boolean;
  /** Only for `follow_up`. */
  weeksAfterEnd: number | null;
}

/** The last session by which a first PHQ-9 still counts as the baseline (docs/outcomes.md). */
export const BASELINE_LATEST_SESSION = 2;

const TIMEPOINT_RANK: Record<Phq9Timepoint, number> = {
  intake: 0,
  session: 1,
  end: 2,
  follow_up: 3,
};

export function measure(event: Phq9RecordedEvent): Phq9Measurement {
  const score = scorePhq9(event.payload.items);
  return {
    eventId: event.id,
    occurredOn: event.occurredOn,
    sessionNumber: event.payload.sessionNumber,
    timepoint: event.payload.timepoint,
    total: score.total,
    severity: score.severity,
    selfHarmFlag: score.selfHarmFlag,
    weeksAfterEnd: event.payload.weeksAfterEnd ?? null,
  };
}

export interface EpisodeMeasures {
  /** In-treatment scores (every timepoint but follow-up), in treatment order. */
  scores: Phq9Measurement[];
  followUps: Phq9Measurement[];
  baseline: Phq9Measurement | null;
  endpoint: Phq9Measurement | null;
}

/**
 * Baseline: the first PHQ-9 by session number, then date, if taken at intake or by session 2.
 * Endpoint: the last in-treatment PHQ-9 (`session` or `end`) other than the baseline.
 * Follow-up scores are never endpoints; they feed relapse measures.
 */
export function episodeMeasures(events: readonly Phq9RecordedEvent[]): EpisodeMeasures {
  const all = events.map(measure);
  const scores = sortBy(
    all.filter((m) => m.timepoint !== 'follow_up'),
    (m) => [m.sessionNumber, m.occurredOn, TIMEPOINT_RANK[m.timepoint], m.eventId],
  );
  const followUps = sortBy(
    all.filter((m) => m.timepoint === 'follow_up'),
    (m) => [m.weeksAfterEnd ?? 0, m.occurredOn, m.eventId],
  );
  const first = scores[0];
  const baseline =
    first !== undefined &&
    (first.timepoint === 'intake' || first.sessionNumber <= BASELINE_LATEST_SESSION)
      ? first
      : null;
  const candidates = scores.filter(
    (m) => (m.timepoint === 'session' || m.timepoint === 'end') && m !== baseline,
  );
  return { scores, followUps, baseline, endpoint: candidates.at(-1) ?? null };
}
