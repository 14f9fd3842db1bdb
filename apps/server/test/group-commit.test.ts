/**
 * @fileoverview The embedded ingestor's group commit, against embedded chDB: batches queued
 * behind a running write are written together, with the answers each would get written alone
 * (ownership decided in arrival order, a repeated id stored once and counted a duplicate, the
 * refusals indexed into each batch); a group never exceeds its bound; a group that fails fails
 * each of its batches and stores none of their events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRecordKeys } from '@ipt/analytics/testing';
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import { FOREIGN_EPISODE_MESSAGE, ownershipScreen, type Screen } from '@ipt/http';
import { defineQuery, migrate, Warehouse } from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmbeddedIngestor, splitRefusals } from '../src/ingest/embedded-ingestor.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ipt-group-commit-'));
let warehouse: Warehouse;
/** Event-log appends made, counted at the gateway: one per group written. */
let appends = 0;

beforeAll(async () => {
  warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const insert = warehouse.insert.bind(warehouse);
  warehouse.insert = async (options) => {
    if (options.name === 'events.append') appends += 1;
    return insert(options);
  };
});
afterAll(async () => {
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const build = episodeBuilder('group-commit-secret-0123456789abcdef');
const recorded = (events: CatalogEvent[]): RecordedEvent[] =>
  events.map((e) => ({ ...e, recordedAt: new Date().toISOString(), sourceId: 'group-test' }));

const storedIds = defineQuery({
  name: 'test.stored_ids',
  sql: 'SELECT toString(id) AS id, clinic_id FROM events WHERE episode_id IN {episodes:Array(String)}',
  params: z.object({ episodes: z.array(z.string()) }),
  row: z.object({ id: z.string(), clinic_id: z.string() }),
});
const episodeClinic = defineQuery({
  name: 'test.episode_clinic',
  sql: 'SELECT episode_id, clinic_id, sessions_attended FROM episodes FINAL WHERE episode_id IN {episodes:Array(String)} ORDER BY episode_id',
  params: z.object({ episodes: z.array(z.string()) }),
  row: z.object({
    episode_id: z.string(),
    clinic_id: z.string(),
    sessions_attended: z.coerce.number(),
  }),
});

describe('group commit', () => {
  it('writes queued batches in one group, each answered as if written alone', async () => {
    const ingestor = createEmbeddedIngestor(warehouse, testRecordKeys);
    const screen = ownershipScreen(warehouse);
    const x = build('group-a', 'x');
    const xFromB = build('group-b', 'x'); // the same episode id, sent by clinic B
    const y = build('group-a', 'y');
    const first = recorded([x.started('2025-03-03'), x.attended(1, '2025-03-10')]);
    const foreign = recorded([xFromB.attended(2, '2025-03-17'), xFromB.attended(3, '2025-03-24')]);
    const repeated = recorded([x.attended(2, '2025-03-17')]);
    repeated.unshift({ ...(first[1] as RecordedEvent) }); // a re-sent copy of an id of batch 1
    const other = recorded([y.started('2025-04-01'), y.attended(1, '2025-04-08')]);
    appends = 0;

    // Batch 1 starts writing at once; 2, 3 and 4 queue behind it and are written together.
    const results = await Promise.all(
      [first, foreign, repeated, other].map((batch) => ingestor.ingest(batch, screen)),
    );
    expect(appends).toBe(2);

    expect(results[0]).toMatchObject({ refused: [], stored: 2, duplicates: 0 });
    expect(results[1]?.refused).toEqual([
      { index: 0, errors: [{ path: 'episodeId', message: FOREIGN_EPISODE_MESSAGE }] },
      { index: 1, errors: [{ path: 'episodeId', message: FOREIGN_EPISODE_MESSAGE }] },
    ]);
    expect(results[1]).toMatchObject({ stored: 0, duplicates: 0 });
    expect(results[2]).toMatchObject({ refused: [], stored: 1, duplicates: 1 });
    expect(results[3]).toMatchObject({ refused: [], stored: 2, duplicates: 0 });
    // The group's projection is counted once, on its first batch: episodes x and y.
    expect(results.map((r) => r.projected)).toEqual([1, 2, 0, 0]);

    const stored = await warehouse.query(storedIds, { episodes: [x.id, y.id] });
    expect(stored).toHaveLength(5);
    expect(new Set(stored.map((r) => r.clinic_id))).toEqual(new Set(['group-a']));
    expect(await warehouse.query(episodeClinic, { episodes: [x.id, y.id] })).toEqual(
      [
        { episode_id: x.id, clinic_id: 'group-a', sessions_attended: 2 },
        { episode_id: y.id, clinic_id: 'group-a', sessions_attended: 1 },
      ].sort((a, b) => a.episode_id.localeCompare(b.episode_id)),
    );
  });

  it('never writes more events in a group than its bound', async () => {
    const ingestor = createEmbeddedIngestor(warehouse, testRecordKeys, { maxGroupEvents: 4 });
    const screen = ownershipScreen(warehouse);
    const batches = ['b1', 'b2', 'b3', 'b4', 'b5'].map((local) => {
      const e = build('group-a', local);
      return recorded([e.started('2025-05-05'), e.attended(1, '2025-05-12')]);
    });
    appends = 0;
    const results = await Promise.all(batches.map((batch) => ingestor.ingest(batch, screen)));
    // [b1] alone (it started before the others arrived), then [b2, b3] and [b4, b5].
    expect(appends).toBe(3);
    expect(results.map((r) => r.stored)).toEqual([2, 2, 2, 2, 2]);
  });

  it('fails every batch of a failed group and stores none of their events', async () => {
    const ingestor = createEmbeddedIngestor(warehouse, testRecordKeys);
    const good = ownershipScreen(warehouse);
    const failing: Screen = async () => {
      throw new Error('screen failed');
    };
    const ok = build('group-a', 'ok');
    const lost = [build('group-a', 'lost1'), build('group-a', 'lost2')];
    const outcomes = await Promise.allSettled([
      ingestor.ingest(recorded([ok.started('2025-06-02')]), good),
      ...lost.map((e) => ingestor.ingest(recorded([e.started('2025-06-02')]), failing)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(outcomes[1]).toMatchObject({ reason: new Error('screen failed') });
    expect(await warehouse.query(storedIds, { episodes: lost.map((e) => e.id) })).toEqual([]);
    expect(await warehouse.query(storedIds, { episodes: [ok.id] })).toHaveLength(1);
  });
});

describe('splitRefusals', () => {
  it('gives each batch its own refusals, indexed into it', () => {
    const refusal = (index: number) => ({ index, errors: [{ path: 'p', message: 'm' }] });
    expect(splitRefusals([2, 3, 1], [refusal(1), refusal(2), refusal(4), refusal(5)])).toEqual([
      [refusal(1)],
      [refusal(0), refusal(2)],
      [refusal(0)],
    ]);
    expect(splitRefusals([2, 0, 1], [refusal(2)])).toEqual([[], [], [refusal(0)]]);
    expect(() => splitRefusals([2], [refusal(2)])).toThrow(/outside the group/);
  });
});
