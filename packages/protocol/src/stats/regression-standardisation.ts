import { ProtocolError } from '../errors.js';
import { dot, multiply, quadraticForm } from './linear-algebra.js';
import {
  type CategoricalFactor,
  designRow,
  expit,
  fitLogistic,
  type LogisticFit,
  type PatternCount,
  type SeparatedLevel,
  separatedLevels,
} from './logistic-regression.js';
import { Z95 } from './standardisation.js';

/*
 * Regression standardisation (marginal standardisation, g-computation; docs/outcomes.md,
 * "Adjusted comparisons"): a logistic model of the outcome on the compared group and the
 * adjustment factors (main effects) over every eligible episode; group g's adjusted rate is the
 * mean over all N episodes of the predicted probability with the group set to g,
 * R_g = Σ_s (N_s / N) expit(b_0 + b_g + b_s). Unlike direct standardisation it needs no common
 * support: a stratum one group lacks is filled in by the model. Intervals by the delta method:
 * Var(f) = ∇f' (X'WX)^-1 ∇f, for differences R_g - R_ref and for ln(R_g / R_ref). Sources:
 * Muller CJ, MacLehose RF 2014, Int J Epidemiol 43:962-970; Sjolander A 2016, Eur J Epidemiol
 * 31:563-574.
 */

/** One group's eligible episodes in one stratum (a level of every adjustment factor). */
export interface GroupStratumCount {
  readonly group: string;
  readonly stratum: readonly string[];
  readonly events: number;
  readonly n: number;
}

export interface RegressionStandardiseOptions {
  /** The compared groups; the first is the reference. Every one needs episodes. */
  readonly groups: readonly string[];
  /** The adjustment factors, in the order of each count's `stratum`. */
  readonly factors: readonly CategoricalFactor[];
  /**
   * The noise D of protected counts: every count given is then protected, and each estimate
   * carries the variance the noise adds (first order, through the fit and the weights).
   */
  readonly noise?: number;
}

/** An estimate on its own scale with its sampling and noise variances. */
export interface DeltaEstimate {
  readonly estimate: number;
  readonly variance: number;
  readonly noiseVariance: number;
  /** estimate ± 1.96 √(variance + noiseVariance); for ratios exp of that on the log scale. */
  readonly ci: [number, number];
}

export type RegressionStandardisation =
  | {
      readonly ok: true;
      /** Episodes the model is fitted on and standardised to: every one given. */
      readonly episodes: number;
      readonly fit: Extract<LogisticFit, { ok: true }>;
      /**
       * Levels of adjustment factors without outcome variation: outside the fit, their episodes
       * stay in the standard population, predicted at their observed rate (0 or 1).
       */
      readonly separated: SeparatedLevel[];
      readonly rates: Array<{ group: string } & DeltaEstimate>;
      /** Every group but the reference, minus the reference. */
      readonly differences: Array<{ group: string } & DeltaEstimate>;
      /** Every group but the reference over the reference; variances of the logarithm. */
      readonly ratios: Array<{ group: string } & DeltaEstimate>;
    }
  | {
      readonly ok: false;
      readonly episodes: number;
      readonly reason: 'separation' | 'not-converged' | 'no-data' | 'confounded';
      readonly detail: string;
    };

/** The variance of one whole-number noise uniform on -D..D. */
const noiseVarianceOfCount = (noise: number) => (noise * (noise + 1)) / 3;

