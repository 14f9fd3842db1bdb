/**
 * The controlled vocabulary of IPT outcomes work. Every enum of the event catalog (EVENTS.md)
 * and every grouping the dashboard compares (docs/outcomes.md) is defined here once, as a readonly
 * tuple, with its type derived from it. `@ipt/events` builds its zod enums from these tuples, so
 * the contract and the domain can never disagree about a value.
 */

/** IPT problem areas (Weissman, Markowitz & Klerman, Comprehensive Guide to IPT, 2000). */
export const PROBLEM_AREAS = [
  'grief',
  'role_transition',
  'role_dispute',
  'interpersonal_deficits',
] as const;
export type ProblemArea = (typeof PROBLEM_AREAS)[number];

/** The grouping value of an episode whose primary problem area was never identified. */
export const UNSPECIFIED_PROBLEM_AREA = 'unspecified' as const;
export const PRIMARY_PROBLEM_AREAS = [...PROBLEM_AREAS, UNSPECIFIED_PROBLEM_AREA] as const;
export type PrimaryProblemArea = (typeof PRIMARY_PROBLEM_AREAS)[number];

/** IPT treatment phases; `maintenance` covers IPT-M after the acute course. */
export const PHASES = ['initial', 'middle', 'termination', 'maintenance'] as const;
export type Phase = (typeof PHASES)[number];

/** PHQ-9 severity bands (Kroenke, Spitzer & Williams 2001). */
export const SEVERITY_BANDS = [
  'minimal',
  'mild',
  'moderate',
  'moderately_severe',
  'severe',
] as const;
export type SeverityBand = (typeof SEVERITY_BANDS)[number];

/**
 * Sessions-attended buckets. `1-3` is the initial phase only, `8-11` a brief course, `12-16`
 * standard IPT, `17+` an extended course (docs/outcomes.md, "Groupings").
 */
export const SESSION_BUCKETS = ['0', '1-3', '4-7', '8-11', '12-16', '17+'] as const;
export type SessionBucket = (typeof SESSION_BUCKETS)[number];

/**
 * Buckets of the sessions planned at the start (`plannedSessions` of `episode.started`): a brief
 * course (up to 11), a standard course (12-16), an extended one (17+). Unlike sessions attended,
 * the plan is fixed at intake, so grouping time to improvement by it does not condition on who
 * stays (docs/outcomes.md, "Time to reliable improvement").
 */
export const PLANNED_SESSION_BUCKETS = ['1-11', '12-16', '17+'] as const;
export type PlannedSessionBucket = (typeof PLANNED_SESSION_BUCKETS)[number];

/** IPT alone against IPT combined with psychotropic medication. */
export const MEDICATION_GROUPS = ['ipt_only', 'ipt_with_medication'] as const;
export type MedicationGroup = (typeof MEDICATION_GROUPS)[number];

/** When the medication of an `ipt_with_medication` episode began, relative to the episode. */
export const MEDICATION_TIMINGS = ['continuing', 'started_during'] as const;
export type MedicationTiming = (typeof MEDICATION_TIMINGS)[number];

export const AGE_BANDS = [
  '12-17',
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65-74',
  '75+',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const CONDITIONS = [
  'major_depression',
  'persistent_depressive_disorder',
  'perinatal_depression',
  'bipolar_disorder',
  'social_anxiety',
  'generalized_anxiety',
  'eating_disorder',
  'ptsd',
  'other',
] as const;
export type Condition = (typeof CONDITIONS)[number];

/** IPT adaptations; `ipsrt` is interpersonal and social rhythm therapy for bipolar disorder. */
export const ADAPTATIONS = [
  'standard',
  'adolescent',
  'perinatal',
  'ipsrt',
  'group',
  'brief',
  'other',
] as const;
export type Adaptation = (typeof ADAPTATIONS)[number];

export const MODALITIES = ['in_person', 'online', 'mixed'] as const;
export type Modality = (typeof MODALITIES)[number];

export const MISSED_REASONS = ['cancelled_by_client', 'no_show', 'cancelled_by_clinic'] as const;
export type MissedReason = (typeof MISSED_REASONS)[number];

export const PHQ9_TIMEPOINTS = ['intake', 'session', 'end', 'follow_up'] as const;
export type Phq9Timepoint = (typeof PHQ9_TIMEPOINTS)[number];

export const MEDICATION_ACTIONS = [
  'started',
  'stopped',
  'dose_changed',
  'switched',
  'ongoing_at_intake',
] as const;
export type MedicationAction = (typeof MEDICATION_ACTIONS)[number];

export const MEDICATION_CLASSES = [
  'ssri',
  'snri',
  'tca',
  'maoi',
  'other_antidepressant',
  'mood_stabilizer',
  'antipsychotic',
  'anxiolytic',
  'other',
] as const;
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];

export const END_REASONS = [
  'completed',
  'dropped_out',
  'referred_on',
  'moved_to_maintenance',
  'other',
] as const;
export type EndReason = (typeof END_REASONS)[number];

export const RETRACTION_REASONS = ['entered_in_error', 'duplicate', 'wrong_episode'] as const;
export type RetractionReason = (typeof RETRACTION_REASONS)[number];

/** Bounds of the catalog's numeric fields (EVENTS.md). */
export const LIMITS = {
  plannedSessions: { min: 1, max: 52 },
  /** `session.attended` and `session.missed` count from 1. */
  attendedSessionNumber: { min: 1, max: 60 },
  /** Other events may refer to session 0: intake, before session 1. */
  sessionNumber: { min: 0, max: 60 },
  weeksAfterEnd: { min: 1, max: 104 },
  phq9ItemCount: 9,
  phq9Item: { min: 0, max: 3 },
  phq9Total: { min: 0, max: 27 },
} as const;
