/**
 * @fileoverview The warehouse against embedded chDB: migrations are idempotent; the event log
 * stores a re-sent or retried event once; incremental projection of a simulated network, fed in
 * arrival order with late events, duplicates and retractions, equals folding each episode with
 * @ipt/protocol; a retraction after projection removes the score; replay equals incremental;
 * data survives closing and reopening the directory.
 */
import type { CatalogEvent } from '@ipt/events';
import { foldEpisode } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toEventRow } from '../src/event-store.js';
import {
  appendEvents,
  batchToken,
  defineQuery,
  eventLogStats,
  FOLD_VERSION,
  keyUnkeyedEpisodes,
  migrate,
  projectEpisodes,
  refoldOutdatedEpisodes,
  replay,
  Warehouse,
} from '../src/index.js';
import { episodeRow } from '../src/projection/rows.js';
import { batches, freshWarehouse, stamp, testKeys } from './helpers.js';

const filedUnder = defineQuery({
  name: 'test.filed_under',
  sql: 'SELECT toString(bucket) AS bucket FROM episodes FINAL WHERE episode_id = {id:String}',
  params: z.object({ id: z.string() }),
  row: z.object({ bucket: z.string() }),
});
/** An episode row as an older version wrote it keeps the month the episode is filed under. */
const monthOf = async (episodeId: unknown) =>
  (await warehouse.query(filedUnder, { id: String(episodeId) }))[0]?.bucket;

