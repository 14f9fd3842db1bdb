import { ADAPTATIONS, END_REASONS, type EndReason, MODALITIES, type Modality } from '@ipt/protocol';
import { conditionOf, FHIR_EXTENSIONS } from './codes.js';
import { ageBandOn, dayOf } from './dates.js';
import { code, extension, integer } from './extensions.js';
import {
  type EpisodeContext,
  type FhirMappingOptions,
  localId,
  type MappingRun,
} from './mapping-run.js';
import type { ConditionResource, EpisodeOfCare, Patient } from './resources.js';

/**
 * Episodes of care: episode.started at period.start (with the age band, condition, therapist,
 * adaptation, modality and planned sessions), episode.ended when finished or cancelled.
 */
export function mapEpisodes(run: MappingRun): void {
  for (const eoc of run.all<EpisodeOfCare>('EpisodeOfCare')) {
    const key = `EpisodeOfCare/${eoc.id}`;
    const patientKey = run.resolve(eoc.patient.reference, 'Patient');
    if (patientKey === undefined) {
      run.report(key, 'patient is not a reference to a Patient');
      continue;
    }
    const start = dayOf(eoc.period?.start);
    const end = dayOf(eoc.period?.end);
    const modality =
      code(eoc.extension, FHIR_EXTENSIONS.modality) ?? run.options.programme?.modality;
    const therapistKey = run.resolve(eoc.careManager?.reference, 'Practitioner');
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
        therapistKey === undefined ? undefined : run.pseudo.therapistId(localId(therapistKey)),
    };
    run.episodes.set(key, context);
    if (['planned', 'waitlist', 'entered-in-error'].includes(eoc.status)) {
      run.report(key, `status ${eoc.status}: not an episode of therapy, nothing sent`);
      continue;
    }
    if (start === undefined) {
      run.report(key, 'period.start (a full date) is required: it is the start of the episode');
      continue;
    }
    const started = episodeStarted(
      eoc,
      context,
      run.get<Patient>(patientKey),
      (diagnosis) => run.get<ConditionResource>(run.resolve(diagnosis, 'Condition')),
      run.options.programme,
    );
    if (typeof started === 'string') run.report(key, started);
    else run.emit(key, 'episode.started', context, start, started);

    if (eoc.status === 'finished' || eoc.status === 'cancelled') {
      if (end === undefined) {
        run.report(key, `status ${eoc.status} without period.end: the end is not sent`);
        continue;
      }
      const reason =
        code(eoc.extension, FHIR_EXTENSIONS.endReason) ??
        (eoc.status === 'finished' ? 'completed' : 'dropped_out');
      if (!(END_REASONS as readonly string[]).includes(reason)) {
        run.report(key, `end-reason ${reason} is not one of ${END_REASONS.join(', ')}`);
        continue;
      }
      run.emit(key, 'episode.ended', context, end, {
        reason: reason as EndReason,
        relapsePreventionPlan:
          extension(eoc.extension, FHIR_EXTENSIONS.relapsePreventionPlan)?.valueBoolean ?? false,
      });
    }
  }
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
