import type { RecordedEvent } from '@ipt/events';
import { type EpisodeEvent, type EpisodeSummary, foldEpisode } from '@ipt/protocol';
import { ownedEvents } from './ownership.js';
import type { RecordKeys } from './record-keys.js';
import { episodeRow, scoreRow } from './rows.js';

/** What a projection writes, decided before anything is written. */
export interface ProjectionPlan {
  /** The current row of each episode folded. */
  episodes: Record<string, unknown>[];
  /** Scores and follow-ups, and tombstones for scores retracted or set aside. */
  scores: Record<string, unknown>[];
  /** Rows of episode_history: past recorded times from each episode's `historyFrom` on. */
  history: Record<string, unknown>[];
  /** Episodes whose fold threw: kept visible, never dropped. */
  deadLetters: Record<string, unknown>[];
  /** Events set aside by the ownership rule (dead-lettered once, by the writer). */
  refused: Array<{ episodeId: string; event: RecordedEvent; reason: string }>;
  /** Episodes folded. */
  projected: number;
}

export interface PlanSettings {
  version: number;
  projectedAt: string;
  keys: RecordKeys;
  /** The recorded time (epoch ms) from which an episode's history is folded again. */
  historyFrom: (episodeId: string) => number;
  /** The month an episode is filed under (episode_buckets). */
  bucketOf: (episodeId: string) => string;
}

/**
 * The projection of episodes as rows, from their events alone: pure, so replays, tests and the
 * writer read it alike. Only the owner clinic's events are folded (the ownership decider); the
 * others are set aside, and a score of theirs an earlier projection may have written gets a
 * tombstone, as does a retracted score. The episode row carries its findings, so replacing the
 * row replaces them.
 */
export function planProjection(
  eventsByEpisode: ReadonlyMap<string, Array<RecordedEvent & EpisodeEvent>>,
  settings: PlanSettings,
): ProjectionPlan {
  const { version, projectedAt, keys, historyFrom, bucketOf } = settings;
  const summaries: EpisodeSummary[] = [];
  const recordedTo = new Map<string, string>();
  const history: Record<string, unknown>[] = [];
  const deadLetters: Record<string, unknown>[] = [];
  const retractedScores: Array<{ episodeId: string; eventId: string }> = [];
  const refused: Array<{ episodeId: string; event: RecordedEvent; reason: string }> = [];
  for (const [episodeId, all] of eventsByEpisode) {
    // Only the owner clinic's events are folded; the others are set aside (dead letters below)
    // and a score of theirs that an earlier projection may have written gets a tombstone.
    const { kept: events, dropped } = ownedEvents(all);
    for (const { event, reason } of dropped) {
      refused.push({ episodeId, event, reason });
      if (event.type === 'phq9.recorded') retractedScores.push({ episodeId, eventId: event.id });
    }
    recordedTo.set(episodeId, latestRecorded(events));
    history.push(
      ...pastProjections(all, historyFrom(episodeId), {
        version,
        projectedAt,
        keys,
        bucket: bucketOf(episodeId),
      }),
    );
    try {
      const summary = foldEpisode(events);
      summaries.push(summary);
      const retracted = new Set(summary.retractedEventIds);
      for (const event of events) {
        if (event.type === 'phq9.recorded' && retracted.has(event.id)) {
          retractedScores.push({ episodeId, eventId: event.id });
        }
      }
    } catch (error) {
      // A fold that throws is a bug or a message this version cannot read: keep it visible.
      deadLetters.push({
        received_at: projectedAt.replace('T', ' ').replace('Z', ''),
        origin: 'projector',
        episode_id: episodeId,
        event_id: '',
        reason: error instanceof Error ? error.message : String(error),
        payload: JSON.stringify(events),
      });
    }
  }
  const episodes = summaries.map((s) =>
    episodeRow(
      s,
      version,
      projectedAt,
      keys.of(s.episodeId),
      recordedTo.get(s.episodeId) ?? '',
      bucketOf(s.episodeId),
    ),
  );
  // The current row is also the history's row at the episode's latest recorded time, written
  // when that time is one to write (a re-projection of the same events adds no row).
  for (const row of episodes) {
    const at = Date.parse(recordedTo.get(String(row.episode_id)) ?? '');
    if (at >= historyFrom(String(row.episode_id))) history.push(row);
  }
  const scores = summaries.flatMap((s) =>
    [...s.scores, ...s.followUps].map((m) => scoreRow(s, m, version)),
  );
  for (const { episodeId, eventId } of retractedScores) {
    scores.push({ ...tombstoneScore(episodeId, eventId), version });
  }

  return { episodes, scores, history, deadLetters, refused, projected: summaries.length };
}

const latestRecorded = (events: ReadonlyArray<RecordedEvent>): string =>
  new Date(Math.max(...events.map((e) => Date.parse(e.recordedAt)))).toISOString();

/**
 * The history rows of an episode before its latest recorded time, from `from` on: for each
 * distinct recorded time, the fold of the events recorded up to it (owner's events only, as the
 * current row; recorded_to is the latest of those folded). A prefix whose fold throws gets no row, so an as-of question reads the one
 * before it, as the current row stays at the last fold that worked.
 */
function pastProjections(
  all: ReadonlyArray<RecordedEvent & EpisodeEvent>,
  from: number,
  row: { version: number; projectedAt: string; keys: RecordKeys; bucket: string },
): Record<string, unknown>[] {
  const times = [...new Set(all.map((e) => Date.parse(e.recordedAt)))].sort((a, b) => a - b);
  times.pop(); // the latest is the current row, written with it
  const rows: Record<string, unknown>[] = [];
  for (const time of times) {
    if (time < from) continue;
    const { kept } = ownedEvents(all.filter((e) => Date.parse(e.recordedAt) <= time));
    // A time at which only another clinic's event arrived folds to the row before it.
    const recordedTo = latestRecorded(kept);
    if (kept.length === 0 || Date.parse(recordedTo) !== time) continue;
    try {
      const summary = foldEpisode(kept);
      rows.push(
        episodeRow(
          summary,
          row.version,
          row.projectedAt,
          row.keys.of(summary.episodeId),
          recordedTo,
          row.bucket,
        ),
      );
    } catch {
      // The dead letter of a fold that throws is written for the current row only.
    }
  }
  return rows;
}

function tombstoneScore(episodeId: string, eventId: string): Record<string, unknown> {
  return {
    episode_id: episodeId,
    event_id: eventId,
    clinic_id: '',
    session_number: 0,
    timepoint: '',
    weeks_after_end: null,
    total: 0,
    severity: '',
    self_harm_flag: 0,
    occurred_on: '1970-01-01',
    is_deleted: 1,
  };
}
