import type { OutcomeFilters } from '../dimensions.js';
import { csvFile, filtersText } from './cells.js';

/**
 * The episodes behind data-quality findings (`GET /v1/finding-episodes`, the Data quality page's
 * download): one row per episode and finding, pseudonyms only, with the sessions it concerns,
 * for the clinic to re-identify locally.
 */
export function findingEpisodesCsv(
  result: {
    episodes: ReadonlyArray<{ episodeId: string; clinic: string; code: string; sessions: string }>;
  },
  filters: OutcomeFilters,
): string {
  const asked = filtersText(filters);
  return csvFile(
    ['episode_id', 'clinic', 'finding', 'sessions', 'filters'],
    result.episodes.map((e) => [e.episodeId, e.clinic, e.code, e.sessions, asked]),
  );
}
