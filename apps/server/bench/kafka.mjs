// Benchmarks of the scaled write path against a real broker (KAFKA_BROKERS, or a local one this
// script starts with infra/kafka/kafka.sh on port 19792). Prints one JSON line with:
// - HTTP -> Kafka (acks=all) events/s through the ingest API, against a raw kafkajs producer of
//   the same serialized events in the same run, and their ratio (target >= 0.5);
// - projector throughput and catch-up time over BENCH_CATCHUP_EVENTS (default 5M) events;
// - freshness: accepted -> visible in /v1/outcomes, p50/p95 over 40 batches.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKey, ingestConfigEntry, readConfigEntry } from '@ipt/auth';
import { createEventSender, createPseudonymizer } from '@ipt/events/client';
import { createLogger, createMetrics } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { migrate, recordKeysFrom, Warehouse } from '@ipt/warehouse';
import { Partitioners } from 'kafkajs';
import { loadEnv } from '../dist/env.js';
import { createKafka } from '../dist/kafka/client.js';
import { startProjector } from '../dist/kafka/projector.js';
import { ensureTopics, topicNames } from '../dist/kafka/topics.js';
import { startServer } from '../dist/server.js';

const THROUGHPUT_EVENTS = Number(process.env.BENCH_KAFKA_EVENTS ?? 200_000);
const CATCHUP_EVENTS = Number(process.env.BENCH_CATCHUP_EVENTS ?? 5_000_000);
const script = fileURLToPath(new URL('../../../infra/kafka/kafka.sh', import.meta.url));
const logger = createLogger({ level: 'silent' });
const silent = { stdio: ['ignore', 'ignore', 'inherit'] };

let brokers = process.env.KAFKA_BROKERS;
const runDir = brokers ? null : mkdtempSync(join(tmpdir(), 'ipt-bench-kafka-'));
const kafkaEnv = {
  ...process.env,
  KAFKA_PORT: '19792',
  KAFKA_RUN_DIR: runDir ?? '',
  KAFKA_HEAP: '1g',
};
if (!brokers) {
  execFileSync('bash', [script, 'start'], { ...silent, env: kafkaEnv });
  brokers = execFileSync('bash', [script, 'bootstrap'], { env: kafkaEnv }).toString().trim();
}
const kafka = createKafka(brokers.split(','), logger, 'bench');
const run = Date.now();
const settings = (prefix) => ({ partitions: 6, replicationFactor: 1, prefix });
const admin = kafka.admin();
await admin.connect();

function take(n, seed) {
  const out = [];
  for (const event of simulateNetwork({ seed, episodes: Math.ceil(n / 25) + 10, clinics: 50 })) {
    out.push(event);
    if (out.length === n) break;
  }
  return out;
}
const clinicsOf = (events) => [...new Set(events.map((e) => e.clinicId))];
const round = (x, d = 0) => Number(x.toFixed(d));
const result = { bench: 'kafka', brokers };

// 1. HTTP -> Kafka against a raw producer of the same serialized events.
{
  const events = take(THROUGHPUT_EVENTS, 11);
  const key = generateKey('ingest');
  const prefix = `bench-http-${run}.`;
  const running = await startServer(
    loadEnv({
      PORT: '0',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '1000000',
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      INGEST_KEYS: JSON.stringify([
        ingestConfigEntry(key.keySha256, { sourceId: 'bench', clinics: clinicsOf(events) }),
      ]),
    }),
    logger,
    'ingest',
  );
  const sender = createEventSender({ url: `${running.url}/v1/events`, apiKey: key.key });
  const batches = [];
  for (let i = 0; i < events.length; i += 1000) batches.push(events.slice(i, i + 1000));
  // Four sources sending at once, as a network of clinics would.
  const send = async (list) => {
    for (const batch of list) await sender.send(batch);
  };
  let started = performance.now();
  await Promise.all([0, 1, 2, 3].map((k) => send(batches.filter((_, i) => i % 4 === k))));
  const httpSeconds = (performance.now() - started) / 1000;
  await running.stop();

  const rawPrefix = `bench-raw-${run}.`;
  await ensureTopics(admin, settings(rawPrefix));
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const recordedAt = new Date().toISOString();
  const serialized = batches.map((batch) =>
    batch.map((e) => ({
      key: e.episodeId,
      value: JSON.stringify({ ...e, recordedAt, sourceId: 'bench' }),
    })),
  );
  const produce = async (list) => {
    for (const messages of list)
      await producer.send({ topic: topicNames(rawPrefix).events, acks: -1, messages });
  };
  started = performance.now();
  await Promise.all([0, 1, 2, 3].map((k) => produce(serialized.filter((_, i) => i % 4 === k))));
  const rawSeconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  Object.assign(result, {
    throughputEvents: events.length,
    httpToKafkaEventsPerSecond: round(events.length / httpSeconds),
    rawProducerEventsPerSecond: round(events.length / rawSeconds),
    ratioHttpToRaw: round(rawSeconds / httpSeconds, 3),
  });
}

