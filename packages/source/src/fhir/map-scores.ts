import { PHQ9_LOINC } from './codes.js';
import { dayOf, daysBetween } from './dates.js';
import { type EpisodeContext, localId, type MappingRun } from './mapping-run.js';
import { phq9Items } from './phq9.js';
import type { QuestionnaireResponse } from './resources.js';

/** PHQ-9 questionnaires: phq9.recorded at intake, at a session, or at follow-up. */
export function mapScores(run: MappingRun): void {
  for (const response of run.all<QuestionnaireResponse>('QuestionnaireResponse')) {
    const key = `QuestionnaireResponse/${response.id}`;
    const items = phq9Items(response);
    if (items === 'not-phq9') {
      run.report(key, `not a PHQ-9 (LOINC ${PHQ9_LOINC.panel}): skipped`);
      continue;
    }
    const day = dayOf(response.authored);
    if (day === undefined) {
      run.report(key, 'authored (a full date) is required: it is the day of the score');
      continue;
    }
    const place = placeOfScore(run, response, day);
    if (typeof place === 'string') {
      run.report(key, place);
      continue;
    }
    if (response.status === 'entered-in-error') {
      run.retractEveryVersion(key, response, 'phq9.recorded', place.episode, day);
      continue;
    }
    if (response.status !== 'completed' && response.status !== 'amended') {
      run.report(key, `status ${response.status}: only completed or amended responses are scores`);
      continue;
    }
    if (!Array.isArray(items)) {
      run.report(key, items);
      continue;
    }
    run.emit(
      run.versioned(key, response, 'phq9.recorded', place.episode, day),
      'phq9.recorded',
      place.episode,
      day,
      {
        items,
        ...place.payload,
      },
    );
  }
}

/** Where a score belongs: a session's encounter, or intake or follow-up of its subject's episode. */
function placeOfScore(
  run: MappingRun,
  response: QuestionnaireResponse,
  day: string,
): { episode: EpisodeContext; payload: Record<string, unknown> } | string {
  const encounterKey = run.resolve(response.encounter?.reference, 'Encounter');
  if (encounterKey !== undefined) {
    const session = run.sessions.get(encounterKey);
    if (session !== undefined) {
      return {
        episode: session.episode,
        payload: { timepoint: 'session', sessionNumber: session.sessionNumber },
      };
    }
    if (!run.has(encounterKey)) {
      return `its encounter ${encounterKey} is not in the input: the session of the score is unknown`;
    }
  }
  // No session: an intake score (on or before the first session) or a follow-up (after the end).
  const patientKey = run.resolve(response.subject?.reference, 'Patient');
  const candidates = [...run.episodes.values()].filter(
    (e) =>
      patientKey !== undefined && e.localClientId === localId(patientKey) && e.start !== undefined,
  );
  const episode =
    candidates.find(
      (e) =>
        e.start !== undefined &&
        daysBetween(e.start, day) >= -60 &&
        (e.end === undefined || day <= e.end),
    ) ?? candidates.find((e) => e.end !== undefined && day > e.end);
  if (episode === undefined) {
    return 'neither an encounter of a session nor an EpisodeOfCare of its subject in the input places the score';
  }
  if (episode.end !== undefined && day > episode.end) {
    const weeksAfterEnd = Math.max(1, Math.round(daysBetween(episode.end, day) / 7));
    return {
      episode,
      payload: {
        timepoint: 'follow_up',
        sessionNumber: run.sessionsOf(episode).length,
        weeksAfterEnd,
      },
    };
  }
  const first = run
    .sessionsOf(episode)
    .reduce<string | undefined>(
      (min, s) => (min === undefined || s.day < min ? s.day : min),
      undefined,
    );
  if (first !== undefined && day > first) {
    return 'after the first session but not linked to an encounter: link it (encounter) to place it';
  }
  return { episode, payload: { timepoint: 'intake', sessionNumber: 0 } };
}
