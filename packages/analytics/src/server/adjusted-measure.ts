import {
  addCellKeys,
  type CategoricalFactor,
  directlyStandardise,
  type EpisodeCountName,
  type GroupStratumCount,
  interactionTest,
  type KeyedCount,
  mantelHaenszelRiskRatio,
  OUTCOME_RATE_NAMES,
  perturbCount,
  RATE_MEASURES,
  type RateMeasureName,
  type RiskRatio,
  rateDifference,
  regressionStandardise,
  type StandardisedRate,
  type StratumCell,
  type WithinCount,
} from '@ipt/protocol';
import { ADJUSTMENT_LEVELS, type AdjustmentFactor } from '../dimensions.js';
import type { AdjustedMeasure, Estimate, HeterogeneityResult, RateMetric } from '../types.js';
import { type DisclosureRule, NOISE_STREAMS } from './disclosure.js';

/**
 * One outcome rate's adjusted comparison (docs/outcomes.md, "Adjusted comparisons") from counts
 * by group x stratum: the crude rates, the regression standardisation over every eligible
 * episode (primary), and direct standardisation over common support with the crude rate of the
 * same supported episodes (sensitivity). Protected readers get all of it from protected counts:
 * each cell's own cell key, so the same set of episodes gets the same noise however it is asked
 * for, and every interval carries the variance the noise adds.
 */

/** The registry counts of one group in one stratum (and one level of `within`, if asked). */
export interface StrataCell {
  readonly group: string;
  /** The level of the `within` dimension; '' when the comparison has none. */
  readonly within: string;
  /** One level per adjustment factor, in the order of the adjustment set. */
  readonly factors: readonly string[];
  readonly counts: Readonly<Record<EpisodeCountName, KeyedCount>>;
}

export interface MeasureContext {
  readonly groups: readonly string[];
  readonly adjustFor: readonly AdjustmentFactor[];
  readonly disclosure: DisclosureRule;
}

