/**
 * @fileoverview A broker restart during ingest, against a real single-node Kafka of the test's
 * own: while the broker is down sources get 503 with Retry-After and accept nothing; their
 * retries succeed once it is back, without restarting the service; nothing is lost or doubled.
 */
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJson, type Harness, startHarness } from '../harness.js';
import { describeWithKafka } from './broker.js';
import { projectedLogStats, sendThrough } from './faults.js';
import { type LocalKafka, startLocalKafka } from './local-kafka.js';

describeWithKafka('broker restart during ingest', () => {
  let kafka: LocalKafka;
  let h: Harness;
  const events = [...simulateNetwork({ seed: 909, episodes: 600, clinics: 6 })];

  beforeAll(async () => {
    kafka = await startLocalKafka({ nodes: 1, port: 19392 });
    h = await startHarness({
      clinics: [...new Set(events.map((e) => e.clinicId))],
      env: { KAFKA_BROKERS: kafka.brokers, KAFKA_PARTITIONS: '3' },
    });
  });
  afterAll(async () => {
    await h?.dispose();
    await kafka?.stop();
  });

  it('answers 503 while the broker is down, then the retries land exactly once', async () => {
    let restarted: Promise<void> | null = null;
    const { acknowledged, statuses } = await sendThrough(h, events, async (batch) => {
      if (batch !== 10) return;
      await kafka.stopNode(1);
      const ready = await getJson(h, '/readyz', { key: null });
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({
        ready: false,
        checks: { kafka: 'down', warehouse: 'up' },
      });
      // Back after a few seconds, while the client keeps retrying the batch.
      restarted = new Promise((resolve) => setTimeout(resolve, 4_000)).then(() =>
        kafka.startNode(1),
      );
    });
    await restarted;
    expect(acknowledged).toBe(events.length);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    const distinct = new Set(events.map((e) => e.id)).size;
    expect(await projectedLogStats(h)).toMatchObject({ events: distinct, ids: distinct });
  });
});
