import type { EpisodeFlag } from './flags.js';

/*
 * The registry of outcome measures (docs/outcomes.md). Every count, rate and its definition is named
 * here once; the warehouse's SQL columns, the API's fields, the CSV columns, the dashboard's
 * labels and tooltips and the Definitions page are derived from it. A new rate is an entry in
 * RATE_MEASURES (with its counts in EPISODE_COUNTS, and a flag in flags.ts if it classifies
 * episodes in a new way) and a test.
 */

/** A published source, cited wherever the definition is shown. */
export interface Source {
  readonly citation: string;
}

/**
 * Counts of started episodes: each counts the episodes that have every listed flag (none: all
 * started episodes). Rates are one count over another.
 */
export const EPISODE_COUNTS = {
  episodes: [],
  finished: ['finished'],
  paired: ['paired'],
  finishedPaired: ['finished', 'paired'],
  eligible: ['eligible'],
  eligibleCases: ['eligible', 'caseAtBaseline'],
  reliableImprovement: ['eligible', 'reliableImprovement'],
  reliableDeterioration: ['eligible', 'reliableDeterioration'],
  noReliableChange: ['eligible', 'noReliableChange'],
  recovery: ['eligible', 'caseAtBaseline', 'recovery'],
  reliableRecovery: ['eligible', 'caseAtBaseline', 'reliableRecovery'],
  response: ['eligible', 'caseAtBaseline', 'response'],
  remission: ['eligible', 'caseAtBaseline', 'remission'],
  followedUp: ['eligible', 'caseAtBaseline', 'recovery', 'followedUp'],
  relapsed: ['eligible', 'caseAtBaseline', 'recovery', 'followedUp', 'relapsed'],
  minimalImportantImprovement: ['eligible', 'minimalImportantImprovement'],
} as const satisfies Record<string, readonly EpisodeFlag[]>;
export type EpisodeCountName = keyof typeof EPISODE_COUNTS;
export const EPISODE_COUNT_NAMES = Object.keys(EPISODE_COUNTS) as EpisodeCountName[];

/** What each count counts, in words (the Definitions page, CSV documentation). */
export const COUNT_LABELS: Record<EpisodeCountName, string> = {
  episodes: 'started episodes',
  finished: 'finished courses (ended, 2 or more sessions attended)',
  paired: 'paired episodes (baseline and endpoint PHQ-9)',
  finishedPaired: 'finished courses that are paired',
  eligible: 'paired, finished episodes',
  eligibleCases: 'paired, finished episodes with baseline PHQ-9 of 10 or more',
  reliableImprovement: 'reliably improved',
  reliableDeterioration: 'reliably deteriorated',
  noReliableChange: 'changed by less than 6 points either way',
  recovery: 'recovered',
  reliableRecovery: 'reliably recovered',
  response: 'responded',
  remission: 'remitted',
  followedUp: 'recovered episodes with a follow-up PHQ-9 within 52 weeks of the end',
  relapsed: 'relapsed (a follow-up PHQ-9 of 10 or more within 52 weeks)',
  minimalImportantImprovement: 'improved by 5 PHQ-9 points or more',
};

export interface RateMeasure {
  readonly label: string;
  /** One or two sentences: what a reader sees in a tooltip. */
  readonly short: string;
  /** The rule per episode, as a formula. */
  readonly rule: string;
  readonly numerator: EpisodeCountName;
  readonly denominator: EpisodeCountName;
  /** `outcome`: a clinical outcome (compared, adjusted); `quality`: completeness of the data. */
  readonly kind: 'outcome' | 'quality';
  /** Which direction is better, for a reader scanning a table. */
  readonly better: 'higher' | 'lower';
  readonly source: Source;
}

const TALKING_THERAPIES: Source = {
  citation:
    'NHS Talking Therapies for anxiety and depression Manual, v7 (2024), appendix on outcome measures; here applied to PHQ-9 alone',
};
const HEDIS: Source = {
  citation: 'NCQA HEDIS, Depression Response and Remission measures (PHQ-9)',
};