/** Cells of the same group and stratum over every level of `within`, counts and keys summed. */
export function collapseWithin(cells: readonly StrataCell[]): StrataCell[] {
  // Sorted, so that the model sums the same cells in the same order however the rows came.
  const merged = new Map<string, StrataCell>();
  for (const cell of cells) {
    const id = JSON.stringify([cell.group, ...cell.factors]);
    const before = merged.get(id);
    merged.set(
      id,
      before === undefined
        ? { ...cell, within: '' }
        : { ...before, counts: sumCounts([before.counts, cell.counts]) },
    );
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}

function sumCounts(
  list: ReadonlyArray<Readonly<Record<EpisodeCountName, KeyedCount>>>,
): Record<EpisodeCountName, KeyedCount> {
  const names = Object.keys(list[0] ?? {}) as EpisodeCountName[];
  const out = {} as Record<EpisodeCountName, KeyedCount>;
  for (const name of names) {
    out[name] = {
      count: list.reduce((n, c) => n + c[name].count, 0),
      // The key of a union of disjoint sets is the sum of their keys.
      key: addCellKeys(...list.map((c) => c[name].key)),
    };
  }
  return out;
}

/** The model's factors: each adjustment factor's vocabulary, then any other value seen. */
export function modelFactors(
  adjustFor: readonly AdjustmentFactor[],
  strata: ReadonlyArray<readonly string[]>,
): CategoricalFactor[] {
  return adjustFor.map((name, i) => {
    const vocabulary = ADJUSTMENT_LEVELS[name];
    const others = [...new Set(strata.map((stratum) => stratum[i] as string))]
      .filter((v) => !vocabulary.includes(v))
      .sort();
    return { name, levels: [...vocabulary, ...others] };
  });
}

/**
 * A cell's events and trials as the model sees them. Exact: the counts. Protected: protected
 * counts, small cells included (the model uses them only through sums over many cells, and
 * every figure it gives carries the noise's variance; never below 0, events never above
 * trials). Both noises are drawn from the key of the cell's population, the events' from a
 * stream of the rate's own: a cell with one episode more or less gets fresh noise on both, so
 * differencing two cohorts one episode apart cannot tell an unchanged count of events (the
 * episode without the outcome) from a changed one, as it could were the events keyed by the
 * episodes with the outcome.
 */
function modelCount(
  cell: StrataCell,
  measure: RateMeasureName,
  disclosure: DisclosureRule,
): { events: number; n: number } {
  const { numerator, denominator } = RATE_MEASURES[measure];
  const hits = cell.counts[numerator];
  const of = cell.counts[denominator];
  if (!disclosure.protected) return { events: hits.count, n: of.count };
  if (of.count === 0) return { events: 0, n: 0 };
  const n = perturbCount(of, disclosure.policy);
  const events = perturbCount(
    { count: hits.count, key: of.key },
    disclosure.policy,
    eventStream(measure),
  );
  return { events: n === 0 ? 0 : Math.min(events, n), n };
}

const eventStream = (measure: RateMeasureName) =>
  NOISE_STREAMS.outcomeInCell(
    OUTCOME_RATE_NAMES.indexOf(measure as (typeof OUTCOME_RATE_NAMES)[number]),
  );

/**
 * A cell for direct standardisation. Exact: the counts. Protected: the protected denominator
 * (0 when it or its exact value is below k, which keeps the stratum out of common support) and
 * the protected numerator, never above it.
 */
function supportCell(
  cell: StrataCell,
  measure: RateMeasureName,
  disclosure: DisclosureRule,
): StratumCell {
  const stratum = JSON.stringify(cell.factors);
  const { numerator, denominator } = RATE_MEASURES[measure];
  const of = cell.counts[denominator];
  if (!disclosure.protected) {
    return { stratum, group: cell.group, events: cell.counts[numerator].count, n: of.count };
  }
  const n = disclosure.count(of) ?? 0;
  // The same protected events as the model's (keyed by the cell's population).
  const { events } = modelCount(cell, measure, disclosure);
  return { stratum, group: cell.group, events: n === 0 ? 0 : Math.min(events, n), n };
}

const estimateOf = (e: { estimate: number; ci: [number, number] }): Estimate => ({
  estimate: e.estimate,
  ci: e.ci,
});
const ratioOf = (r: RiskRatio | null): Estimate | null =>
  r === null ? null : { estimate: r.estimate, ci: r.ci };

export function compareMeasure(
  measure: RateMeasureName,
  cells: readonly StrataCell[],
  context: MeasureContext,
): AdjustedMeasure {
  const { groups, disclosure } = context;
  const { numerator, denominator } = RATE_MEASURES[measure];
  // Crude: each group's totals, whose key is the sum of its cells' keys (the key of the union),
  // so the crude rate is the one the outcomes breakdown releases for the group.
  const crude = new Map<string, RateMetric | null>();
  for (const group of groups) {
    const mine = cells.filter((c) => c.group === group).map((c) => c.counts);
    if (mine.length === 0) {
      crude.set(group, null);
      continue;
    }
    const total = sumCounts(mine);
    crude.set(group, disclosure.rate(total[numerator], total[denominator]));
  }
  const compared = groups.filter((g) => crude.get(g) != null);
  const empty: AdjustedMeasure = {
    measure,
    model: null,
    support: null,
    groups: groups.map((group) => ({
      group,
      suppressed: crude.get(group) == null,
      crude: crude.get(group) ?? null,
      adjusted: null,
      direct: null,
      crudeInSupport: null,
    })),
    differences: [],
    ratios: [],
  };
  // A comparison needs a reference and one other group, both released.
  const reference = groups[0];
  if (reference === undefined || !compared.includes(reference) || compared.length < 2) {
    return empty;
  }
  const noise = disclosure.protected ? disclosure.policy.noise : undefined;
  const released = compared.reduce((n, g) => n + (crude.get(g) as RateMetric).denominator, 0);
  const mine = cells.filter((c) => compared.includes(c.group));

  // Crude differences and ratios, from the released crude counts.
  const crudeOf = (group: string) => crude.get(group) as RateMetric;
  const crudeStandardised = directlyStandardise(
    compared.map((group) => ({
      stratum: 'all',
      group,
      events: crudeOf(group).count,
      n: crudeOf(group).denominator,
    })),
    compared,
    noise === undefined ? {} : { noise },
  );
  // One stratum holding every compared group: a rate for each.
  const crudeRates = new Map(crudeStandardised.rates.map((r) => [r.group, r]));
  const crudeRate = (group: string) => crudeRates.get(group) as StandardisedRate;
  const crudeRatio = (group: string) =>
    mantelHaenszelRiskRatio(
      [
        {
          a: crudeOf(group).count,
          n1: crudeOf(group).denominator,
          c: crudeOf(reference).count,
          n0: crudeOf(reference).denominator,
        },
      ],
      noise,
    );

  // The primary adjusted figures: regression standardisation over every eligible episode.
  const counts: GroupStratumCount[] = mine.map((c) => ({
    group: c.group,
    stratum: c.factors,
    ...modelCount(c, measure, disclosure),
  }));
  const regression = counts.length === 0 ? null : modelOrFailure(counts, compared, context, noise);
  const episodes = disclosure.derived(released);
  const model: AdjustedMeasure['model'] =
    regression === null
      ? { fitted: false, episodes, reason: 'no-data', detail: 'no episodes' }
      : regression.ok
        ? {
            fitted: true,
            episodes,
            aliased: regression.fit.aliased,
            separated: regression.separated.map((l) => ({
              ...l,
              episodes: disclosure.derived(l.episodes),
            })),
          }
        : { fitted: false, episodes, reason: regression.reason, detail: regression.detail };
  const fitted = regression?.ok ? regression : null;

  // The sensitivity analysis: direct standardisation over common support.
  const supportCells = mine.map((c) => supportCell(c, measure, disclosure));
  const direct = directlyStandardise(supportCells, compared, {
    minimum: disclosure.protected ? disclosure.policy.k : 1,
    ...(noise === undefined ? {} : { noise }),
  });
  const inSupport = new Set(direct.support.strata);
  const supported = supportCells.filter((c) => inSupport.has(c.stratum));
  const likeWithLike =
    supported.length === 0
      ? null
      : directlyStandardise(
          supported.map((c) => ({ ...c, stratum: 'supported' })),
          compared,
          noise === undefined ? {} : { noise },
        );
  const directRate = (group: string) => direct.rates.find((r) => r.group === group);
  const directRatio = (group: string) => {
    if (direct.rates.length === 0) return null;
    const strata = direct.support.strata.map((stratum) => {
      const cell = (g: string) =>
        supported.find((c) => c.stratum === stratum && c.group === g) ?? { events: 0, n: 0 };
      return {
        a: cell(group).events,
        n1: cell(group).n,
        c: cell(reference).events,
        n0: cell(reference).n,
      };
    });
    return mantelHaenszelRiskRatio(strata, noise);
  };

  // Against the released totals: for protected readers the withheld cells (below k) are outside,
  // counted through the group totals rather than one by one.
  const outside = disclosure.derived(Math.max(0, released - direct.support.inside));
  const others = compared.filter((g) => g !== reference);
  return {
    measure,
    model,
    support: {
      strata: direct.support.strata.length,
      inside: disclosure.derived(direct.support.inside),
      outside,
      shareOutside: outside === null || released === 0 ? null : outside / released,
    },
    groups: groups.map((group) => {
      const isCompared = compared.includes(group);
      const adjusted = fitted?.rates.find((r) => r.group === group);
      const d = directRate(group);
      const like = likeWithLike?.rates.find((r) => r.group === group);
      return {
        group,
        suppressed: !isCompared,
        crude: crude.get(group) ?? null,
        adjusted: isCompared && adjusted !== undefined ? estimateOf(adjusted) : null,
        direct: isCompared && d !== undefined ? { estimate: d.rate, ci: d.ci } : null,
        crudeInSupport:
          isCompared && like !== undefined ? { estimate: like.rate, ci: like.ci } : null,
      };
    }),
    differences: others.map((group) => {
      const regressionDifference = fitted?.differences.find((d) => d.group === group);
      const a = directRate(group);
      const b = directRate(reference);
      const crudeDifference = rateDifference(crudeRate(group), crudeRate(reference));
      return {
        group,
        crude: estimateOf(crudeDifference),
        adjusted: regressionDifference === undefined ? null : estimateOf(regressionDifference),
        direct: a === undefined || b === undefined ? null : estimateOf(rateDifference(a, b)),
      };
    }),
    ratios: others.map((group) => {
      const regressionRatio = fitted?.ratios.find((r) => r.group === group);
      return {
        group,
        crude: ratioOf(crudeRatio(group)),
        adjusted: regressionRatio === undefined ? null : estimateOf(regressionRatio),
        direct: ratioOf(directRatio(group)),
      };
    }),
  };
}

/**
 * The regression standardisation of the compared groups; a group whose protected counts all
 * read 0 (possible only for tiny cells) leaves no model rather than a misleading one.
 */
function modelOrFailure(
  counts: readonly GroupStratumCount[],
  compared: readonly string[],
  context: MeasureContext,
  noise: number | undefined,
) {
  const empty = compared.find((g) => !counts.some((c) => c.group === g && c.n > 0));
  if (empty !== undefined) {
    return {
      ok: false as const,
      episodes: 0,
      reason: 'no-data' as const,
      detail: `group "${empty}" has no episodes once protected`,
    };
  }
  return regressionStandardise(counts, {
    groups: compared,
    factors: modelFactors(
      context.adjustFor,
      counts.map((c) => c.stratum),
    ),
    ...(noise === undefined ? {} : { noise }),
  });
}

/**
 * The likelihood-ratio test of heterogeneity for one rate: does the effect of the compared
 * groups differ between the levels of `within`? Over the groups compared overall, from the same
 * (protected) counts as the model; for protected readers the deviance carries the noise too, so
 * the test is approximate there (docs/outcomes.md).
 */
export function heterogeneityOf(
  measure: AdjustedMeasure,
  cells: readonly StrataCell[],
  within: CategoricalFactor,
  context: MeasureContext,
): HeterogeneityResult {
  const compared = measure.groups.filter((g) => !g.suppressed).map((g) => g.group);
  if (compared.length < 2) {
    return {
      measure: measure.measure,
      test: null,
      detail: 'fewer than two groups can be compared',
    };
  }
  const counts: WithinCount[] = cells
    .filter((c) => compared.includes(c.group))
    .map((c) => ({
      group: c.group,
      within: c.within,
      stratum: c.factors,
      ...modelCount(c, measure.measure, context.disclosure),
    }));
  const test = interactionTest(counts, {
    groups: compared,
    within,
    factors: modelFactors(
      context.adjustFor,
      cells.map((c) => c.factors),
    ),
  });
  return test.ok
    ? {
        measure: measure.measure,
        test: { statistic: test.statistic, df: test.df, p: test.p },
        detail: null,
      }
    : { measure: measure.measure, test: null, detail: test.detail };
}
