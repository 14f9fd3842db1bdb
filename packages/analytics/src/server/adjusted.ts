import {
  type EpisodeCountName,
  OUTCOME_RATE_NAMES,
  RATE_MEASURES,
  type RateMeasureName,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { ADJUSTMENT_FACTORS, type AdjustedComparisonInput, DIMENSIONS } from '../dimensions.js';
import type { AdjustedComparisonResult } from '../types.js';
import {
  collapseWithin,
  compareMeasure,
  heterogeneityOf,
  type MeasureContext,
  type StrataCell,
} from './adjusted-measure.js';
import { rateDefined } from './basis.js';
import { type DisclosureSettings, disclosureFor } from './disclosure.js';
import { assertKeyed, keyedCount, keyedShape, unkeyedColumn } from './keyed-sql.js';
import {
  type CountAlias,
  cohortWhere,
  countAlias,
  countCondition,
  FLAG_SQL,
  registryCount,
} from './outcomes-sql.js';

/**
 * Groups of one dimension compared crude and adjusted for case mix (docs/outcomes.md, "Adjusted
 * comparisons"), for every outcome rate of the registry: one query counts each rate's numerator
 * and denominator by group and stratum of the adjustment set (and by level of `within`, when
 * asked); @ipt/protocol fits and standardises (adjusted-measure.ts).
 *
 * Disclosure: a group is compared only where its crude rate is released (the k rule), and
 * crude figures come from the released group totals. For protected readers every cell is a
 * protected count under its own cell key.
 */
export async function adjustedComparison(
  warehouse: Warehouse,
  scope: Scope,
  input: AdjustedComparisonInput,
  options: DisclosureSettings,
): Promise<AdjustedComparisonResult> {
  const disclosure = disclosureFor(scope, options);
  const rows = await strataRows(warehouse, scope, input, disclosure.protected);
  if (disclosure.protected) assertKeyed(rows);
  const groups = narrowedValues(input, input.compare);
  const reference = groups[0] ?? '';
  const cells: StrataCell[] = rows.map((row) => ({
    group: row.grp,
    within: input.within === undefined ? '' : String(row.w ?? ''),
    factors: input.adjustFor.map((_, i) => String(row[`f${i}`] ?? '')),
    counts: Object.fromEntries(
      NEEDED.map((name) => [name, registryCount(row, name)]),
    ) as StrataCell['counts'],
  }));
  const context: MeasureContext = { groups, adjustFor: input.adjustFor, disclosure };
  const rates: RateMeasureName[] = OUTCOME_RATE_NAMES.filter((measure) =>
    rateDefined(scope.basis, measure),
  );
  // The whole cohort's comparison from cells summed over `within`: the same sets of episodes,
  // so the same keys and numbers as when `within` is not asked.
  const overall = collapseWithin(cells);
  const measures = rates.map((measure) => compareMeasure(measure, overall, context));
  let within: AdjustedComparisonResult['within'] = null;
  if (input.within !== undefined) {
    const dimension = input.within;
    // Every level of the dimension, empty or not: which levels hold episodes is itself a count
    // (an empty level's groups read as withheld to a protected reader, as small ones do).
    const levels = narrowedValues(input, dimension);
    within = {
      dimension,
      levels: levels.map((level) => {
        const mine = cells.filter((c) => c.within === level);
        return { level, measures: rates.map((measure) => compareMeasure(measure, mine, context)) };
      }),
      heterogeneity: measures.map((m) =>
        heterogeneityOf(m, cells, { name: dimension, levels }, context),
      ),
    };
  }
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    compare: input.compare,
    groups,
    reference,
    adjustFor: input.adjustFor,
    measures,
    within,
  };
}

/** A dimension's values in vocabulary order, narrowed by its filter if the question has one. */
function narrowedValues(
  input: AdjustedComparisonInput,
  dimension: AdjustedComparisonInput['compare'],
): string[] {
  const narrowed = (input.filters as Record<string, readonly string[] | undefined>)[dimension];
  return DIMENSIONS[dimension].values.filter((v) => narrowed === undefined || narrowed.includes(v));
}

/** The counts each outcome rate needs: its numerator and its denominator. */
const NEEDED: readonly EpisodeCountName[] = [
  ...new Set(
    OUTCOME_RATE_NAMES.flatMap((m) => [RATE_MEASURES[m].numerator, RATE_MEASURES[m].denominator]),
  ),
];
const ALIASES: readonly CountAlias[] = NEEDED.map(countAlias);

const strataRow = z
  .object({ grp: z.string(), ...keyedShape(ALIASES) })
  .catchall(z.union([z.string(), z.number()]));
type StrataRow = z.infer<typeof strataRow> & Record<string, string | number>;

async function strataRows(
  warehouse: Warehouse,
  scope: Scope,
  input: AdjustedComparisonInput,
  keys: boolean,
): Promise<StrataRow[]> {
  const { from, where, params } = cohortWhere(scope, input.filters);
  const factors = input.adjustFor.map((f, i) => `${ADJUSTMENT_FACTORS[f]} AS f${i}`);
  const within = input.within === undefined ? [] : [`${DIMENSIONS[input.within].column} AS w`];
  const select = [
    `${DIMENSIONS[input.compare].column} AS grp`,
    ...within,
    ...factors,
    ...NEEDED.flatMap((name) => keyedCount(countAlias(name), countCondition(name), keys)),
    ...unkeyedColumn(keys),
  ];
  const groupBy = [
    'grp',
    ...(input.within === undefined ? [] : ['w']),
    ...input.adjustFor.map((_, i) => `f${i}`),
  ];
  // Every rate of the comparison is over eligible (paired, finished) episodes: the others
  // count in no cell.
  const sql = `SELECT ${select.join(',\n  ')}\nFROM ${from}\nWHERE ${where} AND ${FLAG_SQL.eligible}\nGROUP BY ${groupBy.join(', ')}`;
  const rows = await warehouse.query(
    defineQuery({
      name: `outcomes.adjusted[${input.compare}|${input.within ?? ''}|${input.adjustFor.join(',')}]`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: strataRow,
    }),
    params,
  );
  return rows as StrataRow[];
}