const episodeRows = defineQuery({
  name: 'test.episodes',
  // recorded_to and bucket come from the ingest's stamps, checked in history.test.ts.
  sql: 'SELECT * EXCEPT (version, projected_at, recorded_to, bucket) FROM episodes FINAL ORDER BY episode_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});
const scoreRows = defineQuery({
  name: 'test.scores',
  sql: 'SELECT * EXCEPT (version) FROM episode_scores FINAL ORDER BY episode_id, event_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});
const findingRows = defineQuery({
  name: 'test.findings',
  sql: 'SELECT * FROM data_quality_findings ORDER BY episode_id, code, session_number, event_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});

let ctx: Awaited<ReturnType<typeof freshWarehouse>>;
let warehouse: Warehouse;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 404, episodes: 400 })];

beforeAll(async () => {
  ctx = await freshWarehouse();
  warehouse = ctx.warehouse;
});
afterAll(async () => ctx.dispose());

describe('migrations', () => {
  it('apply nothing the second time', async () => {
    expect(await migrate(warehouse)).toEqual({ applied: [] });
  });
});

describe('incremental projection', () => {
  beforeAll(async () => {
    for (const batch of batches(events, 500)) {
      const { stored } = await appendEvents(warehouse, stamp(batch));
      await projectEpisodes(
        warehouse,
        stored.map((e) => e.episodeId),
        testKeys,
      );
    }
  }, 120_000);

  it('stores every distinct event once, though the stream repeats some', async () => {
    const distinct = new Set(events.map((e) => e.id)).size;
    expect(distinct).toBeLessThan(events.length);
    expect(await eventLogStats(warehouse)).toEqual({
      events: distinct,
      ids: distinct,
      episodes: new Set(events.map((e) => e.episodeId)).size,
    });
  });

  it('equals folding each episode with @ipt/protocol', async () => {
    const byEpisode = new Map<string, CatalogEvent[]>();
    for (const e of events) byEpisode.set(e.episodeId, [...(byEpisode.get(e.episodeId) ?? []), e]);
    const expected = [...byEpisode.values()]
      .map((list) => {
        const {
          version: _v,
          projected_at: _p,
          recorded_to: _r,
          bucket: _b,
          ...row
        } = episodeRow(
          foldEpisode(list),
          0,
          '2026-01-01T00:00:00.000Z',
          testKeys.of(String(list[0]?.episodeId)),
          '2026-01-01T00:00:00.000Z',
          '2026-01-01',
        );
        return row;
      })
      .sort((a, b) => (String(a.episode_id) < String(b.episode_id) ? -1 : 1)); // byte order, as ClickHouse sorts
    const actual = await warehouse.query(episodeRows, {});
    expect(actual).toHaveLength(expected.length);
    // ClickHouse returns numbers for small ints and strings for dates: compare through JSON.
    expect(actual.map(normalise)).toEqual(expected.map(normalise));
  });

  it('is idempotent: projecting the same episodes again changes nothing', async () => {
    const before = await warehouse.query(episodeRows, {});
    const scoresBefore = await warehouse.query(scoreRows, {});
    const some = [...new Set(events.slice(0, 2000).map((e) => e.episodeId))];
    await projectEpisodes(warehouse, some, testKeys);
    await projectEpisodes(warehouse, some, testKeys);
    expect(await warehouse.query(episodeRows, {})).toEqual(before);
    expect(await warehouse.query(scoreRows, {})).toEqual(scoresBefore);
  });

  it('refuses a retried insert of the same batch by its deduplication token', async () => {
    const before = await eventLogStats(warehouse);
    const [first] = events;
    if (first === undefined) throw new Error('no events');
    const [event] = stamp([{ ...first, id: '11111111-2222-4333-8444-555555555555' }]);
    if (event === undefined) throw new Error('no event');
    const token = batchToken([event]);
    // Straight inserts, bypassing appendEvents' id check: only the token can drop the retry.
    await warehouse.insert({
      name: 'test.retry',
      table: 'events',
      rows: [toEventRow(event)],
      dedupToken: token,
    });
    await warehouse.insert({
      name: 'test.retry',
      table: 'events',
      rows: [toEventRow(event)],
      dedupToken: token,
    });
    await projectEpisodes(warehouse, [event.episodeId], testKeys);
    const after = await eventLogStats(warehouse);
    expect(after.events).toBe(before.events + 1);
  });

  it('removes a retracted score at the next projection', async () => {
    const score = events.find((e) => e.type === 'phq9.recorded');
    if (score === undefined) throw new Error('no score');
    const retraction: CatalogEvent = {
      ...score,
      id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      type: 'event.retracted',
      payload: { eventId: score.id, reason: 'entered_in_error' },
    };
    await appendEvents(warehouse, stamp([retraction]));
    await projectEpisodes(warehouse, [score.episodeId], testKeys);
    const scores = await warehouse.query(scoreRows, {});
    expect(scores.some((s) => s.event_id === score.id)).toBe(false);
    expect(scores.some((s) => s.episode_id === score.episodeId)).toBe(true);
  });

  it('drops a finding that no longer holds at the next projection', async () => {
    const [anchor] = events;
    if (anchor === undefined) throw new Error('no events');
    const late: CatalogEvent = {
      ...anchor,
      id: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
      type: 'session.missed',
      payload: { sessionNumber: 30, reason: 'no_show' },
    };
    const retraction: CatalogEvent = {
      ...anchor,
      id: 'cccccccc-dddd-4eee-8fff-000000000000',
      type: 'event.retracted',
      payload: { eventId: late.id, reason: 'entered_in_error' },
    };
    const unknownRetractions = async () =>
      (await warehouse.query(findingRows, {})).filter(
        (f) => f.episode_id === anchor.episodeId && f.code === 'retraction_of_unknown_event',
      );
    await appendEvents(warehouse, stamp([retraction]));
    await projectEpisodes(warehouse, [anchor.episodeId], testKeys);
    expect(await unknownRetractions()).toHaveLength(1);
    await appendEvents(warehouse, stamp([late]));
    await projectEpisodes(warehouse, [anchor.episodeId], testKeys);
    expect(await unknownRetractions()).toHaveLength(0);
  });

  it('replays to exactly the incremental state', async () => {
    const episodes = await warehouse.query(episodeRows, {});
    const scores = await warehouse.query(scoreRows, {});
    const findings = await warehouse.query(findingRows, {});
    const result = await replay(warehouse, testKeys);
    expect(result.projected).toBe(episodes.length);
    expect(await warehouse.query(episodeRows, {})).toEqual(episodes);
    expect(await warehouse.query(scoreRows, {})).toEqual(scores);
    expect(await warehouse.query(findingRows, {})).toEqual(findings);
  }, 120_000);

  it('gives a record key to an episode projected before keys existed, at the next start', async () => {
    const before = await warehouse.query(episodeRows, {});
    const [first] = before;
    if (first === undefined) throw new Error('no episodes');
    // A row as an older version wrote it: no record key (the column's default).
    const { record_key: _key, ...legacy } = first as Record<string, unknown>;
    await warehouse.insert({
      name: 'test.legacy_episode',
      table: 'episodes',
      rows: [
        {
          ...legacy,
          bucket: await monthOf(first.episode_id),
          version: Date.now() * 1000 - 1,
          projected_at: '2026-01-01 00:00:00.000',
        },
      ],
    });
    expect(await keyUnkeyedEpisodes(warehouse, testKeys)).toBe(1);
    expect(await keyUnkeyedEpisodes(warehouse, testKeys)).toBe(0);
    const keyed = await warehouse.query(episodeRows, {});
    const row = keyed.find((r) => r.episode_id === first.episode_id);
    expect(row?.record_key).toBe(testKeys.of(String(first.episode_id)));
    expect(keyed).toEqual(before);
  });

  it('folds again, at the next start, an episode an older classification wrote', async () => {
    const before = await warehouse.query(episodeRows, {});
    const [first] = before;
    if (first === undefined) throw new Error('no episodes');
    // A row as the fold before signals for care wrote it: the new columns at their defaults.
    const {
      fold_version: _fold,
      improvement_session: _session,
      improvement_status: _status,
      followed_up: _followed,
      relapsed: _relapsed,
      session_totals: _totals,
      ...legacy
    } = first as Record<string, unknown>;
    await warehouse.insert({
      name: 'test.legacy_fold',
      table: 'episodes',
      rows: [
        {
          ...legacy,
          bucket: await monthOf(first.episode_id),
          version: Date.now() * 1000 - 1,
          projected_at: '2026-01-01 00:00:00.000',
        },
      ],
    });
    const stale = (await warehouse.query(episodeRows, {})).find(
      (r) => r.episode_id === first.episode_id,
    );
    expect(stale?.fold_version).toBe(0);
    expect(stale?.improvement_status).toBe('');
    expect(stale?.session_totals).toEqual([]);
    expect(await refoldOutdatedEpisodes(warehouse, testKeys)).toBe(1);
    expect(await refoldOutdatedEpisodes(warehouse, testKeys)).toBe(0);
    const refolded = await warehouse.query(episodeRows, {});
    const row = refolded.find((r) => r.episode_id === first.episode_id);
    expect(row?.fold_version).toBe(FOLD_VERSION);
    expect(refolded).toEqual(before);
  });

  it('keeps every row after the directory is closed and reopened', async () => {
    const before = await warehouse.query(episodeRows, {});
    const stats = await eventLogStats(warehouse);
    await warehouse.close();
    warehouse = new Warehouse({ mode: 'embedded', dataDir: ctx.dataDir });
    ctx.warehouse = warehouse;
    expect(await eventLogStats(warehouse)).toEqual(stats);
    expect(await warehouse.query(episodeRows, {})).toEqual(before);
  });
});

function normalise(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' ? String(v) : v));
}
