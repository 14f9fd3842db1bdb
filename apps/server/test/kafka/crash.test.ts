/**
 * @fileoverview Crash safety of the projector: `ipt ingest` and `ipt projector` run as real
 * processes against a real broker; the projector is killed with SIGKILL in the middle of a
 * 100k-event stream and restarted. Every acknowledged event is then in the warehouse exactly
 * once, and the outcomes equal those of a clean run (an independent fold of the same events).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareOutcomes, outcomesJson } from '@ipt/analytics/server';
import { expectedOutcomes, foldAll, stewardScope } from '@ipt/analytics/testing';
import { generateKey, ingestConfigEntry } from '@ipt/auth';
import type { CatalogEvent } from '@ipt/events';
import { createEventSender } from '@ipt/events/client';
import { createLogger } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { eventLogStats, Warehouse } from '@ipt/warehouse';
import { expect, it } from 'vitest';
import { createKafka } from '../../src/kafka/client.js';
import { topicNames } from '../../src/kafka/topics.js';
import { describeWithKafka } from './broker.js';
import { startService } from './services.js';
import { waitFor } from './wait.js';

describeWithKafka('projector crash', (brokers) => {
  it('keeps every acknowledged event exactly once through a kill -9 of the projector', async () => {
    const prefix = `crash-${Date.now()}.`;
    const dataDir = mkdtempSync(join(tmpdir(), 'ipt-crash-'));
    const events: CatalogEvent[] = [];
    for (const event of simulateNetwork({ seed: 5150, episodes: 3600, clinics: 20 })) {
      events.push(event);
      if (events.length === 100_000) break;
    }
    const key = generateKey('ingest');
    const env = {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '4',
      DATA_DIR: dataDir,
      RATE_LIMIT_PER_SECOND: '100000',
      INGEST_KEYS: JSON.stringify([
        ingestConfigEntry(key.keySha256, {
          sourceId: 'crash-test',
          clinics: [...new Set(events.map((e) => e.clinicId))],
        }),
      ]),
    };
    let projector = await startService('projector', env);
    const ingest = await startService('ingest', env);
    const kafka = createKafka(brokers.split(','), createLogger({ level: 'silent' }), 'crash-test');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const sender = createEventSender<CatalogEvent>({
        url: `${ingest.url}/v1/events`,
        apiKey: key.key,
      });
      let acknowledged = 0;
      let killed = false;
      for (let i = 0; i < events.length; i += 1000) {
        const report = await sender.send(events.slice(i, i + 1000));
        expect(report.rejected).toEqual([]);
        acknowledged += report.accepted;
        if (!killed && acknowledged >= 40_000) {
          // Mid-stream, while the projector is busy with what is already on the topic.
          await projector.kill();
          killed = true;
          projector = await startService('projector', env);
        }
      }
      expect(killed).toBe(true);
      expect(acknowledged).toBe(events.length);

      const group = topicNames(prefix).projectorGroup;
      const lag = async () => {
        const [ends, committed] = await Promise.all([
          admin.fetchTopicOffsets(topicNames(prefix).events),
          admin.fetchOffsets({ groupId: group, topics: [topicNames(prefix).events] }),
        ]);
        const done = new Map(
          (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
        );
        return ends.reduce(
          (sum, p) => sum + Number(p.high) - Math.max(0, done.get(p.partition) ?? 0),
          0,
        );
      };
      await waitFor(lag, (value) => value === 0, {
        timeoutMs: 240_000,
        intervalMs: 1000,
        what: 'the projector to catch up',
      });
      expect(await projector.stop()).toBe(0);
    } finally {
      await admin.disconnect();
      await ingest.stop();
      await projector.stop();
    }

    const warehouse = new Warehouse({ mode: 'embedded', dataDir });
    try {
      const distinct = new Set(events.map((e) => e.id)).size;
      expect(await eventLogStats(warehouse)).toMatchObject({ events: distinct, ids: distinct });
      const groupBy = ['problemArea', 'sessionBucket', 'medication'] as const;
      const actual = outcomesJson(
        await compareOutcomes(
          warehouse,
          stewardScope,
          { groupBy: [...groupBy], filters: {} },
          { minCellSize: 11 },
        ),
      );
      const expected = expectedOutcomes(foldAll(events), [...groupBy], 11);
      const counts = (groups: Array<Record<string, unknown>>) =>
        groups
          .map((g) => JSON.stringify([g.problemArea, g.sessionBucket, g.medication, g.n]))
          .sort();
      expect(counts(actual.groups as Array<Record<string, unknown>>)).toEqual(
        counts(expected as Array<Record<string, unknown>>),
      );
    } finally {
      await warehouse.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
