import {
  type EpisodeSummary,
  FOLD_VERSION,
  flagBits,
  type Phq9Measurement,
  relapseOf,
  sessionTotals,
  timeToImprovement,
} from '@ipt/protocol';
import { toClickHouseTime } from '../time.js';

/**
 * Flattening an EpisodeSummary into warehouse rows. Booleans become 0/1, absent values empty
 * strings or NULL as the column comments say. Nothing is classified here: every flag comes from
 * @ipt/protocol.
 */
const flag = (value: boolean) => (value ? 1 : 0);

/** The fold version rows carry: defined with the definitions, in @ipt/protocol. */
export { FOLD_VERSION };

const nullableFlag = (value: boolean | null | undefined) =>
  value === null || value === undefined ? null : flag(value);

export function episodeRow(
  summary: EpisodeSummary,
  version: number,
  projectedAt: string,
  recordKey: number,
  recordedTo: string,
  /** The month the episode is filed under (episode_buckets), `YYYY-MM-01`. */
  bucket: string,
): Record<string, unknown> {
  const outcome = summary.outcome;
  const improvement = timeToImprovement(summary);
  const relapse = relapseOf(summary);
  return {
    episode_id: summary.episodeId,
    clinic_id: summary.clinicId,
    client_id: summary.clientId,
    therapist_id: summary.therapistId ?? '',
    started: flag(summary.started),
    started_on: summary.startedOn,
    start_month: summary.startedOn === null ? null : `${summary.startedOn.slice(0, 7)}-01`,
    age_band: summary.ageBand ?? '',
    sex: summary.sex ?? '',
    condition: summary.condition ?? '',
    adaptation: summary.adaptation ?? '',
    modality: summary.modality ?? '',
    planned_sessions: summary.plannedSessions,
    ended: flag(summary.ended),
    ended_on: summary.endedOn,
    end_reason: summary.endReason ?? '',
    sessions_attended: summary.sessionsAttended,
    session_bucket: summary.sessionBucket,
    sessions_missed: summary.sessionsMissed,
    finished_course: flag(summary.finishedCourse),
    paired: flag(summary.paired),
    outcome_eligible: flag(summary.outcomeEligible),
    baseline_total: summary.baseline?.total ?? null,
    baseline_severity: summary.baseline?.severity ?? '',
    endpoint_total: summary.endpoint?.total ?? null,
    change: outcome?.change ?? null,
    // The outcome as columns, for row exports and readers of the table; counts read `flag_bits`.
    reliable_improvement: flag(outcome?.reliableImprovement ?? false),
    reliable_deterioration: flag(outcome?.reliableDeterioration ?? false),
    no_reliable_change: flag(outcome?.noReliableChange ?? false),
    recovery: nullableFlag(outcome?.recovery),
    reliable_recovery: nullableFlag(outcome?.reliableRecovery),
    response: nullableFlag(outcome?.response),
    remission: nullableFlag(outcome?.remission),
    primary_problem_area: summary.primaryProblemArea,
    problem_areas: summary.problemAreas,
    medication_group: summary.medicationGroup,
    medication_timing: summary.medicationTiming ?? '',
    medication_classes: summary.medicationClasses,
    phase_timeline: JSON.stringify(summary.phaseTimeline),
    self_harm_flagged: flag(summary.selfHarmFlagged),
    finding_count: summary.findings.length,
    findings: summary.findings.map((f) => ({
      code: f.code,
      session_number: f.sessionNumber ?? -1,
      event_id: f.eventId ?? '',
      message: f.message,
    })),
    retracted_count: summary.retractedEventIds.length,
    event_count: summary.eventCount,
    version,
    projected_at: toClickHouseTime(projectedAt),
    record_key: recordKey,
    fold_version: FOLD_VERSION,
    improvement_session: improvement?.time ?? null,
    improvement_status: improvement?.status ?? '',
    followed_up: nullableFlag(relapse.followedUp),
    relapsed: nullableFlag(relapse.relapsed),
    session_totals: sessionTotals(summary),
    recorded_to: toClickHouseTime(recordedTo),
    bucket,
    scores: [...summary.scores, ...summary.followUps].map((score) => ({
      event_id: score.eventId,
      session_number: score.sessionNumber,
      timepoint: score.timepoint,
      weeks_after_end: score.weeksAfterEnd,
      total: score.total,
      severity: score.severity,
      self_harm_flag: flag(score.selfHarmFlag),
      occurred_on: score.occurredOn,
    })),
    // Last, as the columns were added (migrations 037 and 041).
    flag_bits: flagBits(summary),
    problem_area_at_landmark: summary.problemAreaAtLandmark,
    medication_started_session: summary.medicationStartedAtSession,
  };
}

export function scoreRow(
  summary: EpisodeSummary,
  score: Phq9Measurement,
  version: number,
): Record<string, unknown> {
  return {
    episode_id: summary.episodeId,
    event_id: score.eventId,
    clinic_id: summary.clinicId,
    session_number: score.sessionNumber,
    timepoint: score.timepoint,
    weeks_after_end: score.weeksAfterEnd,
    total: score.total,
    severity: score.severity,
    self_harm_flag: flag(score.selfHarmFlag),
    occurred_on: score.occurredOn,
    version,
    is_deleted: 0,
  };
}
