/**
 * FHIR R4 to v1 events, at the clinic: local ids become keyed pseudonyms and every date moves by
 * the client's shift before an event exists. Event ids are keyed on the FHIR record, so mapping
 * and sending the same export twice stores every event once, and a record later marked
 * `entered-in-error` is retracted by the id it was sent under.
 *
 *   EpisodeOfCare          episode.started (period.start), episode.ended (finished, cancelled)
 *   Encounter (finished)   session.attended; (cancelled, with a missed reason) session.missed
 *   QuestionnaireResponse  phq9.recorded (LOINC 44249-1): intake, at a session, or follow-up
 *   MedicationStatement    medication.changed (ATC class): ongoing at intake, started, stopped
 *
 * What cannot be mapped is reported with the resource and the reason, and sends nothing.
 */
import type { CatalogEvent } from '@ipt/events';
import { validateEvent } from '@ipt/events';
import type { Pseudonymizer } from '@ipt/events/client';
import {
  ADAPTATIONS,
  type Adaptation,
  END_REASONS,
  type EndReason,
  MISSED_REASONS,
  MODALITIES,
  type Modality,
  PHASES,
} from '@ipt/protocol';
import { ATC, conditionOf, FHIR_EXTENSIONS, medicationClassOf, PHQ9_LOINC } from './codes.js';
import { ageBandOn, dayOf, daysBetween } from './dates.js';
import type { FhirEntry } from './input.js';
import { phq9Items } from './phq9.js';
import {
  type ConditionResource,
  type Encounter,
  type EpisodeOfCare,
  type Extension,
  type MappedResourceType,
  type MedicationStatement,
  type Patient,
  type QuestionnaireResponse,
  RESOURCE_SCHEMAS,
} from './resources.js';

export interface FhirMappingOptions {
  /** The clinic code the source key may write, e.g. `north-01`. */
  readonly clinicId: string;
  /** The clinic's pseudonymizer: its secret never leaves the clinic. */
  readonly pseudonymizer: Pseudonymizer;
  /**
   * The clinic's IPT programme, for what an EpisodeOfCare does not say (an extension on the
   * episode overrides it). Without either, the episode is reported, not guessed.
   */
  readonly programme?: {
    readonly adaptation?: Adaptation;
    readonly modality?: Modality;
    readonly plannedSessions?: number;
  };
}

export interface FhirProblem {
  /** `Encounter/881`, or where in the input for what has no id. */
  readonly resource: string;
  readonly message: string;
}

export interface FhirMapping {
  readonly events: CatalogEvent[];
  readonly problems: FhirProblem[];
}

interface EpisodeContext {
  readonly localEpisodeId: string;
  readonly localClientId: string;
  readonly resource?: EpisodeOfCare;
  readonly start?: string;
  readonly end?: string;
  readonly modality?: Modality;
  readonly therapistId?: string;
}

interface SessionPlace {
  readonly episode: EpisodeContext;
  readonly sessionNumber: number;
  readonly day: string;
}

