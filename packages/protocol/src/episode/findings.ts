/**
 * Data-quality findings: breaches of rules that need an episode's history. Events arrive late
 * and out of order, so these never reject an event at the door (EVENTS.md); the fold reports
 * them and the audit pages count them.
 */
export const FINDING_CODES = [
  'episode_not_started',
  'multiple_episode_started',
  'inconsistent_envelope',
  'conflicting_duplicate_id',
  'retraction_of_unknown_event',
  'retraction_cycle',
  'session_after_episode_end',
  'session_attended_twice',
  'phq9_missing_at_attended_session',
  'no_baseline',
  'finished_without_paired_scores',
  'problem_area_not_identified_by_session_3',
  'multiple_primary_problem_areas',
  'multiple_episode_ended',
  'follow_up_before_end',
  'standard_course_outside_12_16',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** How each finding is named on pages and in files: one label per code, here and nowhere else. */
export const FINDING_LABELS: Readonly<Record<FindingCode, string>> = {
  episode_not_started: 'Events of an episode never started',
  multiple_episode_started: 'Episode started more than once',
  inconsistent_envelope: 'Client or clinic differs between events of an episode',
  conflicting_duplicate_id: 'One event id sent with different contents',
  retraction_of_unknown_event: 'Retraction of an event not received',
  retraction_cycle: 'Retractions that retract each other',
  session_after_episode_end: 'Session after the episode ended',
  session_attended_twice: 'Session number attended twice',
  phq9_missing_at_attended_session: 'PHQ-9 missing at an attended session',
  no_baseline: 'No baseline PHQ-9',
  finished_without_paired_scores: 'Finished without paired PHQ-9 scores',
  problem_area_not_identified_by_session_3: 'Problem area not identified by session 3',
  multiple_primary_problem_areas: 'More than one primary problem area',
  multiple_episode_ended: 'Episode ended more than once',
  follow_up_before_end: 'Follow-up PHQ-9 before the end',
  standard_course_outside_12_16: 'Standard course outside 12-16 sessions',
};

export interface DataQualityFinding {
  code: FindingCode;
  /** A sentence a clinic's data lead can act on. */
  message: string;
  /** The event the finding is about, when there is one. */
  eventId: string | null;
  /** The session the finding is about, when there is one. */
  sessionNumber: number | null;
}
