import type { OffTrackListResult } from '../types.js';
import { csvFile } from './cells.js';

/**
 * A clinic's open episodes off track now (`GET /v1/off-track`, the Signals for care page's
 * download): one row per episode, pseudonyms only, for the clinic to re-identify locally.
 */
export function offTrackCsv(result: OffTrackListResult): string {
  return csvFile(
    [
      'episode_id',
      'clinic',
      'baseline_band',
      'session',
      'phq9_total',
      'expected_p10',
      'expected_p50',
      'expected_p90',
      'last_session',
    ],
    result.episodes.map((e) => [
      e.episodeId,
      e.clinic,
      e.band,
      e.session,
      e.total,
      e.expected.p10,
      e.expected.p50,
      e.expected.p90,
      e.lastSession,
    ]),
  );
}
