// Benchmark: embedded ingest of the demo network end to end through HTTP (validation, event log,
// projection), against a raw chDB insert of the same event rows in the same run. Prints one
// JSON line. BENCH_INGEST_EPISODES sets the network size (default: the demo's 20k episodes).
// HTTP is measured as the demo load sends (four sources at once, each one batch in flight) and
// with one source alone. Every pass streams the simulation (same seed, same events), so the
// process's peak RSS (reported) is what the write path holds, not the input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, ingestConfigEntry } from '@ipt/auth';
import { createLogger } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { migrate, toEventRow, Warehouse } from '@ipt/warehouse';
import { seedDemo } from '../dist/demo/seed.js';
import { loadEnv } from '../dist/env.js';
import { startServer } from '../dist/server.js';

const episodes = Number(process.env.BENCH_INGEST_EPISODES ?? 20_000);
const network = { seed: 1, episodes, clinics: 50 };
const clinics = new Set();
let events = 0;
for (const event of simulateNetwork(network)) {
  clinics.add(event.clinicId);
  events += 1;
}

/** Events per second through HTTP into a fresh embedded warehouse, with `sources` senders. */
async function overHttp(sources) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-http-'));
  const key = generateKey('ingest');
  const running = await startServer(
    loadEnv({
      PORT: '0',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '100000',
      INGEST_KEYS: JSON.stringify([
        ingestConfigEntry(key.keySha256, { sourceId: 'bench', clinics: [...clinics] }),
      ]),
    }),
    createLogger({ level: 'silent' }),
  );
  const started = performance.now();
  const report = await seedDemo({
    url: running.url,
    ingestKey: key.key,
    ...network,
    signal: new AbortController().signal,
    sources,
    progress: false,
  });
  const seconds = (performance.now() - started) / 1000;
  await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (report.accepted !== events || report.rejected !== 0) {
    throw new Error(`HTTP ingest accepted ${report.accepted} of ${events} events`);
  }
  return { seconds, rate: events / seconds };
}

const four = await overHttp(4);
const one = await overHttp(1);

// Raw inserts of the same rows into a fresh embedded warehouse, same batch size.
const rawDir = mkdtempSync(join(tmpdir(), 'ipt-bench-raw-'));
const warehouse = new Warehouse({ mode: 'embedded', dataDir: rawDir });
await migrate(warehouse);
const recordedAt = new Date().toISOString();
let batch = [];
let inserts = 0;
let rawSeconds = 0;
const flush = async () => {
  const rows = batch.map((e) => toEventRow({ ...e, recordedAt, sourceId: 'bench' }));
  batch = [];
  const started = performance.now();
  await warehouse.insert({
    name: 'bench.raw',
    table: 'events',
    rows,
    dedupToken: `raw-${inserts++}`,
  });
  rawSeconds += (performance.now() - started) / 1000;
};
for (const event of simulateNetwork(network)) {
  batch.push(event);
  if (batch.length === 1000) await flush();
}
if (batch.length > 0) await flush();
await warehouse.close();
rmSync(rawDir, { recursive: true, force: true });

const rawRate = events / rawSeconds;
const round = (x, d = 0) => Number(x.toFixed(d));
console.log(
  JSON.stringify({
    bench: 'ingest.embedded',
    episodes,
    events,
    httpSeconds: round(four.seconds, 1),
    httpEventsPerSecond: round(four.rate),
    oneSourceEventsPerSecond: round(one.rate),
    rawInsertEventsPerSecond: round(rawRate),
    ratioHttpToRaw: round(four.rate / rawRate, 3),
    ratioOneSourceToRaw: round(one.rate / rawRate, 3),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
  }),
);
