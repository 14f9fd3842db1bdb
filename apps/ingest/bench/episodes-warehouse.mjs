// A warehouse of folded episodes for the read benchmarks: simulated episodes folded with
// @ipt/protocol and their rows written directly, with record keys under `secret` as the
// projector would write them (30M raw events through the ingest would only measure the ingest
// again). Returns its directory and how long loading took.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldEpisode } from '@ipt/protocol';
import { simulateEpisodes } from '@ipt/simulator';
import { episodeRow, migrate, recordKeysFrom, Warehouse } from '@ipt/warehouse';

export async function episodesWarehouse({ episodes, secret, name }) {
  const dataDir = mkdtempSync(join(tmpdir(), `ipt-bench-${name}-`));
  const keys = recordKeysFrom(secret);
  const started = performance.now();
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const projectedAt = new Date().toISOString();
  let batch = [];
  for (const events of simulateEpisodes({ seed: 1, episodes, clinics: 50 })) {
    const summary = foldEpisode(events);
    batch.push(episodeRow(summary, 1, projectedAt, keys.of(summary.episodeId)));
    if (batch.length === 10_000) {
      await warehouse.insert({ name: 'bench.episodes', table: 'episodes', rows: batch });
      batch = [];
    }
  }
  await warehouse.insert({ name: 'bench.episodes', table: 'episodes', rows: batch });
  await warehouse.close();
  return { dataDir, loadSeconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}

/** p50 and p95 of `rounds` requests after `warmups`; any answer but 200 stops the benchmark. */
export async function timeRequests(url, init, { rounds = 50, warmups = 5 } = {}) {
  const timings = [];
  for (let i = 0; i < warmups + rounds; i++) {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`bad response ${response.status} from ${url}: ${body.slice(0, 200)}`);
    if (i >= warmups) timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const pct = (p) =>
    timings[Math.min(timings.length - 1, Math.ceil((p / 100) * timings.length) - 1)];
  return { p50ms: Number(pct(50).toFixed(1)), p95ms: Number(pct(95).toFixed(1)) };
}
