// Reads at national scale: the outcomes breakdown by the three dimensions (problem area,
// sessions, medication), plain and filtered, over 4M and 10M episodes (BENCH_SIZES) written as
// ingestion writes them (scaled-warehouse.mjs), in three states:
//   justWritten  - right after the last month was written, merges not waited for;
//   whileWriting - each question after another re-projection of the active months is written;
//   settled      - once the table's own background merges left every partition (a quarter)
//                  one part (nothing forced: a partition is merged when its parts are all a
//                  minute old).
// For each: the product's SQL through the warehouse client with FINAL (exact) and the same SQL
// without FINAL (the reference: it would count unmerged versions twice), interleaved, the
// ratio of their p50s, and GET /v1/outcomes over HTTP (the steward's exact answer: the same SQL) with its p50
// over the raw p50. p50 and p95 of BENCH_ROUNDS (20) after 3 warm-ups. One JSON line per size.
import { outcomesSql } from '@ipt/analytics/server';
import { z } from 'zod';
import { benchServer, timeRequests } from './episodes-warehouse.mjs';
import { loadEpisodes, startPostgres, toPostgres } from './postgres.mjs';
import { episodeParts, scaledSource, waitForMerges, writeAsIngested } from './scaled-warehouse.mjs';

const sizes = (process.env.BENCH_SIZES ?? '4000000,10000000').split(',').map(Number);
const fold = Number(process.env.BENCH_FOLD ?? 250_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const secret = Buffer.alloc(32, 5);

export const GROUP_BY = ['problemArea', 'sessionBucket', 'medication'];
/** A researcher's cohort: one condition, two age bands, episodes started from a date. */
export const FILTERS = {
  condition: ['major_depression'],
  ageBand: ['25-34', '35-44'],
  startedFrom: '2025-01-01',
};
const FILTER_QUERY = 'condition=major_depression&ageBand=25-34,35-44&startedFrom=2025-01-01';

const STEWARD = { role: 'steward', name: 'bench-steward' };
const scope = {
  principal: STEWARD,
  rows: { kind: 'network' },
  release: 'exact',
  basis: { kind: 'live' },
};
const anyRows = {
  params: z.record(z.string(), z.unknown()),
  row: z.unknown(),
};

const { dataDir, foldSeconds } = await scaledSource({ fold, secret });
const { running, keys } = await benchServer({
  dataDir,
  secret,
  readers: [STEWARD, { name: 'bench-researcher', role: 'researcher' }],
});
const warehouse = running.context.warehouse;
const [steward, researcher] = keys;

/**
 * Runs each of `runs` in turn, `rounds` times after 3 warm-ups, `between` before each round
 * (untimed): interleaved, so background merges weigh on each alike. p50 and p95 of each.
 */
async function timeInterleaved(runs, between = async () => {}) {
  const timings = runs.map(() => []);
  for (let i = 0; i < rounds + 3; i++) {
    await between();
    for (const [j, run] of runs.entries()) {
      const started = performance.now();
      await run();
      if (i >= 3) timings[j].push(performance.now() - started);
    }
  }
  return timings.map((list) => {
    list.sort((x, y) => x - y);
    const pct = (p) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)];
    return { p50ms: Number(pct(50).toFixed(1)), p95ms: Number(pct(95).toFixed(1)) };
  });
}

async function get(url, key) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`bad response ${response.status}: ${body.slice(0, 200)}`);
}

function question(filters, final) {
  const { sql, params } = outcomesSql(scope, { groupBy: GROUP_BY, filters });
  return {
    spec: {
      name: final ? 'bench.final' : 'bench.no_final',
      sql: final ? sql : sql.replace('FROM episodes FINAL', 'FROM episodes'),
      ...anyRows,
    },
    params,
  };
}

/** One state: each question exact (FINAL), without FINAL, and over HTTP, interleaved. */
async function measure(between) {
  const result = { parts: await episodeParts(warehouse) };
  for (const [name, filters, query] of [
    ['plain', {}, ''],
    ['filtered', FILTERS, `&${FILTER_QUERY}`],
  ]) {
    const exact = question(filters, true);
    const reference = question(filters, false);
    const url = `${running.url}/v1/outcomes?groupBy=${GROUP_BY.join(',')}${query}`;
    const [final, noFinal, api] = await timeInterleaved(
      [
        () => warehouse.query(exact.spec, exact.params),
        () => warehouse.query(reference.spec, reference.params),
        () => get(url, steward.key),
      ],
      between,
    );
    result[name] = {
      final,
      noFinal,
      finalOverNoFinal: Number((final.p50ms / noFinal.p50ms).toFixed(2)),
      finalOverNoFinalP95: Number((final.p95ms / noFinal.p95ms).toFixed(2)),
      api,
      apiOverRaw: Number((api.p50ms / final.p50ms).toFixed(2)),
    };
  }
  return result;
}