export function mapFhir(input: readonly FhirEntry[], options: FhirMappingOptions): FhirMapping {
  const pseudo = options.pseudonymizer;
  const problems: FhirProblem[] = [];
  const drafts: { key: string; draft: Record<string, unknown> }[] = [];
  const report = (resource: string, message: string) => problems.push({ resource, message });

  // 1. Read and index: every resource once, by `Type/id` and by its bundle fullUrl.
  const byKey = new Map<string, { type: MappedResourceType; value: unknown }>();
  const aliases = new Map<string, string>();
  const ignored = new Map<string, number>();
  for (const entry of input) {
    const type = (entry.resource as { resourceType?: unknown }).resourceType;
    if (typeof type !== 'string' || !(type in RESOURCE_SCHEMAS)) {
      ignored.set(String(type), (ignored.get(String(type)) ?? 0) + 1);
      continue;
    }
    const schema = RESOURCE_SCHEMAS[type as MappedResourceType];
    const parsed = schema.safeParse(entry.resource);
    const rawId = (entry.resource as { id?: unknown }).id;
    const label = typeof rawId === 'string' ? `${type}/${rawId}` : `${type} at ${entry.at}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      report(label, `${issue?.path.join('.') || 'resource'}: ${issue?.message}`);
      continue;
    }
    const key = `${type}/${parsed.data.id}`;
    if (byKey.has(key)) report(key, 'appears twice in the input: the later one is mapped');
    byKey.set(key, { type: type as MappedResourceType, value: parsed.data });
    if (entry.fullUrl !== undefined) aliases.set(entry.fullUrl, key);
  }
  for (const [type, count] of ignored) {
    if (type !== 'Practitioner' && type !== 'Questionnaire' && type !== 'Organization') {
      report(type, `${count} resource(s) of this type are not mapped to events and were skipped`);
    }
  }
  const all = <T>(type: MappedResourceType) =>
    [...byKey.values()].filter((r) => r.type === type).map((r) => r.value as T);
  /** `Patient/12`, `https://ehr/fhir/Patient/12` or a bundle's `urn:uuid:...` to `Type/id`. */
  const resolve = (reference: string | undefined, type: string): string | undefined => {
    if (reference === undefined) return undefined;
    const aliased = aliases.get(reference);
    if (aliased !== undefined) return aliased.startsWith(`${type}/`) ? aliased : undefined;
    const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/.*)?$`).exec(
      reference,
    );
    return match === null ? undefined : `${type}/${match[1]}`;
  };
  const localId = (key: string) => key.slice(key.indexOf('/') + 1);
  const get = <T>(key: string | undefined): T | undefined =>
    key === undefined ? undefined : (byKey.get(key)?.value as T | undefined);

  const envelope = (episode: EpisodeContext, day: string) => ({
    schemaVersion: 1,
    clinicId: options.clinicId,
    clientId: pseudo.clientId(episode.localClientId),
    episodeId: pseudo.episodeId(episode.localEpisodeId),
    occurredOn: pseudo.shiftDate(episode.localClientId, day),
  });
  const emit = (
    key: string,
    type: CatalogEvent['type'],
    episode: EpisodeContext,
    day: string,
    payload: object,
  ) =>
    drafts.push({
      key,
      draft: { id: pseudo.eventId(`${key}/${type}`), type, ...envelope(episode, day), payload },
    });
  const retract = (key: string, type: CatalogEvent['type'], episode: EpisodeContext, day: string) =>
    emit(`${key}/retraction`, 'event.retracted', episode, day, {
      eventId: pseudo.eventId(`${key}/${type}`),
      reason: 'entered_in_error',
    });
  /**
   * A record at `meta.versionId` n > 1 is sent under a key of that version, and the events of its
   * earlier versions are retracted (a retraction of an id never sent is accepted): a corrected
   * score or session replaces the earlier one instead of standing beside it. Version 1 and a
   * record without a version share the plain key.
   */
  const versioned = (
    key: string,
    resource: { meta?: { versionId?: string } | undefined },
    type: CatalogEvent['type'],
    episode: EpisodeContext,
    day: string,
  ): string => {
    const version = Number(resource.meta?.versionId);
    if (!Number.isSafeInteger(version) || version < 2) return key;
    retract(key, type, episode, day);
    for (let earlier = Math.max(2, version - 20); earlier < version; earlier++) {
      retract(`${key}/_history/${earlier}`, type, episode, day);
    }
    return `${key}/_history/${version}`;
  };
  /** A record marked entered-in-error: whatever version of it was sent is retracted. */
  const retractEveryVersion = (
    key: string,
    resource: { meta?: { versionId?: string } | undefined },
    type: CatalogEvent['type'],
    episode: EpisodeContext,
    day: string,
  ) => {
    // `versioned` retracts the versions before this one; this one too may have been sent.
    retract(versioned(key, resource, type, episode, day), type, episode, day);
  };

  // 2. Episodes of care.
  const episodes = new Map<string, EpisodeContext>();
  for (const eoc of all<EpisodeOfCare>('EpisodeOfCare')) {
    const key = `EpisodeOfCare/${eoc.id}`;
    const patientKey = resolve(eoc.patient.reference, 'Patient');
    if (patientKey === undefined) {
      report(key, 'patient is not a reference to a Patient');
      continue;
    }
    const start = dayOf(eoc.period?.start);
    const end = dayOf(eoc.period?.end);
    const modality = code(eoc.extension, FHIR_EXTENSIONS.modality) ?? options.programme?.modality;
    const therapistKey = resolve(eoc.careManager?.reference, 'Practitioner');
    const context: EpisodeContext = {
      localEpisodeId: eoc.id,
      localClientId: localId(patientKey),
      resource: eoc,
      start,
      end,
      modality: (MODALITIES as readonly string[]).includes(modality ?? '')
        ? (modality as Modality)
        : undefined,
      therapistId:
        therapistKey === undefined ? undefined : pseudo.therapistId(localId(therapistKey)),
    };
    episodes.set(key, context);
    if (['planned', 'waitlist', 'entered-in-error'].includes(eoc.status)) {
      report(key, `status ${eoc.status}: not an episode of therapy, nothing sent`);
      continue;
    }
    if (start === undefined) {
      report(key, 'period.start (a full date) is required: it is the start of the episode');
      continue;
    }
    const started = episodeStarted(
      eoc,
      context,
      get<Patient>(patientKey),
      (diagnosis) => get<ConditionResource>(resolve(diagnosis, 'Condition')),
      options.programme,
    );
    if (typeof started === 'string') report(key, started);
    else emit(key, 'episode.started', context, start, started);

    if (eoc.status === 'finished' || eoc.status === 'cancelled') {
      if (end === undefined) {
        report(key, `status ${eoc.status} without period.end: the end is not sent`);
        continue;
      }
      const reason =
        code(eoc.extension, FHIR_EXTENSIONS.endReason) ??
        (eoc.status === 'finished' ? 'completed' : 'dropped_out');
      if (!(END_REASONS as readonly string[]).includes(reason)) {
        report(key, `end-reason ${reason} is not one of ${END_REASONS.join(', ')}`);
        continue;
      }
      emit(key, 'episode.ended', context, end, {
        reason: reason as EndReason,
        relapsePreventionPlan:
          extension(eoc.extension, FHIR_EXTENSIONS.relapsePreventionPlan)?.valueBoolean ?? false,
      });
    }
  }

  /** The episode of a reference to an EpisodeOfCare, from the input or from the reference alone. */
  const episodeOf = (
    reference: string | undefined,
    subject: string | undefined,
  ): EpisodeContext | undefined => {
    const key = resolve(reference, 'EpisodeOfCare');
    if (key === undefined) return undefined;
    const known = episodes.get(key);
    if (known !== undefined) return known;
    const patientKey = resolve(subject, 'Patient');
    return patientKey === undefined
      ? undefined
      : { localEpisodeId: localId(key), localClientId: localId(patientKey) };
  };

  // 3. Encounters: numbered by the extension, or by their order within an episode in the input.
  const sessions = new Map<string, SessionPlace>();
  const encounters = all<Encounter>('Encounter');
  const finishedByEpisode = new Map<EpisodeContext, Encounter[]>();
  for (const encounter of encounters) {
    const episode = episodeOf(
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
    const episode = episodeOf(
      encounter.episodeOfCare?.[0]?.reference,
      encounter.subject?.reference,
    );
    if (episode === undefined) {
      report(
        key,
        'episodeOfCare (with subject, when the EpisodeOfCare is not in the input) is required to place the session in an episode',
      );
      continue;
    }
    const day = dayOf(encounter.period?.start);
    if (day === undefined) {
      report(key, 'period.start (a full date) is required: it is the day of the session');
      continue;
    }
    const numbered = integer(encounter.extension, FHIR_EXTENSIONS.sessionNumber);
    if (encounter.status === 'entered-in-error') {
      retractEveryVersion(key, encounter, 'session.attended', episode, day);
      continue;
    }
    if (encounter.status === 'cancelled') {
      const reason = code(encounter.extension, FHIR_EXTENSIONS.missedReason);
      if (reason === undefined || !(MISSED_REASONS as readonly string[]).includes(reason)) {
        report(
          key,
          `cancelled: a missed-reason extension (${MISSED_REASONS.join(', ')}) is needed to send it as missed`,
        );
        continue;
      }
      if (numbered === undefined) {
        report(key, 'cancelled: a session-number extension (the session it was to be) is needed');
        continue;
      }
      emit(key, 'session.missed', episode, day, { sessionNumber: numbered, reason });
      continue;
    }
    if (encounter.status !== 'finished') {
      report(key, `status ${encounter.status}: only finished encounters are sessions attended`);
      continue;
    }
    const sessionNumber =
      numbered ?? (episode.resource === undefined ? undefined : orderOf.get(encounter));
    if (sessionNumber === undefined) {
      report(
        key,
        'a session-number extension is needed when the EpisodeOfCare is not in the input (sessions are otherwise numbered in order within their episode)',
      );
      continue;
    }
    const phase = code(encounter.extension, FHIR_EXTENSIONS.phase);
    if (phase === undefined || !(PHASES as readonly string[]).includes(phase)) {
      report(key, `an ipt-phase extension (${PHASES.join(', ')}) is needed: FHIR has no IPT phase`);
      continue;
    }
    const modality = modalityOfClass(encounter.class?.code) ?? episode.modality;
    if (modality === undefined) {
      report(key, 'class (AMB, VR, HH) or the episode modality is needed for the session modality');
      continue;
    }
    const therapistKey = resolve(
      encounter.participant?.find((p) => resolve(p.individual?.reference, 'Practitioner'))
        ?.individual?.reference,
      'Practitioner',
    );
    sessions.set(key, { episode, sessionNumber, day });
    emit(
      versioned(key, encounter, 'session.attended', episode, day),
      'session.attended',
      episode,
      day,
      {
        sessionNumber,
        phase,
        modality,
        ...(therapistKey === undefined
          ? {}
          : { therapistId: pseudo.therapistId(localId(therapistKey)) }),
      },
    );
  }
  const sessionsOf = (episode: EpisodeContext) =>
    [...sessions.values()].filter((s) => s.episode === episode);

  // 4. PHQ-9 questionnaires.
  for (const response of all<QuestionnaireResponse>('QuestionnaireResponse')) {
    const key = `QuestionnaireResponse/${response.id}`;
    const items = phq9Items(response);
    if (items === 'not-phq9') {
      report(key, `not a PHQ-9 (LOINC ${PHQ9_LOINC.panel}): skipped`);
      continue;
    }
    const day = dayOf(response.authored);
    if (day === undefined) {
      report(key, 'authored (a full date) is required: it is the day of the score');
      continue;
    }
    const place = placeOfScore(response, day);
    if (typeof place === 'string') {
      report(key, place);
      continue;
    }
    if (response.status === 'entered-in-error') {
      retractEveryVersion(key, response, 'phq9.recorded', place.episode, day);
      continue;
    }
    if (response.status !== 'completed' && response.status !== 'amended') {
      report(key, `status ${response.status}: only completed or amended responses are scores`);
      continue;
    }
    if (!Array.isArray(items)) {
      report(key, items);
      continue;
    }
    emit(
      versioned(key, response, 'phq9.recorded', place.episode, day),
      'phq9.recorded',
      place.episode,
      day,
      {
        items,
        ...place.payload,
      },
    );
  }

  function placeOfScore(
    response: QuestionnaireResponse,
    day: string,
  ): { episode: EpisodeContext; payload: Record<string, unknown> } | string {
    const encounterKey = resolve(response.encounter?.reference, 'Encounter');
    if (encounterKey !== undefined) {
      const session = sessions.get(encounterKey);
      if (session !== undefined) {
        return {
          episode: session.episode,
          payload: { timepoint: 'session', sessionNumber: session.sessionNumber },
        };
      }
      if (!byKey.has(encounterKey)) {
        return `its encounter ${encounterKey} is not in the input: the session of the score is unknown`;
      }
    }
    // No session: an intake score (on or before the first session) or a follow-up (after the end).
    const patientKey = resolve(response.subject?.reference, 'Patient');
    const candidates = [...episodes.values()].filter(
      (e) =>
        patientKey !== undefined &&
        e.localClientId === localId(patientKey) &&
        e.start !== undefined,
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
          sessionNumber: sessionsOf(episode).length,
          weeksAfterEnd,
        },
      };
    }
    const first = sessionsOf(episode).reduce<string | undefined>(
      (min, s) => (min === undefined || s.day < min ? s.day : min),
      undefined,
    );
    if (first !== undefined && day > first) {
      return 'after the first session but not linked to an encounter: link it (encounter) to place it';
    }
    return { episode, payload: { timepoint: 'intake', sessionNumber: 0 } };
  }

  // 5. Medication.
  for (const statement of all<MedicationStatement>('MedicationStatement')) {
    const key = `MedicationStatement/${statement.id}`;
    const contextKey = resolve(statement.context?.reference, 'Encounter');
    const episode =
      (contextKey === undefined ? undefined : sessions.get(contextKey)?.episode) ??
      episodeOf(statement.context?.reference, statement.subject.reference);
    if (episode === undefined) {
      report(key, 'context must reference the EpisodeOfCare or a session Encounter of the episode');
      continue;
    }
    const session = contextKey === undefined ? undefined : sessions.get(contextKey);
    if (session === undefined && episode.resource === undefined) {
      report(
        key,
        'the session of the change is unknown: give context as a session Encounter, or the EpisodeOfCare with its encounters in the input',
      );
      continue;
    }
    const atc = statement.medicationCodeableConcept?.coding?.find((c) => c.system === ATC)?.code;
    if (atc === undefined) {
      report(key, `medicationCodeableConcept needs an ATC coding (${ATC}) to name the class`);
      continue;
    }
    const stopped = statement.status === 'stopped' || statement.status === 'completed';
    if (statement.status !== 'active' && !stopped) {
      report(key, `status ${statement.status}: only active, stopped or completed are sent`);
      continue;
    }
    // A statement is its whole course: the start (ongoing at intake when it began before the
    // episode), and the stop once it has one. Each is keyed by its action, so the stop of a
    // statement sent before as active joins the start sent then, under the same id as then.
    const startDay = dayOf(
      statement.effectivePeriod?.start ?? (stopped ? undefined : statement.effectiveDateTime),
    );
    const stopDay = stopped
      ? dayOf(
          statement.effectivePeriod?.end ?? statement.effectiveDateTime ?? statement.dateAsserted,
        )
      : undefined;
    if (startDay === undefined && stopDay === undefined) {
      report(key, 'effectiveDateTime or effectivePeriod (full dates) is required');
      continue;
    }
    const sessionOn = (day: string) =>
      session?.day === day
        ? session.sessionNumber
        : sessionsOf(episode).filter((s) => s.day <= day).length;
    const change = (action: string, day: string, sessionNumber: number) =>
      emit(`${key}/${action}`, 'medication.changed', episode, day, {
        action,
        medicationClass: medicationClassOf(atc),
        sessionNumber,
      });
    if (startDay !== undefined) {
      if (episode.start !== undefined && startDay < episode.start) {
        change('ongoing_at_intake', episode.start, 0);
      } else {
        change('started', startDay, sessionOn(startDay));
      }
    }
    if (stopDay !== undefined) change('stopped', stopDay, sessionOn(stopDay));
  }

  // 6. Every event checked against the contract before it can be sent.
  const events: CatalogEvent[] = [];
  for (const { key, draft } of drafts) {
    const result = validateEvent(draft);
    if (result.ok) events.push(result.event);
    else {
      const first = result.errors[0];
      report(
        key,
        `the ${String(draft.type)} event it maps to is refused: ${first?.path} ${first?.message}`,
      );
    }
  }
  return { events, problems };
}

function episodeStarted(
  eoc: EpisodeOfCare,
  context: EpisodeContext,
  patient: Patient | undefined,
  conditionOfReference: (reference: string | undefined) => ConditionResource | undefined,
  programme: FhirMappingOptions['programme'],
): Record<string, unknown> | string {
  if (patient === undefined)
    return 'its Patient is not in the input: the age band cannot be computed';
  if (patient.birthDate === undefined || dayOf(patient.birthDate) === undefined) {
    return 'Patient.birthDate (a full date) is needed for the age band (only the band is sent)';
  }
  const start = context.start as string;
  const ageBand = ageBandOn(dayOf(patient.birthDate) as string, start);
  if (ageBand === undefined) return 'the client was under 12 at the start: no age band applies';
  const ranked = [...(eoc.diagnosis ?? [])].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  const coding = conditionOfReference(ranked[0]?.condition.reference)?.code?.coding ?? [];
  const condition = coding
    .map((c) => (c.system && c.code ? conditionOf(c.system, c.code) : undefined))
    .find((c) => c !== undefined);
  if (condition === undefined) {
    return 'diagnosis must reference a Condition in the input coded in ICD-10 or SNOMED CT';
  }
  if (context.therapistId === undefined)
    return 'careManager (a Practitioner) is needed: the therapist';
  const adaptation = code(eoc.extension, FHIR_EXTENSIONS.adaptation) ?? programme?.adaptation;
  if (adaptation === undefined || !(ADAPTATIONS as readonly string[]).includes(adaptation)) {
    return `an ipt-adaptation extension or the programme's adaptation (${ADAPTATIONS.join(', ')}) is needed`;
  }
  if (context.modality === undefined) {
    return `a modality extension or the programme's modality (${MODALITIES.join(', ')}) is needed`;
  }
  const plannedSessions =
    integer(eoc.extension, FHIR_EXTENSIONS.plannedSessions) ?? programme?.plannedSessions;
  if (plannedSessions === undefined) {
    return "a planned-sessions extension or the programme's planned sessions is needed";
  }
  return {
    therapistId: context.therapistId,
    ageBand,
    ...(patient.gender === undefined ? {} : { sex: patient.gender }),
    condition,
    adaptation,
    modality: context.modality,
    plannedSessions,
  };
}

function extension(list: readonly Extension[] | undefined, url: string): Extension | undefined {
  return list?.find((e) => e.url === url);
}
function code(list: readonly Extension[] | undefined, url: string): string | undefined {
  return extension(list, url)?.valueCode;
}
function integer(list: readonly Extension[] | undefined, url: string): number | undefined {
  return extension(list, url)?.valueInteger;
}

/** FHIR v3 ActCode encounter classes to the contract's modality. */
function modalityOfClass(code: string | undefined): Modality | undefined {
  if (code === 'VR') return 'online';
  if (code === 'AMB' || code === 'HH' || code === 'IMP') return 'in_person';
  return undefined;
}
