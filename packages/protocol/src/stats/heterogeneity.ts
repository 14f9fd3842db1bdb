import { ProtocolError } from '../errors.js';
import {
  type CategoricalFactor,
  fitLogistic,
  type PatternCount,
  separatedLevels,
} from './logistic-regression.js';
import { chiSquareSurvival } from './special.js';

/*
 * Does the compared groups' effect differ between the levels of another dimension (effect
 * modification; docs/outcomes.md, "Within groups")? The likelihood-ratio test of the group x
 * stratifier interaction: the logistic model with group, stratifier and the adjustment factors as
 * main effects against the same model with the interaction added; the fall in deviance is
 * chi-square with as many degrees of freedom as the interaction has estimable columns.
 */

/** One group's eligible episodes in one level of the stratifier and one adjustment stratum. */
export interface WithinCount {
  readonly group: string;
  readonly within: string;
  readonly stratum: readonly string[];
  readonly events: number;
  readonly n: number;
}

export type HeterogeneityTest =
  | {
      readonly ok: true;
      readonly statistic: number;
      readonly df: number;
      readonly p: number;
      readonly devianceWithout: number;
      readonly devianceWith: number;
    }
  | { readonly ok: false; readonly detail: string };

export function interactionTest(
  counts: readonly WithinCount[],
  options: {
    readonly groups: readonly string[];
    readonly within: CategoricalFactor;
    readonly factors: readonly CategoricalFactor[];
  },
): HeterogeneityTest {
  if (options.groups.length < 2) {
    throw new ProtocolError('INVALID_ARGUMENT', 'A test of heterogeneity needs two groups.');
  }
  const factors = [{ name: 'group', levels: options.groups }, options.within, ...options.factors];
  const patterns: PatternCount[] = counts
    .filter((c) => options.groups.includes(c.group))
    .map((c) => ({ levels: [c.group, c.within, ...c.stratum], events: c.events, n: c.n }));
  // Levels of the stratifier or an adjustment factor without outcome variation add nothing to
  // either model's deviance in the limit of the fit: both are fitted without them.
  const { remaining } = separatedLevels({ factors }, patterns, factors.map((_, i) => i).slice(1));
  const without = fitLogistic({ factors }, remaining);
  if (!without.ok) return { ok: false, detail: `the model without interaction: ${without.detail}` };
  const withInteraction = fitLogistic({ factors, interactions: [[0, 1]] }, remaining);
  if (!withInteraction.ok) {
    return { ok: false, detail: `the model with the interaction: ${withInteraction.detail}` };
  }
  const df = withInteraction.columns.length - without.columns.length;
  if (df === 0) {
    return { ok: false, detail: 'no level of the stratifier has two of the groups' };
  }
  // The deviance cannot rise when columns are added; a tiny negative is rounding.
  const statistic = Math.max(0, without.deviance - withInteraction.deviance);
  return {
    ok: true,
    statistic,
    df,
    p: chiSquareSurvival(statistic, df),
    devianceWithout: without.deviance,
    devianceWith: withInteraction.deviance,
  };
}
