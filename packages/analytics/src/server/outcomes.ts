import {
  effectSizeFromMoments,
  PHQ9_CONTRIBUTION,
  RATE_MEASURE_NAMES,
  RATE_MEASURES,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import {
  type CompareOutcomesInput,
  DIMENSIONS,
  type GroupingDimension,
  type OutcomeFilters,
} from '../dimensions.js';
import type { OutcomeGroup, OutcomesResult, RateMetric, TrendResult } from '../types.js';
import { episodesFrom, rateDefined } from './basis.js';
import {
  type DisclosureRule,
  type DisclosureSettings,
  disclosureFor,
  NOISE_STREAMS,
} from './disclosure.js';
import { assertKeyed, keyedShape } from './keyed-sql.js';
import { OUTCOME_COUNTS, outcomesSql, registryCount } from './outcomes-sql.js';
import { scopeWhere } from './scope.js';

const sum = z.coerce.number().int();
const sumsRow = z.object({
  problemArea: z.string().optional(),
  sessionBucket: z.string().optional(),
  medication: z.string().optional(),
  startMonth: z.string().optional(),
  ...keyedShape(OUTCOME_COUNTS),
  change_sum: sum,
  change_sum_squares: sum,
  baseline_sum: sum,
  baseline_sum_squares: sum,
});
type SumsRow = z.infer<typeof sumsRow>;

/**
 * The outcomes service behind `GET /v1/outcomes` (and the dashboard): one query of sums, then
 * statistics and disclosure control, cell by cell (the k rule; cell-key perturbation for
 * protected readers), so no number below k ever leaves the server. Every combination of the
 * grouped categories is returned, empty or not: a row's presence says nothing. No complementary
 * suppression (docs/outcomes.md, "Disclosure control"): a margin minus a protected table's shown
 * cells leaves the hidden cells plus the sum of independent noises, and exact readers are
 * trusted with the exact data.
 */
export async function compareOutcomes(
  warehouse: Warehouse,
  scope: Scope,
  input: CompareOutcomesInput,
  options: DisclosureSettings,
): Promise<OutcomesResult> {
  const disclosure = disclosureFor(scope, options);
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    groupBy: input.groupBy,
    groups: await breakdown(warehouse, scope, input, disclosure),
  };
}

/** Outcomes by month of episode start, for trend charts; months are cells like any other. */
export async function outcomeTrend(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
  options: DisclosureSettings,
): Promise<TrendResult> {
  const disclosure = disclosureFor(scope, options);
  const groups = await breakdown(
    warehouse,
    scope,
    { groupBy: ['startMonth'], filters },
    disclosure,
  );
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    points: groups.map(({ dimensions, ...numbers }) => ({
      month: dimensions.startMonth ?? '',
      ...numbers,
    })),
  };
}

async function breakdown(
  warehouse: Warehouse,
  scope: Scope,
  input: { groupBy: readonly GroupingDimension[]; filters: OutcomeFilters },
  disclosure: DisclosureRule,
): Promise<OutcomeGroup[]> {
  const { sql, params } = outcomesSql(scope, input);
  const [rows, months] = await Promise.all([
    warehouse.query(
      defineQuery({
        name: `outcomes.breakdown[${input.groupBy.join(',')}]`,
        sql,
        params: z.record(z.string(), z.unknown()),
        row: sumsRow,
      }),
      params,
    ),
    input.groupBy.includes('startMonth')
      ? monthsOf(warehouse, scope, input.filters)
      : Promise.resolve([]),
  ]);
  if (disclosure.protected) assertKeyed(rows);
  return completeGrid(rows, input.groupBy, months).map((cell) => {
    const dimensions = Object.fromEntries(input.groupBy.map((d) => [d, cell[d] ?? '']));
    // The k rule on the cell alone: for an exact reader an empty cell reads 0 (and its rates,
    // having no denominator, none); for a protected one it reads "fewer than k" like a small one.
    return disclosure.count(registryCount(cell, 'episodes')) === null
      ? suppressedGroup(dimensions)
      : openGroup(dimensions, cell, disclosure, (name) => rateDefined(scope.basis, name));
  });
}

/**
 * Every combination of the grouped categories, in display order: the rows the warehouse
 * returned, and an empty cell for each combination it did not. Months run over `months`.
 */
function completeGrid(
  rows: SumsRow[],
  groupBy: readonly GroupingDimension[],
  months: readonly string[],
): SumsRow[] {
  const values = (d: GroupingDimension) => (d === 'startMonth' ? months : DIMENSIONS[d].values);
  let combinations: Array<Partial<Record<GroupingDimension, string>>> = [{}];
  for (const d of groupBy) {
    combinations = combinations.flatMap((c) => values(d).map((v) => ({ ...c, [d]: v })));
  }
  const found = new Map(rows.map((r) => [JSON.stringify(groupBy.map((d) => r[d] ?? '')), r]));
  const empty = emptyRow();
  const grid = combinations.map((c) => {
    const id = JSON.stringify(groupBy.map((d) => c[d] ?? ''));
    return found.get(id) ?? { ...empty, ...c };
  });
  // A value outside the vocabulary (none today) is still counted, never dropped.
  const listed = new Set(grid.map((c) => JSON.stringify(groupBy.map((d) => c[d] ?? ''))));
  const extra = rows.filter((r) => !listed.has(JSON.stringify(groupBy.map((d) => r[d] ?? ''))));
  return sortByVocabulary([...grid, ...extra], groupBy);
}

