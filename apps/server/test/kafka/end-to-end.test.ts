/**
 * @fileoverview The scaled write path against a real Kafka broker, in the one-process layout
 * (KAFKA_BROKERS with the embedded warehouse): POSTed events are on ipt.events.v1 and visible in
 * /v1/outcomes; a client other than kafkajs (kcat) reads JSON v1 envelopes from the topic; an
 * unreadable message goes to ipt.events.dlq and dead_letters while the partition moves on;
 * readiness and lag are reported; and a replay from offset 0 into a fresh warehouse equals the
 * incremental state.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectedOutcomes, foldAll } from '@ipt/analytics/testing';
import { type CatalogEvent, validateEvent } from '@ipt/events';
import { createLogger } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { defineQuery, eventLogStats, migrate, Warehouse } from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createKafka } from '../../src/kafka/client.js';
import { replayFromKafka } from '../../src/kafka/replay.js';
import { topicNames } from '../../src/kafka/topics.js';
import {
  getJson,
  type Harness,
  postEvents,
  recordKeysOf,
  startHarness,
  warehouseOf,
} from '../harness.js';
import { describeWithKafka } from './broker.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);
const PREFIX = `e2e-${Date.now()}.`;
const topics = topicNames(PREFIX);
const episodeRows = defineQuery({
  name: 'test.episodes',
  // bucket: the month the episode is filed under, fixed when its first events were stored
  // (a replay sees every event at once): where the row is stored, not what it says.
  sql: 'SELECT * EXCEPT (version, projected_at, bucket) FROM episodes FINAL ORDER BY episode_id',
  params: z.object({}),
  row: z.record(z.string(), z.unknown()),
});

describeWithKafka('Kafka end to end', (brokers) => {
  let h: Harness;
  const events: CatalogEvent[] = [...simulateNetwork({ seed: 31, episodes: 300, clinics: 8 })];
  const distinctIds = new Set(events.map((e) => e.id)).size;

  beforeAll(async () => {
    h = await startHarness({
      clinics: [...new Set(events.map((e) => e.clinicId))],
      env: { KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: PREFIX, KAFKA_PARTITIONS: '3' },
    });
    for (let i = 0; i < events.length; i += 1000) {
      const res = await postEvents(h, { events: events.slice(i, i + 1000) });
      expect(res.status).toBe(200);
      expect((res.json as { accepted: number }).accepted).toBe(Math.min(1000, events.length - i));
    }
  });
  afterAll(async () => h?.dispose());

  it('projects every posted event exactly once, visible in /v1/outcomes', async () => {
    const stats = await waitFor(
      () => eventLogStats(warehouseOf(h)),
      (s) => s.ids === distinctIds,
      { what: 'projection' },
    );
    expect(stats.events).toBe(distinctIds);
    // The steward's exact numbers equal the independent computation.
    const res = await getJson(h, '/v1/outcomes?groupBy=problemArea,medication', {
      key: h.stewardKey,
    });
    const groups = (res.json as { groups: Array<Record<string, unknown>> }).groups;
    const expected = expectedOutcomes(foldAll(events), ['problemArea', 'medication'], 11);
    const key = (g: Record<string, unknown>) => [g.problemArea, g.medication, g.n];
    const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(groups.map(key))).toEqual(
      sorted(expected.map((g) => key(g as Record<string, unknown>))),
    );
  });

  it('reports Kafka in readiness and the consumer lag in metrics', async () => {
    expect((await getJson(h, '/readyz', { key: null })).json).toEqual({
      ready: true,
      checks: { warehouse: 'up', kafka: 'up' },
    });
    const lag = await h.running.projector?.lag();
    expect(lag).toBe(0);
    const metrics = (await getJson(h, '/metrics', { key: null })).text;
    expect(metrics).toMatch(/projector_events_total\{outcome="stored"\} [1-9]/);
    expect(metrics).toMatch(/projector_lag_events/);
  });

  it('lets a client other than kafkajs read JSON v1 envelopes from the topic (kcat)', async (context) => {
    const kcat = await run('which', ['kcat']).then(
      () => 'kcat',
      () => null,
    );
    if (kcat === null) {
      if (process.env.REQUIRE_KAFKA === '1')
        expect.fail('kcat is not installed (apt-get install kcat)');
      // Reported as skipped, never as passed: the check did not run.
      context.skip(
        'kcat is not installed (apt-get install kcat): the non-kafkajs reader check did not run',
      );
      return;
    }
    const { stdout } = await run(
      kcat,
      ['-b', brokers, '-C', '-t', topics.events, '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n'],
      {
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(events.length);
    for (const line of lines.slice(0, 500)) {
      const [key, value] = line.split('\t');
      const message = JSON.parse(value ?? '') as Record<string, unknown>;
      const { recordedAt, sourceId, ...event } = message;
      expect(validateEvent(event).ok).toBe(true);
      expect(typeof recordedAt).toBe('string');
      expect(sourceId).toBe('test-source');
      expect(key).toBe(event.episodeId);
    }
  });

  it('dead-letters an unreadable message and keeps the partition moving', async () => {
    const kafka = createKafka(brokers.split(','), createLogger({ level: 'silent' }), 'test-dlq');
    const producer = kafka.producer();
    await producer.connect();
    const [first] = events;
    if (first === undefined) throw new Error('no events');
    const after = {
      ...first,
      id: '0f0f0f0f-1111-4222-8333-444444444444',
      recordedAt: new Date().toISOString(),
      sourceId: 'test-source',
    };
    await producer.send({
      topic: topics.events,
      messages: [
        { key: 'e_dlq_case', value: '{not json', partition: 0 },
        { key: 'e_dlq_case', value: JSON.stringify({ ...after, schemaVersion: 2 }), partition: 0 },
        { key: first.episodeId, value: JSON.stringify(after), partition: 0 },
      ],
    });
    await producer.disconnect();
    const deadLetters = defineQuery({
      name: 'test.dead_letters',
      sql: "SELECT reason FROM dead_letters WHERE origin = 'kafka' ORDER BY reason",
      params: z.object({}),
      row: z.object({ reason: z.string() }),
    });
    const rows = await waitFor(
      () => warehouseOf(h).query(deadLetters, {}),
      (r) => r.length === 2,
      { what: 'dead letters' },
    );
    expect(rows[0]?.reason).toMatch(/^not JSON/);
    expect(rows[1]?.reason).toMatch(/^not a v1 event: schemaVersion/);
    await waitFor(
      () => eventLogStats(warehouseOf(h)),
      (s) => s.ids === distinctIds + 1,
      { what: 'the event after the dead letters' },
    );
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topics.deadLetters);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(2);
  });

  it('replays from offset 0 into a fresh warehouse equal to the incremental state', async () => {
    const incremental = await warehouseOf(h).query(episodeRows, {});
    const keys = recordKeysOf(h);
    await h.running.stop();
    const dataDir = mkdtempSync(join(tmpdir(), 'ipt-replay-'));
    const fresh = new Warehouse({ mode: 'embedded', dataDir });
    try {
      await migrate(fresh);
      const kafka = createKafka(
        brokers.split(','),
        createLogger({ level: 'silent' }),
        'test-replay',
      );
      await replayFromKafka({
        kafka,
        warehouse: fresh,
        recordKeys: keys,
        logger: createLogger({ level: 'silent' }),
        prefix: PREFIX,
      });
      expect(await fresh.query(episodeRows, {})).toEqual(incremental);
      expect((await eventLogStats(fresh)).ids).toBe(distinctIds + 1);
    } finally {
      await fresh.close();
      rmSync(dataDir, { recursive: true, force: true });
      await h.restart();
    }
  });
});
