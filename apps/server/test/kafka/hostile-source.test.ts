/**
 * @fileoverview Writes stay in their clinic in the scaled write path, against a real Kafka
 * broker (one-process layout: KAFKA_BROKERS with the embedded warehouse). Clinic B's key posting
 * events for clinic A's episode, or retracting A's events, is refused at the ingest once A's
 * episode is in the warehouse, and nothing of it reaches the topic. The same hostile events
 * produced straight to the topic (as an ingest without a warehouse, or another producer, would)
 * are stored in the raw log but never change A's episode: the projection folds the owner
 * clinic's events only and dead-letters the rest once. A replay from offset 0 into a fresh
 * warehouse equals the incremental state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, ingestConfigEntry } from '@ipt/auth';
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { episodeBuilder } from '@ipt/events/testing';
import { createLogger, FOREIGN_EPISODE_MESSAGE } from '@ipt/http';
import {
  defineQuery,
  eventLogStats,
  FOREIGN_EPISODE_REASON,
  migrate,
  Warehouse,
} from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createKafka } from '../../src/kafka/client.js';
import { replayFromKafka } from '../../src/kafka/replay.js';
import { topicNames } from '../../src/kafka/topics.js';
import { type Harness, postEvents, recordKeysOf, startHarness, warehouseOf } from '../harness.js';
import { describeWithKafka } from './broker.js';
import { waitFor } from './wait.js';

const PREFIX = `hostile-${Date.now()}.`;
const topics = topicNames(PREFIX);
const CLINIC_A = 'kafka-hostile-a';
const CLINIC_B = 'kafka-hostile-b';
const keys = { a: generateKey('ingest'), b: generateKey('ingest') };
const INGEST_KEYS = JSON.stringify([
  ingestConfigEntry(keys.a.keySha256, { sourceId: 'kafka-a-ehr', clinics: [CLINIC_A] }),
  ingestConfigEntry(keys.b.keySha256, { sourceId: 'kafka-b-ehr', clinics: [CLINIC_B] }),
]);
const builder = episodeBuilder('kafka hostile-source suite: a clinic secret, 32+ bytes');
const episode = (clinicId: string, local: string) =>
  builder(clinicId, local, { ageBand: '45-54', modality: 'online' });

const episodeRow = defineQuery({
  name: 'test.kafka_hostile.episode',
  // bucket: the month the episode is filed under, fixed when its first events were stored
  // (a replay sees every event at once): where the row is stored, not what it says.
  sql: 'SELECT * EXCEPT (version, projected_at, bucket) FROM episodes FINAL WHERE episode_id = {id:String}',
  params: z.object({ id: z.string() }),
  row: z.record(z.string(), z.unknown()),
});
const allEpisodes = defineQuery({
  name: 'test.kafka_hostile.episodes',
  // bucket: the month the episode is filed under, fixed when its first events were stored
  // (a replay sees every event at once): where the row is stored, not what it says.
  sql: 'SELECT * EXCEPT (version, projected_at, bucket) FROM episodes FINAL ORDER BY episode_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});
const deadLetters = defineQuery({
  name: 'test.kafka_hostile.dead_letters',
  sql: "SELECT event_id, reason FROM dead_letters WHERE origin = 'projector' ORDER BY event_id",
  params: z.object({}),
  row: z.object({ event_id: z.string(), reason: z.string() }),
});

describeWithKafka('Kafka: writes stay in their clinic', (brokers) => {
  let h: Harness;
  const a = episode(CLINIC_A, 'kafka-a-target');
  const aEvents = [
    a.started('2025-03-03'),
    a.phq9(0, [2, 2, 2, 2, 2, 2, 2, 1, 0], '2025-03-03'),
    a.attended(1, '2025-03-10'),
    a.phq9(1, [2, 2, 2, 1, 1, 1, 1, 1, 0], '2025-03-10'),
    a.attended(2, '2025-03-17'),
    a.phq9(2, [1, 1, 1, 1, 1, 1, 1, 1, 0], '2025-03-17'),
  ];
  const [aStart, aIntake] = aEvents;
  if (aStart === undefined || aIntake === undefined) throw new Error('no events');
  const b = episode(CLINIC_B, 'kafka-b-own');
  const intoA = { ...a.envelope, clinicId: CLINIC_B };
  const hostile: CatalogEvent[] = [
    { ...a.started('2024-01-01'), ...intoA } as CatalogEvent,
    { ...a.attended(3, '2025-03-24'), ...intoA } as CatalogEvent,
    { ...a.phq9(3, [3, 3, 3, 3, 3, 3, 3, 3, 3], '2025-03-24'), ...intoA } as CatalogEvent,
    { ...a.retract(aStart.id, '2025-03-24'), ...intoA } as CatalogEvent,
  ];
  const retractionFromB = b.retract(aIntake.id, '2025-03-24');
  let aRow: Record<string, unknown> | undefined;

  const rowOf = async (id: string) => (await warehouseOf(h).query(episodeRow, { id }))[0];
  const caughtUp = () =>
    waitFor(
      async () => (await h.running.projector?.lag()) ?? -1,
      (lag) => lag === 0,
      { what: 'the projector to catch up' },
    );

  beforeAll(async () => {
    h = await startHarness({
      clinics: [CLINIC_A],
      env: {
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: PREFIX,
        KAFKA_PARTITIONS: '3',
        INGEST_KEYS,
      },
    });
    const res = await postEvents(h, { events: aEvents }, { key: keys.a.key });
    expect(res.json).toEqual({ accepted: aEvents.length, rejected: [] });
    aRow = await waitFor(
      () => rowOf(a.id),
      (row) => row?.event_count === aEvents.length,
      { what: "A's episode" },
    );
    expect(aRow).toMatchObject({ clinic_id: CLINIC_A, started: 1, sessions_attended: 2 });
  });
  afterAll(async () => h?.dispose());

  it('refuses the hostile events at the ingest, and none of them reaches the topic', async () => {
    await caughtUp();
    const before = await eventLogStats(warehouseOf(h));
    const res = await postEvents(h, { events: [...hostile, retractionFromB] }, { key: keys.b.key });
    expect(res.status).toBe(200);
    const body = res.json as {
      accepted: number;
      rejected: Array<{ index: number; errors: Array<{ path: string; message: string }> }>;
    };
    expect(body.accepted).toBe(0);
    expect(body.rejected.map((r) => [r.index, r.errors[0]?.path])).toEqual([
      [0, 'episodeId'],
      [1, 'episodeId'],
      [2, 'episodeId'],
      [3, 'episodeId'],
      [4, 'payload.eventId'],
    ]);
    expect(body.rejected[0]?.errors[0]?.message).toBe(FOREIGN_EPISODE_MESSAGE);
    expect(JSON.stringify(body)).not.toContain(CLINIC_A);
    // Give a wrongly produced message the time to be projected, then check none was.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await caughtUp();
    expect(await eventLogStats(warehouseOf(h))).toEqual(before);
    expect(await rowOf(a.id)).toEqual(aRow);
  });

  it("never changes A's episode when the same events are produced straight to the topic", async () => {
    const kafka = createKafka(brokers.split(','), createLogger({ level: 'silent' }), 'hostile');
    const producer = kafka.producer();
    await producer.connect();
    const recordedAt = new Date().toISOString();
    const stamped: RecordedEvent[] = [...hostile, retractionFromB].map((event) => ({
      ...event,
      recordedAt,
      sourceId: 'kafka-b-ehr',
    }));
    const before = await eventLogStats(warehouseOf(h));
    try {
      await producer.send({
        topic: topics.events,
        acks: -1,
        messages: stamped.map((event) => ({ key: event.episodeId, value: JSON.stringify(event) })),
      });
    } finally {
      await producer.disconnect();
    }
    // They are in the raw log (it keeps what the log carried) ...
    await waitFor(
      () => eventLogStats(warehouseOf(h)),
      (s) => s.ids === before.ids + stamped.length,
      { what: 'the produced events' },
    );
    await caughtUp();
    // ... but A's episode is folded from A's events only, and each hostile event of it is
    // dead-lettered once; B's retraction of A's event in B's own episode changes nothing of A's.
    expect(await rowOf(a.id)).toEqual(aRow);
    const letters = await warehouseOf(h).query(deadLetters, {});
    expect(letters).toEqual(
      hostile
        .map((e) => ({ event_id: e.id, reason: FOREIGN_EPISODE_REASON }))
        .sort((x, y) => (x.event_id < y.event_id ? -1 : 1)),
    );
    expect(await rowOf(b.id)).toMatchObject({ clinic_id: CLINIC_B, started: 0 });
  });

  it("keeps taking A's own events after the attempt", async () => {
    const more = [
      a.attended(3, '2025-03-24'),
      a.phq9(3, [1, 1, 1, 1, 0, 0, 0, 0, 0], '2025-03-24'),
    ];
    const res = await postEvents(h, { events: more }, { key: keys.a.key });
    expect(res.json).toEqual({ accepted: 2, rejected: [] });
    const row = await waitFor(
      () => rowOf(a.id),
      (r) => r?.event_count === aEvents.length + 2,
      { what: "A's new events" },
    );
    expect(row).toMatchObject({ clinic_id: CLINIC_A, started: 1, sessions_attended: 3 });
    aRow = row;
    // Re-folding A's episode did not dead-letter the hostile events a second time.
    expect(await warehouseOf(h).query(deadLetters, {})).toHaveLength(hostile.length);
  });

  it('replays from offset 0 into a fresh warehouse equal to the incremental state', async () => {
    await caughtUp();
    const incremental = await warehouseOf(h).query(allEpisodes, {});
    const keys = recordKeysOf(h);
    await h.running.stop();
    const dataDir = mkdtempSync(join(tmpdir(), 'ipt-hostile-replay-'));
    const fresh = new Warehouse({ mode: 'embedded', dataDir });
    try {
      await migrate(fresh);
      await replayFromKafka({
        kafka: createKafka(brokers.split(','), createLogger({ level: 'silent' }), 'hostile-replay'),
        warehouse: fresh,
        recordKeys: keys,
        logger: createLogger({ level: 'silent' }),
        prefix: PREFIX,
      });
      expect(await fresh.query(allEpisodes, {})).toEqual(incremental);
      expect((await fresh.query(episodeRow, { id: a.id }))[0]).toEqual(aRow);
      expect(await fresh.query(deadLetters, {})).toHaveLength(hostile.length);
    } finally {
      await fresh.close();
      rmSync(dataDir, { recursive: true, force: true });
      await h.restart();
    }
  });
});
