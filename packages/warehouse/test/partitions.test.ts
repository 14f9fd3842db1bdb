/**
 * @fileoverview The episodes table partitioned by the quarter of the month each episode is filed
 * under (migrations 020-036): that of its earliest event when first stored. Reads use
 * FINAL without merging across partitions, which is exact only while an episode never has rows
 * in two partitions. Tried here with merges stopped, so every projection stays in its own part:
 * each episode is counted once however many versions lie unmerged, its latest version is the
 * one read, and an event of an earlier day arriving later does not move it to another month.
 */
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appendEvents, defineQuery, projectEpisodes, type Warehouse } from '../src/index.js';
import { batches, freshWarehouse, testKeys } from './helpers.js';

const counts = defineQuery({
  name: 'test.counts',
  sql: `SELECT
    (SELECT count() FROM episodes) AS stored,
    (SELECT count() FROM episodes FINAL) AS read,
    (SELECT uniqExact(episode_id) FROM episodes) AS episodes,
    (SELECT uniqExact(partition) FROM system.parts WHERE table = 'episodes' AND active) AS partitions,
    (SELECT count() FROM system.parts WHERE table = 'episodes' AND active) AS parts`,
  params: z.object({}),
  row: z.object({
    stored: z.coerce.number(),
    read: z.coerce.number(),
    episodes: z.coerce.number(),
    partitions: z.coerce.number(),
    parts: z.coerce.number(),
  }),
});
const rowOf = defineQuery({
  name: 'test.row_of',
  sql: 'SELECT toString(bucket) AS bucket, event_count, version FROM episodes FINAL WHERE episode_id = {id:String}',
  params: z.object({ id: z.string() }),
  row: z.object({ bucket: z.string(), event_count: z.coerce.number(), version: z.coerce.number() }),
});
const versionsOf = defineQuery({
  name: 'test.versions_of',
  sql: 'SELECT toString(bucket) AS bucket, version FROM episodes WHERE episode_id = {id:String} ORDER BY version',
  params: z.object({ id: z.string() }),
  row: z.object({ bucket: z.string(), version: z.coerce.number() }),
});

let ctx: Awaited<ReturnType<typeof freshWarehouse>>;
let warehouse: Warehouse;
const events = [...simulateNetwork({ seed: 2020, episodes: 60 })];
const byEpisode = new Map<string, CatalogEvent[]>();
for (const e of events) byEpisode.set(e.episodeId, [...(byEpisode.get(e.episodeId) ?? []), e]);
/** The month an episode's events file it under: that of the earliest. */
const monthOf = (list: readonly CatalogEvent[]) =>
  `${list
    .map((e) => e.occurredOn)
    .sort()[0]
    ?.slice(0, 7)}-01`;
const months = new Set([...byEpisode.values()].map(monthOf));
/** The partitions those months fall in: their quarters, as toYYYYMM(toStartOfQuarter(..)). */
const quarters = new Set(
  [...months].map(
    (m) =>
      `${m.slice(0, 4)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}`,
  ),
);

/** Stores and projects `list` as recorded at `recordedAt`. */
async function post(list: readonly CatalogEvent[], recordedAt: string): Promise<void> {
  const stamped: RecordedEvent[] = list.map((e) => ({ ...e, recordedAt, sourceId: 'test' }));
  const { stored } = await appendEvents(warehouse, stamped);
  await projectEpisodes(
    warehouse,
    stored.map((e) => e.episodeId),
    testKeys,
    { since: recordedAt },
  );
}

beforeAll(async () => {
  ctx = await freshWarehouse();
  warehouse = ctx.warehouse;
  await warehouse.command('test.stop_merges', 'SYSTEM STOP MERGES episodes');
  // Each episode's events in three deliveries: three versions of it, in three parts.
  const ids = [...byEpisode.keys()];
  for (const [n, group] of batches(ids, 20).entries()) {
    for (const part of [0, 1, 2]) {
      const list = group.flatMap((id) => {
        const all = byEpisode.get(id) ?? [];
        const third = Math.ceil(all.length / 3);
        return all.slice(part * third, (part + 1) * third);
      });
      await post(list, `2026-06-${String(n * 3 + part + 1).padStart(2, '0')}T10:00:00.000Z`);
    }
  }
}, 120_000);
afterAll(async () => ctx.dispose());

