import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { WarehouseError } from './errors.js';
import type { Warehouse } from './gateway.js';

/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied in order at start-up. Each file
 * is written for a single node; the clustered variant is derived from it (see `clustered`), so a
 * column is declared once. Applied versions are recorded with a checksum: an edited migration
 * that already ran is an error, not a silent drift.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Splits a migration into statements: `;` at the end of a line ends one. */
export function statements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.length > 0);
}

/**
 * The clustered form of a single-node CREATE TABLE: a `<name>_local` table ON CLUSTER with the
 * Replicated engine, and a Distributed table under the original name, sharded by episode so an
 * episode's events and snapshot live on one shard (README, "Scaled mode: Kafka and a ClickHouse server").
 */
export function clustered(statement: string): string[] {
  const view = /^CREATE VIEW IF NOT EXISTS (\w+)\s*\n/.exec(statement);
  if (view !== null) {
    // A view reads the Distributed tables, so it only needs to exist on every node.
    return [
      statement.replace(view[0], `CREATE VIEW IF NOT EXISTS ${view[1]} ON CLUSTER '{cluster}'\n`),
    ];
  }
  const exchange = /^EXCHANGE TABLES (\w+) AND (\w+)$/.exec(statement);
  if (exchange !== null) {
    // The Distributed tables read their local tables by name: swapping the locals swaps both.
    return [`EXCHANGE TABLES ${exchange[1]}_local AND ${exchange[2]}_local ON CLUSTER '{cluster}'`];
  }
  const drop = /^DROP TABLE IF EXISTS (\w+)$/.exec(statement);
  if (drop !== null) {
    return [
      `DROP TABLE IF EXISTS ${drop[1]} ON CLUSTER '{cluster}'`,
      `DROP TABLE IF EXISTS ${drop[1]}_local ON CLUSTER '{cluster}'`,
    ];
  }
  const alter = /^ALTER TABLE (\w+) /.exec(statement);
  if (alter !== null) {
    // A column is added to the replicated local tables and to the Distributed table over them.
    const rest = statement.slice(alter[0].length);
    // An index lives in the local tables' parts; a Distributed table has none.
    if (/^(ADD|MATERIALIZE) INDEX /.test(rest))
      return [`ALTER TABLE ${alter[1]}_local ON CLUSTER '{cluster}' ${rest}`];
    return [
      `ALTER TABLE ${alter[1]}_local ON CLUSTER '{cluster}' ${rest}`,
      `ALTER TABLE ${alter[1]} ON CLUSTER '{cluster}' ${rest}`,
    ];
  }
  const match = /^CREATE TABLE IF NOT EXISTS (\w+)\s*\n/.exec(statement);
  if (match === null) return [statement];
  const table = match[1] ?? '';
  const engine = /ENGINE = (\w+)(?:\(([^)]*)\))?/.exec(statement);
  if (engine === null) throw new WarehouseError('config', `migration for ${table} has no ENGINE`);
  const args = [`'/clickhouse/tables/{shard}/{database}/${table}'`, `'{replica}'`];
  if (engine[2]) args.push(engine[2]);
  const local = statement
    .replace(match[0], `CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER '{cluster}'\n`)
    .replace(engine[0], `ENGINE = Replicated${engine[1]}(${args.join(', ')})`)
    // Replicated tables deduplicate retried inserts by default; the window setting is for
    // non-replicated tables only.
    .replace(/\nSETTINGS non_replicated_deduplication_window = \d+/, '');
  const shardKey = /\bepisode_id\b/.test(statement) ? 'cityHash64(episode_id)' : 'rand()';
  const distributed = `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER '{cluster}' AS ${table}_local\nENGINE = Distributed('{cluster}', currentDatabase(), ${table}_local, ${shardKey})`;
  return [local, distributed];
}

const appliedRow = z.object({ version: z.coerce.number(), checksum: z.string() });

/** Applies pending migrations. Idempotent: a second run applies nothing. */
export async function migrate(warehouse: Warehouse): Promise<{ applied: string[] }> {
  const onCluster = warehouse.clustered ? " ON CLUSTER '{cluster}'" : '';
  const engine = warehouse.clustered
    ? "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/schema_migrations', '{replica}')"
    : 'MergeTree';
  await warehouse.command(
    'migrations.create_table',
    `CREATE TABLE IF NOT EXISTS schema_migrations${onCluster} (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ${engine} ORDER BY version`,
  );
  const done = await warehouse.query(
    {
      name: 'migrations.applied',
      sql: 'SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version',
      params: z.object({}),
      row: appliedRow,
    },
    {},
  );
  const appliedChecksums = new Map(done.map((row) => [row.version, row.checksum]));
  const applied: string[] = [];
  for (const migration of loadMigrations()) {
    const previous = appliedChecksums.get(migration.version);
    if (previous !== undefined) {
      if (previous !== migration.checksum) {
        throw new WarehouseError(
          'config',
          `migration ${migration.name} changed after it was applied; add a new migration instead of editing an applied one`,
        );
      }
      continue;
    }
    for (const statement of statements(migration.sql)) {
      for (const sql of warehouse.clustered ? clustered(statement) : [statement]) {
        await warehouse.command(`migrations.${migration.name}`, sql);
      }
    }
    await warehouse.insert({
      name: 'migrations.record',
      table: 'schema_migrations',
      rows: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
    });
    applied.push(migration.name);
  }
  return { applied };
}
