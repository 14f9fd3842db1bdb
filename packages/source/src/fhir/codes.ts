/**
 * The codes the FHIR mapping reads. PHQ-9: LOINC panel 44249-1, its nine item codes in
 * questionnaire order and the LOINC answer list LL358-3 (Kroenke, Spitzer & Williams 2001; LOINC
 * 2.7x). Medication classes: WHO ATC (2024). Conditions: ICD-10 (WHO 2019) and SNOMED CT.
 */
import type { Condition, MedicationClass } from '@ipt/protocol';

export const LOINC = 'http://loinc.org';
export const ATC = 'http://www.whocc.no/atc';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const SNOMED = 'http://snomed.info/sct';

export const PHQ9_LOINC = {
  panel: '44249-1',
  total: '44261-6',
  /** Item 1 (little interest or pleasure) to item 9 (thoughts of being better off dead). */
  items: [
    '44250-9',
    '44255-8',
    '44259-0',
    '44254-1',
    '44251-7',
    '44258-2',
    '44252-5',
    '44253-3',
    '44260-8',
  ],
  /** Answer list LL358-3: not at all, several days, more than half the days, nearly every day. */
  answers: { 'LA6568-5': 0, 'LA6569-3': 1, 'LA6570-1': 2, 'LA6571-9': 3 },
} as const;

/** The core FHIR extension carrying an answer option's score (R4 `ordinalValue`). */
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

/**
 * What FHIR R4 has no element for, carried as extensions under this base: the IPT phase of a
 * session, the programme of an episode (adaptation, modality, planned sessions), why it ended.
 */
export const EXTENSION_BASE = 'https://ipt-outcomes.org/fhir/StructureDefinition';
export const FHIR_EXTENSIONS = {
  /** Encounter: `valueCode` initial | middle | termination | maintenance. */
  phase: `${EXTENSION_BASE}/ipt-phase`,
  /** Encounter: `valueInteger` 1-60; otherwise the order of the episode's finished encounters. */
  sessionNumber: `${EXTENSION_BASE}/session-number`,
  /** Encounter (cancelled): `valueCode` cancelled_by_client | no_show | cancelled_by_clinic. */
  missedReason: `${EXTENSION_BASE}/missed-reason`,
  /** EpisodeOfCare: `valueCode`, an IPT adaptation (standard, adolescent, perinatal, ...). */
  adaptation: `${EXTENSION_BASE}/ipt-adaptation`,
  /** EpisodeOfCare: `valueCode` in_person | online | mixed. */
  modality: `${EXTENSION_BASE}/modality`,
  /** EpisodeOfCare: `valueInteger`, the sessions planned at intake. */
  plannedSessions: `${EXTENSION_BASE}/planned-sessions`,
  /** EpisodeOfCare: `valueCode`, overrides what the status says (finished = completed). */
  endReason: `${EXTENSION_BASE}/end-reason`,
  /** EpisodeOfCare: `valueBoolean`, a relapse prevention plan was made (absent: false). */
  relapsePreventionPlan: `${EXTENSION_BASE}/relapse-prevention-plan`,
} as const;

/** ICD-10 code prefixes, longest first wins. F32/F33 are the depressive episode codes. */
const ICD10_CONDITIONS: readonly (readonly [string, Condition])[] = [
  ['F34.1', 'persistent_depressive_disorder'],
  ['F53', 'perinatal_depression'],
  ['O90.6', 'perinatal_depression'],
  ['F32', 'major_depression'],
  ['F33', 'major_depression'],
  ['F31', 'bipolar_disorder'],
  ['F40.1', 'social_anxiety'],
  ['F41.1', 'generalized_anxiety'],
  ['F50', 'eating_disorder'],
  ['F43.1', 'ptsd'],
];

const SNOMED_CONDITIONS: Readonly<Record<string, Condition>> = {
  '370143000': 'major_depression', // Major depressive disorder
  '36923009': 'major_depression', // Major depression, single episode
  '66344007': 'major_depression', // Recurrent major depression
  '78667006': 'persistent_depressive_disorder', // Dysthymia
  '58703003': 'perinatal_depression', // Postpartum depression
  '13746004': 'bipolar_disorder', // Bipolar disorder
  '25501002': 'social_anxiety', // Social phobia
  '21897009': 'generalized_anxiety', // Generalized anxiety disorder
  '72366004': 'eating_disorder', // Eating disorder
  '47505003': 'ptsd', // Posttraumatic stress disorder
};

/** A coded diagnosis to the contract's condition; a code it does not know is `other`. */
export function conditionOf(system: string, code: string): Condition | undefined {
  if (system === SNOMED) return SNOMED_CONDITIONS[code] ?? 'other';
  if (system === ICD10 || system === 'http://hl7.org/fhir/sid/icd-10-cm') {
    const normalised = code.toUpperCase();
    const hit = [...ICD10_CONDITIONS]
      .sort((a, b) => b[0].length - a[0].length)
      .find(([prefix]) => normalised.startsWith(prefix));
    return hit?.[1] ?? 'other';
  }
  return undefined;
}

/** ATC prefixes, longest first wins (N06AX16 venlafaxine and N06AX21 duloxetine are SNRIs). */
const ATC_CLASSES: readonly (readonly [string, MedicationClass])[] = [
  ['N06AB', 'ssri'],
  ['N06AX16', 'snri'],
  ['N06AX21', 'snri'],
  ['N06AX17', 'snri'],
  ['N06AX23', 'snri'],
  ['N06AA', 'tca'],
  ['N06AF', 'maoi'],
  ['N06AG', 'maoi'],
  ['N06A', 'other_antidepressant'],
  ['N05AN', 'mood_stabilizer'],
  ['N03AG01', 'mood_stabilizer'],
  ['N03AX09', 'mood_stabilizer'],
  ['N05A', 'antipsychotic'],
  ['N05B', 'anxiolytic'],
];

export function medicationClassOf(code: string): MedicationClass {
  const normalised = code.toUpperCase();
  const hit = [...ATC_CLASSES]
    .sort((a, b) => b[0].length - a[0].length)
    .find(([prefix]) => normalised.startsWith(prefix));
  return hit?.[1] ?? 'other';
}
