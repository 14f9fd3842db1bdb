import { ProtocolError } from '../errors.js';
import {
  cholesky,
  choleskyInverse,
  choleskySolve,
  dot,
  type Matrix,
  zeros,
} from './linear-algebra.js';

/*
 * Logistic regression on categorical factors, fitted from counts (docs/outcomes.md, "Adjusted
 * comparisons"). Episodes that share every factor's level share their row of the design, so the
 * events and trials of each such pattern are the model's sufficient statistics: the fit from
 * counts by pattern is the fit from the episodes one by one. Fitted by iteratively reweighted
 * least squares, which for the canonical (logit) link is Newton's method (McCullagh & Nelder,
 * Generalized Linear Models, 2nd ed. 1989, ch. 4). Treatment coding: each factor's first level
 * present in the data is its reference; a column the others already span is aliased and left
 * out, as R's glm reports an NA coefficient.
 */

/** One categorical factor of the model and its levels; the first present is the reference. */
export interface CategoricalFactor {
  readonly name: string;
  readonly levels: readonly string[];
}

/** Episodes sharing one level of every factor (in the model's factor order): events of n. */
export interface PatternCount {
  readonly levels: readonly string[];
  readonly events: number;
  readonly n: number;
}

export interface LogisticModel {
  readonly factors: readonly CategoricalFactor[];
  /** Pairs of factor indices whose interaction (every pair of non-reference levels) is added. */
  readonly interactions?: ReadonlyArray<readonly [number, number]>;
}

/** A column of the design: the intercept, a factor's level, or a product of two levels. */
export interface DesignColumn {
  readonly name: string;
  /** [factor index, level] pairs that must all hold for the column to be 1. */
  readonly terms: ReadonlyArray<readonly [number, string]>;
}

export type LogisticFit =
  | {
      readonly ok: true;
      readonly columns: DesignColumn[];
      readonly coefficients: number[];
      /** (X'WX)^-1 at the estimate. */
      readonly covariance: Matrix;
      readonly deviance: number;
      readonly iterations: number;
      /** Columns left out because the others span them. */
      readonly aliased: string[];
    }
  | {
      readonly ok: false;
      readonly reason: 'separation' | 'not-converged' | 'no-data';
      /** For people: which factor level, and why. */
      readonly detail: string;
    };

const MAX_ITERATIONS = 100;
/** Relative change of the deviance at which the iterations stop (R's glm uses 1e-8). */
const DEVIANCE_TOLERANCE = 1e-14;
/** Fitted probabilities this close to 0 or 1 mean the estimate runs off to infinity. */
const BOUNDARY = 1e-10;

function assertPattern(pattern: PatternCount, factors: number): void {
  const whole = (x: number) => Number.isInteger(x) && x >= 0;
  if (!whole(pattern.n) || !whole(pattern.events) || pattern.events > pattern.n) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A pattern needs whole counts with events <= n; got ${pattern.events} of ${pattern.n}.`,
    );
  }
  if (pattern.levels.length !== factors) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A pattern needs one level per factor (${factors}); got ${pattern.levels.length}.`,
    );
  }
}

/** The model's columns before aliasing: intercept, main effects, then interactions. */
export function designColumns(
  model: LogisticModel,
  patterns: readonly PatternCount[],
): DesignColumn[] {
  const present = model.factors.map((factor, f) => {
    const seen = new Set(patterns.filter((p) => p.n > 0).map((p) => p.levels[f] as string));
    const unknown = [...seen].find((level) => !factor.levels.includes(level));
    if (unknown !== undefined) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `Level "${unknown}" is not one of factor ${factor.name}'s levels.`,
      );
    }
    return factor.levels.filter((level) => seen.has(level));
  });
  const columns: DesignColumn[] = [{ name: '(intercept)', terms: [] }];
  model.factors.forEach((factor, f) => {
    for (const level of (present[f] as string[]).slice(1)) {
      columns.push({ name: `${factor.name}=${level}`, terms: [[f, level]] });
    }
  });
  for (const [a, b] of model.interactions ?? []) {
    const fa = model.factors[a] as CategoricalFactor;
    const fb = model.factors[b] as CategoricalFactor;
    for (const la of (present[a] as string[]).slice(1)) {
      for (const lb of (present[b] as string[]).slice(1)) {
        columns.push({
          name: `${fa.name}=${la}:${fb.name}=${lb}`,
          terms: [
            [a, la],
            [b, lb],
          ],
        });
      }
    }
  }
  return columns;
}