// 2. Projector catch-up: the log holds CATCHUP_EVENTS events; an empty warehouse reads them all.
{
  const prefix = `bench-catchup-${run}.`;
  await ensureTopics(admin, settings(prefix));
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const recordedAt = new Date().toISOString();
  let batch = [];
  let produced = 0;
  const flushing = [];
  for (const e of simulateNetwork({
    seed: 12,
    episodes: Math.ceil(CATCHUP_EVENTS / 25) + 100,
    clinics: 50,
  })) {
    batch.push({
      key: e.episodeId,
      value: JSON.stringify({ ...e, recordedAt, sourceId: 'bench' }),
    });
    produced += 1;
    if (batch.length === 5000) {
      flushing.push(producer.send({ topic: topicNames(prefix).events, acks: -1, messages: batch }));
      batch = [];
      if (flushing.length >= 4) await flushing.shift();
    }
    if (produced === CATCHUP_EVENTS) break;
  }
  if (batch.length > 0)
    flushing.push(producer.send({ topic: topicNames(prefix).events, acks: -1, messages: batch }));
  await Promise.all(flushing);
  await producer.disconnect();

  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-catchup-'));
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const started = performance.now();
  const projector = await startProjector({
    kafka,
    warehouse,
    metrics: createMetrics(),
    logger,
    prefix,
    recordKeys: recordKeysFrom(crypto.getRandomValues(new Uint8Array(32))),
  });
  // A projector that stops (a crashed consumer group) would leave this loop waiting forever:
  // no progress for two minutes fails the benchmark instead.
  let last = { lag: Number.POSITIVE_INFINITY, at: performance.now() };
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const lag = await projector.lag();
    if (lag === 0) break;
    if (lag < last.lag) last = { lag, at: performance.now() };
    else if (performance.now() - last.at > 120_000) {
      throw new Error(`the projector made no progress for 2 minutes (lag ${lag}); see its log`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await projector.stop();
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
  Object.assign(result, {
    catchUpEvents: produced,
    catchUpSeconds: round(seconds, 1),
    projectorEventsPerSecond: round(produced / seconds),
  });
}

// 3. Freshness in the one-process layout: 200 from POST -> the episode counted by /v1/outcomes.
{
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-fresh-'));
  const ingestKey = generateKey('ingest');
  const readKey = generateKey('read');
  const base = take(3000, 13);
  const running = await startServer(
    loadEnv({
      PORT: '0',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '1000000',
      READ_RATE_LIMIT_PER_SECOND: '1000000',
      MIN_CELL_SIZE: '5',
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: `bench-fresh-${run}.`,
      INGEST_KEYS: JSON.stringify([
        ingestConfigEntry(ingestKey.keySha256, { sourceId: 'bench', clinics: clinicsOf(base) }),
      ]),
      READ_KEYS: JSON.stringify([
        // Exact counts: the freshness probe watches the total grow by one episode.
        readConfigEntry(readKey.keySha256, { name: 'bench', role: 'steward' }),
      ]),
    }),
    logger,
    'all',
  );
  const sender = createEventSender({ url: `${running.url}/v1/events`, apiKey: ingestKey.key });
  await sender.send(base);
  const total = async () => {
    const response = await fetch(`${running.url}/v1/outcomes`, {
      headers: { authorization: `Bearer ${readKey.key}` },
    });
    return (await response.json()).groups[0]?.n ?? 0;
  };
  const starts = base.filter((e) => e.type === 'episode.started');
  while ((await total()) < new Set(starts.map((e) => e.episodeId)).size)
    await new Promise((r) => setTimeout(r, 100));
  const latencies = [];
  const pseudo = createPseudonymizer(crypto.randomUUID().repeat(2));
  for (let i = 0; i < 40; i++) {
    const template = starts[i];
    const event = {
      ...template,
      id: crypto.randomUUID(),
      episodeId: pseudo.episodeId(`fresh-${run}-${i}`),
    };
    const before = await total();
    const sent = performance.now();
    await sender.send([event]);
    while ((await total()) === before) await new Promise((r) => setTimeout(r, 10));
    latencies.push(performance.now() - sent);
  }
  await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  Object.assign(result, { freshnessP50ms: round(pct(50)), freshnessP95ms: round(pct(95)) });
}

await admin.disconnect();
if (runDir) {
  execFileSync('bash', [script, 'stop'], { ...silent, env: kafkaEnv });
  rmSync(runDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
