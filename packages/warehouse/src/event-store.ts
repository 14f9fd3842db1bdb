import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@ipt/events';
import type { EpisodeEvent, EventHome } from '@ipt/protocol';
import { z } from 'zod';
import { registerEpisodes } from './episode-registry.js';
import { defineQuery, type Warehouse } from './gateway.js';
import { fromClickHouseTime, toClickHouseTime } from './time.js';

/**
 * The raw event log. Appends are idempotent twice over: ids already stored are skipped (so a
 * re-sent event is stored once), and the batch carries a deduplication token derived from its
 * ids (so a retried insert of the same batch is dropped by ClickHouse). Reads collapse
 * duplicate ids anyway, keeping the first recorded copy, as the fold does.
 */

// `id IN {ids:Array(UUID)}` silently matches nothing under chDB 26.7's parameter binder
// (the array arrives as strings and UUID = String never holds); a subquery over the bound
// array binds correctly on chDB and on a server.
const knownIds = defineQuery({
  name: 'events.known_ids',
  sql: 'SELECT DISTINCT toString(id) AS id FROM events WHERE id IN (SELECT arrayJoin({ids:Array(UUID)}))',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.object({ id: z.string() }),
});

const eventRow = z.object({
  id: z.string(),
  type: z.string(),
  schema_version: z.coerce.number(),
  clinic_id: z.string(),
  client_id: z.string(),
  episode_id: z.string(),
  occurred_on: z.string(),
  recorded_at: z.string(),
  source_id: z.string(),
  payload: z.string(),
});
type EventRow = z.infer<typeof eventRow>;

const EVENT_COLUMNS =
  'toString(id) AS id, type, schema_version, clinic_id, client_id, episode_id, toString(occurred_on) AS occurred_on, toString(recorded_at) AS recorded_at, source_id, payload';

