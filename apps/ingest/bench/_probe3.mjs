import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventSender } from '@ipt/events/client';
import { simulateNetwork } from '@ipt/simulator';
import { loadEnv } from '../dist/env.js';
import { createLogger } from '../dist/http/infra/logger.js';
import { generateKey, ingestConfigEntry } from '../dist/keys/generate.js';
import { startServer } from '../dist/server.js';

const events = [...simulateNetwork({ seed: 1, episodes: 5000, clinics: 50 })];
const clinics = [...new Set(events.map((e) => e.clinicId))];
const dataDir = mkdtempSync(join(tmpdir(), 'ipt-probe-'));
const ik = generateKey('ingest');
const running = await startServer(
  loadEnv({
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DASHBOARD: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '100000',
    INGEST_KEYS: JSON.stringify([ingestConfigEntry(ik.keySha256, { sourceId: 'probe', clinics })]),
  }),
  createLogger({ level: 'silent' }),
);
const wh = running.context.warehouse;
const times = {};
for (const m of ['query', 'insert']) {
  const orig = wh.client[m].bind(wh.client);
  wh.client[m] = async (opts) => {
    const t = performance.now();
    const r = await orig(opts);
    let j;
    if (m === 'query') j = await r.json();
    const n = opts.clickhouse_settings?.log_comment ?? m;
    times[n] = (times[n] ?? 0) + performance.now() - t;
    return m === 'query' ? { json: async () => j } : r;
  };
}
const t = performance.now();
await createEventSender({ url: `${running.url}/v1/events`, apiKey: ik.key }).send(events);
const total = performance.now() - t;
console.log(
  events.length,
  'events',
  Math.round(total),
  'ms',
  Math.round((events.length / total) * 1000),
  'ev/s',
);
console.log(
  Object.entries(times)
    .map(([k, v]) => `${k}: ${Math.round(v)}`)
    .join('\n'),
);
await running.stop();
rmSync(dataDir, { recursive: true, force: true });
