import { ProtocolError } from '../errors.js';
import { Z95 } from './standardisation.js';

/*
 * The Mantel-Haenszel risk ratio of two groups over strata, with the Greenland-Robins variance
 * of its logarithm (Greenland S, Robins JM 1985, "Estimation of a common effect parameter from
 * sparse follow-up data", Biometrics 41:55-68; Rothman, Greenland & Lash, Modern Epidemiology,
 * 3rd ed. 2008, ch. 15). One stratum gives the crude risk ratio with the usual (Katz) interval:
 * the two variances are then the same expression.
 */

/** One stratum: a events of n1 in the index group, c events of n0 in the reference group. */
export interface RiskStratum {
  readonly a: number;
  readonly n1: number;
  readonly c: number;
  readonly n0: number;
}

export interface RiskRatio {
  readonly estimate: number;
  /** Greenland-Robins variance of ln RR. */
  readonly lnVariance: number;
  /** exp(ln RR ± 1.96 √Var), widened on the log scale by `lnShift`. */
  readonly ci: [number, number];
  /** The most noise of protected counts can move ln RR (0 when exact). */
  readonly lnShift: number;
}

function assertStratum(s: RiskStratum): void {
  const whole = (x: number) => Number.isInteger(x) && x >= 0;
  if (![s.a, s.n1, s.c, s.n0].every(whole) || s.a > s.n1 || s.c > s.n0) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A risk stratum needs whole counts with a <= n1 and c <= n0; got a=${s.a}, n1=${s.n1}, c=${s.c}, n0=${s.n0}.`,
    );
  }
}

/**
 * RR_MH = Σ a_k n0_k / N_k ÷ Σ c_k n1_k / N_k, Var(ln RR) = Σ (n1_k n0_k m1_k - a_k c_k N_k) / N_k²
 * ÷ (Σ a_k n0_k / N_k × Σ c_k n1_k / N_k), m1_k = a_k + c_k. Strata with either group empty add
 * nothing. Null when either sum is 0 (no events in a group: the ratio or its logarithm is not
 * finite).
 *
 * @param noise the noise D of protected counts: each stratum risk may be off by 2D/n (see
 *   protectedRate), so R = Σ W_k p1_k / Σ W_k (W_k = n1 n0 / N) by δ1 = Σ W_k 2D/n1_k / Σ W_k
 *   and ln RR by δ1/(R1 - δ1) + δ0/(R0 - δ0) at most; the log interval is widened by that, and
 *   the ratio withheld (null) when a noise bound reaches its risk.
 */
export function mantelHaenszelRiskRatio(
  strata: readonly RiskStratum[],
  noise?: number,
): RiskRatio | null {
  let numerator = 0;
  let denominator = 0;
  let covariance = 0;
  let weights = 0;
  let bound1 = 0;
  let bound0 = 0;
  for (const s of strata) {
    assertStratum(s);
    const total = s.n1 + s.n0;
    if (s.n1 === 0 || s.n0 === 0) continue;
    numerator += (s.a * s.n0) / total;
    denominator += (s.c * s.n1) / total;
    covariance += (s.n1 * s.n0 * (s.a + s.c) - s.a * s.c * total) / (total * total);
    const w = (s.n1 * s.n0) / total;
    weights += w;
    if (noise !== undefined) {
      bound1 += (w * 2 * noise) / s.n1;
      bound0 += (w * 2 * noise) / s.n0;
    }
  }
  if (numerator === 0 || denominator === 0) return null;
  const estimate = numerator / denominator;
  const lnVariance = covariance / (numerator * denominator);
  let lnShift = 0;
  if (noise !== undefined) {
    const r1 = numerator / weights;
    const r0 = denominator / weights;
    const d1 = bound1 / weights;
    const d0 = bound0 / weights;
    if (d1 >= r1 || d0 >= r0) return null;
    lnShift = d1 / (r1 - d1) + d0 / (r0 - d0);
  }
  const half = Z95 * Math.sqrt(lnVariance) + lnShift;
  const ln = Math.log(estimate);
  return { estimate, lnVariance, ci: [Math.exp(ln - half), Math.exp(ln + half)], lnShift };
}
