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

export interface DataQualityFinding {
  code: FindingCode;
  /** A sentence a clinic's data lead can act on. */
  message: string;
  /** The event the finding is about, when there is one. */
  eventId: string | null;
  /** The session the finding is about, when there is one. */
  sessionNumber: number | null;
}
