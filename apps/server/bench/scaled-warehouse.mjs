// A warehouse of millions of episodes in the state ingestion leaves it, for the read benchmarks
// at national scale. Folding millions of simulated episodes in JavaScript would take most of an
// hour and measure the simulator, so `fold` episodes are folded with @ipt/protocol once and their
// rows copied under new pseudonyms (and record keys) up to the size asked. Then the rows are
// written as a service's stream would write them, month by month in order of each episode's
// first event: the month's new episodes, then a new version of every episode of the three
// months before it (still in treatment, re-projected), each month its own inserts. Background
// merges run as they would (the table's own settings); none is forced.
import { Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import { episodesWarehouse } from './episodes-warehouse.mjs';

/** Months of re-projection after an episode's first: its treatment, roughly. */
const ACTIVE_MONTHS = 3;

export async function scaledSource({ fold, secret }) {
  const { dataDir, loadSeconds } = await episodesWarehouse({
    episodes: fold,
    secret,
    name: 'scaled',
  });
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  // The folded rows, kept aside as the source of every copy.
  await warehouse.command(
    'bench.source',
    'CREATE TABLE bench_source ENGINE = MergeTree ORDER BY (bucket, episode_id) AS SELECT * FROM episodes FINAL',
  );
  await warehouse.close();
  return { dataDir, foldSeconds: loadSeconds };
}

/**
 * Empties `episodes` and writes `episodes` copies of the source (a multiple of its size) as
 * ingestion would. Returns the seconds it took, the rows written and the parts left.
 */
export async function writeAsIngested(warehouse, { episodes }) {
  const started = performance.now();
  await warehouse.command('bench.truncate', 'TRUNCATE TABLE episodes');
  const [{ n }] = await warehouse.query(count('SELECT count() AS n FROM bench_source'), {});
  const copies = Math.max(1, Math.round(episodes / n));
  const months = (
    await warehouse.query(
      {
        name: 'bench.months',
        sql: 'SELECT DISTINCT toString(bucket) AS month FROM bench_source ORDER BY month',
        params: z.object({}),
        row: z.object({ month: z.string() }),
      },
      {},
    )
  ).map((r) => r.month);
  // Copy c of an episode: its pseudonym with a suffix, its record key moved by a large odd
  // step (still in [1, 2^32)), so protected answers pay their usual cost.
  const copy = (version) =>
    `SELECT * REPLACE (
      concat(episode_id, '-', toString(c)) AS episode_id,
      toUInt32((toUInt64(record_key) + c * 2654435761) % 4294967295 + 1) AS record_key,
      ${version} AS version)
    FROM bench_source ARRAY JOIN range(${copies}) AS c`;
  for (const [i, month] of months.entries()) {
    await warehouse.command(
      'bench.new',
      `INSERT INTO episodes ${copy('version')} WHERE bucket = '${month}'`,
    );
    for (let back = 1; back <= ACTIVE_MONTHS && i - back >= 0; back++) {
      await warehouse.command(
        'bench.reprojected',
        `INSERT INTO episodes ${copy(`version + ${i}`)} WHERE bucket = '${months[i - back]}'`,
      );
    }
  }
  const [state] = await warehouse.query(partsState, {});
  return {
    writeSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    episodes: n * copies,
    months: months.length,
    ...state,
  };
}

/** The parts and rows of `episodes` now: what FINAL has to merge. */
export async function episodeParts(warehouse) {
  const [state] = await warehouse.query(partsState, {});
  return state;
}

/**
 * Waits, writing nothing, until every partition (quarter) of `episodes` is one part and no merge
 * runs (the table's own force-merge takes a partition whose parts are all a minute old), or
 * `maxSeconds`;
 * returns the seconds waited. The state of a warehouse between a service's deliveries.
 */
export async function waitForMerges(warehouse, maxSeconds) {
  const started = performance.now();
  let quiet = 0;
  while ((performance.now() - started) / 1000 < maxSeconds && quiet < 2) {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const [{ n }] = await warehouse.query(
      count("SELECT count() AS n FROM system.merges WHERE table = 'episodes'"),
      {},
    );
    const state = await episodeParts(warehouse);
    quiet = n === 0 && state.partitionsWithSeveralParts === 0 ? quiet + 1 : 0;
  }
  return Number(((performance.now() - started) / 1000).toFixed(1));
}

const count = (sql) => ({
  name: 'bench.count',
  sql,
  params: z.object({}),
  row: z.object({ n: z.coerce.number() }),
});

const partsState = {
  name: 'bench.parts',
  sql: `SELECT sum(rows) AS rows, count() AS parts, uniqExact(partition) AS partitions,
    (SELECT count() FROM (SELECT partition FROM system.parts WHERE table = 'episodes' AND active GROUP BY partition HAVING count() > 1)) AS partitionsWithSeveralParts
    FROM system.parts WHERE table = 'episodes' AND active`,
  params: z.object({}),
  row: z.object({
    rows: z.coerce.number(),
    parts: z.coerce.number(),
    partitions: z.coerce.number(),
    partitionsWithSeveralParts: z.coerce.number(),
  }),
};
