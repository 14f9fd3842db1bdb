// Benchmark: embedded ingest of the demo network end to end through HTTP (validation, event log,
// projection), against a raw chDB insert of the same event rows in the same run. Prints one
// JSON line. BENCH_INGEST_EPISODES sets the network size (default: the demo's 20k episodes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventSender } from '@ipt/events/client';
import { simulateNetwork } from '@ipt/simulator';
import { migrate, toEventRow, Warehouse } from '@ipt/warehouse';
import { loadEnv } from '../dist/env.js';
import { createLogger } from '../dist/http/infra/logger.js';
import { generateKey, ingestConfigEntry } from '../dist/keys/generate.js';
import { startServer } from '../dist/server.js';

const episodes = Number(process.env.BENCH_INGEST_EPISODES ?? 20_000);
const events = [...simulateNetwork({ seed: 1, episodes, clinics: 50 })];
const clinics = [...new Set(events.map((e) => e.clinicId))];

// 1. Through HTTP, as a source would send them.
const httpDir = mkdtempSync(join(tmpdir(), 'ipt-bench-http-'));
const key = generateKey('ingest');
const running = await startServer(
  loadEnv({
    PORT: '0',
    DATA_DIR: httpDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '100000',
    INGEST_KEYS: JSON.stringify([ingestConfigEntry(key.keySha256, { sourceId: 'bench', clinics })]),
  }),
  createLogger({ level: 'silent' }),
);
const sender = createEventSender({ url: `${running.url}/v1/events`, apiKey: key.key });
let started = performance.now();
const report = await sender.send(events);
const httpSeconds = (performance.now() - started) / 1000;
await running.stop();
rmSync(httpDir, { recursive: true, force: true });

// 2. Raw inserts of the same rows into a fresh embedded warehouse, same batch size.
const rawDir = mkdtempSync(join(tmpdir(), 'ipt-bench-raw-'));
const warehouse = new Warehouse({ mode: 'embedded', dataDir: rawDir });
await migrate(warehouse);
const recordedAt = new Date().toISOString();
const rows = events.map((e) => toEventRow({ ...e, recordedAt, sourceId: 'bench' }));
started = performance.now();
for (let i = 0; i < rows.length; i += 1000) {
  await warehouse.insert({
    name: 'bench.raw',
    table: 'events',
    rows: rows.slice(i, i + 1000),
    dedupToken: `raw-${i}`,
  });
}
const rawSeconds = (performance.now() - started) / 1000;
await warehouse.close();
rmSync(rawDir, { recursive: true, force: true });

const httpRate = events.length / httpSeconds;
const rawRate = events.length / rawSeconds;
console.log(
  JSON.stringify({
    bench: 'ingest.embedded',
    episodes,
    events: events.length,
    accepted: report.accepted,
    httpSeconds: Number(httpSeconds.toFixed(1)),
    httpEventsPerSecond: Math.round(httpRate),
    rawInsertEventsPerSecond: Math.round(rawRate),
    ratioHttpToRaw: Number((httpRate / rawRate).toFixed(3)),
  }),
);
