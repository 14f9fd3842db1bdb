import { mantelHaenszelRiskRatio, type RiskRatio } from './mantel-haenszel.js';
import {
  type CommonSupport,
  type Difference,
  directlyStandardise,
  rateDifference,
  type StandardisedRate,
  type StandardiseOptions,
  type StratumCell,
} from './standardisation.js';

/**
 * One comparison of groups (docs/outcomes.md, "Adjusted comparisons"): each group's standardised rate,
 * each group's difference from the reference group, and for two groups the Mantel-Haenszel risk
 * ratio of the other group to the reference, all over the same strata of common support. Given
 * one stratum (every cell's stratum the same) it is the crude comparison.
 */
export interface GroupComparison {
  readonly support: CommonSupport;
  readonly rates: StandardisedRate[];
  /** Every group but the reference, minus the reference. */
  readonly differences: Array<{ group: string } & Difference>;
  /** Two groups only: the second group's risk over the reference's. */
  readonly riskRatio: RiskRatio | null;
}

export function compareGroups(
  cells: readonly StratumCell[],
  groups: readonly string[],
  options: StandardiseOptions & { reference?: string } = {},
): GroupComparison {
  const reference = options.reference ?? groups[0];
  const standardised = directlyStandardise(cells, groups, options);
  const { support, rates } = standardised;
  const byGroup = new Map(rates.map((r) => [r.group, r]));
  const base = reference === undefined ? undefined : byGroup.get(reference);
  const differences =
    base === undefined
      ? []
      : rates
          .filter((r) => r.group !== reference)
          .map((r) => ({ group: r.group, ...rateDifference(r, base) }));
  const index = groups.find((g) => g !== reference);
  let riskRatio: RiskRatio | null = null;
  if (groups.length === 2 && index !== undefined && reference !== undefined && rates.length > 0) {
    const inSupport = new Set(support.strata);
    const strata = new Map<string, { a: number; n1: number; c: number; n0: number }>();
    for (const cell of cells) {
      if (!inSupport.has(cell.stratum)) continue;
      const s = strata.get(cell.stratum) ?? { a: 0, n1: 0, c: 0, n0: 0 };
      if (cell.group === index) {
        s.a += cell.events;
        s.n1 += cell.n;
      } else if (cell.group === reference) {
        s.c += cell.events;
        s.n0 += cell.n;
      }
      strata.set(cell.stratum, s);
    }
    riskRatio = mantelHaenszelRiskRatio([...strata.values()], options.noise);
  }
  return { support, rates, differences, riskRatio };
}
