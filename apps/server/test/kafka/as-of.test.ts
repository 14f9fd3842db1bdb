/**
 * @fileoverview As of and releases in Kafka mode (KAFKA_BROKERS, embedded warehouse): recorded
 * time is stamped by the ingest before the event goes on the topic, and the projector writes
 * the history of projections as it consumes. A network is posted and projected, the moment T
 * taken and the answers read; late events and retractions follow. The read API asked `asOf=T`
 * and of a release frozen as of T answers what it answered at T, and a replay from offset 0
 * into a fresh warehouse answers as of T the same again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIVE } from '@ipt/analytics';
import { compareOutcomes, createRelease, scopeFor } from '@ipt/analytics/server';
import { testPrincipals } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { createLogger } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { eventLogStats, migrate, Warehouse } from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKafka } from '../../src/kafka/client.js';
import { replayFromKafka } from '../../src/kafka/replay.js';
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

const PREFIX = `asof-${Date.now()}.`;
const QUESTIONS = [
  '/v1/outcomes?groupBy=problemArea,medication',
  '/v1/time-to-improvement?groupBy=medication',
  '/v1/off-track',
];
const withoutBasis = (json: unknown) => {
  const { basis: _b, ...rest } = json as { basis?: unknown };
  return rest;
};

describeWithKafka('as of and releases in Kafka mode', (brokers) => {
  let h: Harness;
  const events: CatalogEvent[] = [...simulateNetwork({ seed: 1209, episodes: 400, clinics: 4 })];
  const BEFORE = Math.floor(events.length * 0.7);
  const retractions = events
    .slice(0, BEFORE)
    .filter((e) => e.type === 'phq9.recorded')
    .filter((_, i) => i % 40 === 0)
    .map(
      (score, i) =>
        ({
          ...score,
          id: `7d1e0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          type: 'event.retracted',
          schemaVersion: 1,
          payload: { eventId: score.id, reason: 'entered_in_error' },
        }) as unknown as CatalogEvent,
    );
  const keys = () => ({ steward: h.stewardKey, researcher: h.readKey });
  const atT = new Map<string, unknown>();
  let T = '';

  async function postAndProject(batch: CatalogEvent[], total: number): Promise<void> {
    for (let i = 0; i < batch.length; i += 1000) {
      const res = await postEvents(h, { events: batch.slice(i, i + 1000) });
      expect(res.status).toBe(200);
    }
    await waitFor(
      () => eventLogStats(warehouseOf(h)),
      (s) => s.ids === total,
      { what: 'projection' },
    );
    await waitFor(
      async () => (await h.running.projector?.lag()) ?? -1,
      (lag) => lag === 0,
      { what: 'no lag' },
    );
  }

  beforeAll(async () => {
    h = await startHarness({
      clinics: [...new Set(events.map((e) => e.clinicId))],
      env: { KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: PREFIX, KAFKA_PARTITIONS: '3' },
    });
    const before = events.slice(0, BEFORE);
    await postAndProject(before, new Set(before.map((e) => e.id)).size);
    T = new Date().toISOString();
    for (const [who, key] of Object.entries(keys())) {
      for (const path of QUESTIONS) {
        if (who === 'researcher' && path === '/v1/off-track') continue;
        const res = await getJson(h, path, { key });
        expect(res.status).toBe(200);
        atT.set(`${who} ${path}`, withoutBasis(res.json));
      }
    }
    while (Date.now() <= Date.parse(T)) await new Promise((r) => setTimeout(r, 5));
    await postAndProject(
      [...retractions, ...events.slice(BEFORE)],
      new Set([...events, ...retractions].map((e) => e.id)).size,
    );
    await createRelease(warehouseOf(h), testPrincipals.steward, { name: 'kafka-t', asOf: T });
  }, 300_000);
  afterAll(async () => h?.dispose());

  it('answers as of T and from the release what it answered at T; live has moved', async () => {
    let moved = 0;
    for (const [name, before] of atT) {
      const [who, path] = name.split(' ') as [keyof ReturnType<typeof keys>, string];
      const key = keys()[who];
      const sep = path.includes('?') ? '&' : '?';
      const asOf = await getJson(h, `${path}${sep}asOf=${T}`, { key });
      expect(withoutBasis(asOf.json), name).toEqual(before);
      const frozen = await getJson(h, `${path}${sep}release=kafka-t`, { key });
      expect(withoutBasis(frozen.json), name).toEqual(before);
      expect((frozen.json as { basis: { release: string } }).basis.release).toBe('kafka-t');
      const live = await getJson(h, path, { key });
      if (JSON.stringify(withoutBasis(live.json)) !== JSON.stringify(before)) moved++;
    }
    expect(moved).toBeGreaterThanOrEqual(3);
  });

  it('answers as of T the same after a replay from offset 0 into a fresh warehouse', async () => {
    const steward = testPrincipals.steward;
    const question = { groupBy: ['problemArea', 'medication'] as const, filters: {} };
    const disclosure = h.running.context.disclosure;
    const asOf = { kind: 'asOf', asOf: T } as const;
    const incremental = await compareOutcomes(
      warehouseOf(h),
      scopeFor(steward, {}, asOf),
      { ...question, groupBy: [...question.groupBy] },
      disclosure,
    );
    const keysOfRecords = recordKeysOf(h);
    await h.running.stop();
    const dataDir = mkdtempSync(join(tmpdir(), 'ipt-asof-replay-'));
    const fresh = new Warehouse({ mode: 'embedded', dataDir });
    try {
      await migrate(fresh);
      await replayFromKafka({
        kafka: createKafka(brokers.split(','), createLogger({ level: 'silent' }), 'asof-replay'),
        warehouse: fresh,
        recordKeys: keysOfRecords,
        logger: createLogger({ level: 'silent' }),
        prefix: PREFIX,
      });
      const replayed = await compareOutcomes(
        fresh,
        scopeFor(steward, {}, asOf),
        { ...question, groupBy: [...question.groupBy] },
        disclosure,
      );
      expect(replayed).toEqual(incremental);
      const live = await compareOutcomes(
        fresh,
        scopeFor(steward, {}, LIVE),
        { ...question, groupBy: [...question.groupBy] },
        disclosure,
      );
      expect(live).not.toEqual(incremental);
    } finally {
      await fresh.close();
      rmSync(dataDir, { recursive: true, force: true });
      await h.restart();
    }
  }, 300_000);
});
