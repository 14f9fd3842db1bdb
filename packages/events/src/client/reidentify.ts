import type { Pseudonymizer } from './pseudonym.js';

/** What the network's lists carry per episode: its pseudonym, and whatever else it reports. */
export interface PseudonymousRow {
  readonly episodeId: string;
}

export interface Reidentified<R extends PseudonymousRow> {
  /** Rows whose pseudonym is one of the given local episodes, with that local id. */
  matched: Array<R & { localEpisodeId: string }>;
  /**
   * Rows no given local id hashes to: an episode outside the list of local ids, or a list made
   * with another secret.
   */
  unmatched: R[];
}

/**
 * Maps a list the network returned (the off-track list of `GET /v1/off-track`, its CSV read with
 * `episode_id` as `episodeId`) back to the clinic's own episode ids, inside the clinic: each local
 * id is hashed with the clinic's secret, exactly as when its events were sent, and looked up in
 * the list. Nothing leaves the clinic; the network cannot do this without the secret.
 */
export function reidentify<R extends PseudonymousRow>(
  rows: readonly R[],
  localEpisodeIds: Iterable<string>,
  pseudonymizer: Pseudonymizer,
): Reidentified<R> {
  const localOf = new Map<string, string>();
  for (const local of localEpisodeIds) localOf.set(pseudonymizer.episodeId(local), local);
  const matched: Reidentified<R>['matched'] = [];
  const unmatched: R[] = [];
  for (const row of rows) {
    const local = localOf.get(row.episodeId);
    if (local === undefined) unmatched.push(row);
    else matched.push({ ...row, localEpisodeId: local });
  }
  return { matched, unmatched };
}