/** The design row of one combination of levels. */
export function designRow(columns: readonly DesignColumn[], levels: readonly string[]): number[] {
  return columns.map((c) => (c.terms.every(([f, level]) => levels[f] === level) ? 1 : 0));
}

/**
 * Keeps each column unless the columns kept before it span it (in the metric of the trials),
 * by growing a Cholesky factor of X'NX one column at a time.
 */
function unaliased(rows: readonly number[][], n: readonly number[], p: number): number[] {
  const kept: number[] = [];
  for (let j = 0; j < p; j++) {
    const trial = [...kept, j];
    const gram = zeros(trial.length);
    for (let a = 0; a < trial.length; a++) {
      for (let b = 0; b <= a; b++) {
        let sum = 0;
        for (let r = 0; r < rows.length; r++) {
          const row = rows[r] as number[];
          sum +=
            (n[r] as number) *
            (row[trial[a] as number] as number) *
            (row[trial[b] as number] as number);
        }
        (gram[a] as number[])[b] = sum;
        (gram[b] as number[])[a] = sum;
      }
    }
    if (cholesky(gram, 1e-9) !== null) kept.push(j);
  }
  return kept;
}

/** Binomial deviance 2 Σ [y ln(y/μ) + (n - y) ln((n - y)/(n - μ))], with 0 ln 0 = 0. */
export function binomialDeviance(
  events: readonly number[],
  n: readonly number[],
  p: readonly number[],
): number {
  let deviance = 0;
  for (let r = 0; r < events.length; r++) {
    const y = events[r] as number;
    const m = n[r] as number;
    const mu = m * (p[r] as number);
    if (y > 0) deviance += 2 * y * Math.log(y / mu);
    if (m - y > 0) deviance += 2 * (m - y) * Math.log((m - y) / (m - mu));
  }
  return deviance;
}

export const expit = (x: number): number =>
  x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));

/**
 * A level whose episodes all have the outcome, or none do: its coefficient would be infinite
 * (separation). The check every reader can understand; rarer combinations of levels that
 * separate are caught by fitted probabilities reaching 0 or 1.
 */
function levelWithoutVariation(
  model: LogisticModel,
  patterns: readonly PatternCount[],
): string | null {
  const total = patterns.reduce((s, p) => s + p.events, 0);
  const trials = patterns.reduce((s, p) => s + p.n, 0);
  if (total === 0 || total === trials) {
    return `the outcome does not vary: ${total} of ${trials} episodes have it`;
  }
  for (let f = 0; f < model.factors.length; f++) {
    const factor = model.factors[f] as CategoricalFactor;
    for (const level of factor.levels) {
      const mine = patterns.filter((p) => p.levels[f] === level);
      const n = mine.reduce((s, p) => s + p.n, 0);
      if (n === 0) continue;
      const events = mine.reduce((s, p) => s + p.events, 0);
      if (events === 0 || events === n) {
        return `${factor.name} "${level}": ${events === 0 ? 'none' : 'all'} of its ${n} episodes have the outcome`;
      }
    }
  }
  return null;
}

/** A level of a factor in which every episode has the outcome, or none does. */
export interface SeparatedLevel {
  readonly factor: string;
  readonly level: string;
  readonly episodes: number;
  /** The observed rate of the level: 0 or 1. */
  readonly rate: 0 | 1;
}

/**
 * Levels of the given factors without outcome variation, and the patterns left without them.
 * Such a level's coefficient runs to ±∞, and in the limit the fit of every other coefficient is
 * the fit without its episodes, while its episodes are predicted at their observed 0 or 1 (the
 * level's terms dominate every other). Removing a level can leave another without variation,
 * so this repeats until none is found.
 */
export function separatedLevels(
  model: LogisticModel,
  patterns: readonly PatternCount[],
  factors: readonly number[],
): { separated: SeparatedLevel[]; remaining: PatternCount[] } {
  const separated: SeparatedLevel[] = [];
  let remaining = patterns.filter((p) => p.n > 0);
  for (;;) {
    let found: SeparatedLevel | null = null;
    let index = -1;
    for (const f of factors) {
      const factor = model.factors[f] as CategoricalFactor;
      for (const level of factor.levels) {
        const mine = remaining.filter((p) => p.levels[f] === level);
        const n = mine.reduce((s, p) => s + p.n, 0);
        const events = mine.reduce((s, p) => s + p.events, 0);
        if (n > 0 && (events === 0 || events === n)) {
          found = { factor: factor.name, level, episodes: n, rate: events === 0 ? 0 : 1 };
          index = f;
          break;
        }
      }
      if (found !== null) break;
    }
    if (found === null) return { separated, remaining };
    const level = found.level;
    const total = remaining.reduce((s, p) => s + p.n, 0);
    // A level holding every episode left is the outcome not varying at all: not separation.
    if (found.episodes === total) return { separated, remaining };
    separated.push(found);
    remaining = remaining.filter((p) => p.levels[index] !== level);
  }
}

