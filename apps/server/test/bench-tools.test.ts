/**
 * @fileoverview The pure parts of the benchmark tooling: the table `pnpm bench` prints at the
 * end, and the translation of the product's outcomes SQL to PostgreSQL for the comparison
 * (a translation that left a ClickHouse function in would fail on the server, or worse, a
 * different aggregate would compare different numbers).
 */
import { outcomesSql } from '@ipt/analytics/server';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ES module of the workspace scripts, without declarations
import { benchTable, flatten } from '../../../scripts/bench-table.mjs';
// @ts-expect-error: plain ES modules of the benchmark scripts, without declarations
import { toPostgres } from '../bench/postgres.mjs';

describe('the benchmark table', () => {
  it('has a row for every number of every result, named by its path', () => {
    const table: string = benchTable([
      { bench: 'reads.4M', episodes: 4_000_000, settled: { plain: { p50ms: 88.1 } }, pg: null },
      { bench: 'kafka', runs: [{ eps: 31000 }] },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+measure\s+value$/);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^reads\.4M\s+episodes\s+4000000$/),
      expect.stringMatching(/^reads\.4M\s+settled\.plain\.p50ms\s+88\.1$/),
      expect.stringMatching(/^reads\.4M\s+pg\s+-$/),
      expect.stringMatching(/^kafka\s+runs\[0\]\.eps\s+31000$/),
    ]);
    expect(flatten({ a: { b: true } })).toEqual([['a.b', 'true']]);
    expect(benchTable([])).toBe('no benchmark printed a result');
  });
});

describe('the outcomes SQL in PostgreSQL', () => {
  const scope = {
    principal: { role: 'steward', name: 'bench' },
    rows: { kind: 'network' },
    disclosure: 'exact',
    basis: { kind: 'live' },
  } as const;

  it('has no ClickHouse function left, and binds every filter as a numbered parameter', () => {
    const { sql, params } = outcomesSql(scope as never, {
      groupBy: ['problemArea', 'sessionBucket', 'medication'],
      filters: { condition: ['major_depression'], ageBand: ['25-34'], startedFrom: '2025-01-01' },
    });
    const { text, values } = toPostgres(sql, params);
    expect(text).not.toMatch(/countIf|sumIf|toInt64|bitTest|FINAL|\{\w+:/);
    // eligible is the third flag: bit 2.
    expect(text).toContain('count(*) FILTER (WHERE (flag_bits & 4) <> 0)');
    expect(text).toMatch(/sum\(\(change\)::bigint\) FILTER \(WHERE \(flag_bits & 4\) <> 0\)/);
    expect(text).toContain('condition = ANY($1::text[])');
    expect(text).toContain('started_on >= $3::date');
    expect(values).toEqual([['major_depression'], ['25-34'], '2025-01-01']);
    // As many aggregates as the ClickHouse form.
    const aggregates = (s: string, re: RegExp) => s.match(re)?.length ?? 0;
    expect(aggregates(text, /FILTER \(WHERE/g)).toBe(aggregates(sql, /(countIf|sumIf)\(/g));
  });
});
