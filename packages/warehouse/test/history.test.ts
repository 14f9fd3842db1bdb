/**
 * @fileoverview The history of projections (episode_history) against the fold of the events
 * recorded up to each moment, computed here from the events themselves: as of any moment, each
 * episode's row is what @ipt/protocol folds from its owner's events recorded by then, whatever
 * came later (late events, retractions), through a late-stamped event, a projection that never
 * ran, and a replay.
 */
import type { RecordedEvent } from '@ipt/events';
import { type EpisodeEvent, FOLD_VERSION, foldEpisode } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  appendEvents,
  defineQuery,
  episodesAsOfSql,
  ownedEvents,
  projectEpisodes,
  refoldOutdatedEpisodes,
  replay,
  type Warehouse,
} from '../src/index.js';
import { episodeRow } from '../src/projection/rows.js';
import { batches, freshWarehouse, testKeys } from './helpers.js';

const asOfRows = defineQuery({
  name: 'test.as_of',
  sql: `SELECT * EXCEPT (version, projected_at) FROM ${episodesAsOfSql('at')} ORDER BY episode_id`,
  params: z.object({ at: z.string() }),
  row: z.record(z.string(), z.unknown()),
});
const historyOf = defineQuery({
  name: 'test.history_of',
  sql: 'SELECT * EXCEPT (projected_at) FROM episode_history WHERE episode_id = {id:String} ORDER BY recorded_to',
  params: z.object({ id: z.string() }),
  row: z.record(z.string(), z.unknown()),
});
const monthsPerEpisode = defineQuery({
  name: 'test.months_per_episode',
  sql: `SELECT count() AS episodes, countIf(months > 1) AS split FROM (
    SELECT episode_id, uniqExact(bucket) AS months FROM (
      SELECT episode_id, bucket FROM episode_history UNION ALL SELECT episode_id, bucket FROM episodes
    ) GROUP BY episode_id)`,
  params: z.object({}),
  row: z.object({ episodes: z.coerce.number(), split: z.coerce.number() }),
});
const outdatedHistory = defineQuery({
  name: 'test.outdated_history',
  sql: `SELECT count() AS n FROM episode_history WHERE fold_version != ${FOLD_VERSION}`,
  params: z.object({}),
  row: z.object({ n: z.coerce.number() }),
});
const columnsOf = defineQuery({
  name: 'test.columns',
  sql: 'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
  params: z.object({ table: z.string() }),
  row: z.object({ name: z.string(), type: z.string() }),
});

/**
 * Through JSON (ClickHouse returns strings for dates), without the month the episode is filed
 * under: that is fixed when its first events are stored, not folded (partitions.test.ts, and
 * the last test here holds every row of an episode to one month).
 */
const normalise = (row: Record<string, unknown>) => {
  const { bucket: _bucket, ...rest } = JSON.parse(JSON.stringify(row));
  return rest;
};
const chTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The rows as of `at`, folded here from the events recorded by then. */
function expectedAsOf(events: readonly RecordedEvent[], at: number): Record<string, unknown>[] {
  const byEpisode = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    if (Date.parse(e.recordedAt) > at) continue;
    byEpisode.set(e.episodeId, [...(byEpisode.get(e.episodeId) ?? []), e]);
  }
  return [...byEpisode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([episodeId, list]) => {
      // Distinct ids, first recorded copy, as the event log reads them.
      const seen = new Map<string, RecordedEvent>();
      for (const e of list) if (!seen.has(e.id)) seen.set(e.id, e);
      const kept = ownedEvents([...seen.values()] as never).kept;
      const latest = Math.max(...kept.map((e) => Date.parse(e.recordedAt)));
      const {
        version: _v,
        projected_at: _p,
        ...row
      } = episodeRow(
        foldEpisode(kept as unknown as EpisodeEvent[]),
        0,
        '2026-01-01T00:00:00.000Z',
        testKeys.of(episodeId),
        new Date(latest).toISOString(),
        '',
      );
      return normalise(row);
    });
}

let ctx: Awaited<ReturnType<typeof freshWarehouse>>;
let warehouse: Warehouse;
const recorded: RecordedEvent[] = [];
const START = Date.parse('2026-05-01T09:00:00.000Z');
/** The recorded time of batch i: a second apart, so each batch is one history row. */
const at = (i: number) => START + i * 1000;

