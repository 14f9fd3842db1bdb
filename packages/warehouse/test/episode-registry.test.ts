/**
 * @fileoverview The register of episodes against embedded chDB: an append registers each new
 * episode before storing its events and hands back its whole history exactly as the log
 * returns it, so the projection folds it without reading it back, to the same rows; an
 * episode already in the log (even one whose projection never ran) is read back; a time the
 * store would rewrite is read back rather than guessed; migration 036 registers the episodes an
 * older version stored without a projection.
 */
import type { CatalogEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registeredEpisodes } from '../src/episode-registry.js';
import { toEventRow } from '../src/event-store.js';
import {
  appendEvents,
  defineQuery,
  loadEpisodeEvents,
  loadMigrations,
  projectEpisodes,
  statements,
} from '../src/index.js';
import { freshWarehouse, stamp, testKeys } from './helpers.js';

let ctx: Awaited<ReturnType<typeof freshWarehouse>>;
const episode = episodeBuilder('episode register suite: a clinic secret, 32+ bytes');

const rowsOf = defineQuery({
  name: 'test.episode_rows',
  sql: 'SELECT * EXCEPT (version, projected_at) FROM episodes FINAL WHERE episode_id IN {ids:Array(String)} ORDER BY episode_id',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.record(z.string(), z.unknown()),
});
const historyOf = defineQuery({
  name: 'test.history_rows',
  // The history keeps every version (as-of reads take the newest at each recorded time).
  sql: 'SELECT * EXCEPT (version, projected_at) FROM episode_history WHERE episode_id IN {ids:Array(String)} ORDER BY episode_id, recorded_to, version DESC LIMIT 1 BY episode_id, recorded_to',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.record(z.string(), z.unknown()),
});

const scoresOf = defineQuery({
  name: 'test.score_rows',
  sql: 'SELECT * EXCEPT (version) FROM episode_scores FINAL WHERE episode_id IN {ids:Array(String)} ORDER BY episode_id, event_id',
  params: z.object({ ids: z.array(z.string()) }),
  row: z.record(z.string(), z.unknown()),
});

/** An episode of a few events, its first in `month` (YYYY-MM) and one in the month before. */
function course(local: string, month: string): CatalogEvent[] {
  const e = episode('C01', local);
  const earlier = `${Number(month.slice(0, 4)) - 1}-12-20`;
  return [
    e.started(`${month}-03`),
    e.phq9(0, 18, earlier), // a late-dated intake: the month filed is the earliest day's
    e.attended(1, `${month}-10`),
    e.phq9(1, 14, `${month}-10`),
  ];
}
const byId = <T extends { id: string }>(list: readonly T[]) =>
  [...list].sort((a, b) => a.id.localeCompare(b.id));

beforeAll(async () => {
  ctx = await freshWarehouse();
});
afterAll(async () => {
  await ctx?.dispose();
});

