import { studentTQuantile } from '../stats/student-t.js';
import { wilsonInterval } from '../stats/wilson.js';
import {
  COUNT_STREAM,
  type DisclosurePolicy,
  type KeyedCount,
  perturbCount,
  perturbSum,
} from './perturb.js';

/*
 * Protected statistics: rates, means and spreads computed from protected counts and sums
 * (docs/outcomes.md, "Disclosure control": "rates and intervals are computed from the protected
 * numerator and denominator; the interval is widened for the noise"). Each function applies
 * the k rule to the exact value AND to its protected value, so nothing below k is shown.
 */

/** The largest contribution of one episode to a PHQ-9 total, or to a change of totals. */
export const PHQ9_CONTRIBUTION = 27;

/** A protected count: null ("fewer than k") when the exact or the protected value is below k. */
export function protectedCount(
  cell: KeyedCount,
  policy: DisclosurePolicy,
  stream = COUNT_STREAM,
): number | null {
  if (cell.count < policy.k) return null;
  const value = perturbCount(cell, policy, stream);
  return value < policy.k ? null : value;
}

export interface ProtectedRate {
  count: number;
  denominator: number;
  rate: number;
  ci: [number, number];
}

/**
 * A protected rate: the protected numerator over the protected denominator (the numerator never
 * above it), with the Wilson 95% interval of those counts widened on each side by 2D/n', n' the
 * protected denominator. That is the most the perturbation can move the rate: with |a' - a| <= D
 * and |n' - n| <= D, |a'/n' - a/n| = |(a' - a) n - a (n' - n)| / (n n') <= D (1 + a/n) / n'
 * <= 2D/n'. Withheld (null) when the denominator, the numerator or the rest (denominator minus
 * numerator) is below k, exact or protected: a count inside a shown cell is a cell too.
 */
export function protectedRate(
  hits: KeyedCount,
  of: KeyedCount,
  policy: DisclosurePolicy,
): ProtectedRate | null {
  const denominator = protectedCount(of, policy);
  if (denominator === null) return null;
  const numerator = protectedCount(hits, policy);
  if (numerator === null) return null;
  const count = Math.min(numerator, denominator);
  // Those not counted are a count inside the cell too: "11 of 12 recovered" says who did not.
  if (of.count - hits.count < policy.k || denominator - count < policy.k) return null;
  const { lower, upper } = wilsonInterval(count, denominator);
  const widen = (2 * policy.noise) / denominator;
  return {
    count,
    denominator,
    rate: count / denominator,
    ci: [Math.max(0, lower - widen), Math.min(1, upper + widen)],
  };
}

/** Sums over one cell's episodes, as the warehouse gives them, with the cell's key. */
export interface KeyedSums extends KeyedCount {
  readonly sum: number;
  readonly sumSquares: number;
}

export interface ProtectedMoments {
  /** The protected number of values. */
  n: number;
  mean: number;
  /** Sample standard deviation of the protected sums; 0 when noise leaves no spread. */
  sd: number;
  /** The most the perturbation can move the mean: 2 D bound / (n' - D). */
  meanShift: number;
}

/**
 * Mean and spread from protected sums: n' the protected count (from `countStream`: a count of
 * something other than episodes, such as scores, has its own), the sum and the sum of squares
 * each perturbed from their own stream of the cell key (streams `stream` and `stream + 1`),
 * scaled to one episode's largest contribution `bound` (and bound^2). Null below k.
 *
 * meanShift bounds |mean' - mean|: with |sum' - sum| <= D bound and |n' - n| <= D,
 * |sum'/n' - sum/n| <= (D bound + D |mean|) / n <= 2 D bound / (n' - D).
 */
export function protectedMoments(
  cell: KeyedSums,
  bound: number,
  stream: number,
  policy: DisclosurePolicy,
  countStream = COUNT_STREAM,
): ProtectedMoments | null {
  const n = protectedCount(cell, policy, countStream);
  if (n === null) return null;
  const sum = perturbSum(cell.sum, cell.key, stream, bound, policy);
  const sumSquares = perturbSum(cell.sumSquares, cell.key, stream + 1, bound * bound, policy);
  const mean = sum / n;
  const variance = Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
  return {
    n,
    mean,
    sd: Math.sqrt(variance),
    meanShift: (2 * policy.noise * bound) / (n - policy.noise),
  };
}

/**
 * The 95% t interval of a protected mean, widened on each side by its meanShift (see
 * `protectedMoments`).
 */
export function protectedMeanInterval(moments: ProtectedMoments): {
  mean: number;
  lower: number;
  upper: number;
} {
  const t = studentTQuantile(0.975, moments.n - 1);
  const half = (t * moments.sd) / Math.sqrt(moments.n) + moments.meanShift;
  return { mean: moments.mean, lower: moments.mean - half, upper: moments.mean + half };
}