/** A cell without episodes: every count, key and sum 0. */
const emptyRow = (): SumsRow =>
  sumsRow.parse({
    ...Object.fromEntries(OUTCOME_COUNTS.map((alias) => [alias, 0])),
    change_sum: 0,
    change_sum_squares: 0,
    baseline_sum: 0,
    baseline_sum_squares: 0,
  });

const monthBounds = defineQuery({
  name: 'outcomes.month_bounds',
  sql: '',
  params: z.record(z.string(), z.unknown()),
  row: z.object({
    first: z.string().nullable(),
    last: z.string().nullable(),
    n: z.coerce.number(),
  }),
});

/**
 * The months of a trend: from the first to the last month of episode start in the reader's
 * scope (never narrowed by the question's other filters, so the range says nothing about a
 * small cohort), clipped to the question's period.
 */
async function monthsOf(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
): Promise<string[]> {
  const scoped = scopeWhere(scope);
  const basis = episodesFrom(scope.basis);
  const [bounds] = await warehouse.query(
    {
      ...monthBounds,
      sql: `SELECT toString(min(start_month)) AS first, toString(max(start_month)) AS last, count() AS n FROM ${basis.from} WHERE started = 1 AND ${scoped.where}`,
    },
    { ...scoped.params, ...basis.params },
  );
  if (bounds === undefined || bounds.n === 0 || bounds.first === null || bounds.last === null) {
    return [];
  }
  const from = maxString(bounds.first, monthOf(filters.startedFrom));
  const to = minString(bounds.last, monthOf(filters.startedTo));
  const months: string[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);
  return months;
}

const monthOf = (day: string | undefined) =>
  day === undefined ? undefined : `${day.slice(0, 7)}-01`;
const maxString = (a: string, b: string | undefined) => (b !== undefined && b > a ? b : a);
const minString = (a: string, b: string | undefined) => (b !== undefined && b < a ? b : a);
function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
}

function openGroup(
  dimensions: OutcomeGroup['dimensions'],
  row: SumsRow,
  disclosure: DisclosureRule,
  defined: (name: (typeof RATE_MEASURE_NAMES)[number]) => boolean,
): OutcomeGroup {
  const eligible = registryCount(row, 'eligible');
  let meanChange: OutcomeGroup['meanChange'] = null;
  let effectSize: number | null = null;
  const change = disclosure.moments(
    { ...eligible, sum: row.change_sum, sumSquares: row.change_sum_squares },
    PHQ9_CONTRIBUTION,
    NOISE_STREAMS.change,
  );
  if (change !== null) {
    const interval = disclosure.meanInterval(change);
    meanChange = { mean: interval.mean, ci: [interval.lower, interval.upper] };
    const baseline = disclosure.moments(
      { ...eligible, sum: row.baseline_sum, sumSquares: row.baseline_sum_squares },
      PHQ9_CONTRIBUTION,
      NOISE_STREAMS.baseline,
    );
    // Baselines without spread (every one the same) have no standardised effect.
    effectSize =
      baseline !== null && baseline.sd > 0
        ? effectSizeFromMoments({ meanImprovement: -change.mean, baselineSd: baseline.sd })
        : null;
  }
  return {
    dimensions,
    n: disclosure.count(registryCount(row, 'episodes')),
    suppressed: false,
    finished: disclosure.count(registryCount(row, 'finished')),
    paired: disclosure.count(registryCount(row, 'paired')),
    // Every rate of the registry, over its own denominator (docs/outcomes.md); completeness is
    // finished and paired over finished, so never above 1.
    ...rates((name) =>
      defined(name)
        ? disclosure.rate(
            registryCount(row, RATE_MEASURES[name].numerator),
            registryCount(row, RATE_MEASURES[name].denominator),
          )
        : null,
    ),
    meanChange,
    effectSize,
  };
}

/** Every rate of the registry, as `rate` gives it. */
const rates = (rate: (name: (typeof RATE_MEASURE_NAMES)[number]) => RateMetric | null) =>
  Object.fromEntries(RATE_MEASURE_NAMES.map((name) => [name, rate(name)])) as Record<
    (typeof RATE_MEASURE_NAMES)[number],
    RateMetric | null
  >;

function suppressedGroup(dimensions: OutcomeGroup['dimensions']): OutcomeGroup {
  return {
    dimensions,
    n: null,
    suppressed: true,
    finished: null,
    paired: null,
    ...rates(() => null),
    meanChange: null,
    effectSize: null,
  };
}

/** Groups in the order the vocabulary lists their values (0, 1-3, 4-7, ... not 0, 1-3, 12-16). */
function sortByVocabulary(rows: SumsRow[], groupBy: readonly GroupingDimension[]): SumsRow[] {
  const rank = (d: GroupingDimension, value: string | undefined) => {
    const index = DIMENSIONS[d].values.indexOf(value ?? '');
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...rows].sort((a, b) => {
    for (const d of groupBy) {
      const diff = rank(d, a[d]) - rank(d, b[d]);
      if (diff !== 0) return diff;
      // Dimensions without a vocabulary (months) sort by value.
      const x = a[d] ?? '';
      const y = b[d] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