describe('the register of episodes', () => {
  it('hands back the whole history of each new episode exactly as the log returns it', async () => {
    const { warehouse } = ctx;
    const events = stamp([...course('a', '2026-02'), ...course('b', '2026-03')]);
    // A source may send ids in upper case; the log answers them in lower case.
    const first = events[0];
    if (first === undefined) throw new Error('no events');
    events[0] = { ...first, id: first.id.toUpperCase() };
    const ids = [...new Set(events.map((e) => e.episodeId))];
    expect(await registeredEpisodes(warehouse, ids)).toEqual(new Map());

    const { stored, histories } = await appendEvents(warehouse, events);
    expect(stored).toHaveLength(8);
    expect([...histories.keys()].sort()).toEqual([...ids].sort());
    const fromLog = await loadEpisodeEvents(warehouse, ids);
    for (const id of ids) {
      expect(byId(histories.get(id) ?? [])).toEqual(byId(fromLog.get(id) ?? []));
    }
    // Registered under the month of the earliest day, not of the start.
    expect(await registeredEpisodes(warehouse, ids)).toEqual(
      new Map([
        [ids[0], '2025-12-01'],
        [ids[1], '2025-12-01'],
      ]),
    );
  });

  it('projects a given history to the rows a read-back gives', async () => {
    const { warehouse } = ctx;
    const e = episode('C01', 'given');
    const first = stamp([e.started('2026-04-01'), e.phq9(0, 18, '2025-12-20')]);
    const second = stamp([e.attended(1, '2026-04-10'), e.phq9(1, 14, '2026-04-10')]);
    // Two stamps in one batch: the history table gets a row per recorded time.
    const { histories } = await appendEvents(warehouse, [...first, ...second]);
    expect(histories.get(e.id)).toHaveLength(4);
    await projectEpisodes(warehouse, [e.id], testKeys, { since: first[0]?.recordedAt, histories });
    const rows = await warehouse.query(rowsOf, { ids: [e.id] });
    const history = await warehouse.query(historyOf, { ids: [e.id] });
    const scores = await warehouse.query(scoresOf, { ids: [e.id] });
    expect(rows[0]?.baseline_total).toBe(18);
    expect(rows[0]?.sessions_attended).toBe(1);
    expect(history).toHaveLength(2);
    expect(scores).toHaveLength(2);
    // Folded again from the log, every row is the same.
    await projectEpisodes(warehouse, [e.id], testKeys);
    expect(await warehouse.query(rowsOf, { ids: [e.id] })).toEqual(rows);
    expect(await warehouse.query(historyOf, { ids: [e.id] })).toEqual(history);
    expect(await warehouse.query(scoresOf, { ids: [e.id] })).toEqual(scores);
  });

  it('reads back an episode already in the log, though its projection never ran', async () => {
    const { warehouse } = ctx;
    const e = episode('C01', 'crashed');
    const firstBatch = stamp([e.started('2026-05-04'), e.phq9(0, 20, '2026-05-04')]);
    // Appended, then the process died before projecting: registered, events stored.
    expect((await appendEvents(warehouse, firstBatch)).histories.has(e.id)).toBe(true);
    const later = stamp([e.attended(1, '2026-05-11'), e.phq9(1, 15, '2026-05-11')]);
    const { stored, histories } = await appendEvents(warehouse, later);
    expect(stored).toHaveLength(2);
    expect(histories.has(e.id)).toBe(false);
    await projectEpisodes(warehouse, [e.id], testKeys, {
      since: later[0]?.recordedAt,
      histories,
    });
    const [row] = await warehouse.query(rowsOf, { ids: [e.id] });
    // The intake of the first batch was folded with the session of the second.
    expect(row?.baseline_total).toBe(20);
    expect(row?.sessions_attended).toBe(1);
  });

  it('reads back an episode whose stamp the store would rewrite', async () => {
    const { warehouse } = ctx;
    const e = episode('C01', 'odd-stamp');
    const [event] = stamp([e.started('2026-06-01')]);
    if (event === undefined) throw new Error('no event');
    // A foreign producer's stamp without milliseconds: valid, but not the form the log answers.
    const odd = { ...event, recordedAt: event.recordedAt.replace('.000Z', 'Z') };
    const { stored, histories } = await appendEvents(warehouse, [odd]);
    expect(stored).toHaveLength(1);
    expect(histories.has(e.id)).toBe(false);
    expect(await registeredEpisodes(warehouse, [e.id])).toEqual(new Map([[e.id, '2026-06-01']]));
  });

  it('registers, at migration 036, the episodes an older version stored unprojected', async () => {
    const { warehouse } = ctx;
    const e = episode('C01', 'older-version');
    const events = stamp([e.started('2026-07-15'), e.phq9(0, 12, '2026-06-30')]);
    // Straight into the log, as a version before the register stored events.
    await warehouse.insert({ name: 'test.log', table: 'events', rows: events.map(toEventRow) });
    expect(await registeredEpisodes(warehouse, [e.id])).toEqual(new Map());
    const migration = loadMigrations().find((m) => m.version === 36);
    if (migration === undefined) throw new Error('migration 036 missing');
    for (const sql of statements(migration.sql)) await warehouse.command('test.036', sql);
    expect(await registeredEpisodes(warehouse, [e.id])).toEqual(new Map([[e.id, '2026-06-01']]));
    // Registered episodes are left as they are: a second run adds nothing.
    const count = defineQuery({
      name: 'test.register_rows',
      sql: 'SELECT count() AS n FROM episode_buckets',
      params: z.object({}),
      row: z.object({ n: z.coerce.number() }),
    });
    const [before] = await warehouse.query(count, {});
    for (const sql of statements(migration.sql)) await warehouse.command('test.036', sql);
    expect(await warehouse.query(count, {})).toEqual([before]);
  });
});