/**
 * The same rows in PostgreSQL with covering indexes, and each question asked of both in turn:
 * the product over HTTP (GET /v1/outcomes, the steward), PostgreSQL by its own client (no HTTP
 * at all), `rounds` pairs after 3 warm-ups. Their answers are compared first.
 */
async function againstPostgres() {
  const server = await startPostgres();
  if (server.skipped !== undefined) {
    console.error(`\n!!! postgres comparison SKIPPED: ${server.skipped} !!!\n`);
    return { skipped: server.skipped };
  }
  try {
    const load = await loadEpisodes(warehouse, server);
    const result = { version: server.version, ...load };
    for (const [name, filters, query] of [
      ['plain', {}, ''],
      ['filtered', FILTERS, `&${FILTER_QUERY}`],
    ]) {
      const { sql, params } = outcomesSql(scope, { groupBy: GROUP_BY, filters });
      const translated = toPostgres(sql, params);
      const url = `${running.url}/v1/outcomes?groupBy=${GROUP_BY.join(',')}${query}`;
      const init = { headers: { authorization: `Bearer ${steward.key}` } };
      // Same numbers: episodes per group from both.
      const ours = (await warehouse.query({ name: 'bench.check', sql, ...anyRows }, params))
        .map((r) => `${r.problemArea}|${r.sessionBucket}|${r.medication}|${r.n}`)
        .sort();
      const theirs = (await server.pool.query(translated)).rows
        .map((r) => `${r.problemarea}|${r.sessionbucket}|${r.medication}|${r.n}`)
        .sort();
      if (ours.join() !== theirs.join())
        throw new Error(
          `PostgreSQL answers ${name} differently: ${theirs.slice(0, 3)} vs ${ours.slice(0, 3)}`,
        );
      const plan = (
        await server.pool.query({ ...translated, text: `EXPLAIN ${translated.text}` })
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      const product = [];
      const other = [];
      for (let i = 0; i < rounds + 3; i++) {
        let started = performance.now();
        const response = await fetch(url, init);
        await response.text();
        if (response.status !== 200) throw new Error(`bad response ${response.status}`);
        if (i >= 3) product.push(performance.now() - started);
        started = performance.now();
        await server.pool.query(translated);
        if (i >= 3) other.push(performance.now() - started);
      }
      const p50 = (list) =>
        Number(list.sort((a, b) => a - b)[Math.floor(list.length / 2)].toFixed(1));
      result[name] = {
        productP50ms: p50(product),
        postgresP50ms: p50(other),
        postgresOverProduct: Number((p50(other) / p50(product)).toFixed(2)),
        postgresIndexOnly: plan.includes('Index Only Scan'),
      };
    }
    return result;
  } finally {
    await server.stop();
  }
}

for (const episodes of sizes) {
  const written = await writeAsIngested(warehouse, { episodes });
  const justWritten = await measure();
  // A service's delivery between questions: one twentieth of the active months' episodes
  // re-projected (a new version each), written before each question.
  let delivery = 0;
  const whileWriting = await measure(async () => {
    delivery += 1;
    await warehouse.command(
      'bench.delivery',
      `INSERT INTO episodes SELECT * REPLACE (version + ${1000 + delivery} AS version) FROM episodes FINAL
       WHERE bucket >= (SELECT max(bucket) - toIntervalMonth(3) FROM bench_source) AND cityHash64(episode_id) % 20 = ${delivery % 20}`,
    );
  });
  const settledAfterSeconds = await waitForMerges(warehouse, 240);
  const settled = await measure();
  const protectedApi = await timeRequests(
    `${running.url}/v1/outcomes?groupBy=${GROUP_BY.join(',')}`,
    { headers: { authorization: `Bearer ${researcher.key}` } },
    { rounds, warmups: 3 },
  );
  const [exact] = await warehouse.query(
    {
      name: 'bench.exact',
      sql: 'SELECT (SELECT count() FROM episodes FINAL) AS read, (SELECT uniqExact(episode_id) FROM episodes) AS episodes',
      params: z.object({}),
      row: z.object({ read: z.coerce.number(), episodes: z.coerce.number() }),
    },
    {},
  );
  if (exact.read !== exact.episodes)
    throw new Error(`FINAL read ${exact.read} rows for ${exact.episodes} episodes`);
  const postgres =
    episodes === sizes[0]
      ? await againstPostgres().catch((error) => {
          console.error(`\n!!! postgres comparison FAILED: ${error.stack} !!!\n`);
          return { failed: String(error.message) };
        })
      : undefined;
  console.log(
    JSON.stringify({
      bench: `reads.${episodes / 1e6}M`,
      episodes: written.episodes,
      foldedEpisodes: fold,
      foldSeconds,
      writeSeconds: written.writeSeconds,
      months: written.months,
      justWritten,
      whileWriting,
      settledAfterSeconds,
      settled,
      protectedApi,
      ...(postgres === undefined ? {} : { postgres }),
    }),
  );
}
await running.stop();
const { rmSync } = await import('node:fs');
rmSync(dataDir, { recursive: true, force: true });