async function post(events: RecordedEvent[], project = true): Promise<void> {
  const { stored } = await appendEvents(warehouse, events);
  recorded.push(...stored);
  if (!project) return;
  const since = new Date(Math.min(...events.map((e) => Date.parse(e.recordedAt)))).toISOString();
  await projectEpisodes(
    warehouse,
    events.map((e) => e.episodeId),
    testKeys,
    { since },
  );
}

beforeAll(async () => {
  ctx = await freshWarehouse();
  warehouse = ctx.warehouse;
  const events = [...simulateNetwork({ seed: 1212, episodes: 120 })];
  let i = 0;
  for (const batch of batches(events, 300)) {
    const time = new Date(at(i++)).toISOString();
    await post(batch.map((e) => ({ ...e, recordedAt: time, sourceId: 'test-source' })));
  }
}, 120_000);
afterAll(async () => ctx.dispose());

describe('the history of projections', () => {
  it('has the columns of episodes, as the release rows do after their name', async () => {
    const episodes = await warehouse.query(columnsOf, { table: 'episodes' });
    expect(episodes.length).toBeGreaterThan(50);
    expect(await warehouse.query(columnsOf, { table: 'episode_history' })).toEqual(episodes);
    expect(await warehouse.query(columnsOf, { table: 'release_episodes' })).toEqual([
      { name: 'release', type: 'String' },
      ...episodes,
    ]);
  });

  it('answers, as of each batch and between batches, the fold of the events recorded by then', async () => {
    const last = Math.max(...recorded.map((e) => Date.parse(e.recordedAt)));
    const moments = [at(0), at(0) + 500, at(3), at(7) + 999, last, last + 60_000];
    for (const moment of moments) {
      const expected = expectedAsOf(recorded, moment);
      expect(expected.length, `as of ${chTime(moment)}`).toBeGreaterThan(0);
      const actual = await warehouse.query(asOfRows, { at: chTime(moment) });
      expect(actual.map(normalise), `as of ${chTime(moment)}`).toEqual(expected);
    }
    // Before the first event, nothing.
    expect(await warehouse.query(asOfRows, { at: chTime(at(0) - 1) })).toEqual([]);
  });

  it('keeps the past when a late retraction and a late event arrive', async () => {
    const before = Math.max(...recorded.map((e) => Date.parse(e.recordedAt)));
    const snapshot = await warehouse.query(asOfRows, { at: chTime(before) });
    const score = recorded.find((e) => e.type === 'phq9.recorded');
    if (score === undefined) throw new Error('no score in the network');
    const later = new Date(before + 5000).toISOString();
    await post([
      {
        ...score,
        id: '0b7a4f0e-2b1c-4d7e-9a55-1d2c3b4a5f60',
        type: 'event.retracted',
        schemaVersion: 1,
        payload: { eventId: score.id, reason: 'entered_in_error' },
        recordedAt: later,
      } as unknown as RecordedEvent,
    ]);
    expect(await warehouse.query(asOfRows, { at: chTime(before) })).toEqual(snapshot);
    const now = await warehouse.query(asOfRows, { at: chTime(before + 5000) });
    const changed = now.find((r) => r.episode_id === score.episodeId);
    const was = snapshot.find((r) => r.episode_id === score.episodeId);
    expect(changed?.retracted_count).toBe(Number(was?.retracted_count) + 1);
    expect(now.map(normalise)).toEqual(expectedAsOf(recorded, before + 5000));
  });

  it('folds again the rows after an event stamped earlier than the latest (another ingest clock)', async () => {
    const latest = Math.max(...recorded.map((e) => Date.parse(e.recordedAt)));
    const episode = recorded.find((e) => e.type === 'session.attended');
    if (episode === undefined) throw new Error('no session in the network');
    // Stamped 2.5 s before the latest row already written for the network.
    const skewed = {
      ...episode,
      id: '5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      type: 'session.missed',
      payload: { sessionNumber: 19, reason: 'no_show' },
      recordedAt: new Date(latest - 2500).toISOString(),
    } as unknown as RecordedEvent;
    await post([skewed]);
    for (const moment of [latest - 2501, latest - 2500, latest]) {
      const actual = await warehouse.query(asOfRows, { at: chTime(moment) });
      expect(actual.map(normalise)).toEqual(expectedAsOf(recorded, moment));
    }
  });

  it('writes the rows a projection that never ran left out, at the next one', async () => {
    const latest = Math.max(...recorded.map((e) => Date.parse(e.recordedAt)));
    const [a, b] = recorded.filter((e) => e.type === 'session.attended').slice(-2);
    if (a === undefined || b === undefined) throw new Error('no sessions');
    const lost = {
      ...a,
      id: '6e2f3a4b-5c6d-4e7f-8a91-a2b3c4d5e6f7',
      type: 'session.missed',
      payload: { sessionNumber: 18, reason: 'no_show' },
      recordedAt: new Date(latest + 1000).toISOString(),
    } as unknown as RecordedEvent;
    await post([lost], false); // stored, then the process died before projecting
    await post([{ ...b, recordedAt: new Date(latest + 2000).toISOString() }]); // a retry, later
    await post([{ ...lost, recordedAt: new Date(latest + 3000).toISOString() }]); // its retry
    for (const moment of [latest + 1000, latest + 3000]) {
      const actual = await warehouse.query(asOfRows, { at: chTime(moment) });
      expect(actual.map(normalise)).toEqual(expectedAsOf(recorded, moment));
    }
  });

  it('is folded again under new definitions, and the rows of the old ones are dropped', async () => {
    const latest = Math.max(...recorded.map((e) => Date.parse(e.recordedAt)));
    const [victim] = await warehouse.query(asOfRows, { at: chTime(latest) });
    if (victim === undefined) throw new Error('no episodes');
    const id = String(victim.episode_id);
    // Rows as older definitions wrote them (fold version 0, other numbers), newest of their key.
    const stale = await warehouse.query(historyOf, { id });
    const olderDefinitions = {
      fold_version: 0,
      sessions_attended: 99,
      version: Date.now() * 1000 - 1,
    };
    await warehouse.insert({
      name: 'test.stale_history',
      table: 'episode_history',
      rows: stale.map((row) => ({
        ...row,
        ...olderDefinitions,
        projected_at: '2026-01-01 00:00:00.000',
      })),
    });
    await warehouse.insert({
      name: 'test.stale_episode',
      table: 'episodes',
      rows: [{ ...stale.at(-1), ...olderDefinitions, projected_at: '2026-01-01 00:00:00.000' }],
    });
    const moments = [at(1), at(6), latest];
    const staleAnswer = await warehouse.query(asOfRows, { at: chTime(latest) });
    expect(staleAnswer.find((r) => r.episode_id === id)?.sessions_attended).toBe(99);
    expect(await refoldOutdatedEpisodes(warehouse, testKeys)).toBe(1);
    for (const moment of moments) {
      const actual = await warehouse.query(asOfRows, { at: chTime(moment) });
      expect(actual.map(normalise)).toEqual(expectedAsOf(recorded, moment));
    }
    expect(await warehouse.query(outdatedHistory, {})).toEqual([{ n: 0 }]);
  });

  it('gains no row when the same events are projected again (a retried batch)', async () => {
    const count = defineQuery({
      name: 'test.history_rows',
      sql: 'SELECT count() AS n FROM episode_history',
      params: z.object({}),
      row: z.object({ n: z.coerce.number() }),
    });
    const [before] = await warehouse.query(count, {});
    const ids = [...new Set(recorded.map((e) => e.episodeId))].slice(0, 50);
    await projectEpisodes(warehouse, ids, testKeys, { since: new Date().toISOString() });
    expect(await warehouse.query(count, {})).toEqual([before]);
  });

  it('is rebuilt the same by a replay', async () => {
    const moments = [at(2), at(5) + 10, Math.max(...recorded.map((e) => Date.parse(e.recordedAt)))];
    const before = await Promise.all(
      moments.map((m) => warehouse.query(asOfRows, { at: chTime(m) })),
    );
    await replay(warehouse, testKeys);
    for (const [i, m] of moments.entries()) {
      expect(await warehouse.query(asOfRows, { at: chTime(m) })).toEqual(before[i]);
    }
  });

  it('files every row of an episode, current and past, under one month', async () => {
    const [months] = await warehouse.query(monthsPerEpisode, {});
    expect(months?.episodes).toBeGreaterThan(100);
    expect(months?.split).toBe(0);
  });
});
