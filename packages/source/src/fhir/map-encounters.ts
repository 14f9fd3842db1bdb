import { MISSED_REASONS, type Modality, PHASES } from '@ipt/protocol';
import { FHIR_EXTENSIONS } from './codes.js';
import { dayOf } from './dates.js';
import { code, integer } from './extensions.js';
import { type EpisodeContext, localId, type MappingRun } from './mapping-run.js';
import type { Encounter } from './resources.js';

/**
 * Encounters: session.attended (finished), session.missed (cancelled with a reason), a
 * retraction (entered-in-error); numbered by the extension, or by their order within an episode
 * in the input.
 */
export function mapEncounters(run: MappingRun): void {
  const encounters = run.all<Encounter>('Encounter');
  const finishedByEpisode = new Map<EpisodeContext, Encounter[]>();
  for (const encounter of encounters) {
    const episode = run.episodeOf(
      encounter.episodeOfCare?.[0]?.reference,
      encounter.subject?.reference,
    );
    if (episode === undefined) continue;
    if (encounter.status === 'finished') {
      finishedByEpisode.set(episode, [...(finishedByEpisode.get(episode) ?? []), encounter]);
    }
  }
  const orderOf = new Map<Encounter, number>();
  for (const [, list] of finishedByEpisode) {
    list.sort((a, b) =>
      (a.period?.start ?? '') === (b.period?.start ?? '')
        ? a.id.localeCompare(b.id)
        : (a.period?.start ?? '') < (b.period?.start ?? '')
          ? -1
          : 1,
    );
    for (const [index, encounter] of list.entries()) orderOf.set(encounter, index + 1);
  }
  for (const encounter of encounters) {
    const key = `Encounter/${encounter.id}`;
    const episode = run.episodeOf(
      encounter.episodeOfCare?.[0]?.reference,
      encounter.subject?.reference,
    );
    if (episode === undefined) {
      run.report(
        key,
        'episodeOfCare (with subject, when the EpisodeOfCare is not in the input) is required to place the session in an episode',
      );
      continue;
    }
    const day = dayOf(encounter.period?.start);
    if (day === undefined) {
      run.report(key, 'period.start (a full date) is required: it is the day of the session');
      continue;
    }
    const numbered = integer(encounter.extension, FHIR_EXTENSIONS.sessionNumber);
    if (encounter.status === 'entered-in-error') {
      run.retractEveryVersion(key, encounter, 'session.attended', episode, day);
      continue;
    }
    if (encounter.status === 'cancelled') {
      const reason = code(encounter.extension, FHIR_EXTENSIONS.missedReason);
      if (reason === undefined || !(MISSED_REASONS as readonly string[]).includes(reason)) {
        run.report(
          key,
          `cancelled: a missed-reason extension (${MISSED_REASONS.join(', ')}) is needed to send it as missed`,
        );
        continue;
      }
      if (numbered === undefined) {
        run.report(
          key,
          'cancelled: a session-number extension (the session it was to be) is needed',
        );
        continue;
      }
      run.emit(key, 'session.missed', episode, day, { sessionNumber: numbered, reason });
      continue;
    }
    if (encounter.status !== 'finished') {
      run.report(key, `status ${encounter.status}: only finished encounters are sessions attended`);
      continue;
    }
    const sessionNumber =
      numbered ?? (episode.resource === undefined ? undefined : orderOf.get(encounter));
    if (sessionNumber === undefined) {
      run.report(
        key,
        'a session-number extension is needed when the EpisodeOfCare is not in the input (sessions are otherwise numbered in order within their episode)',
      );
      continue;
    }
    const phase = code(encounter.extension, FHIR_EXTENSIONS.phase);
    if (phase === undefined || !(PHASES as readonly string[]).includes(phase)) {
      run.report(
        key,
        `an ipt-phase extension (${PHASES.join(', ')}) is needed: FHIR has no IPT phase`,
      );
      continue;
    }
    const modality = modalityOfClass(encounter.class?.code) ?? episode.modality;
    if (modality === undefined) {
      run.report(
        key,
        'class (AMB, VR, HH) or the episode modality is needed for the session modality',
      );
      continue;
    }
    const therapistKey = run.resolve(
      encounter.participant?.find((p) => run.resolve(p.individual?.reference, 'Practitioner'))
        ?.individual?.reference,
      'Practitioner',
    );
    run.sessions.set(key, { episode, sessionNumber, day });
    run.emit(
      run.versioned(key, encounter, 'session.attended', episode, day),
      'session.attended',
      episode,
      day,
      {
        sessionNumber,
        phase,
        modality,
        ...(therapistKey === undefined
          ? {}
          : { therapistId: run.pseudo.therapistId(localId(therapistKey)) }),
      },
    );
  }
}

/** FHIR v3 ActCode encounter classes to the contract's modality. */
function modalityOfClass(code: string | undefined): Modality | undefined {
  if (code === 'VR') return 'online';
  if (code === 'AMB' || code === 'HH' || code === 'IMP') return 'in_person';
  return undefined;
}
