// A warehouse of folded episodes for the read benchmarks: simulated episodes folded with
// @ipt/protocol and their rows written directly, with record keys under `secret` as the
// projector would write them (30M raw events through the ingest would only measure the ingest
// again). Returns its directory and how long loading took.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, readConfigEntry } from '@ipt/auth';
import { createLogger } from '@ipt/http';
import { foldEpisode } from '@ipt/protocol';
import { simulateEpisodes } from '@ipt/simulator';
import { episodeRow, migrate, recordKeysFrom, Warehouse } from '@ipt/warehouse';
import { loadEnv } from '../dist/env.js';
import { startServer } from '../dist/server.js';

export async function episodesWarehouse({ episodes, secret, name, history = 0 }) {
  const dataDir = mkdtempSync(join(tmpdir(), `ipt-bench-${name}-`));
  const keys = recordKeysFrom(secret);
  const started = performance.now();
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const projectedAt = new Date().toISOString();
  let batch = [];
  for (const events of simulateEpisodes({ seed: 1, episodes, clinics: 50 })) {
    const summary = foldEpisode(events);
    // Recorded at noon of the day of its latest event, as a service sending daily would be.
    const latest = events
      .map((e) => e.occurredOn)
      .sort()
      .at(-1);
    batch.push(
      episodeRow(
        summary,
        1,
        projectedAt,
        keys.of(summary.episodeId),
        `${latest}T12:00:00.000Z`,
        // Filed under the month of its first event, as a service sending daily would have it.
        `${events
          .map((e) => e.occurredOn)
          .sort()[0]
          .slice(0, 7)}-01`,
      ),
    );
    if (batch.length === 10_000) {
      await warehouse.insert({ name: 'bench.episodes', table: 'episodes', rows: batch });
      batch = [];
    }
  }
  await warehouse.insert({ name: 'bench.episodes', table: 'episodes', rows: batch });
  for (let n = 0; n < history; n++) await writeVersion(warehouse, n, history);
  await warehouse.close();
  return { dataDir, loadSeconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}

/**
 * The one-process server over a benchmark's warehouse, quiet, without rate limits, with a read
 * key for each of `readers` ({name, role, clinics?}); returns it and the keys, in that order.
 */
export async function benchServer({ dataDir, secret, readers }) {
  const keys = readers.map(() => generateKey('read'));
  const running = await startServer(
    loadEnv({
      PORT: '0',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      DASHBOARD: 'false',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '100000',
      READ_RATE_LIMIT_PER_SECOND: '100000',
      RECORD_KEY_SECRET: secret.toString('base64url'),
      COHORT_BUDGET_PER_DAY: '1000',
      READ_KEYS: JSON.stringify(
        readers.map((reader, i) => readConfigEntry(keys[i].keySha256, reader)),
      ),
    }),
    createLogger({ level: 'silent' }),
  );
  return { running, keys };
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

/**
 * Version n of `versions` of every episode in episode_history, derived in SQL from its folded
 * row (folding 10M prefixes through JSON inserts would take hours and measure the loader): the
 * last version is the row itself; version n is recorded (versions - 1 - n) weeks earlier and
 * holds the first (n + 1) / versions of its scores, totals, sessions and events, open. The
 * history then has the size and shape of one a projector writes, for reading and for storage.
 */
async function writeVersion(warehouse, n, versions) {
  const share = `${n + 1} / ${versions}`;
  const last = n === versions - 1;
  await warehouse.command(
    'bench.history',
    last
      ? 'INSERT INTO episode_history SELECT * FROM episodes'
      : `INSERT INTO episode_history SELECT * REPLACE (
  recorded_to - toIntervalDay(${(versions - 1 - n) * 7}) AS recorded_to,
  arraySlice(scores, 1, toUInt32(ceil(length(scores) * ${share}))) AS scores,
  arraySlice(session_totals, 1, toUInt32(ceil(length(session_totals) * ${share}))) AS session_totals,
  toUInt16(floor(sessions_attended * ${share})) AS sessions_attended,
  toUInt32(ceil(event_count * ${share})) AS event_count,
  0 AS ended, NULL AS ended_on, '' AS end_reason, 0 AS finished_course, 0 AS paired,
  0 AS outcome_eligible, NULL AS endpoint_total, NULL AS change, 0 AS reliable_improvement,
  NULL AS recovery, version - ${versions - n} AS version
) FROM episodes`,
  );
}
