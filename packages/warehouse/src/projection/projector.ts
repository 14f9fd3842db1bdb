import type { RecordedEvent } from '@ipt/events';
import type { EpisodeEvent } from '@ipt/protocol';
import { z } from 'zod';
import { registerEpisodes } from '../episode-registry.js';
import { allEpisodeIds, loadEpisodeEvents } from '../event-store.js';
import { defineQuery, type Warehouse } from '../gateway.js';
import { fromClickHouseTime, toClickHouseTime } from '../time.js';
import { planProjection } from './plan.js';
import type { RecordKeys } from './record-keys.js';
import { FOLD_VERSION } from './rows.js';
import { nextVersion } from './version.js';

/**
 * Projects episodes into the read model: fold each affected episode's full event history with
 * @ipt/protocol and upsert its rows. Folding the whole history (not applying a delta) is what
 * makes late, out-of-order and retracting events simple, and makes projecting the same batch
 * twice change nothing. Only the events of the clinic that owns the episode are folded
 * (ownership.ts); the others go to dead_letters.
 */
export interface ProjectionResult {
  projected: number;
  deadLettered: number;
}

/**
 * What a projection must fold again of each episode's history (episode_history: one row per
 * distinct recorded time of its events, the fold of the events recorded up to then). `since`:
 * the earliest recorded time among the events that caused it; every history row from then on,
 * and any after the episode's last stored one (a projection that crashed before writing them),
 * is folded again. Without it (replay, a new fold version), every row is.
 */
export interface ProjectOptions {
  since?: string;
  /**
   * Episodes whose whole history is given (new to the log in the append just made:
   * `AppendResult.histories`): folded from these events, not read back from the log.
   */
  histories?: ReadonlyMap<string, Array<RecordedEvent & EpisodeEvent>>;
  /** Months the append just made registered episodes under (`AppendResult.registered`). */
  registered?: ReadonlyMap<string, string>;
}

const CHUNK = 2_000;

/** Re-folds the given episodes from the event log and upserts their projections. */
export async function projectEpisodes(
  warehouse: Warehouse,
  episodeIds: Iterable<string>,
  keys: RecordKeys,
  options: ProjectOptions = {},
): Promise<ProjectionResult> {
  const ids = [...new Set(episodeIds)];
  const result: ProjectionResult = { projected: 0, deadLettered: 0 };
  const given = options.histories ?? new Map();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const events = await loadEpisodeEvents(
      warehouse,
      chunk.filter((id) => !given.has(id)),
    );
    // An episode new to the log has no history row yet: only the others are looked up.
    const heads =
      options.since === undefined ? null : await historyHeads(warehouse, [...events.keys()]);
    for (const id of chunk) {
      const history = given.get(id);
      if (history !== undefined) events.set(id, history);
    }
    const from = (episodeId: string): number =>
      options.since === undefined || heads === null
        ? Number.NEGATIVE_INFINITY
        : Math.min(
            Date.parse(options.since),
            (heads.get(episodeId) ?? Number.NEGATIVE_INFINITY) + 1,
          );
    const part = await writeProjections(warehouse, events, keys, from, options.registered);
    result.projected += part.projected;
    result.deadLettered += part.deadLettered;
  }
  return result;
}

/**
 * Rebuilds every projection from the raw log: truncate, then fold each episode. The result
 * equals the incremental one (tested), which is what makes the log the source of truth.
 */
export async function replay(
  warehouse: Warehouse,
  keys: RecordKeys,
  onProgress?: (done: number, total: number) => void,
): Promise<ProjectionResult> {
  for (const table of ['episodes', 'episode_scores', 'episode_history']) {
    const target = warehouse.clustered ? `${table}_local ON CLUSTER '{cluster}'` : table;
    await warehouse.command(`replay.truncate_${table}`, `TRUNCATE TABLE IF EXISTS ${target}`);
  }
  const ids = await allEpisodeIds(warehouse);
  const result: ProjectionResult = { projected: 0, deadLettered: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const events = await loadEpisodeEvents(warehouse, ids.slice(i, i + CHUNK));
    const part = await writeProjections(warehouse, events, keys, () => Number.NEGATIVE_INFINITY);
    result.projected += part.projected;
    result.deadLettered += part.deadLettered;
    onProgress?.(Math.min(i + CHUNK, ids.length), ids.length);
  }
  return result;
}

