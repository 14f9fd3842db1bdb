import { ProtocolError } from '../errors.js';
import { dot } from './linear-algebra.js';
import {
  type CategoricalFactor,
  designRow,
  expit,
  fitLogistic,
  type PatternCount,
  type SeparatedLevel,
  separatedLevels,
} from './logistic-regression.js';

/*
 * Expected counts for a clinic audit from a model of the network (docs/outcomes.md, "Adjusted
 * comparisons", clinic audit): a logistic model of the outcome on the case-mix factors (main
 * effects, no clinic term) fitted over the network's episodes; a unit's expected count is the
 * sum over its episodes of their predicted probabilities. Indirect standardisation with more
 * than one factor and no empty strata: a unit whose mix of severity, age and condition is rare
 * in the network still gets a prediction for each of its episodes. With an intercept, the
 * model's predictions over the whole network add up to its observed count (the score
 * equation), so the network's O/E is 1.
 */

/** One unit's episodes in one pattern of levels (one level per factor). */
export interface UnitPattern {
  readonly unit: string;
  readonly levels: readonly string[];
  readonly n: number;
}

export type ModelExpected =
  | {
      readonly ok: true;
      /** Observed events over trials in the network. */
      readonly networkRate: number;
      /** Expected events by unit. */
      readonly expected: ReadonlyMap<string, number>;
      /** Levels without outcome variation, predicted at their observed 0 or 1. */
      readonly separated: SeparatedLevel[];
    }
  | { readonly ok: false; readonly detail: string };

export function expectedByModel(
  network: readonly PatternCount[],
  units: readonly UnitPattern[],
  factors: readonly CategoricalFactor[],
): ModelExpected {
  const trials = network.reduce((s, p) => s + p.n, 0);
  const events = network.reduce((s, p) => s + p.events, 0);
  if (trials === 0) return { ok: false, detail: 'no episodes in the network' };
  for (const u of units) {
    if (!Number.isInteger(u.n) || u.n < 0) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `A unit's episodes are a whole number; got ${u.n}.`,
      );
    }
  }
  const model = { factors };
  const { separated, remaining } = separatedLevels(
    model,
    network,
    factors.map((_, i) => i),
  );
  const fit = fitLogistic(model, remaining);
  if (!fit.ok) return { ok: false, detail: fit.detail };
  const predict = (levels: readonly string[]): number => {
    const level = separated.find(
      (s) => levels[factors.findIndex((f) => f.name === s.factor)] === s.level,
    );
    if (level !== undefined) return level.rate;
    return expit(dot(designRow(fit.columns, levels), fit.coefficients));
  };
  const expected = new Map<string, number>();
  for (const u of units) {
    if (u.n === 0) continue;
    expected.set(u.unit, (expected.get(u.unit) ?? 0) + u.n * predict(u.levels));
  }
  return { ok: true, networkRate: events / trials, expected, separated };
}
