import type {
  AgeBand,
  Condition,
  EndReason,
  MedicationClass,
  Modality,
  ProblemArea,
  Sex,
} from '@ipt/protocol';

/**
 * The case mix of the synthetic network. Weights are relative. They aim at services that look
 * like published IPT practice (docs/outcomes.md, "Calibration"), not at any real service.
 */

/**
 * Role disputes and transitions are the most frequent IPT foci, interpersonal deficits the
 * least (Markowitz & Weissman 2012, Casebook of IPT; Bleiberg & Markowitz 2019).
 */
export const PROBLEM_AREA_MIX: Record<ProblemArea, number> = {
  role_transition: 34,
  role_dispute: 31,
  grief: 21,
  interpersonal_deficits: 14,
};

/**
 * Share of the final improvement NOT achieved, added to an episode's remaining-symptom ratio:
 * interpersonal deficits respond least (Markowitz & Weissman 2012); grief and transitions
 * slightly better than average.
 */
export const PROBLEM_AREA_EFFECT: Record<ProblemArea, number> = {
  grief: -0.03,
  role_transition: -0.03,
  role_dispute: 0,
  interpersonal_deficits: 0.1,
};

export const CONDITION_MIX: Record<Condition, number> = {
  major_depression: 64,
  persistent_depressive_disorder: 8,
  perinatal_depression: 8,
  bipolar_disorder: 4,
  social_anxiety: 3,
  generalized_anxiety: 4,
  eating_disorder: 3,
  ptsd: 3,
  other: 3,
};

export const ADULT_AGE_MIX: Record<Exclude<AgeBand, '12-17'>, number> = {
  '18-24': 16,
  '25-34': 25,
  '35-44': 22,
  '45-54': 17,
  '55-64': 11,
  '65-74': 6,
  '75+': 3,
};

export const SEX_MIX: Record<Sex, number> = { female: 64, male: 33, other: 1.5, unknown: 1.5 };

export const MODALITY_MIX: Record<Modality, number> = { in_person: 55, online: 30, mixed: 15 };

/** Antidepressants dominate in combined treatment; the rest are adjuncts. */
export const MEDICATION_CLASS_MIX: Record<MedicationClass, number> = {
  ssri: 55,
  snri: 17,
  tca: 4,
  maoi: 0.5,
  other_antidepressant: 10,
  mood_stabilizer: 5,
  antipsychotic: 3,
  anxiolytic: 4,
  other: 1.5,
};

/** How episodes that end early end; dropout is decided separately. */
export const EARLY_END_MIX: Record<Exclude<EndReason, 'completed' | 'dropped_out'>, number> = {
  referred_on: 60,
  moved_to_maintenance: 25,
  other: 15,
};