const unkeyed = defineQuery({
  name: 'projection.unkeyed',
  sql: 'SELECT * EXCEPT (version, projected_at, record_key) FROM episodes FINAL WHERE record_key = 0 LIMIT 10000',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});

/**
 * Gives every episode stored without a record key (before keys existed) its key, by writing its
 * row again with the key and a newer version: no re-fold, so an episode whose events no longer
 * fold is keyed too, and no protected answer ever meets a key of 0 (which would make the noise
 * of two cells that differ by that episode the same). Returns how many were keyed.
 */
export async function keyUnkeyedEpisodes(warehouse: Warehouse, keys: RecordKeys): Promise<number> {
  let keyed = 0;
  for (;;) {
    const rows = await warehouse.query(unkeyed, {});
    if (rows.length === 0) return keyed;
    const version = nextVersion();
    const projectedAt = toClickHouseTime(new Date().toISOString());
    await warehouse.insert({
      name: 'projection.record_keys',
      table: 'episodes',
      rows: rows.map((row) => ({
        ...row,
        record_key: keys.of(String(row.episode_id)),
        version,
        projected_at: projectedAt,
      })),
    });
    keyed += rows.length;
  }
}

const outdated = defineQuery({
  name: 'projection.outdated',
  sql: `SELECT episode_id FROM episodes FINAL WHERE fold_version != {version:UInt32} AND episode_id > {after:String} ORDER BY episode_id LIMIT {limit:UInt32}`,
  params: z.object({ version: z.number(), after: z.string(), limit: z.number() }),
  row: z.object({ episode_id: z.string() }),
});

/**
 * Folds again, from their events, the episodes whose rows another classification wrote
 * (fold_version other than FOLD_VERSION, a fingerprint of the flag set), so a flag or column the
 * fold has gained is never read as its default. Pages through episode ids once, so an episode whose events no longer fold (dead-
 * lettered, its old row kept) cannot hold it in a loop. Returns how many were folded again.
 */
export async function refoldOutdatedEpisodes(
  warehouse: Warehouse,
  keys: RecordKeys,
  onProgress?: (done: number) => void,
): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const rows = await warehouse.query(outdated, {
      version: FOLD_VERSION,
      after,
      limit: CHUNK,
    });
    if (rows.length === 0) {
      if (done > 0) await dropOutdatedHistory(warehouse);
      return done;
    }
    const ids = rows.map((r) => r.episode_id);
    await projectEpisodes(warehouse, ids, keys);
    done += ids.length;
    after = ids.at(-1) ?? after;
    onProgress?.(done);
  }
}

/**
 * Deletes the history rows folded under older definitions, once every episode's history has
 * been folded again under the current ones (their rows sit beside the new ones, at the same
 * recorded times with lower versions, and would only cost space and reading time). One
 * mutation per change of definitions.
 */
async function dropOutdatedHistory(warehouse: Warehouse): Promise<void> {
  const table = warehouse.clustered
    ? "episode_history_local ON CLUSTER '{cluster}'"
    : 'episode_history';
  await warehouse.command(
    'projection.drop_outdated_history',
    `ALTER TABLE ${table} DELETE WHERE fold_version != {version:UInt32} SETTINGS mutations_sync = 2`,
    { version: FOLD_VERSION },
  );
}

/**
 * Writes the projections of folded episodes without reading anything first (except, when an
 * episode holds another clinic's events, which of those are already dead-lettered). The episode
 * row carries its findings, so replacing the row replaces them. A score row can only become
 * stale by being retracted or set aside as another clinic's, and both are known from the
 * episode's events, so those get tombstones (a tombstone for a row never written is harmless).
 */
