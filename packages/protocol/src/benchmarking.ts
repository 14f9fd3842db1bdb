import { ProtocolError } from './errors.js';
import { logGamma } from './stats/special.js';

/**
 * Benchmarking clinics and therapists against the network (docs/outcomes.md, "Statistics"):
 * funnel-plot control limits. The expected counts come from the network's case-mix model
 * (stats/model-expected.ts).
 *
 * Source: funnel plots and their exact binomial limits with interpolation: Spiegelhalter DJ
 * (2005), Funnel plots for comparing institutional performance, Stat Med 24:1185-1202.
 */

function binomialCdf(r: number, n: number, p: number): number {
  if (r < 0) return 0;
  if (r >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let sum = 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const logNFactorial = logGamma(n + 1);
  for (let k = 0; k <= r; k++) {
    sum += Math.exp(
      logNFactorial - logGamma(k + 1) - logGamma(n - k + 1) + k * logP + (n - k) * logQ,
    );
  }
  return Math.min(1, sum);
}

/**
 * The proportion below which (or above which) a unit of size n falls with probability
 * `tail` when its true rate is `target`: the exact binomial quantile, interpolated between
 * integers as Spiegelhalter (2005, appendix A.1.1) does, so the limits are smooth in n.
 */
export function funnelLimit(target: number, n: number, tailProbability: number): number {
  if (!(target >= 0 && target <= 1))
    throw new ProtocolError('INVALID_ARGUMENT', `target must be a proportion, got ${target}`);
  if (!Number.isInteger(n) || n < 1)
    throw new ProtocolError('INVALID_ARGUMENT', `n must be a positive integer, got ${n}`);
  if (!(tailProbability > 0 && tailProbability < 1)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `the tail probability must be in (0, 1), got ${tailProbability}`,
    );
  }
  // The smallest r with P(X <= r) >= tail. The CDF is accumulated term by term (each pmf from
  // the previous one in log space), so a limit costs O(r), not O(r^2) calls to logGamma: an
  // audit of a thousand therapists computes thousands of them.
  let r: number;
  let upper: number;
  let lower: number;
  if (target <= 0 || target >= 1) {
    r = 0;
    while (r < n && binomialCdf(r, n, target) < tailProbability) r++;
    upper = binomialCdf(r, n, target);
    lower = binomialCdf(r - 1, n, target);
  } else {
    const logRatio = Math.log(target) - Math.log1p(-target);
    let logPmf = n * Math.log1p(-target);
    let cdf = Math.exp(logPmf);
    let previous = 0;
    r = 0;
    while (r < n && cdf < tailProbability) {
      r++;
      logPmf += Math.log(n - r + 1) - Math.log(r) + logRatio;
      previous = cdf;
      cdf += Math.exp(logPmf);
    }
    upper = r >= n ? 1 : Math.min(1, cdf);
    lower = Math.min(1, previous);
  }
  const alpha = upper === lower ? 0 : (upper - tailProbability) / (upper - lower);
  return Math.min(1, Math.max(0, (r - alpha) / n));
}

/** The 95% and 99.8% funnel limits (two-sided) around `target` for a unit of size n. */
export function funnelLimits(target: number, n: number) {
  return {
    lower95: funnelLimit(target, n, 0.025),
    upper95: funnelLimit(target, n, 0.975),
    lower998: funnelLimit(target, n, 0.001),
    upper998: funnelLimit(target, n, 0.999),
  };
}
