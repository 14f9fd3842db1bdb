// Benchmark of as-of questions and frozen releases over a warehouse of 1M episodes
// (BENCH_EPISODES) with 10 projection versions each in episode_history (BENCH_VERSIONS), through
// HTTP, p50 and p95 of 20 requests after 3 warm-ups:
// - the outcomes comparison by problem area and medication (GET /v1/outcomes), live, as of a
//   moment in the middle of the history, and of a release frozen as of that moment;
// - time to reliable improvement by the plan's sessions bucket, live and as of the moment.
// Target (issue 12): as-of p95 at most 3x the live p95.
// Storage: bytes on disk of the history per event, measured twice: here (the 1M derived
// versions; events counted from the simulator), and on 20k episodes projected by the projector
// itself from events recorded one day at a time (every distinct recorded time a row).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelease } from '@ipt/analytics/server';
import { simulateEpisodes } from '@ipt/simulator';
import {
  appendEvents,
  defineQuery,
  migrate,
  projectEpisodes,
  recordKeysFrom,
  Warehouse,
} from '@ipt/warehouse';
import { z } from 'zod';
import { benchServer, episodesWarehouse, timeRequests } from './episodes-warehouse.mjs';

const episodes = Number(process.env.BENCH_EPISODES ?? 1_000_000);
const versions = Number(process.env.BENCH_VERSIONS ?? 10);
const sampleEpisodes = Number(process.env.BENCH_SAMPLE_EPISODES ?? 20_000);
const secret = Buffer.alloc(32, 6);

const q = (name, sql, row) =>
  defineQuery({ name, sql, params: z.record(z.string(), z.unknown()), row });
const sizes = q(
  'bench.sizes',
  "SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = currentDatabase() AND table IN ('events', 'episodes', 'episode_history', 'episode_scores') GROUP BY table",
  z.object({ table: z.string(), rows: z.coerce.number(), bytes: z.coerce.number() }),
);
const bytesOf = (rows, table) => rows.find((r) => r.table === table) ?? { rows: 0, bytes: 0 };

/** The projector's own history over `n` episodes, their events recorded one day at a time. */
async function projectedSample(n) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-history-'));
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const keys = recordKeysFrom(secret);
  const started = performance.now();
  let events = 0;
  let batch = [];
  const flush = async () => {
    await appendEvents(warehouse, batch);
    await projectEpisodes(
      warehouse,
      batch.map((e) => e.episodeId),
      keys,
    );
    batch = [];
  };
  for (const episode of simulateEpisodes({ seed: 2, episodes: n, clinics: 20 })) {
    for (const e of episode) {
      batch.push({ ...e, recordedAt: `${e.occurredOn}T12:00:00.000Z`, sourceId: 'bench' });
      events++;
    }
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  const projectSeconds = (performance.now() - started) / 1000;
  await warehouse.command('bench.optimize', 'OPTIMIZE TABLE episode_history FINAL');
  const rows = await warehouse.query(sizes, {});
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
  const history = bytesOf(rows, 'episode_history');
  return {
    episodes: n,
    events,
    historyRows: history.rows,
    versionsPerEpisode: Number((history.rows / n).toFixed(1)),
    historyBytesPerEvent: Number((history.bytes / events).toFixed(1)),
    eventLogBytesPerEvent: Number((bytesOf(rows, 'events').bytes / events).toFixed(1)),
    projectSeconds: Number(projectSeconds.toFixed(1)),
  };
}

// BENCH_SAMPLE_EPISODES=0 skips the projector's sample (it does not depend on the reads).
const sample = sampleEpisodes > 0 ? await projectedSample(sampleEpisodes) : null;

// Events of the 1M network, counted (the loader folds the same simulated episodes).
let eventsOfNetwork = 0;
for (const episode of simulateEpisodes({ seed: 1, episodes, clinics: 50 })) {
  eventsOfNetwork += episode.length;
}
const { dataDir, loadSeconds } = await episodesWarehouse({
  episodes,
  secret,
  name: 'as-of',
  history: versions,
});

// The moment: the median recorded time of the latest rows, so episodes stand at every version.
const warehouse = new Warehouse({ mode: 'embedded', dataDir });
const [{ moment }] = await warehouse.query(
  q(
    'bench.moment',
    "SELECT formatDateTime(quantileExact(0.5)(recorded_to), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS moment FROM episodes",
    z.object({ moment: z.string() }),
  ),
  {},
);
// Storage once merges have settled, as the sample's is.
await warehouse.command('bench.optimize', 'OPTIMIZE TABLE episode_history FINAL');
const storage = await warehouse.query(sizes, {});
const releaseStarted = performance.now();
const release = await createRelease(
  warehouse,
  { name: 'bench', role: 'steward', clinics: [], via: 'key' },
  { name: 'bench-release', asOf: moment },
);
const releaseSeconds = (performance.now() - releaseStarted) / 1000;
await warehouse.close();

const { running, keys: readers } = await benchServer({
  dataDir,
  secret,
  readers: [
    { name: 'bench', role: 'researcher' },
    { name: 'bench-steward', role: 'steward' },
  ],
});
const [researcher, steward] = readers;
const as = (k) => ({ headers: { authorization: `Bearer ${k.key}` } });
const rounds = { rounds: 20, warmups: 3 };
const compare = `${running.url}/v1/outcomes?groupBy=problemArea,medication`;
const tti = `${running.url}/v1/time-to-improvement?groupBy=plannedSessions`;
const outcomes = {
  live: await timeRequests(compare, as(steward), rounds),
  asOf: await timeRequests(`${compare}&asOf=${moment}`, as(steward), rounds),
  release: await timeRequests(`${compare}&release=bench-release`, as(steward), rounds),
  asOfProtected: await timeRequests(`${compare}&asOf=${moment}`, as(researcher), rounds),
};
const timeToImprovement = {
  live: await timeRequests(tti, as(steward), rounds),
  asOf: await timeRequests(`${tti}&asOf=${moment}`, as(steward), rounds),
};
await running.stop();
rmSync(dataDir, { recursive: true, force: true });

const history = bytesOf(storage, 'episode_history');
console.log(
  JSON.stringify({
    bench: 'as-of',
    episodes,
    versions,
    moment,
    loadSeconds,
    outcomes,
    timeToImprovement,
    ratioP95: {
      outcomes: Number((outcomes.asOf.p95ms / outcomes.live.p95ms).toFixed(2)),
      timeToImprovement: Number(
        (timeToImprovement.asOf.p95ms / timeToImprovement.live.p95ms).toFixed(2),
      ),
    },
    release: { episodes: release.episodes, seconds: Number(releaseSeconds.toFixed(1)) },
    storage: {
      events: eventsOfNetwork,
      historyRows: history.rows,
      historyBytes: history.bytes,
      historyBytesPerEvent: Number((history.bytes / eventsOfNetwork).toFixed(1)),
      episodesBytes: bytesOf(storage, 'episodes').bytes,
    },
    projectedSample: sample,
    rss: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
