import type { Source } from './registry.js';

/*
 * The statistics shown beside the rates (docs/outcomes.md, "Statistics", "Adjusted comparisons",
 * "Disclosure control"): what each means, its formula and its source. The dashboard's tooltips
 * and its Definitions page are generated from this list, so a statistic is explained in one
 * place, next to the code that computes it.
 */
export interface Statistic {
  readonly label: string;
  readonly short: string;
  readonly formula: string;
  readonly source: Source;
}

const ROTHMAN: Source = {
  citation:
    'Rothman KJ, Greenland S, Lash TL. Modern Epidemiology, 3rd ed. (2008), ch. 3-4 (standardisation) and ch. 15 (Mantel-Haenszel)',
};

export const STATISTICS = {
  wilsonInterval: {
    label: '95% interval of a rate',
    short:
      'The range of rates compatible with the data at 95% confidence (Wilson score interval), which stays inside 0-100% even for small groups.',
    formula:
      '(p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n), z = 1.96; widened by 2D/n′ for protected numbers',
    source: { citation: 'Wilson EB (1927), J Am Stat Assoc 22:209-212' },
  },
  meanChange: {
    label: 'Mean change',
    short:
      'Average of endpoint minus baseline PHQ-9 over paired, finished episodes; negative is better. 95% t interval.',
    formula: 'mean(endpoint − baseline) ± t(0.975, n − 1) · SD / √n',
    source: { citation: 'Student (1908); docs/outcomes.md "Statistics"' },
  },
  effectSize: {
    label: 'Effect size (pre-post)',
    short:
      'Mean improvement in units of the baseline spread: about 0.2 is small, 0.5 medium, 0.8 large.',
    formula: 'mean(baseline − endpoint) / SD(baseline), SD with n − 1',
    source: { citation: 'Cohen J (1988), Statistical Power Analysis, 2nd ed.' },
  },
  trajectory: {
    label: 'Mean PHQ-9 by session',
    short:
      'The average PHQ-9 total of the episodes scored at each session number, with a 95% t interval; later sessions hold only those who stayed.',
    formula: 'mean of the PHQ-9 totals at session s ± t(0.975, n − 1) · SD / √n',
    source: {
      citation: 'docs/outcomes.md "Statistics"; Kroenke, Spitzer & Williams (2001) for PHQ-9',
    },
  },
  timeToImprovement: {
    label: 'Time to reliable improvement',
    short:
      'The share of episodes reliably improved by each session (PHQ-9 6 or more below baseline), counting those who ended without improving as not improving, and following open episodes only as far as they have come.',
    formula:
      'Aalen-Johansen: F(t) = Σ_{j ≤ t} S(j − 1) · d₁(j) / n(j), S the share still at risk; 95% interval by the delta method',
    source: {
      citation:
        'Aalen OO, Johansen S (1978), Scand J Stat 5:141-150; Howard KI et al. (1986), Am Psychol 41:159-164 (dose-effect)',
    },
  },
  expectedRecovery: {
    label: 'Expected recovery',
    short:
      "The 10th, 50th and 90th percentile PHQ-9 at each session of the network's finished, paired episodes that began in the same baseline band: the range a client starting there usually follows.",
    formula:
      'per baseline band (10-12, 13-15, 16-18, 19-21, 22-27) and session: R type 7 quantiles x₍ₕ₎, h = (n − 1)p, of sessions with at least k scores',
    source: {
      citation:
        'Finch AE, Lambert MJ, Schaalje BG (2001), Clin Psychol Psychother 8:231-242; Hyndman RJ, Fan Y (1996), Am Stat 50:361-365',
    },
  },
  offTrack: {
    label: 'Off track',
    short:
      'An episode whose PHQ-9 at its latest scored session from 3 to 8 lies above the 90th percentile of the expected curve for its baseline band: fewer than one in ten finished episodes were that high there. It is judged at that session, the early course the curves are for; the list also names the last session it was seen at, which may be later.',
    formula:
      'episodes with a score above p90(band, session) at a session 3-8 / episodes with a score at a session 3-8 where the band has a curve; Wilson 95% interval',
    source: {
      citation:
        'Lambert MJ et al. (2001), Psychother Res 11:49-68 (signal-alarm feedback); docs/outcomes.md',
    },
  },
  withMedication: {
    label: 'IPT with medication',
    short:
      'Psychotropic medication ongoing at intake or started at or before the last attended session. A medication started after the end of treatment does not make an episode combined treatment.',
    formula:
      'ongoing at intake (stated, or implied by a first record that changes or stops it), or a start at session ≤ the last attended session; while an episode is open, a start at any session',
    source: {
      citation:
        'docs/outcomes.md "Medication"; Cuijpers P et al. (2016), World Psychiatry 15:245-258 (combined treatment)',
    },
  },
  crude: {
    label: 'Crude',
    short:
      'As observed: each group with its own case mix. Differences between groups mix the effect of the care with who received it.',
    formula: 'p_g = events_g / n_g; difference p₁ − p₀ ± 1.96 √(Σ p(1 − p)/n)',
    source: ROTHMAN,
  },
  adjustedRate: {
    label: 'Adjusted rate (regression standardisation)',
    short:
      "Each group's rate if every eligible episode of the compared groups had been in it: a logistic model of the outcome on the group and the adjustment factors, its predictions averaged over all of them. Every eligible episode counts, so it describes the same people as the crude rates beside it.",
    formula:
      'logit P = b₀ + b_group + Σ factor effects (IRLS, from counts by group × stratum); R_g = (1/N) Σ_i expit(x_i with group g); difference R_g − R_ref and ratio R_g / R_ref; 95% intervals by the delta method, ∇′(X′WX)⁻¹∇ (log scale for ratios); protected numbers add the variance the noise of every count causes, to first order',
    source: {
      citation:
        'Muller CJ, MacLehose RF (2014), Int J Epidemiol 43:962-970; Sjolander A (2016), Eur J Epidemiol 31:563-574',
    },
  },
  directStandardisation: {
    label: 'Directly standardised rate (sensitivity analysis)',
    short:
      "Each group's rate with the case mix of the compared cohort, from the strata in which every group has episodes (common support) only. Shown beside the crude rate of the same supported episodes, so like is compared with like.",
    formula:
      'R_g = Σ_s w_s p_gs, w_s = N_s / N over strata of common support; Var = Σ_s w_s² p_gs(1 − p_gs) / n_gs; R_g ± 1.96 √Var; a difference has the sum of the variances; protected numbers add the noise variance Σ_s w_s² D(D + 1)/3 (1 + p_gs²)/n_gs²',
    source: ROTHMAN,
  },
  heterogeneity: {
    label: 'Test of heterogeneity',
    short:
      "Whether the groups' difference changes between the levels of the second dimension (effect modification): a small p says it does.",
    formula:
      "likelihood-ratio test: deviance of the model with group, stratifier and adjustment factors minus that with the group × stratifier interaction added, against χ² with the interaction's degrees of freedom",
    source: ROTHMAN,
  },
  commonSupport: {
    label: 'Common support',
    short:
      'Strata in which every compared group has episodes (for protected numbers: at least k). Episodes outside it are left out of the directly standardised figures, and their share is reported; the regression standardised figures need no common support.',
    formula: 'outside = eligible episodes in strata missing a group / all eligible episodes',
    source: ROTHMAN,
  },
  riskRatio: {
    label: 'Risk ratio (Mantel-Haenszel)',
    short:
      'How many times more often the outcome occurs in one group than the other, within strata of the adjustment set (crude: one stratum). 1 means no difference.',
    formula:
      'RR = Σ a_k n0_k / N_k ÷ Σ c_k n1_k / N_k; Var ln RR = Σ (n1_k n0_k m1_k − a_k c_k N_k) / N_k² ÷ (Σ a_k n0_k / N_k · Σ c_k n1_k / N_k); exp(ln RR ± 1.96 √Var); protected numbers add the noise variance of ln RR (delta method)',
    source: {
      citation:
        'Greenland S, Robins JM (1985), Biometrics 41:55-68; Rothman, Greenland & Lash, Modern Epidemiology (2008)',
    },
  },
  expected: {
    label: 'Expected (indirect standardisation)',
    short:
      "How many reliable improvements a unit would have if each of its episodes improved as the network's model predicts for its baseline severity, age band and condition.",
    formula:
      "logit P = b₀ + severity + age band + condition (the network, no unit term); E = Σ over the unit's episodes of P; O/E = observed / expected",
    source: {
      citation:
        'Breslow NE, Day NE (1987), Statistical Methods in Cancer Research II, ch. 2; Muller CJ, MacLehose RF (2014), Int J Epidemiol 43:962-970',
    },
  },
  standardisedRate: {
    label: 'Standardised rate',
    short:
      "Reliable improvement adjusted for case mix: the unit's observed over expected, times the network rate.",
    formula: '(O / E) × network rate',
    source: {
      citation: 'Breslow NE, Day NE (1987), Statistical Methods in Cancer Research II, ch. 2',
    },
  },
  funnelLimits: {
    label: 'Funnel limits',
    short:
      "Where a unit's rate would fall by chance alone if it performed like the network: 95% (about 1 in 20 outside) and 99.8% (about 1 in 500).",
    formula: 'binomial quantiles of the target rate at the unit size n, interpolated',
    source: {
      citation:
        'Spiegelhalter DJ (2005), Funnel plots for comparing institutional performance, Stat Med 24:1185-1202',
    },
  },
  protectedNumbers: {
    label: 'Protected numbers',
    short:
      'Counts carry a small, stable noise (cell-key perturbation) and cells under k are withheld, so that no two questions give one person away. Intervals are widened for the noise.',
    formula:
      'count′ = count + e, e uniform on −D..D from the cell key; rates from protected counts; k rule on exact and protected values',
    source: {
      citation:
        'Fraser B, Wooton J (2005); Thompson G, Broadfoot S, Elazar D (2013), ABS cell-key method',
    },
  },
} as const satisfies Record<string, Statistic>;
export type StatisticName = keyof typeof STATISTICS;
