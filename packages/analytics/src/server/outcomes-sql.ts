import {
  EPISODE_COUNT_NAMES,
  EPISODE_COUNTS,
  EPISODE_FLAGS,
  type EpisodeCountName,
  type EpisodeFlag,
  type KeyedCount,
} from '@ipt/protocol';
import type { Scope } from '../access.js';
import {
  DIMENSIONS,
  type GroupingDimension,
  LIST_FILTER_COLUMNS,
  type OutcomeFilters,
} from '../dimensions.js';
import { episodesFrom } from './basis.js';
import { keyed, keyedCount, unkeyedColumn } from './keyed-sql.js';
import { scopeWhere } from './scope.js';

/**
 * Each episode flag of @ipt/protocol as an expression over `episodes`, whose `flag_bits` column
 * holds the flags the fold found (bit i for EPISODE_FLAGS[i]): derived from the list, so a new
 * flag needs no SQL. A parity test holds each equal to `episodeFlags` for every episode.
 */
export const FLAG_SQL = Object.fromEntries(
  EPISODE_FLAGS.map((flag, i) => [flag, `bitTest(flag_bits, ${i})`]),
) as Record<EpisodeFlag, string>;

/** The SQL alias of a registry count: `episodes` is `n`, `eligibleCases` is `n_eligible_cases`. */
export type CountAlias = 'n' | `n_${string}`;
export const countAlias = (name: EpisodeCountName): CountAlias =>
  name === 'episodes' ? 'n' : `n_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/** A registry count of a warehouse row, with its cell key (0 when the answer is exact). */
export const registryCount = (row: object, name: EpisodeCountName): KeyedCount =>
  keyed(row as Record<string, number>, countAlias(name));

/** The condition of a registry count (null: every started episode). */
export const countCondition = (name: EpisodeCountName): string | null => {
  const flags: readonly EpisodeFlag[] = EPISODE_COUNTS[name];
  return flags.length === 0 ? null : flags.map((f) => FLAG_SQL[f]).join(' AND ');
};

/** The counts of an outcomes cell, each with its cell key when the answer is protected. */
export const OUTCOME_COUNTS: readonly CountAlias[] = EPISODE_COUNT_NAMES.map(countAlias);

/**
 * The SQL of an outcomes breakdown. ClickHouse only counts and sums what @ipt/protocol has
 * already classified per episode (the flags in `episodes`); rates, intervals and effect sizes
 * are computed from these sums by @ipt/protocol, so there is one definition of each.
 *
 * Every count of the registry (EPISODE_COUNTS) is one column; its denominators are the registry's.
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
  const { where, params, from } = cohortWhere(scope, input.filters);
  const keys = scope.disclosure === 'protected';
  const dims = input.groupBy.map((d) => `${DIMENSIONS[d].column} AS ${d}`);
  const eligible = FLAG_SQL.eligible;
  const select = [
    ...dims,
    // Aliases never reuse a column name: ClickHouse would substitute the alias (an aggregate)
    // wherever the column is named in another aggregate.
    ...EPISODE_COUNT_NAMES.flatMap((name) =>
      keyedCount(countAlias(name), countCondition(name), keys),
    ),
    ...unkeyedColumn(keys),
    `sumIf(toInt64(change), ${eligible}) AS change_sum`,
    `sumIf(toInt64(change) * toInt64(change), ${eligible}) AS change_sum_squares`,
    `sumIf(toInt64(baseline_total), ${eligible}) AS baseline_sum`,
    `sumIf(toInt64(baseline_total) * toInt64(baseline_total), ${eligible}) AS baseline_sum_squares`,
  ];
  const groupBy = input.groupBy.length > 0 ? `GROUP BY ${input.groupBy.join(', ')}` : '';
  const sql = `SELECT ${select.join(',\n  ')}\nFROM ${from}\nWHERE ${where}\n${groupBy}`;
  return { sql, params };
}

/**
 * A cohort: the episodes table of the scope's basis (`from`: live, as of a moment, a release)
 * and the WHERE clause over it: started episodes within the reader's scope matching every
 * filter, with values bound as parameters. Shared by every analytics query so a cohort means one
 * thing, and no query can leave the scope or the basis out.
 */
export function cohortWhere(
  scope: Scope,
  filters: OutcomeFilters,
): {
  from: string;
  where: string;
  params: Record<string, unknown>;
} {
  const scoped = scopeWhere(scope);
  const basis = episodesFrom(scope.basis);
  const where = ['started = 1', scoped.where];
  const params: Record<string, unknown> = { ...scoped.params, ...basis.params };
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
  return { from: basis.from, where: where.join(' AND '), params };
}