const episodeEvents = defineQuery({
  name: 'events.by_episode',
  sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE episode_id IN {episodes:Array(String)} ORDER BY episode_id, id, recorded_at LIMIT 1 BY id`,
  params: z.object({ episodes: z.array(z.string()) }),
  row: eventRow,
});

export function toEventRow(event: RecordedEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    schema_version: event.schemaVersion,
    clinic_id: event.clinicId,
    client_id: event.clientId,
    episode_id: event.episodeId,
    occurred_on: event.occurredOn,
    recorded_at: toClickHouseTime(event.recordedAt),
    source_id: event.sourceId,
    payload: JSON.stringify(event.payload),
  };
}

/**
 * Back to the event shape the fold reads. The payload was validated on the way in; it is
 * parsed, not re-validated, and `type` is trusted from the same validated write.
 */
export function fromEventRow(row: EventRow): RecordedEvent & EpisodeEvent {
  return {
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    clinicId: row.clinic_id,
    clientId: row.client_id,
    episodeId: row.episode_id,
    occurredOn: row.occurred_on,
    recordedAt: fromClickHouseTime(row.recorded_at),
    sourceId: row.source_id,
    payload: JSON.parse(row.payload),
  } as RecordedEvent & EpisodeEvent;
}

export interface AppendResult {
  /** Events written now. */
  stored: RecordedEvent[];
  /** Ids already in the log, or repeated within the batch: accepted, stored once. */
  duplicates: string[];
  /**
   * The whole history of each episode that had no event in the log before this append (it was
   * not registered, episode-registry.ts): its events as the log now returns them
   * (`loadEpisodeEvents`), so a projection need not read them back. Exact while one writer at a
   * time appends a given episode (the embedded ingestor's one write at a time; in Kafka mode,
   * the partition of the episode's key).
   */
  histories: Map<string, Array<RecordedEvent & EpisodeEvent>>;
  /** The month each episode of the stored events is registered under (episode-registry.ts). */
  registered: Map<string, string>;
}

/** Chunk size for `IN` lists and inserts: chDB concatenates an insert into one string. */
const CHUNK = 5_000;

export async function appendEvents(
  warehouse: Warehouse,
  events: readonly RecordedEvent[],
): Promise<AppendResult> {
  const seen = new Set<string>();
  const firstCopies: RecordedEvent[] = [];
  const duplicates: string[] = [];
  for (const event of events) {
    const id = event.id.toLowerCase();
    if (seen.has(id)) duplicates.push(event.id);
    else {
      seen.add(id);
      firstCopies.push(event);
    }
  }
  const known = new Set<string>();
  for (let i = 0; i < firstCopies.length; i += CHUNK) {
    const ids = firstCopies.slice(i, i + CHUNK).map((e) => e.id);
    for (const row of await warehouse.query(knownIds, { ids })) known.add(row.id);
  }
  // ClickHouse answers ids in lower case; a source may send them in upper case.
  const isKnown = (event: RecordedEvent) => known.has(event.id.toLowerCase());
  const stored = firstCopies.filter((event) => !isKnown(event));
  for (const event of firstCopies) if (isKnown(event)) duplicates.push(event.id);
  // Each stored event's row, made once: it is both inserted and, for a new episode, handed back.
  const rowOf = new Map<RecordedEvent, Record<string, unknown>>();
  const rows = stored.map((event) => {
    const row = toEventRow(event);
    rowOf.set(event, row);
    return row;
  });
  const byEpisode = new Map<string, RecordedEvent[]>();
  for (const event of stored) {
    const list = byEpisode.get(event.episodeId);
    if (list === undefined) byEpisode.set(event.episodeId, [event]);
    else list.push(event);
  }
  // Registered before their first event is stored: see episode-registry.ts.
  const { buckets: registered, registeredNow } = await registerEpisodes(warehouse, byEpisode);
  const histories = new Map<string, Array<RecordedEvent & EpisodeEvent>>();
  for (const episodeId of registeredNow) {
    const events = byEpisode.get(episodeId) ?? [];
    // A time stamped in another form than the store gives back (a foreign producer on Kafka)
    // is left to the store to read back, rather than guessed.
    if (events.every((e) => isCanonicalTime(e.recordedAt))) {
      histories.set(
        episodeId,
        events.map((event) => asStored(event, rowOf.get(event) ?? toEventRow(event))),
      );
    }
  }
  for (let i = 0; i < stored.length; i += CHUNK) {
    const chunk = stored.slice(i, i + CHUNK);
    await warehouse.insert({
      name: 'events.append',
      table: 'events',
      rows: rows.slice(i, i + CHUNK),
      dedupToken: batchToken(chunk),
    });
  }
  return { stored, duplicates, histories, registered };
}

const isCanonicalTime = (iso: string): boolean => {
  const ms = Date.parse(iso);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === iso;
};

/**
 * An event as `loadEpisodeEvents` returns it once stored, from the row written for it: the same
 * round trip, without I/O.
 */
function asStored(
  event: RecordedEvent,
  row: Record<string, unknown>,
): RecordedEvent & EpisodeEvent {
  return fromEventRow({
    ...(row as Omit<EventRow, 'id' | 'occurred_on'>),
    // ClickHouse answers a UUID in lower case; the log keeps the day as sent (validated).
    id: event.id.toLowerCase(),
    occurred_on: event.occurredOn,
  });
}

/** The same events give the same token, whatever else differs between two tries. */
export function batchToken(events: readonly { id: string }[]): string {
  const hash = createHash('sha256');
  for (const id of events.map((e) => e.id).sort()) hash.update(id);
  return `events:${hash.digest('hex')}`;
}

/** Every distinct event of the given episodes, grouped by episode. */
export async function loadEpisodeEvents(
  warehouse: Warehouse,
  episodeIds: readonly string[],
): Promise<Map<string, Array<RecordedEvent & EpisodeEvent>>> {
  const byEpisode = new Map<string, Array<RecordedEvent & EpisodeEvent>>();
  for (let i = 0; i < episodeIds.length; i += CHUNK) {
    const rows = await warehouse.query(episodeEvents, { episodes: episodeIds.slice(i, i + CHUNK) });
    for (const row of rows) {
      const event = fromEventRow(row);
      const list = byEpisode.get(event.episodeId);
      if (list === undefined) byEpisode.set(event.episodeId, [event]);
      else list.push(event);
    }
  }
  return byEpisode;
}

const countEvents = defineQuery({
  name: 'events.count',
  sql: 'SELECT count() AS events, uniqExact(id) AS ids, uniqExact(episode_id) AS episodes FROM events',
  params: z.object({}),
  row: z.object({ events: z.coerce.number(), ids: z.coerce.number(), episodes: z.coerce.number() }),
});

/** Rows, distinct ids and episodes in the log: `events > ids` means stored duplicates. */
export async function eventLogStats(warehouse: Warehouse) {
  const [row] = await warehouse.query(countEvents, {});
  return row ?? { events: 0, ids: 0, episodes: 0 };
}

const episodeIdsQuery = defineQuery({
  name: 'events.episode_ids',
  sql: 'SELECT DISTINCT episode_id FROM events ORDER BY episode_id',
  params: z.object({}),
  row: z.object({ episode_id: z.string() }),
});

export async function allEpisodeIds(warehouse: Warehouse): Promise<string[]> {
  return (await warehouse.query(episodeIdsQuery, {})).map((row) => row.episode_id);
}

// An episode belongs to the clinic of its first stored event: the earliest `recorded_at` (set
// by the ingest, never by the source), ties broken by the id's text, as the projection does.
// Ids compare as text: ClickHouse orders UUIDs by their two 64-bit halves, not as JavaScript
// orders the strings.
const ownersQuery = defineQuery({
  name: 'events.episode_owners',
  // Only registered episodes have events (episode-registry.ts): the log, keyed by random
  // pseudonyms, is read for those alone. GLOBAL: on a cluster both tables are Distributed.
  sql: 'SELECT episode_id, argMin(clinic_id, (recorded_at, toString(id))) AS clinic_id FROM events WHERE episode_id GLOBAL IN (SELECT episode_id FROM episode_buckets WHERE episode_id IN {episodes:Array(String)}) GROUP BY episode_id',
  params: z.object({ episodes: z.array(z.string()) }),
  row: z.object({ episode_id: z.string(), clinic_id: z.string() }),
});

/**
 * The clinic each of the given episodes belongs to, for those that have stored events: the
 * clinic of the first event stored (earliest recordedAt, then id). One query per 5,000 episodes.
 */
export async function episodeOwners(
  warehouse: Warehouse,
  episodeIds: Iterable<string>,
): Promise<Map<string, string>> {
  const ids = [...new Set(episodeIds)];
  const owners = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await warehouse.query(ownersQuery, { episodes: ids.slice(i, i + CHUNK) });
    for (const row of rows) owners.set(row.episode_id, row.clinic_id);
  }
  return owners;
}

// The same UUID-array pitfall as `knownIds`: the ids are bound through a subquery.
const homesQuery = defineQuery({
  name: 'events.homes',
  sql: 'SELECT toString(id) AS id, argMin(clinic_id, recorded_at) AS clinic_id, argMin(episode_id, recorded_at) AS episode_id FROM events WHERE id IN (SELECT arrayJoin({ids:Array(UUID)})) GROUP BY id',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.object({ id: z.string(), clinic_id: z.string(), episode_id: z.string() }),
});

/** Where an event lives: the ownership decider's type (@ipt/protocol). */
export type { EventHome };

/**
 * Where stored events live (clinic and episode of the first stored copy), keyed by the id in
 * lower case; ids not stored are absent. One query per 5,000 ids.
 */
export async function eventHomes(
  warehouse: Warehouse,
  eventIds: Iterable<string>,
): Promise<Map<string, EventHome>> {
  const ids = [...new Set([...eventIds].map((id) => id.toLowerCase()))];
  const homes = new Map<string, EventHome>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await warehouse.query(homesQuery, { ids: ids.slice(i, i + CHUNK) });
    for (const row of rows)
      homes.set(row.id, { clinicId: row.clinic_id, episodeId: row.episode_id });
  }
  return homes;
}