describe('episodes filed by month, partitioned by quarter, read with FINAL per partition', () => {
  it('count each episode once, with several versions of it unmerged in several parts', async () => {
    const [state] = await warehouse.query(counts, {});
    expect(state?.episodes).toBe(byEpisode.size);
    expect(quarters.size).toBeGreaterThan(3);
    expect(state?.partitions).toBe(quarters.size);
    // Unmerged: far more rows and parts than episodes and partitions.
    expect(state?.stored).toBeGreaterThanOrEqual(byEpisode.size * 2);
    expect(state?.parts).toBeGreaterThan(state?.partitions ?? 0);
    expect(state?.read).toBe(byEpisode.size);
  });

  it("read each episode's latest version, filed under the month of its earliest event", async () => {
    const [first] = byEpisode.keys();
    const [row] = await warehouse.query(rowOf, { id: String(first) });
    expect(row?.bucket).toBe(monthOf(byEpisode.get(String(first)) ?? []));
    expect(row?.event_count).toBe(new Set(byEpisode.get(String(first))?.map((e) => e.id)).size);
    const versions = await warehouse.query(versionsOf, { id: String(first) });
    expect(versions.length).toBeGreaterThan(1);
    expect(row?.version).toBe(versions.at(-1)?.version);
    expect(new Set(versions.map((v) => v.bucket))).toEqual(new Set([row?.bucket]));
  });

  it('keep an episode in its month when an event of an earlier day arrives later', async () => {
    const [, second] = byEpisode.keys();
    const id = String(second);
    const [before] = await warehouse.query(rowOf, { id });
    const late = (byEpisode.get(id) ?? []).at(-1);
    if (before === undefined || late === undefined) throw new Error('no episode');
    // A new event dated two years before the episode's first: its earliest event is now in
    // another month, yet the episode stays filed under its own.
    const early = `${Number(before.bucket.slice(0, 4)) - 2}${before.bucket.slice(4)}`;
    const skewed = {
      ...late,
      id: '0d1e8c3e-3b9a-4c7e-8f00-000000000001',
      occurredOn: early,
    } as CatalogEvent;
    await post([skewed], '2026-07-01T00:00:00.000Z');
    const [after] = await warehouse.query(rowOf, { id });
    expect(after?.bucket).toBe(before.bucket);
    expect(after?.event_count).toBe(before.event_count + 1);
    const [state] = await warehouse.query(counts, {});
    expect(state?.read).toBe(byEpisode.size);
    expect(state?.partitions).toBe(quarters.size);
  });

  it('read the newest version under a period filter, though the index keeps only the older', async () => {
    const inPeriod = defineQuery({
      name: 'test.in_period',
      sql: `SELECT
        countIf(started_on >= '2030-01-01') AS moved,
        (SELECT count() FROM episodes FINAL WHERE started_on < '2029-01-01') AS before,
        (SELECT count() FROM episodes FINAL WHERE started_on >= '2030-01-01') AS after
        FROM episodes FINAL`,
      params: z.object({}),
      row: z.object({
        moved: z.coerce.number(),
        before: z.coerce.number(),
        after: z.coerce.number(),
      }),
    });
    const [was] = await warehouse.query(inPeriod, {});
    expect(was?.before).toBeGreaterThan(0);
    // A newer version of every started episode, its start moved out of every earlier period,
    // in a part of its own (merges are stopped): the start-day index of that part excludes it
    // from a question about earlier periods, while the older parts' index keeps the old rows.
    await warehouse.command(
      'test.move_starts',
      "INSERT INTO episodes SELECT * REPLACE (toDate('2030-01-01') AS started_on, version + 1000000 AS version) FROM episodes FINAL WHERE started_on IS NOT NULL",
    );
    const [now] = await warehouse.query(inPeriod, {});
    expect(now?.before).toBe(0);
    expect(now?.after).toBe(was?.before);
    expect(now?.moved).toBe(was?.before);
  });
});
