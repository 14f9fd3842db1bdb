import { ProtocolError } from '../errors.js';

/*
 * Case-mix adjustment of a comparison between groups (docs/outcomes.md, "Adjusted comparisons"):
 * direct standardisation to the case mix of the whole compared cohort over the strata of common
 * support, and the difference of two standardised rates. Source: Rothman KJ, Greenland S,
 * Lash TL, Modern Epidemiology, 3rd ed. (2008), ch. 3-4. A single stratum gives the crude rates
 * and their Wald difference, so crude and adjusted figures are one computation.
 */

/** The 95% normal quantile docs/outcomes.md names for adjusted intervals. */
export const Z95 = 1.96;

/** One group's episodes in one stratum: `events` of `n`. */
export interface StratumCell {
  readonly stratum: string;
  readonly group: string;
  readonly events: number;
  readonly n: number;
}

export interface CommonSupport {
  /** Strata in which every compared group has at least `minimum` episodes, sorted. */
  readonly strata: string[];
  /** Episodes of the compared groups in those strata. */
  readonly inside: number;
  /** Episodes of the compared groups in the other strata. */
  readonly outside: number;
  /** outside / (inside + outside); 0 when there are none. */
  readonly shareOutside: number;
}

export interface StandardisedRate {
  readonly group: string;
  readonly rate: number;
  readonly variance: number;
  /** rate ± 1.96 √variance, not clipped (docs/outcomes.md; the dashboard shows it as it is). */
  readonly ci: [number, number];
  /**
   * The variance the noise of protected counts adds (see `noiseVarianceOfRate`): 0 unless
   * `noise` was given. The interval is rate ± 1.96 √(variance + noiseVariance).
   */
  readonly noiseVariance: number;
}

export interface Standardisation {
  readonly support: CommonSupport;
  /** Weights w_s = N_s / N by stratum of common support. */
  readonly weights: ReadonlyMap<string, number>;
  /** One per compared group, in the order given; empty when there is no common support. */
  readonly rates: StandardisedRate[];
}

export interface StandardiseOptions {
  /** Episodes every group needs in a stratum for it to be in common support (default 1). */
  readonly minimum?: number;
  /**
   * The noise D of protected counts: the stratum counts are then protected counts, and the
   * interval carries the noise's variance as well as the sampling variance.
   */
  readonly noise?: number;
}

function assertCell(cell: StratumCell): void {
  const whole = (x: number) => Number.isInteger(x) && x >= 0;
  if (!whole(cell.n) || !whole(cell.events) || cell.events > cell.n) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A stratum cell needs whole counts with events <= n; got ${cell.events} of ${cell.n} in stratum ${cell.stratum}, group ${cell.group}.`,
    );
  }
}

/** Strata in which every group has at least `minimum` episodes, and the share outside them. */
export function commonSupport(
  cells: readonly StratumCell[],
  groups: readonly string[],
  minimum = 1,
): CommonSupport {
  const compared = new Set(groups);
  const byStratum = new Map<string, Map<string, number>>();
  let total = 0;
  for (const cell of cells) {
    assertCell(cell);
    if (!compared.has(cell.group)) continue;
    total += cell.n;
    const counts = byStratum.get(cell.stratum) ?? new Map<string, number>();
    counts.set(cell.group, (counts.get(cell.group) ?? 0) + cell.n);
    byStratum.set(cell.stratum, counts);
  }
  const strata: string[] = [];
  let inside = 0;
  for (const [stratum, counts] of byStratum) {
    if (groups.length > 0 && groups.every((g) => (counts.get(g) ?? 0) >= minimum)) {
      strata.push(stratum);
      for (const n of counts.values()) inside += n;
    }
  }
  strata.sort();
  const outside = total - inside;
  return { strata, inside, outside, shareOutside: total === 0 ? 0 : outside / total };
}

/**
 * Direct standardisation: for group g, R_g = Σ_s w_s p_gs with w_s = N_s / N over the strata of
 * common support (N_s: the compared groups' episodes in s), Var(R_g) = Σ_s w_s² p_gs (1 - p_gs) /
 * n_gs, and the 95% interval R_g ± 1.96 √Var. Cells of groups not compared are ignored.
 */
export function directlyStandardise(
  cells: readonly StratumCell[],
  groups: readonly string[],
  options: StandardiseOptions = {},
): Standardisation {
  const support = commonSupport(cells, groups, options.minimum ?? 1);
  const inSupport = new Set(support.strata);
  const cell = new Map<string, { events: number; n: number }>();
  for (const c of cells) {
    if (!inSupport.has(c.stratum) || !groups.includes(c.group)) continue;
    const id = JSON.stringify([c.stratum, c.group]);
    const sum = cell.get(id) ?? { events: 0, n: 0 };
    cell.set(id, { events: sum.events + c.events, n: sum.n + c.n });
  }
  const weights = new Map<string, number>();
  for (const s of support.strata) {
    const ns = groups.reduce((total, g) => total + (cell.get(JSON.stringify([s, g]))?.n ?? 0), 0);
    weights.set(s, ns / support.inside);
  }
  if (support.strata.length === 0) return { support, weights, rates: [] };
  const rates = groups.map((group) => {
    let rate = 0;
    let variance = 0;
    let noiseVariance = 0;
    for (const s of support.strata) {
      const w = weights.get(s) ?? 0;
      const { events, n } = cell.get(JSON.stringify([s, group])) ?? { events: 0, n: 0 };
      const p = events / n;
      rate += w * p;
      variance += (w * w * p * (1 - p)) / n;
      if (options.noise !== undefined) {
        noiseVariance += w * w * noiseVarianceOfRate(p, n, options.noise);
      }
    }
    const half = Z95 * Math.sqrt(variance + noiseVariance);
    return {
      group,
      rate,
      variance,
      ci: [rate - half, rate + half] as [number, number],
      noiseVariance,
    };
  });
  return { support, weights, rates };
}

/**
 * The variance cell-key noise adds to a rate a/n of protected counts. The numerator and the
 * denominator each carry a noise e uniform on the whole numbers -D..D (variance D(D + 1)/3),
 * drawn from different cell keys, so independent; to first order a'/n' - a/n = (e_a - p e_n)/n,
 * whose variance is D(D + 1)/3 × (1 + p²)/n². Noises of different cells are independent too, so
 * over strata these variances add. (A single protected rate's interval is widened by the
 * worst case 2D/n' instead; over many strata the worst case, every noise at its extreme in the
 * same direction, would overstate the uncertainty many times.)
 */
export function noiseVarianceOfRate(p: number, n: number, noise: number): number {
  return ((noise * (noise + 1)) / 3) * ((1 + p * p) / (n * n));
}

/** A difference of two rates and its 95% interval. */
export interface Difference {
  readonly estimate: number;
  readonly variance: number;
  readonly ci: [number, number];
}

/**
 * R_a - R_b with the sum of their variances (independent groups), 95% interval ± 1.96 √Var,
 * the noise variances of both included.
 */
export function rateDifference(a: StandardisedRate, b: StandardisedRate): Difference {
  const estimate = a.rate - b.rate;
  const variance = a.variance + b.variance;
  const half = Z95 * Math.sqrt(variance + a.noiseVariance + b.noiseVariance);
  return { estimate, variance, ci: [estimate - half, estimate + half] };
}
