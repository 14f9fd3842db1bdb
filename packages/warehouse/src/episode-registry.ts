import type { RecordedEvent } from '@ipt/events';
import { z } from 'zod';
import { defineQuery, type Warehouse } from './gateway.js';

/**
 * The register of episodes (episode_buckets): every episode with an event in the log has a row
 * here, written before its first event is stored, giving the month it is filed under in
 * `episodes` (its partition). Two uses:
 * - the month never changes, so every version of an episode's row lands in one partition,
 *   where FINAL replaces it (an episode filed under two months would be counted twice);
 * - an episode not registered has no event in the log, so a write knows, with one lookup in a
 *   table of one row per episode, which episodes are new and that their whole history is the
 *   batch in hand. The log itself is keyed by episode pseudonyms, which are random: a lookup of
 *   a batch's episodes there reads nearly every granule of a large log.
 * Registering comes first, so a crash between it and the events' insert leaves an episode
 * registered with no event, which only costs that episode a read of its (empty) history later.
 */

/** Ids per lookup: a bound on the `IN` list ClickHouse parses. */
const CHUNK = 5_000;

const registered = defineQuery({
  name: 'episodes.registered',
  sql: 'SELECT episode_id, toString(min(bucket)) AS bucket FROM episode_buckets WHERE episode_id IN {ids:Array(String)} GROUP BY episode_id',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.object({ episode_id: z.string(), bucket: z.string() }),
});

/** The month each registered episode among `ids` is filed under (`YYYY-MM-01`). */
export async function registeredEpisodes(
  warehouse: Warehouse,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const buckets = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await warehouse.query(registered, { ids: ids.slice(i, i + CHUNK) });
    for (const row of rows) buckets.set(row.episode_id, row.bucket);
  }
  return buckets;
}

/**
 * The month a new episode is filed under: that of its earliest event (the day it happened,
 * YYYY-MM-DD, so the string order is the date order; a bulk import of past years spreads over
 * their months).
 */
export function monthOf(events: ReadonlyArray<{ occurredOn: string }>): string {
  const earliest = events.map((e) => e.occurredOn).sort()[0] ?? '';
  return `${earliest.slice(0, 7)}-01`;
}

/**
 * Registers the episodes of `eventsByEpisode` not registered yet, each under the month of the
 * events given for it (the caller gives an episode's whole history: its events about to be
 * stored, for an episode new to the log). `known`: months the caller already has. Returns
 * every given episode's month, and which of them were registered now.
 */
export async function registerEpisodes(
  warehouse: Warehouse,
  eventsByEpisode: ReadonlyMap<string, ReadonlyArray<RecordedEvent>>,
  known: ReadonlyMap<string, string> = new Map(),
): Promise<{ buckets: Map<string, string>; registeredNow: Set<string> }> {
  // Months already known to the caller (registered by the append just made) are not looked up.
  const ids = [...eventsByEpisode.keys()].filter((id) => !known.has(id));
  const buckets = await registeredEpisodes(warehouse, ids);
  for (const id of eventsByEpisode.keys()) {
    const bucket = known.get(id);
    if (bucket !== undefined) buckets.set(id, bucket);
  }
  const rows: Array<{ episode_id: string; bucket: string }> = [];
  const registeredNow = new Set<string>();
  for (const [episodeId, events] of eventsByEpisode) {
    if (buckets.has(episodeId) || events.length === 0) continue;
    const bucket = monthOf(events);
    buckets.set(episodeId, bucket);
    registeredNow.add(episodeId);
    rows.push({ episode_id: episodeId, bucket });
  }
  await warehouse.insert({ name: 'episodes.register', table: 'episode_buckets', rows });
  return { buckets, registeredNow };
}
