import { ProtocolError } from '../errors.js';
import { classifyOutcome, type OutcomeClassification } from '../outcome.js';
import {
  FINISHED_COURSE_MIN_SESSIONS,
  PROBLEM_AREA_DEADLINE_SESSION,
  STANDARD_COURSE_SESSIONS,
  sessionBucket,
} from '../sessions.js';
import {
  type Adaptation,
  type AgeBand,
  type Condition,
  type EndReason,
  type MedicationClass,
  type MedicationGroup,
  type MedicationTiming,
  type Modality,
  type Phase,
  type PrimaryProblemArea,
  type ProblemArea,
  type SessionBucket,
  type Sex,
  UNSPECIFIED_PROBLEM_AREA,
} from '../vocabulary.js';
import type { EpisodeEvent } from './events.js';
import type { DataQualityFinding } from './findings.js';
import { episodeMeasures, type Phq9Measurement } from './measures.js';
import { episodeMedication } from './medication.js';
import { compareKeys, sortBy } from './order.js';
import { resolveEvents } from './retractions.js';

export interface PhaseSpan {
  phase: Phase;
  /** The session from which the episode was in this phase (0 = before session 1). */
  fromSession: number;
  occurredOn: string;
}

/** Everything the warehouse keeps about one episode, folded from its events. */
export interface EpisodeSummary {
  episodeId: string;
  clientId: string;
  clinicId: string;
  started: boolean;
  startedOn: string | null;
  therapistId: string | null;
  ageBand: AgeBand | null;
  sex: Sex | null;
  condition: Condition | null;
  adaptation: Adaptation | null;
  modality: Modality | null;
  plannedSessions: number | null;
  ended: boolean;
  endedOn: string | null;
  endReason: EndReason | null;
  relapsePreventionPlan: boolean | null;
  /** Distinct session numbers attended. */
  sessionsAttended: number;
  sessionBucket: SessionBucket;
  sessionsMissed: number;
  lastSessionOn: string | null;
  /** Ended, with at least two sessions attended (NHS Talking Therapies). */
  finishedCourse: boolean;
  baseline: Phq9Measurement | null;
  endpoint: Phq9Measurement | null;
  paired: boolean;
  /** The outcome when paired; it counts in outcome rates only when `outcomeEligible`. */
  outcome: OutcomeClassification | null;
  /** Paired and finished: the denominator of every outcome rate (docs/outcomes.md). */
  outcomeEligible: boolean;
  primaryProblemArea: PrimaryProblemArea;
  /** Session at which the current primary area was identified. */
  primaryIdentifiedAtSession: number | null;
  /** Every area identified, primary or not, in vocabulary order. */
  problemAreas: ProblemArea[];
  medicationGroup: MedicationGroup;
  medicationTiming: MedicationTiming | null;
  /** Medication started during treatment: the session of the start (null otherwise). */
  medicationStartedAtSession: number | null;
  /**
   * The primary problem area as known at session 3, the initial phase's deadline (the last
   * marked primary at a session up to it; unspecified when none was): the group of an episode
   * in a comparison whose clock starts there (docs/outcomes.md, "Time zero").
   */
  problemAreaAtLandmark: PrimaryProblemArea;
  medicationClasses: MedicationClass[];
  phaseTimeline: PhaseSpan[];
  /** In-treatment PHQ-9 scores in treatment order (trajectories). */
  scores: Phq9Measurement[];
  followUps: Phq9Measurement[];
  /** Any PHQ-9 of the episode with item 9 above 0. */
  selfHarmFlagged: boolean;
  retractedEventIds: string[];
  /** Distinct event ids received, retractions included. */
  eventCount: number;
  findings: DataQualityFinding[];
}

/**
 * Folds one episode's events, in any arrival order, into its summary. The result depends only on
 * the set of events: every choice of "first" or "latest" uses a total order over event content.
 * Rules that need history never throw; breaches come back as `findings`.
 */
