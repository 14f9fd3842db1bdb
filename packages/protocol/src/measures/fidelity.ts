import type { FindingCode } from '../episode/findings.js';
import type { EpisodeSummary } from '../episode/fold.js';
import { PROBLEM_AREA_DEADLINE_SESSION } from '../sessions.js';
import type { Source } from './registry.js';

/*
 * Protocol fidelity (docs/outcomes.md, "Statistics": data quality), as the clinic audit shows it.
 * Each measure is the share of the episodes it applies to in which the fold did NOT find a
 * breach: the rule itself lives once, in the fold's finding (typed by its code), and the audit
 * counts findings rather than computing the rule again.
 */
export interface FidelityMeasure {
  readonly label: string;
  readonly short: string;
  readonly rule: string;
  /** The fold's finding that breaches the measure. */
  readonly breach: FindingCode;
  /** Which episodes the measure applies to, in words. */
  readonly appliesTo: string;
  readonly source: Source;
}

const IPT_MANUAL: Source = {
  citation:
    'Weissman MM, Markowitz JC, Klerman GL (2018), The Guide to Interpersonal Psychotherapy, updated ed.',
};

export const FIDELITY_MEASURES = {
  sessionsWithinRange: {
    label: '12-16 sessions',
    short: 'Completed standard IPT courses that lasted 12 to 16 sessions, the protocol length.',
    rule: '12 ≤ sessions attended ≤ 16',
    breach: 'standard_course_outside_12_16',
    appliesTo: 'episodes ended as completed, standard adaptation',
    source: IPT_MANUAL,
  },
  problemAreaBySession3: {
    label: 'Problem area by session 3',
    short:
      'Episodes that reached session 3 with a primary problem area identified by then, as the initial phase requires.',
    rule: `primary problem area identified at session ≤ ${PROBLEM_AREA_DEADLINE_SESSION}`,
    breach: 'problem_area_not_identified_by_session_3',
    appliesTo: `episodes with at least ${PROBLEM_AREA_DEADLINE_SESSION} sessions attended`,
    source: IPT_MANUAL,
  },
  phq9EverySession: {
    label: 'PHQ-9 every session',
    short: 'Episodes with a PHQ-9 recorded at every attended session (measurement-based care).',
    rule: 'a PHQ-9 at each attended session number',
    breach: 'phq9_missing_at_attended_session',
    appliesTo: 'episodes with at least one session attended',
    source: {
      citation: 'NHS Talking Therapies Manual, v7 (2024): session-by-session outcome measurement',
    },
  },
} as const satisfies Record<string, FidelityMeasure>;
export type FidelityName = keyof typeof FIDELITY_MEASURES;
export const FIDELITY_NAMES = Object.keys(FIDELITY_MEASURES) as FidelityName[];

/** Whether a measure applies to a started episode (its denominator). */
export function fidelityApplies(summary: EpisodeSummary, name: FidelityName): boolean {
  switch (name) {
    case 'sessionsWithinRange':
      return summary.endReason === 'completed' && summary.adaptation === 'standard';
    case 'problemAreaBySession3':
      return summary.sessionsAttended >= PROBLEM_AREA_DEADLINE_SESSION;
    case 'phq9EverySession':
      return summary.sessionsAttended >= 1;
  }
}

/** Each measure of an episode: null where it does not apply, else whether it was met. */
export function fidelityOf(summary: EpisodeSummary): Record<FidelityName, boolean | null> {
  const found = new Set(summary.findings.map((f) => f.code));
  const of = (name: FidelityName) =>
    fidelityApplies(summary, name) ? !found.has(FIDELITY_MEASURES[name].breach) : null;
  return {
    sessionsWithinRange: of('sessionsWithinRange'),
    problemAreaBySession3: of('problemAreaBySession3'),
    phq9EverySession: of('phq9EverySession'),
  };
}