/** Fits the model by IRLS from counts by pattern. */
export function fitLogistic(model: LogisticModel, patterns: readonly PatternCount[]): LogisticFit {
  for (const pattern of patterns) assertPattern(pattern, model.factors.length);
  const used = patterns.filter((p) => p.n > 0);
  if (used.length === 0) return { ok: false, reason: 'no-data', detail: 'no episodes' };
  const separated = levelWithoutVariation(model, used);
  if (separated !== null) return { ok: false, reason: 'separation', detail: separated };
  const all = designColumns(model, used);
  const fullRows = used.map((p) => designRow(all, p.levels));
  const n = used.map((p) => p.n);
  const y = used.map((p) => p.events);
  const keep = unaliased(fullRows, n, all.length);
  const columns = keep.map((j) => all[j] as DesignColumn);
  const aliased = all.filter((_, j) => !keep.includes(j)).map((c) => c.name);
  const x = fullRows.map((row) => keep.map((j) => row[j] as number));
  const p = columns.length;

  const beta = new Array<number>(p).fill(0);
  const overall = y.reduce((s, v) => s + v, 0) / n.reduce((s, v) => s + v, 0);
  beta[0] = Math.log(overall / (1 - overall));
  let fitted = x.map((row) => expit(dot(row, beta)));
  let deviance = binomialDeviance(y, n, fitted);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const { information, score } = informationAndScore(x, y, n, fitted);
    const l = cholesky(information);
    if (l === null) {
      return {
        ok: false,
        reason: 'not-converged',
        detail: 'the information matrix became singular',
      };
    }
    const step = choleskySolve(l, score);
    for (let j = 0; j < p; j++) beta[j] = (beta[j] as number) + (step[j] as number);
    fitted = x.map((row) => expit(dot(row, beta)));
    const next = binomialDeviance(y, n, fitted);
    const change = Math.abs(next - deviance) / (Math.abs(next) + 0.1);
    deviance = next;
    if (change < DEVIANCE_TOLERANCE || Math.max(...step.map(Math.abs)) < 1e-12) {
      if (fitted.some((q) => q < BOUNDARY || q > 1 - BOUNDARY)) {
        return {
          ok: false,
          reason: 'separation',
          detail: 'some combination of levels has fitted probabilities of 0 or 1',
        };
      }
      const final = cholesky(informationAndScore(x, y, n, fitted).information);
      if (final === null) {
        return { ok: false, reason: 'not-converged', detail: 'the information matrix is singular' };
      }
      return {
        ok: true,
        columns,
        coefficients: beta,
        covariance: choleskyInverse(final),
        deviance,
        iterations: iteration,
        aliased,
      };
    }
  }
  return {
    ok: false,
    reason: 'not-converged',
    detail: `no convergence in ${MAX_ITERATIONS} iterations`,
  };
}

/** X'WX with W = n p (1 - p), and the score X'(y - n p). */
function informationAndScore(
  x: readonly number[][],
  y: readonly number[],
  n: readonly number[],
  fitted: readonly number[],
): { information: Matrix; score: number[] } {
  const p = (x[0] as number[]).length;
  const information = zeros(p);
  const score = new Array<number>(p).fill(0);
  for (let r = 0; r < x.length; r++) {
    const row = x[r] as number[];
    const q = fitted[r] as number;
    const m = n[r] as number;
    const w = m * q * (1 - q);
    const residual = (y[r] as number) - m * q;
    for (let a = 0; a < p; a++) {
      const xa = row[a] as number;
      if (xa === 0) continue;
      score[a] = (score[a] as number) + xa * residual;
      const ia = information[a] as number[];
      for (let b = 0; b < p; b++) ia[b] = (ia[b] as number) + w * xa * (row[b] as number);
    }
  }
  return { information, score };
}
