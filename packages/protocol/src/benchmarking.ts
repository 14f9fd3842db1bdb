import { ProtocolError } from './errors.js';
import { logGamma } from './stats/special.js';

/**
 * Benchmarking clinics and therapists against the network (docs/outcomes.md, "Statistics"):
 * indirect standardisation by baseline severity band, and funnel-plot control limits.
 *
 * Sources: indirect standardisation as in Breslow & Day (1987), Statistical Methods in Cancer
 * Research II, ch. 2; funnel plots and their exact binomial limits with interpolation:
 * Spiegelhalter DJ (2005), Funnel plots for comparing institutional performance, Stat Med
 * 24:1185-1202.
 */

export interface StratumCount {
  /** The unit (clinic or therapist) the count belongs to. */
  unit: string;
  /** The stratum, e.g. the baseline severity band. */
  stratum: string;
  /** Episodes in the denominator. */
  n: number;
  /** Of which had the outcome. */
  events: number;
}

export interface StandardisedUnit {
  unit: string;
  n: number;
  observed: number;
  /** Events expected had the unit had the network's rate in each of its strata. */
  expected: number;
  /** observed / expected; null when nothing was expected. */
  ratio: number | null;
  /** ratio x the network's crude rate: the unit's rate, adjusted for its case mix. */
  standardisedRate: number | null;
  /** The network's rate applied to this unit's case mix (expected / n): the funnel's target. */
  expectedRate: number;
}

/**
 * Indirect standardisation of every unit against the network formed by all of them.
 *
 * @param reference the network's totals per stratum, when they are not the sums of `counts`:
 *   a protected answer perturbs each stratum's network total once (disclosure control), rather
 *   than adding up many perturbed small cells, whose noise would add up too.
 */
export function indirectlyStandardise(
  counts: readonly StratumCount[],
  reference?: ReadonlyArray<{ stratum: string; n: number; events: number }>,
): {
  networkRate: number;
  units: StandardisedUnit[];
} {
  const strata = new Map<string, { n: number; events: number }>();
  for (const c of counts) {
    if (
      !Number.isInteger(c.n) ||
      !Number.isInteger(c.events) ||
      c.n < 0 ||
      c.events < 0 ||
      c.events > c.n
    ) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `counts must be integers with 0 <= events <= n, got ${c.events}/${c.n} for ${c.unit}`,
      );
    }
    if (reference !== undefined) continue;
    const s = strata.get(c.stratum) ?? { n: 0, events: 0 };
    s.n += c.n;
    s.events += c.events;
    strata.set(c.stratum, s);
  }
  for (const r of reference ?? []) strata.set(r.stratum, { n: r.n, events: r.events });
  const totalN = [...strata.values()].reduce((sum, s) => sum + s.n, 0);
  if (totalN === 0)
    throw new ProtocolError(
      'INSUFFICIENT_DATA',
      'the network has no episodes to standardise against',
    );
  const networkRate = [...strata.values()].reduce((sum, s) => sum + s.events, 0) / totalN;
  const byUnit = new Map<string, StratumCount[]>();
  for (const c of counts) byUnit.set(c.unit, [...(byUnit.get(c.unit) ?? []), c]);
  const units = [...byUnit.entries()].map(([unit, rows]) => {
    const n = rows.reduce((sum, r) => sum + r.n, 0);
    const observed = rows.reduce((sum, r) => sum + r.events, 0);
    const expected = rows.reduce((sum, r) => {
      const s = strata.get(r.stratum);
      return sum + (s === undefined || s.n === 0 ? 0 : (r.n * s.events) / s.n);
    }, 0);
    const ratio = expected > 0 ? observed / expected : null;
    return {
      unit,
      n,
      observed,
      expected,
      ratio,
      standardisedRate: ratio === null ? null : ratio * networkRate,
      expectedRate: n > 0 ? expected / n : networkRate,
    };
  });
  return { networkRate, units };
}

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
