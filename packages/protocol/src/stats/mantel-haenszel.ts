import { ProtocolError } from '../errors.js';
import { noiseVarianceOfRate, Z95 } from './standardisation.js';

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
  /** exp(ln RR ± 1.96 √(Var + noise variance)). */
  readonly ci: [number, number];
  /** The variance the noise of protected counts adds to ln RR (0 when exact). */
  readonly lnNoiseVariance: number;
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
 * @param noise the noise D of protected counts. The numerator is Σ W_k p1_k with W_k =
 *   n1_k n0_k / N_k (the denominator likewise with p0_k); each stratum risk carries the noise
 *   variance of `noiseVarianceOfRate`, independent between strata, so by the delta method
 *   Var(ln RR) gains Σ W_k² v1_k / num² + Σ W_k² v0_k / den².
 */
export function mantelHaenszelRiskRatio(
  strata: readonly RiskStratum[],
  noise?: number,
): RiskRatio | null {
  let numerator = 0;
  let denominator = 0;
  let covariance = 0;
  let noise1 = 0;
  let noise0 = 0;
  for (const s of strata) {
    assertStratum(s);
    const total = s.n1 + s.n0;
    if (s.n1 === 0 || s.n0 === 0) continue;
    numerator += (s.a * s.n0) / total;
    denominator += (s.c * s.n1) / total;
    covariance += (s.n1 * s.n0 * (s.a + s.c) - s.a * s.c * total) / (total * total);
    if (noise !== undefined) {
      const w = (s.n1 * s.n0) / total;
      noise1 += w * w * noiseVarianceOfRate(s.a / s.n1, s.n1, noise);
      noise0 += w * w * noiseVarianceOfRate(s.c / s.n0, s.n0, noise);
    }
  }
  if (numerator === 0 || denominator === 0) return null;
  const estimate = numerator / denominator;
  const lnVariance = covariance / (numerator * denominator);
  const lnNoiseVariance = noise1 / (numerator * numerator) + noise0 / (denominator * denominator);
  const half = Z95 * Math.sqrt(lnVariance + lnNoiseVariance);
  const ln = Math.log(estimate);
  return {
    estimate,
    lnVariance,
    ci: [Math.exp(ln - half), Math.exp(ln + half)],
    lnNoiseVariance,
  };
}