export function foldEpisode(events: readonly EpisodeEvent[]): EpisodeSummary {
  const [head] = events;
  if (head === undefined) {
    throw new ProtocolError('INVALID_EPISODE_EVENTS', 'an episode needs at least one event');
  }
  const foreign = events.find((e) => e.episodeId !== head.episodeId);
  if (foreign !== undefined) {
    throw new ProtocolError(
      'INVALID_EPISODE_EVENTS',
      `events of two episodes were folded together: ${head.episodeId} and ${foreign.episodeId}`,
    );
  }

  const { distinct, active, retractedEventIds, findings } = resolveEvents(events);
  const finding = (
    code: DataQualityFinding['code'],
    message: string,
    eventId: string | null = null,
    sessionNumber: number | null = null,
  ) => findings.push({ code, message, eventId, sessionNumber });

  const of = <T extends EpisodeEvent['type']>(type: T) =>
    active.filter((e): e is Extract<EpisodeEvent, { type: T }> => e.type === type);

  // Envelope: the earliest event (by date, then id) names the client and clinic.
  const envelopeOrder = sortBy(distinct, (e) => [e.occurredOn, e.id]);
  const first = envelopeOrder[0] ?? head;
  for (const e of envelopeOrder) {
    if (e.clientId !== first.clientId || e.clinicId !== first.clinicId) {
      finding(
        'inconsistent_envelope',
        `event ${e.id} names client ${e.clientId} at clinic ${e.clinicId}; the episode belongs to client ${first.clientId} at clinic ${first.clinicId}`,
        e.id,
      );
    }
  }

  const starts = sortBy(of('episode.started'), (e) => [e.occurredOn, e.id]);
  const start = starts[0];
  if (start === undefined)
    finding('episode_not_started', 'no episode.started event has been received');
  if (starts.length > 1) {
    finding(
      'multiple_episode_started',
      `${starts.length} episode.started events; the earliest is used`,
    );
  }

  const ends = sortBy(of('episode.ended'), (e) => [e.occurredOn, e.id]);
  const end = ends.at(-1);
  if (ends.length > 1) {
    finding('multiple_episode_ended', `${ends.length} episode.ended events; the latest is used`);
  }

  const attended = sortBy(of('session.attended'), (e) => [
    e.payload.sessionNumber,
    e.occurredOn,
    e.id,
  ]);
  const attendedSessions = new Set<number>();
  for (const session of attended) {
    const n = session.payload.sessionNumber;
    if (attendedSessions.has(n)) {
      finding(
        'session_attended_twice',
        `session ${n} is recorded as attended more than once`,
        session.id,
        n,
      );
    }
    attendedSessions.add(n);
    if (end !== undefined && session.occurredOn > end.occurredOn) {
      finding(
        'session_after_episode_end',
        `session ${n} on ${session.occurredOn} is after the episode ended on ${end.occurredOn}`,
        session.id,
        n,
      );
    }
  }
  const sessionsAttended = attendedSessions.size;
  const sessionsMissed = new Set(of('session.missed').map((e) => e.payload.sessionNumber)).size;
  const lastSessionOn = attended.reduce<string | null>(
    (latest, e) => (latest === null || e.occurredOn > latest ? e.occurredOn : latest),
    null,
  );
  const ended = end !== undefined;
  const finishedCourse = ended && sessionsAttended >= FINISHED_COURSE_MIN_SESSIONS;

  const { scores, followUps, baseline, endpoint } = episodeMeasures(of('phq9.recorded'));
  const scoredSessions = new Set(scores.map((m) => m.sessionNumber));
  for (const n of [...attendedSessions].sort((a, b) => a - b)) {
    if (!scoredSessions.has(n)) {
      finding(
        'phq9_missing_at_attended_session',
        `no PHQ-9 was recorded at attended session ${n}`,
        null,
        n,
      );
    }
  }
  if (baseline === null && sessionsAttended > 0) {
    finding(
      'no_baseline',
      scores.length === 0
        ? 'no PHQ-9 was recorded, so the episode has no baseline'
        : 'the first PHQ-9 was after session 2, too late to be a baseline',
    );
  }
  const paired = baseline !== null && endpoint !== null;
  if (finishedCourse && !paired) {
    finding(
      'finished_without_paired_scores',
      'the course finished without a baseline and an endpoint PHQ-9',
    );
  }
  if (!ended && followUps.length > 0) {
    finding('follow_up_before_end', 'a follow-up PHQ-9 was recorded but the episode has not ended');
  }

  const identified = sortBy(of('problem_area.identified'), (e) => [
    e.payload.sessionNumber,
    e.occurredOn,
    e.id,
  ]);
  const primaries = identified.filter((e) => e.payload.primary);
  const primary = primaries.at(-1);
  const distinctPrimaries = new Set(primaries.map((e) => e.payload.area));
  if (distinctPrimaries.size > 1) {
    finding(
      'multiple_primary_problem_areas',
      `${[...distinctPrimaries].join(', ')} were each marked primary; the latest (${primary?.payload.area}) is used`,
    );
  }
  const identifiedInTime = primaries.some(
    (e) => e.payload.sessionNumber <= PROBLEM_AREA_DEADLINE_SESSION,
  );
  if (!identifiedInTime && sessionsAttended >= PROBLEM_AREA_DEADLINE_SESSION) {
    finding(
      'problem_area_not_identified_by_session_3',
      'no primary problem area was identified by session 3, the end of the initial phase',
    );
  }
  const problemAreas = [...new Set(identified.map((e) => e.payload.area))].sort();

  const completedStandard =
    end?.payload.reason === 'completed' && start?.payload.adaptation === 'standard';
  if (
    completedStandard &&
    (sessionsAttended < STANDARD_COURSE_SESSIONS.min ||
      sessionsAttended > STANDARD_COURSE_SESSIONS.max)
  ) {
    finding(
      'standard_course_outside_12_16',
      `a completed standard IPT course attended ${sessionsAttended} sessions, outside 12-16`,
    );
  }

  const medication = episodeMedication(
    of('medication.changed'),
    ended ? Math.max(0, ...attendedSessions) : null,
  );

  return {
    episodeId: head.episodeId,
    clientId: first.clientId,
    clinicId: first.clinicId,
    started: start !== undefined,
    startedOn: start?.occurredOn ?? null,
    therapistId: start?.payload.therapistId ?? null,
    ageBand: start?.payload.ageBand ?? null,
    sex: start === undefined ? null : (start.payload.sex ?? 'unknown'),
    condition: start?.payload.condition ?? null,
    adaptation: start?.payload.adaptation ?? null,
    modality: start?.payload.modality ?? null,
    plannedSessions: start?.payload.plannedSessions ?? null,
    ended,
    endedOn: end?.occurredOn ?? null,
    endReason: end?.payload.reason ?? null,
    relapsePreventionPlan: end?.payload.relapsePreventionPlan ?? null,
    sessionsAttended,
    sessionBucket: sessionBucket(sessionsAttended),
    sessionsMissed,
    lastSessionOn,
    finishedCourse,
    baseline,
    endpoint,
    paired,
    outcome: paired ? classifyOutcome(baseline.total, endpoint.total) : null,
    outcomeEligible: paired && finishedCourse,
    primaryProblemArea: primary?.payload.area ?? UNSPECIFIED_PROBLEM_AREA,
    primaryIdentifiedAtSession: primary?.payload.sessionNumber ?? null,
    problemAreas,
    medicationGroup: medication.group,
    medicationTiming: medication.timing,
    medicationStartedAtSession: medication.startedAtSession,
    problemAreaAtLandmark:
      primaries.filter((e) => e.payload.sessionNumber <= PROBLEM_AREA_DEADLINE_SESSION).at(-1)
        ?.payload.area ?? UNSPECIFIED_PROBLEM_AREA,
    medicationClasses: medication.classes,
    phaseTimeline: phaseTimeline(of('phase.changed'), attended),
    scores,
    followUps,
    selfHarmFlagged: [...scores, ...followUps].some((m) => m.selfHarmFlag),
    retractedEventIds,
    eventCount: distinct.length,
    findings: sortBy(findings, (f) => [f.code, f.sessionNumber ?? -1, f.eventId ?? '', f.message]),
  };
}

/**
 * The phases an episode went through. Explicit `phase.changed` events and the phase stamped on
 * each attended session are merged in session order (a change recorded at a session comes before
 * that session's own stamp); consecutive repeats collapse.
 */
function phaseTimeline(
  changes: ReadonlyArray<Extract<EpisodeEvent, { type: 'phase.changed' }>>,
  attended: ReadonlyArray<Extract<EpisodeEvent, { type: 'session.attended' }>>,
): PhaseSpan[] {
  const points = [
    ...changes.map((e) => ({ phase: e.payload.to, session: e.payload.sessionNumber, rank: 0, e })),
    ...attended.map((e) => ({
      phase: e.payload.phase,
      session: e.payload.sessionNumber,
      rank: 1,
      e,
    })),
  ].sort((a, b) =>
    compareKeys(
      [a.session, a.rank, a.e.occurredOn, a.e.id],
      [b.session, b.rank, b.e.occurredOn, b.e.id],
    ),
  );
  const timeline: PhaseSpan[] = [];
  for (const point of points) {
    if (timeline.at(-1)?.phase === point.phase) continue;
    timeline.push({
      phase: point.phase,
      fromSession: point.session,
      occurredOn: point.e.occurredOn,
    });
  }
  return timeline;
}
