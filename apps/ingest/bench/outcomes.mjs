// Benchmark: GET /v1/outcomes grouped by all three dimensions over a warehouse of 1M episodes
// (BENCH_EPISODES), through HTTP: p50 and p95 of 50 requests after 5 warm-ups. The episode rows
// are folded from simulated episodes with @ipt/protocol and written directly (30M raw events
// through the ingest would only measure the ingest again).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldEpisode } from '@ipt/protocol';
import { simulateEpisodes } from '@ipt/simulator';
import { episodeRow, migrate, Warehouse } from '@ipt/warehouse';
import { loadEnv } from '../dist/env.js';
import { createLogger } from '../dist/http/infra/logger.js';
import { generateKey, readConfigEntry } from '../dist/keys/generate.js';
import { startServer } from '../dist/server.js';

const episodes = Number(process.env.BENCH_EPISODES ?? 1_000_000);
const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-outcomes-'));

let started = performance.now();
const warehouse = new Warehouse({ mode: 'embedded', dataDir });
await migrate(warehouse);
const projectedAt = new Date().toISOString();
let batch = [];
for (const events of simulateEpisodes({ seed: 1, episodes, clinics: 50 })) {
  batch.push(episodeRow(foldEpisode(events), 1, projectedAt));
  if (batch.length === 10_000) {
    await warehouse.insert({ name: 'bench.episodes', table: 'episodes', rows: batch });
    batch = [];
  }
}
await warehouse.insert({ name: 'bench.episodes', table: 'episodes', rows: batch });
await warehouse.close();
const loadSeconds = (performance.now() - started) / 1000;

const key = generateKey('read');
const running = await startServer(
  loadEnv({
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '100000',
    READ_KEYS: JSON.stringify([
      readConfigEntry(key.keySha256, { name: 'bench', role: 'researcher' }),
    ]),
  }),
  createLogger({ level: 'silent' }),
);
const url = `${running.url}/v1/outcomes?groupBy=problemArea,sessionBucket,medication`;
const timings = [];
for (let i = 0; i < 55; i++) {
  started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key.key}` } });
  const body = await response.json();
  if (response.status !== 200 || body.groups.length === 0)
    throw new Error(`bad response ${response.status}`);
  if (i >= 5) timings.push(performance.now() - started);
}
await running.stop();
rmSync(dataDir, { recursive: true, force: true });

timings.sort((a, b) => a - b);
const pct = (p) => timings[Math.min(timings.length - 1, Math.ceil((p / 100) * timings.length) - 1)];
console.log(
  JSON.stringify({
    bench: 'outcomes.threeDimensions',
    episodes,
    loadSeconds: Number(loadSeconds.toFixed(1)),
    requests: timings.length,
    p50ms: Number(pct(50).toFixed(1)),
    p95ms: Number(pct(95).toFixed(1)),
  }),
);
