import {
  addCellKeys,
  compareGroups,
  type EpisodeCountName,
  type GroupComparison,
  type KeyedCount,
  OUTCOME_RATE_NAMES,
  perturbCount,
  RATE_MEASURES,
  type RateMeasureName,
  type StratumCell,
} from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import { ADJUSTMENT_FACTORS, type AdjustedComparisonInput, DIMENSIONS } from '../dimensions.js';
import type { AdjustedComparisonResult, AdjustedMeasure, Estimate, RateMetric } from '../types.js';
import { rateDefined } from './basis.js';
import { type DisclosureRule, type DisclosureSettings, disclosureFor } from './disclosure.js';
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
 * and denominator by group and stratum of the adjustment set; @ipt/protocol standardises.
 *
 * Disclosure: a group is compared only where its crude rate is released (the k rule). For
 * protected readers each stratum cell is a protected count (its own cell key: the same set of
 * episodes gets the same noise however it is asked for), a stratum is in common support only
 * where every group has at least k episodes there, and every interval is widened by the most
 * the noise can move it. Crude figures come from the released group totals.
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
  const narrowed = (input.filters as Record<string, readonly string[] | undefined>)[input.compare];
  const groups = DIMENSIONS[input.compare].values.filter(
    (v) => narrowed === undefined || narrowed.includes(v),
  );
  const reference = groups[0] ?? '';
  const stratumOf = (row: StrataRow) =>
    JSON.stringify(input.adjustFor.map((_, i) => row[`f${i}`] ?? ''));
  return {
    minCellSize: disclosure.policy.k,
    protected: disclosure.protected,
    compare: input.compare,
    groups,
    reference,
    adjustFor: input.adjustFor,
    measures: OUTCOME_RATE_NAMES.filter((measure) => rateDefined(scope.basis, measure)).map(
      (measure) => compareMeasure(measure, rows, groups, stratumOf, disclosure),
    ),
  };
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
  const select = [
    `${DIMENSIONS[input.compare].column} AS grp`,
    ...factors,
    ...NEEDED.flatMap((name) => keyedCount(countAlias(name), countCondition(name), keys)),
    ...unkeyedColumn(keys),
  ];
  // Every rate of the comparison is over eligible (paired, finished) episodes: the others
  // count in no cell.
  const sql = `SELECT ${select.join(',\n  ')}\nFROM ${from}\nWHERE ${where} AND ${FLAG_SQL.eligible}\nGROUP BY grp, ${input.adjustFor.map((_, i) => `f${i}`).join(', ')}`;
  const rows = await warehouse.query(
    defineQuery({
      name: `outcomes.adjusted[${input.compare}|${input.adjustFor.join(',')}]`,
      sql,
      params: z.record(z.string(), z.unknown()),
      row: strataRow,
    }),
    params,
  );
  return rows as StrataRow[];
}

function compareMeasure(
  measure: RateMeasureName,
  rows: readonly StrataRow[],
  groups: readonly string[],
  stratumOf: (row: StrataRow) => string,
  disclosure: DisclosureRule,
): AdjustedMeasure {
  const { numerator, denominator } = RATE_MEASURES[measure];
  // Crude: each group's totals, whose key is the sum of its cells' keys (the key of the union),
  // so the crude rate is the one the outcomes breakdown releases for the group.
  const crude = new Map<string, RateMetric | null>();
  for (const group of groups) {
    const mine = rows.filter((r) => r.grp === group);
    const total = (name: EpisodeCountName): KeyedCount => ({
      count: mine.reduce((n, r) => n + registryCount(r, name).count, 0),
      key: addCellKeys(...mine.map((r) => registryCount(r, name).key)),
    });
    crude.set(group, disclosure.rate(total(numerator), total(denominator)));
  }
  const compared = groups.filter((g) => crude.get(g) != null);
  const noise = disclosure.protected ? { noise: disclosure.policy.noise } : {};
  const empty: AdjustedMeasure = {
    measure,
    support: null,
    groups: groups.map((group) => ({
      group,
      suppressed: crude.get(group) == null,
      crude: crude.get(group) ?? null,
      adjusted: null,
    })),
    differences: [],
    riskRatio: null,
  };
  // A comparison needs a reference and one other group, both released.
  const reference = groups[0];
  if (reference === undefined || !compared.includes(reference) || compared.length < 2) {
    return empty;
  }
  const crudeCells: StratumCell[] = compared.map((group) => {
    const metric = crude.get(group) as RateMetric;
    return { stratum: 'all', group, events: metric.count, n: metric.denominator };
  });
  const crudeComparison = compareGroups(crudeCells, compared, { reference, ...noise });
  const adjusted = compareGroups(
    rows
      .filter((r) => compared.includes(r.grp))
      .map((r) => stratumCell(r, stratumOf(r), numerator, denominator, disclosure)),
    compared,
    { reference, minimum: disclosure.protected ? disclosure.policy.k : 1, ...noise },
  );
  const totalReleased = crudeCells.reduce((n, c) => n + c.n, 0);
  const inside = adjusted.support.inside;
  const rateOf = (c: GroupComparison, group: string): Estimate | null => {
    const r = c.rates.find((x) => x.group === group);
    return r === undefined ? null : { estimate: r.rate, ci: r.ci };
  };
  const differenceOf = (c: GroupComparison, group: string): Estimate | null => {
    const d = c.differences.find((x) => x.group === group);
    return d === undefined ? null : { estimate: d.estimate, ci: d.ci };
  };
  const ratio = (c: GroupComparison): Estimate | null =>
    c.riskRatio === null ? null : { estimate: c.riskRatio.estimate, ci: c.riskRatio.ci };
  const other = compared.find((g) => g !== reference);
  // Against the released totals: for protected readers the withheld cells (below k) are outside,
  // counted through the group totals rather than one by one.
  const outside = disclosure.derived(Math.max(0, totalReleased - inside));
  return {
    measure,
    support: {
      strata: adjusted.support.strata.length,
      inside: disclosure.derived(inside),
      outside,
      shareOutside: outside === null || totalReleased === 0 ? null : outside / totalReleased,
    },
    groups: groups.map((group) => ({
      group,
      suppressed: !compared.includes(group),
      crude: crude.get(group) ?? null,
      adjusted: compared.includes(group) ? rateOf(adjusted, group) : null,
    })),
    differences: compared
      .filter((g) => g !== reference)
      .map((group) => ({
        group,
        crude: differenceOf(crudeComparison, group),
        adjusted: differenceOf(adjusted, group),
      })),
    riskRatio:
      compared.length === 2 && other !== undefined
        ? { group: other, crude: ratio(crudeComparison), adjusted: ratio(adjusted) }
        : null,
  };
}

/**
 * One group's episodes in one stratum. Exact: the counts. Protected: the protected denominator
 * (0 when it or its exact value is below k, which keeps the stratum out of common support) and
 * the protected numerator, never above it.
 */
function stratumCell(
  row: StrataRow,
  stratum: string,
  numerator: EpisodeCountName,
  denominator: EpisodeCountName,
  disclosure: DisclosureRule,
): StratumCell {
  const hits = registryCount(row, numerator);
  const of = registryCount(row, denominator);
  if (!disclosure.protected) return { stratum, group: row.grp, events: hits.count, n: of.count };
  const n = disclosure.count(of) ?? 0;
  const events = n === 0 ? 0 : Math.min(perturbCount(hits, disclosure.policy), n);
  return { stratum, group: row.grp, events, n };
}