/** Every rate the outcomes service returns, in display order. */
export const RATE_MEASURES = {
  reliableImprovement: {
    label: 'Reliable improvement',
    short: 'PHQ-9 fell by 6 points or more from baseline to endpoint: more than measurement error.',
    rule: 'baseline − endpoint ≥ 6',
    numerator: 'reliableImprovement',
    denominator: 'eligible',
    kind: 'outcome',
    better: 'higher',
    source: TALKING_THERAPIES,
  },
  recovery: {
    label: 'Recovery',
    short: 'Began at caseness (PHQ-9 of 10 or more) and ended below it.',
    rule: 'baseline ≥ 10 and endpoint < 10',
    numerator: 'recovery',
    denominator: 'eligibleCases',
    kind: 'outcome',
    better: 'higher',
    source: TALKING_THERAPIES,
  },
  reliableRecovery: {
    label: 'Reliable recovery',
    short: 'Recovered and reliably improved (6 points or more).',
    rule: 'recovery and baseline − endpoint ≥ 6',
    numerator: 'reliableRecovery',
    denominator: 'eligibleCases',
    kind: 'outcome',
    better: 'higher',
    source: TALKING_THERAPIES,
  },
  response: {
    label: 'Response',
    short: 'Endpoint PHQ-9 at most half the baseline, among those who began at caseness.',
    rule: 'endpoint ≤ 0.5 × baseline (baseline ≥ 10)',
    numerator: 'response',
    denominator: 'eligibleCases',
    kind: 'outcome',
    better: 'higher',
    source: HEDIS,
  },
  remission: {
    label: 'Remission',
    short: 'Endpoint PHQ-9 below 5, among those who began at caseness.',
    rule: 'endpoint < 5 (baseline ≥ 10)',
    numerator: 'remission',
    denominator: 'eligibleCases',
    kind: 'outcome',
    better: 'higher',
    source: HEDIS,
  },
  minimalImportantImprovement: {
    label: 'Minimal important improvement',
    short:
      'PHQ-9 fell by 5 points or more from baseline to endpoint: as much as patients notice. One point below reliable change, so read it beside that rate.',
    rule: 'baseline − endpoint ≥ 5',
    numerator: 'minimalImportantImprovement',
    denominator: 'eligible',
    kind: 'outcome',
    better: 'higher',
    source: {
      citation:
        'Löwe B, Unützer J, Callahan CM, Perkins AJ, Kroenke K (2004), Monitoring depression treatment outcomes with the Patient Health Questionnaire-9, Med Care 42:1194-1201',
    },
  },
  reliableDeterioration: {
    label: 'Reliable deterioration',
    short: 'PHQ-9 rose by 6 points or more from baseline to endpoint.',
    rule: 'endpoint − baseline ≥ 6',
    numerator: 'reliableDeterioration',
    denominator: 'eligible',
    kind: 'outcome',
    better: 'lower',
    source: TALKING_THERAPIES,
  },
  noReliableChange: {
    label: 'No reliable change',
    short: 'PHQ-9 moved by less than 6 points either way: within measurement error of no change.',
    rule: '|endpoint − baseline| < 6',
    numerator: 'noReliableChange',
    denominator: 'eligible',
    kind: 'outcome',
    better: 'lower',
    source: TALKING_THERAPIES,
  },
  relapse: {
    label: 'Relapse',
    short:
      'Of those recovered at the end and followed up within 52 weeks, the share with a follow-up PHQ-9 of 10 or more. Read it with follow-up completeness.',
    rule: 'recovered at the end and a follow-up total ≥ 10 within 52 weeks',
    numerator: 'relapsed',
    denominator: 'followedUp',
    kind: 'outcome',
    better: 'lower',
    source: {
      citation:
        'docs/outcomes.md "Relapse after the end"; Vittengl JR et al. (2007), J Consult Clin Psychol 75:475-488 (relapse after acute-phase therapy)',
    },
  },
  followUpCompleteness: {
    label: 'Follow-up completeness',
    short:
      'Of the episodes recovered at the end, the share with a follow-up PHQ-9 within 52 weeks: how much of the relapse figure is seen.',
    rule: 'followed up within 52 weeks / recovered at the end',
    numerator: 'followedUp',
    denominator: 'recovery',
    kind: 'quality',
    better: 'higher',
    source: { citation: 'docs/outcomes.md "Relapse after the end"' },
  },
  pairedCompleteness: {
    label: 'Paired-data completeness',
    short:
      'Of the finished courses, the share with both a baseline and an endpoint PHQ-9; never above 100%. NHS services reach 91-98%.',
    rule: 'finished and paired / finished',
    numerator: 'finishedPaired',
    denominator: 'finished',
    kind: 'quality',
    better: 'higher',
    source: {
      citation: 'NHS Talking Therapies Manual, v7 (2024): paired outcome data completeness',
    },
  },
} as const satisfies Record<string, RateMeasure>;
export type RateMeasureName = keyof typeof RATE_MEASURES;
export const RATE_MEASURE_NAMES = Object.keys(RATE_MEASURES) as RateMeasureName[];
/** The clinical outcome rates: what the dashboard compares and adjusts for case mix. */
export const OUTCOME_RATE_NAMES = RATE_MEASURE_NAMES.filter(
  (name) => RATE_MEASURES[name].kind === 'outcome',
);

/** The denominator of a rate, in words: "paired, finished episodes". */
export const denominatorLabel = (name: RateMeasureName) =>
  COUNT_LABELS[RATE_MEASURES[name].denominator];
