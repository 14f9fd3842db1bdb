/**
 * @fileoverview The migration files and their clustered variant. The single-node SQL runs
 * against chDB in projection.test.ts; a cluster cannot run here (no Keeper), so the clustered
 * form is checked for what it must say: every table as a Replicated engine ON CLUSTER with a
 * Distributed table sharded by episode, views on every node, and nothing lost in the rewrite.
 */
import { describe, expect, it } from 'vitest';
import { clustered, loadMigrations, statements } from '../src/index.js';

const all = loadMigrations();

describe('migrations', () => {
  it('are numbered without gaps, commented, and one statement each', () => {
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    for (const migration of all) {
      expect(migration.sql.trimStart().startsWith('--'), migration.name).toBe(true);
      expect(statements(migration.sql), migration.name).toHaveLength(1);
    }
  });

  it('comment every column of every table', () => {
    for (const migration of all) {
      const [statement] = statements(migration.sql);
      if (!statement?.startsWith('CREATE TABLE')) continue;
      // A copy of the episodes table (history, releases) takes its commented columns from it.
      if (/AS SELECT .*\* FROM episodes WHERE 0$/.test(statement)) continue;
      const columns = statement
        .split('\n')
        .filter((line) => /^\s{4}[a-z_]+ [A-Z]/.test(line) && !/^\s{4}INDEX /.test(line));
      // The smallest table (episode_buckets) has two columns: fewer means the parse failed.
      expect(columns.length, migration.name).toBeGreaterThanOrEqual(2);
      for (const column of columns) expect(column, migration.name).toMatch(/COMMENT '/);
    }
  });
});

describe('the clustered variant', () => {
  it('turns each table into a Replicated local table and a Distributed table sharded by episode', () => {
    for (const migration of all) {
      const [statement] = statements(migration.sql);
      if (statement === undefined || !statement.startsWith('CREATE TABLE')) continue;
      const table = /CREATE TABLE IF NOT EXISTS (\w+)/.exec(statement)?.[1] ?? '';
      const [local, distributed] = clustered(statement);
      expect(local).toContain(`CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER '{cluster}'`);
      expect(local).toMatch(
        new RegExp(
          `ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${table}', '\\{replica\\}'`,
        ),
      );
      expect(local).not.toContain('non_replicated_deduplication_window');
      expect(distributed).toContain(
        `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER '{cluster}' AS ${table}_local`,
      );
      expect(distributed).toContain(`Distributed('{cluster}', currentDatabase(), ${table}_local,`);
      if (statement.includes('episode_id')) expect(distributed).toContain('cityHash64(episode_id)');
      // Every column survives the rewrite.
      for (const line of statement.split('\n').filter((l) => /COMMENT '/.test(l)))
        expect(local).toContain(line.trim());
    }
  });

  it('keeps the version and is_deleted arguments of a ReplacingMergeTree', () => {
    const scores = all.find((m) => m.name === '003_episode_scores');
    const [statement] = statements(scores?.sql ?? '');
    const [local] = clustered(statement ?? '');
    expect(local).toContain(
      "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/episode_scores', '{replica}', version, is_deleted)",
    );
  });

  it('swaps a rebuilt table in by its local tables, and drops both forms of the old one', () => {
    const [swap] = statements(all.find((m) => m.name === '027_episodes_partitioned')?.sql ?? '');
    expect(clustered(swap ?? '')).toEqual([
      "EXCHANGE TABLES episodes_local AND episodes_by_month_local ON CLUSTER '{cluster}'",
    ]);
    const [drop] = statements(
      all.find((m) => m.name === '028_episodes_unpartitioned_drop')?.sql ?? '',
    );
    expect(clustered(drop ?? '')).toEqual([
      "DROP TABLE IF EXISTS episodes_by_month ON CLUSTER '{cluster}'",
      "DROP TABLE IF EXISTS episodes_by_month_local ON CLUSTER '{cluster}'",
    ]);
  });

  it('adds the skip index to the table partitioned by quarter on its local tables only', () => {
    const [statement] = statements(
      all.find((m) => m.name === '032_episodes_by_quarter_index')?.sql ?? '',
    );
    expect(clustered(statement ?? '')).toEqual([
      "ALTER TABLE episodes_by_quarter_local ON CLUSTER '{cluster}' ADD INDEX IF NOT EXISTS started_on_range started_on TYPE minmax GRANULARITY 1",
    ]);
  });

  it('adds and builds a skip index on the local tables only', () => {
    for (const name of ['029_episodes_started_on_index', '030_episodes_started_on_index_build']) {
      const [statement] = statements(all.find((m) => m.name === name)?.sql ?? '');
      const forms = clustered(statement ?? '');
      expect(forms).toHaveLength(1);
      expect(forms[0]).toMatch(
        /^ALTER TABLE episodes_local ON CLUSTER '\{cluster\}' (ADD|MATERIALIZE) INDEX/,
      );
    }
  });

  it('creates views on every node', () => {
    const view = all.find((m) => m.name === '004_data_quality_findings');
    const [statement] = statements(view?.sql ?? '');
    expect(clustered(statement ?? '')).toEqual([
      expect.stringContaining(
        "CREATE VIEW IF NOT EXISTS data_quality_findings ON CLUSTER '{cluster}'",
      ),
    ]);
  });
});
