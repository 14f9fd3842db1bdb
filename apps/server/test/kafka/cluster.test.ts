/**
 * @fileoverview Replication against a real 3-broker KRaft cluster of the test's own: topic with
 * replication factor 3 and min.insync.replicas 2. One broker is stopped in the middle of ingest;
 * ingest goes on (acks=all still met by two replicas) and nothing is lost or doubled.
 */

import { createLogger } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKafka } from '../../src/kafka/client.js';
import { topicNames } from '../../src/kafka/topics.js';
import { type Harness, startHarness } from '../harness.js';
import { describeWithKafka } from './broker.js';
import { projectedLogStats, sendThrough } from './faults.js';
import { type LocalKafka, startLocalKafka } from './local-kafka.js';

describeWithKafka('three brokers, one lost', () => {
  let kafka: LocalKafka;
  let h: Harness;
  const events = [...simulateNetwork({ seed: 333, episodes: 600, clinics: 6 })];

  beforeAll(async () => {
    kafka = await startLocalKafka({ nodes: 3, port: 19592 });
    h = await startHarness({
      clinics: [...new Set(events.map((e) => e.clinicId))],
      env: { KAFKA_BROKERS: kafka.brokers, KAFKA_PARTITIONS: '6', KAFKA_REPLICATION_FACTOR: '3' },
    });
  });
  afterAll(async () => {
    await h?.dispose();
    await kafka?.stop();
  });

  it('creates the topic with replication factor 3 and min.insync.replicas 2', async () => {
    const admin = createKafka(
      kafka.brokers.split(','),
      createLogger({ level: 'silent' }),
      'cluster-test',
    ).admin();
    await admin.connect();
    // The topic is created on first use.
    await sendThrough(h, events.slice(0, 10), async () => undefined);
    const metadata = await admin.fetchTopicMetadata({ topics: [topicNames('').events] });
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: topicNames('').events, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    const partitions = metadata.topics[0]?.partitions ?? [];
    expect(partitions).toHaveLength(6);
    for (const p of partitions) expect(p.replicas).toHaveLength(3);
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
  });

  it('goes on ingesting with one broker stopped, losing and doubling nothing', async () => {
    const rest = events.slice(10);
    const { acknowledged } = await sendThrough(h, rest, async (batch) => {
      if (batch === 8) await kafka.stopNode(2);
    });
    expect(acknowledged).toBe(rest.length);
    const distinct = new Set(events.map((e) => e.id)).size;
    expect(await projectedLogStats(h)).toMatchObject({ events: distinct, ids: distinct });
  });
});
