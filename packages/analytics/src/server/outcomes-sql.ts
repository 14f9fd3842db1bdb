import type { Scope } from '../access.js';
import {
  DIMENSIONS,
  type GroupingDimension,
  LIST_FILTER_COLUMNS,
  type OutcomeFilters,
} from '../dimensions.js';
import { keyedCount, unkeyedColumn } from './keyed-sql.js';
import { scopeWhere } from './scope.js';

/** The counts of an outcomes cell, each with its cell key when the answer is protected. */
export const OUTCOME_COUNTS = [
  'n',
  'n_finished',
  'n_paired',
  'n_finished_paired',
  'n_eligible',
  'n_eligible_cases',
  'n_reliable_improvement',
  'n_reliable_deterioration',
  'n_recovery',
  'n_reliable_recovery',
  'n_response',
  'n_remission',
] as const;

/**
 * The SQL of an outcomes breakdown. ClickHouse only counts and sums what @ipt/protocol has
 * already classified per episode (the flags in `episodes`); rates, intervals and effect sizes
 * are computed from these sums by @ipt/protocol, so there is one definition of each.
 *
 * Denominators (OUTCOMES.md): reliable improvement and deterioration over paired finished
 * episodes (`outcome_eligible`); recovery, reliable recovery, response and remission over those
 * with baseline caseness, which is exactly where the protocol set `recovery` (non-NULL).
 */
export function outcomesSql(
  scope: Scope,
  input: {
    groupBy: readonly GroupingDimension[];
    filters: OutcomeFilters;
  },
): {
  sql: string;
  params: Record<string, unknown>;
} {
  const { where, params } = cohortWhere(scope, input.filters);
  const keys = scope.release === 'protected';
  const dims = input.groupBy.map((d) => `${DIMENSIONS[d].column} AS ${d}`);
  const eligible = 'outcome_eligible = 1';
  const conditions: Record<(typeof OUTCOME_COUNTS)[number], string | null> = {
    n: null,
    n_finished: 'finished_course = 1',
    n_paired: 'paired = 1',
    n_finished_paired: 'finished_course = 1 AND paired = 1',
    n_eligible: eligible,
    n_eligible_cases: `${eligible} AND recovery IS NOT NULL`,
    n_reliable_improvement: `${eligible} AND reliable_improvement = 1`,
    n_reliable_deterioration: `${eligible} AND reliable_deterioration = 1`,
    n_recovery: `${eligible} AND recovery = 1`,
    n_reliable_recovery: `${eligible} AND reliable_recovery = 1`,
    n_response: `${eligible} AND response = 1`,
    n_remission: `${eligible} AND remission = 1`,
  };
  const select = [
    ...dims,
    // Aliases never reuse a column name: ClickHouse would substitute the alias (an aggregate)
    // wherever the column is named in another aggregate.
    ...OUTCOME_COUNTS.flatMap((alias) => keyedCount(alias, conditions[alias], keys)),
    ...unkeyedColumn(keys),
    `sumIf(toInt64(change), ${eligible}) AS change_sum`,
    `sumIf(toInt64(change) * toInt64(change), ${eligible}) AS change_sum_squares`,
    `sumIf(toInt64(baseline_total), ${eligible}) AS baseline_sum`,
    `sumIf(toInt64(baseline_total) * toInt64(baseline_total), ${eligible}) AS baseline_sum_squares`,
  ];
  const groupBy = input.groupBy.length > 0 ? `GROUP BY ${input.groupBy.join(', ')}` : '';
  const sql = `SELECT ${select.join(',\n  ')}\nFROM episodes FINAL\nWHERE ${where}\n${groupBy}`;
  return { sql, params };
}

/**
 * The WHERE clause of a cohort over `episodes`: started episodes within the reader's scope
 * matching every filter, with values bound as parameters. Shared by every analytics query so a
 * cohort means one thing, and no query can leave the scope out.
 */
export function cohortWhere(
  scope: Scope,
  filters: OutcomeFilters,
): {
  where: string;
  params: Record<string, unknown>;
} {
  const scoped = scopeWhere(scope);
  const where = ['started = 1', scoped.where];
  const params: Record<string, unknown> = { ...scoped.params };
  for (const [name, column] of Object.entries(LIST_FILTER_COLUMNS)) {
    const values = filters[name as keyof typeof LIST_FILTER_COLUMNS];
    if (values === undefined) continue;
    where.push(`${column} IN {${name}:Array(String)}`);
    params[name] = values;
  }
  if (filters.startedFrom !== undefined) {
    where.push('started_on >= {startedFrom:Date}');
    params.startedFrom = filters.startedFrom;
  }
  if (filters.startedTo !== undefined) {
    where.push('started_on <= {startedTo:Date}');
    params.startedTo = filters.startedTo;
  }
  return { where: where.join(' AND '), params };
}