async function writeProjections(
  warehouse: Warehouse,
  eventsByEpisode: Map<string, Array<RecordedEvent & EpisodeEvent>>,
  keys: RecordKeys,
  historyFrom: (episodeId: string) => number,
  registered?: ReadonlyMap<string, string>,
): Promise<ProjectionResult> {
  const version = nextVersion();
  const projectedAt = new Date().toISOString();
  // Registered first (an episode whose events were stored by an older version, or straight
  // into the log, may not be yet): a row in episodes always has its month in episode_buckets,
  // so the next projection of the episode files it under the same month.
  const { buckets } = await registerEpisodes(warehouse, eventsByEpisode, registered);
  const bucketOf = (episodeId: string): string => {
    const bucket = buckets.get(episodeId);
    if (bucket === undefined) throw new Error(`episode ${episodeId} has no month filed`);
    return bucket;
  };
  const plan = planProjection(eventsByEpisode, {
    version,
    projectedAt,
    keys,
    historyFrom,
    bucketOf,
  });
  const { episodes, scores, history, deadLetters } = plan;
  await warehouse.insert({ name: 'projection.episodes', table: 'episodes', rows: episodes });
  await warehouse.insert({ name: 'projection.scores', table: 'episode_scores', rows: scores });
  await warehouse.insert({ name: 'projection.history', table: 'episode_history', rows: history });
  deadLetters.push(...(await newDeadLetters(warehouse, plan.refused, projectedAt)));
  await warehouse.insert({
    name: 'projection.dead_letters',
    table: 'dead_letters',
    rows: deadLetters,
  });
  return { projected: plan.projected, deadLettered: deadLetters.length };
}

const historyHead = defineQuery({
  name: 'projection.history_heads',
  sql: 'SELECT episode_id, toString(max(recorded_to)) AS head FROM episode_history WHERE episode_id IN {ids:Array(String)} GROUP BY episode_id',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.object({ episode_id: z.string(), head: z.string() }),
});

/** Each episode's latest history row's recorded time (epoch ms), where it has one. */
async function historyHeads(warehouse: Warehouse, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await warehouse.query(historyHead, { ids });
  return new Map(rows.map((r) => [r.episode_id, Date.parse(fromClickHouseTime(r.head))]));
}

const deadLettered = defineQuery({
  name: 'projection.dead_lettered',
  sql: "SELECT event_id, reason FROM dead_letters WHERE origin = 'projector' AND event_id IN {ids:Array(String)}",
  params: z.object({ ids: z.array(z.string()) }),
  row: z.object({ event_id: z.string(), reason: z.string() }),
});

/**
 * Dead letters for events set aside by the ownership rule, each written once: every later
 * projection of the episode sets the same events aside again, so those already recorded (same
 * event, same reason) are skipped. One query, and only when something was set aside.
 */
async function newDeadLetters(
  warehouse: Warehouse,
  refused: ReadonlyArray<{ episodeId: string; event: RecordedEvent; reason: string }>,
  at: string,
): Promise<Record<string, unknown>[]> {
  if (refused.length === 0) return [];
  const done = new Set<string>();
  const ids = [...new Set(refused.map((r) => r.event.id))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await warehouse.query(deadLettered, { ids: ids.slice(i, i + CHUNK) });
    for (const row of rows) done.add(`${row.event_id} ${row.reason}`);
  }
  const rows: Record<string, unknown>[] = [];
  for (const { episodeId, event, reason } of refused) {
    const key = `${event.id} ${reason}`;
    if (done.has(key)) continue;
    done.add(key);
    rows.push({
      received_at: at.replace('T', ' ').replace('Z', ''),
      origin: 'projector',
      episode_id: episodeId,
      event_id: event.id,
      reason,
      payload: JSON.stringify(event),
    });
  }
  return rows;
}
