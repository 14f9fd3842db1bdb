// Benchmark: do reads stall writes? The p95 of a 1-event POST /v1/events on the embedded
// default, idle and while 3 readers run the heaviest dashboard procedures back to back over
// tRPC (batches of 6 calls: trajectories, therapist audit, 3-way compare, overview, data
// quality, dose-response). Target: under load at most 2x idle. Read rate limits are set out of
// the way (three readers, each with its own key), so the bound measured is the write priority
// of the warehouse queue, not throttling. Prints one JSON line. BENCH_STALL_EPISODES sets the
// network size (default: the demo's 20k episodes).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, ingestConfigEntry, readConfigEntry } from '@ipt/auth';
import { createEventSender } from '@ipt/events/client';
import { createLogger } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { loadEnv } from '../dist/env.js';
import { startServer } from '../dist/server.js';

const episodes = Number(process.env.BENCH_STALL_EPISODES ?? 20_000);
const SAMPLES = 80;
const events = [...simulateNetwork({ seed: 5, episodes, clinics: 50 })];
const clinics = [...new Set(events.map((e) => e.clinicId))];
const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-stall-'));
const ingestKey = generateKey('ingest');
const readers = [0, 1, 2].map(() => generateKey('read'));
const running = await startServer(
  loadEnv({
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DASHBOARD: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '100000',
    READ_RATE_LIMIT_PER_SECOND: '100000',
    INGEST_KEYS: JSON.stringify([
      ingestConfigEntry(ingestKey.keySha256, { sourceId: 'bench', clinics }),
    ]),
    READ_KEYS: JSON.stringify(
      readers.map((k, i) => readConfigEntry(k.keySha256, { name: `reader-${i}`, role: 'steward' })),
    ),
  }),
  createLogger({ level: 'silent' }),
);
const report = await createEventSender({
  url: `${running.url}/v1/events`,
  apiKey: ingestKey.key,
}).send(events);
if (report.rejected.length > 0) throw new Error(`${report.rejected.length} events refused`);

// One new event per write: a missed session of an existing episode (its projection re-folds).
const starts = events.filter((e) => e.type === 'episode.started');
let next = 0;
async function writeOne() {
  const start = starts[next++ % starts.length];
  const event = {
    id: randomUUID(),
    type: 'session.missed',
    schemaVersion: 1,
    clinicId: start.clinicId,
    clientId: start.clientId,
    episodeId: start.episodeId,
    occurredOn: start.occurredOn,
    payload: { sessionNumber: 40 + (next % 20), reason: 'no_show' },
  };
  const sent = performance.now();
  const response = await fetch(`${running.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [event] }),
  });
  const body = await response.json();
  if (response.status !== 200 || body.accepted !== 1)
    throw new Error(`write failed: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return performance.now() - sent;
}

async function measureWrites() {
  const timings = [];
  for (let i = 0; i < SAMPLES + 5; i++) {
    const ms = await writeOne();
    if (i >= 5) timings.push(ms);
    // Spread the writes over the readers' cycles rather than sending them back to back.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  timings.sort((a, b) => a - b);
  const pct = (p) =>
    timings[Math.min(timings.length - 1, Math.ceil((p / 100) * timings.length) - 1)];
  return { p50ms: Number(pct(50).toFixed(1)), p95ms: Number(pct(95).toFixed(1)) };
}

const CALLS = [
  ['outcomes.trajectories', { groupBy: 'problemArea', filters: {} }],
  ['outcomes.audit', { level: 'therapist', filters: {} }],
  ['outcomes.compare', { groupBy: ['problemArea', 'sessionBucket', 'medication'], filters: {} }],
  ['outcomes.overview', { filters: {} }],
  ['outcomes.dataQuality', { filters: {} }],
  ['outcomes.doseResponse', { filters: {} }],
];
const batchUrl = `${running.url}/api/trpc/${CALLS.map(([p]) => p).join(',')}?batch=1&input=${encodeURIComponent(
  JSON.stringify(Object.fromEntries(CALLS.map(([, input], i) => [i, input]))),
)}`;

const idle = await measureWrites();

let reading = true;
let batches = 0;
let readMs = 0;
const clients = readers.map(async (key) => {
  while (reading) {
    const started = performance.now();
    const response = await fetch(batchUrl, { headers: { authorization: `Bearer ${key.key}` } });
    await response.text();
    if (response.status !== 200) throw new Error(`read failed: ${response.status}`);
    batches += 1;
    readMs += performance.now() - started;
  }
});
// Let the readers fill the queue before measuring.
await new Promise((resolve) => setTimeout(resolve, 2000));
const underLoad = await measureWrites();
reading = false;
await Promise.all(clients);

await running.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'stall.writeUnderReads',
    episodes,
    idle,
    underLoad,
    p95Ratio: Number((underLoad.p95ms / idle.p95ms).toFixed(2)),
    target: 'p95 under load <= 2x idle',
    readBatches: batches,
    readBatchMeanMs: Math.round(readMs / Math.max(1, batches)),
  }),
);
