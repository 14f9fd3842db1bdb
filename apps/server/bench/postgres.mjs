// What a team would build instead: the same episode rows in PostgreSQL (Debian's package,
// started and stopped here as the `postgres` user, in a temporary directory), with a covering
// index for each question, asked the same questions interleaved with the product. The product's
// SQL is translated mechanically (countIf -> count(*) FILTER, sumIf -> sum() FILTER), so both
// compute the same numbers, and the answers are compared before anything is timed.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The columns the outcomes questions read, with their PostgreSQL types. */
const COLUMNS = {
  episode_id: 'text',
  clinic_id: 'text',
  started: 'smallint',
  started_on: 'date',
  condition: 'text',
  adaptation: 'text',
  age_band: 'text',
  sex: 'text',
  modality: 'text',
  baseline_severity: 'text',
  primary_problem_area: 'text',
  medication_group: 'text',
  session_bucket: 'text',
  baseline_total: 'smallint',
  change: 'smallint',
  flag_bits: 'bigint',
};
const PORT = 55432;

/** Debian's PostgreSQL binaries, installing the package when they are missing and we may. */
function postgresBin() {
  const find = () => {
    if (!existsSync('/usr/lib/postgresql')) return null;
    const versions = readdirSync('/usr/lib/postgresql').sort().reverse();
    for (const v of versions) {
      const bin = `/usr/lib/postgresql/${v}/bin`;
      if (existsSync(`${bin}/initdb`)) return bin;
    }
    return null;
  };
  const found = find();
  if (found !== null || process.getuid?.() !== 0) return found;
  console.error('postgres bench: installing Debian postgresql (apt-get)...');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'postgresql'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return find();
}

/** Runs a command as the postgres user (the server refuses to run as root). */
const asPostgres = (bin, args) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' })
    : execFileSync(bin, args, { stdio: 'pipe' });

/** Starts a throwaway server; returns a client pool and a stop function, or why it cannot. */
export async function startPostgres() {
  const bin = postgresBin();
  if (bin === null) return { skipped: 'PostgreSQL is not installed and could not be' };
  const dir = mkdtempSync(join(tmpdir(), 'ipt-bench-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'bench', '--no-sync']);
  // Tuned as a team would for one analytical client on 2 cores and 24 GiB: large buffers and
  // work memory, parallel scans on both cores, JIT off (it costs more than it saves here),
  // durability off (a benchmark's throwaway copy).
  const options = [
    `-p ${PORT}`,
    `-k ${dir}`,
    '-c listen_addresses=',
    '-c shared_buffers=4GB',
    '-c effective_cache_size=16GB',
    '-c work_mem=256MB',
    '-c maintenance_work_mem=1GB',
    '-c max_parallel_workers_per_gather=2',
    '-c jit=off',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  asPostgres(`${bin}/pg_ctl`, ['-D', data, '-o', options, '-w', '-l', join(dir, 'log'), 'start']);
  const pool = new pg.Pool({ host: dir, port: PORT, user: 'bench', database: 'postgres', max: 1 });
  const stop = async () => {
    await pool.end();
    try {
      asPostgres(`${bin}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    pool,
    dir,
    stop,
    version: execFileSync(`${bin}/postgres`, ['--version']).toString().trim(),
  };
}

/**
 * Copies the current episode rows (FINAL) from the warehouse into PostgreSQL through a CSV file,
 * then builds the covering indexes and the statistics. Returns the seconds each step took.
 */
export async function loadEpisodes(warehouse, postgres) {
  const file = join(postgres.dir, 'episodes.csv');
  const names = Object.keys(COLUMNS);
  let started = performance.now();
  await warehouse.command(
    'bench.export',
    `SELECT ${names.join(', ')} FROM episodes FINAL INTO OUTFILE '${file}' FORMAT CSV`,
  );
  chmodSync(file, 0o644);
  const exportSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await postgres.pool.query(
    `CREATE UNLOGGED TABLE episodes (${names.map((n) => `${n} ${COLUMNS[n]}`).join(', ')})`,
  );
  await postgres.pool.query(`COPY episodes FROM '${file}' WITH (FORMAT csv, NULL '\\N')`);
  const copySeconds = (performance.now() - started) / 1000;
  started = performance.now();
  // One covering index per question: the grouping columns first for the plain breakdown, the
  // filter columns first for the filtered one, every other column read INCLUDEd, so both can
  // be answered by index-only scans.
  const grouped = ['primary_problem_area', 'session_bucket', 'medication_group'];
  const filtered = ['condition', 'age_band', 'started_on'];
  const rest = (keys) => names.filter((n) => !keys.includes(n) && n !== 'episode_id');
  await postgres.pool.query(
    `CREATE INDEX episodes_grouped ON episodes (${grouped.join(', ')}) INCLUDE (${rest(grouped).join(', ')})`,
  );
  await postgres.pool.query(
    `CREATE INDEX episodes_filtered ON episodes (${filtered.join(', ')}) INCLUDE (${rest(filtered).join(', ')})`,
  );
  await postgres.pool.query('VACUUM ANALYZE episodes');
  const indexSeconds = (performance.now() - started) / 1000;
  rmSync(file, { force: true });
  const round = (s) => Number(s.toFixed(1));
  return {
    exportSeconds: round(exportSeconds),
    copySeconds: round(copySeconds),
    indexSeconds: round(indexSeconds),
  };
}

/**
 * The product's outcomes SQL as PostgreSQL: ClickHouse's conditional aggregates as FILTER
 * clauses, its casts as PostgreSQL casts, `bitTest` on the flags as a bitwise and, and its typed
 * parameters as numbered ones.
 */
export function toPostgres(sql, params) {
  let out = rewriteCalls(sql.replace('FROM episodes FINAL', 'FROM episodes'));
  out = out.replaceAll('count()', 'count(*)');
  out = out.replace(
    /bitTest\(flag_bits, (\d+)\)/g,
    (_, bit) => `(flag_bits & ${2 ** Number(bit)}) <> 0`,
  );
  const values = [];
  out = out.replace(/(\w+) IN \{(\w+):Array\(String\)\}/g, (_, column, name) => {
    values.push(params[name]);
    return `${column} = ANY($${values.length}::text[])`;
  });
  out = out.replace(/\{(\w+):Date\}/g, (_, name) => {
    values.push(params[name]);
    return `$${values.length}::date`;
  });
  if (/\{\w+:/.test(out)) throw new Error(`untranslated parameter in: ${out}`);
  return { text: out, values };
}

/** countIf(c) -> count(*) FILTER (WHERE c); sumIf(x, c) -> sum(x) FILTER (WHERE c); toInt64(x) -> (x)::bigint. */
function rewriteCalls(sql) {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const match = /^(countIf|sumIf|toInt64|toUInt64)\(/.exec(sql.slice(i));
    const boundary = i === 0 || !/\w/.test(sql[i - 1]);
    if (match === null || !boundary) {
      out += sql[i];
      i += 1;
      continue;
    }
    const open = i + match[1].length;
    const close = matching(sql, open);
    const args = splitTopLevel(sql.slice(open + 1, close)).map(rewriteCalls);
    if (match[1] === 'countIf') out += `count(*) FILTER (WHERE ${args[0]})`;
    else if (match[1] === 'sumIf') out += `sum(${args[0]}) FILTER (WHERE ${args[1]})`;
    else out += `(${args[0]})::bigint`;
    i = close + 1;
  }
  return out;
}

function matching(sql, open) {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (sql[i] === '(') depth += 1;
    if (sql[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in: ${sql}`);
}

function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth += 1;
    if (text[i] === ')') depth -= 1;
    if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}