export function regressionStandardise(
  counts: readonly GroupStratumCount[],
  options: RegressionStandardiseOptions,
): RegressionStandardisation {
  const { groups, factors } = options;
  const compared = counts.filter((c) => groups.includes(c.group) && c.n > 0);
  const episodes = compared.reduce((s, c) => s + c.n, 0);
  for (const group of groups) {
    if (!compared.some((c) => c.group === group)) {
      throw new ProtocolError('INVALID_ARGUMENT', `Group "${group}" has no episodes to compare.`);
    }
  }
  // The group comes last, so that where it and the adjustment factors span each other it is the
  // group's column that is aliased: the comparison is then confounded, and said to be.
  const model = { factors: [...factors, { name: 'group', levels: groups }] };
  const patterns: PatternCount[] = compared.map((c) => ({
    levels: [...c.stratum, c.group],
    events: c.events,
    n: c.n,
  }));
  // Levels of an adjustment factor in which no episode (or every one) has the outcome: the limit
  // of the fit predicts them at that observed 0 or 1 whatever the group, and fits the rest.
  const factorIndices = factors.map((_, i) => i);
  const { separated, remaining } = separatedLevels(model, patterns, factorIndices);
  const fit = fitLogistic(model, remaining);
  if (!fit.ok) return { ok: false, episodes, reason: fit.reason, detail: fit.detail };
  const confounded = groups.slice(1).find((g) => fit.aliased.includes(`group=${g}`));
  if (confounded !== undefined) {
    return {
      ok: false,
      episodes,
      reason: 'confounded',
      detail: `group "${confounded}" cannot be told apart from the adjustment factors`,
    };
  }

  // The standard population: every episode's stratum, whatever its group.
  const strata = new Map<string, { stratum: readonly string[]; n: number }>();
  for (const c of compared) {
    const id = JSON.stringify(c.stratum);
    const s = strata.get(id) ?? { stratum: c.stratum, n: 0 };
    s.n += c.n;
    strata.set(id, s);
  }
  const row = (group: string, stratum: readonly string[]) =>
    designRow(fit.columns, [...stratum, group]);
  /** A separated stratum's fixed prediction (0 or 1), or null when the model predicts it. */
  const fixedRate = (stratum: readonly string[]): number | null => {
    const level = separated.find(
      (s) => stratum[factors.findIndex((f) => f.name === s.factor)] === s.level,
    );
    return level === undefined ? null : level.rate;
  };
  const predict = (group: string, stratum: readonly string[]) =>
    fixedRate(stratum) ?? expit(dot(row(group, stratum), fit.coefficients));
  const p = fit.columns.length;

  // R_g, its gradient in b, and dR_g/dN_s (for the noise in the weights).
  const standardised = new Map<
    string,
    { rate: number; gradient: number[]; byStratum: Map<string, number> }
  >();
  for (const group of groups) {
    let rate = 0;
    const gradient = new Array<number>(p).fill(0);
    const predictions = new Map<string, number>();
    for (const [id, { stratum, n }] of strata) {
      const w = n / episodes;
      const fixed = fixedRate(stratum);
      const x = row(group, stratum);
      const q = fixed ?? expit(dot(x, fit.coefficients));
      predictions.set(id, q);
      rate += w * q;
      if (fixed !== null) continue;
      for (let j = 0; j < p; j++)
        gradient[j] = (gradient[j] as number) + w * q * (1 - q) * (x[j] as number);
    }
    const byStratum = new Map([...predictions].map(([id, q]) => [id, (q - rate) / episodes]));
    standardised.set(group, { rate, gradient, byStratum });
  }

  // The sensitivities of the score to each protected count, shared by every estimate's noise
  // variance: dU/dy_c = x_c and dU/dn_c = -p_c x_c, so db/dy_c = V x_c and db/dn_c = -p_c V x_c.
  // A separated cell moves no coefficient (it is outside the fit), only the weights.
  const cells = compared.map((c) => {
    const inFit = fixedRate(c.stratum) === null;
    const x = row(c.group, c.stratum);
    return {
      stratum: JSON.stringify(c.stratum),
      fitted: predict(c.group, c.stratum),
      vx: inFit ? multiply(fit.covariance, x) : new Array<number>(p).fill(0),
    };
  });

  /** Variances of Σ_g a_g R_g (a linear combination; for ln ratios a_g = ±1/R_g). */
  const variances = (weights: ReadonlyMap<string, number>) => {
    const gradient = new Array<number>(p).fill(0);
    for (const [group, a] of weights) {
      const g = standardised.get(group)?.gradient as number[];
      for (let j = 0; j < p; j++) gradient[j] = (gradient[j] as number) + a * (g[j] as number);
    }
    const variance = quadraticForm(gradient, fit.covariance, gradient);
    if (options.noise === undefined) return { variance, noiseVariance: 0 };
    let sum = 0;
    for (const cell of cells) {
      const throughFit = dot(gradient, cell.vx);
      let throughWeights = 0;
      for (const [group, a] of weights) {
        throughWeights += a * (standardised.get(group)?.byStratum.get(cell.stratum) ?? 0);
      }
      sum += throughFit ** 2 + (throughWeights - cell.fitted * throughFit) ** 2;
    }
    return { variance, noiseVariance: noiseVarianceOfCount(options.noise) * sum };
  };
  const interval = (estimate: number, v: { variance: number; noiseVariance: number }) => {
    const half = Z95 * Math.sqrt(v.variance + v.noiseVariance);
    return [estimate - half, estimate + half] as [number, number];
  };

  const rateOf = (group: string) => standardised.get(group)?.rate as number;
  const reference = groups[0] as string;
  const rates = groups.map((group) => {
    const v = variances(new Map([[group, 1]]));
    return { group, estimate: rateOf(group), ...v, ci: interval(rateOf(group), v) };
  });
  const others = groups.slice(1);
  const differences = others.map((group) => {
    const estimate = rateOf(group) - rateOf(reference);
    const v = variances(
      new Map([
        [group, 1],
        [reference, -1],
      ]),
    );
    return { group, estimate, ...v, ci: interval(estimate, v) };
  });
  const ratios = others.map((group) => {
    const log = Math.log(rateOf(group) / rateOf(reference));
    const v = variances(
      new Map([
        [group, 1 / rateOf(group)],
        [reference, -1 / rateOf(reference)],
      ]),
    );
    const [lower, upper] = interval(log, v);
    return {
      group,
      estimate: Math.exp(log),
      ...v,
      ci: [Math.exp(lower), Math.exp(upper)] as [number, number],
    };
  });
  return { ok: true, episodes, fit, separated, rates, differences, ratios };
}
