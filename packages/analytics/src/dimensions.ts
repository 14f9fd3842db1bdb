import { clinicCode } from '@ipt/events';
import {
  ADAPTATIONS,
  AGE_BANDS,
  CONDITIONS,
  lastOfMonth,
  MEDICATION_GROUPS,
  MODALITIES,
  PLANNED_SESSION_BUCKET_LIMITS,
  PLANNED_SESSION_BUCKETS,
  PRIMARY_PROBLEM_AREAS,
  SESSION_BUCKETS,
  SEVERITY_BANDS,
  SEXES,
} from '@ipt/protocol';
import { z } from 'zod';

/**
 * What outcomes can be grouped and filtered by. A dimension is a validated enum mapped to a
 * fixed column, never a column name from the request; filters are bound parameters.
 */
export const OUTCOME_DIMENSIONS = ['problemArea', 'sessionBucket', 'medication'] as const;
export type OutcomeDimension = (typeof OUTCOME_DIMENSIONS)[number];
/**
 * Time to improvement is grouped by what is known at intake: the plan's sessions bucket, not
 * sessions attended (which would condition on how long an episode lasted, the very time the
 * curve measures).
 */
export const TIME_TO_IMPROVEMENT_DIMENSIONS = [
  'problemArea',
  'medication',
  'plannedSessions',
] as const;
export type TimeToImprovementDimension = (typeof TIME_TO_IMPROVEMENT_DIMENSIONS)[number];
/** Dimensions the outcomes service groups by: the public ones and the month of start (trends). */
export type GroupingDimension = OutcomeDimension | 'startMonth';

/** The plan's bucket in SQL, generated from the protocol's limits; '' without a plan. */
const plannedBucketSql = `multiIf(isNull(planned_sessions), '', ${PLANNED_SESSION_BUCKET_LIMITS.map(
  ({ bucket, upTo }) =>
    upTo === null ? `'${bucket}'` : `planned_sessions <= ${upTo}, '${bucket}'`,
).join(', ')})`;

/** Each dimension's column, and its values in display order (empty: sort by value). */
export const DIMENSIONS: Record<
  GroupingDimension | TimeToImprovementDimension,
  { column: string; values: readonly string[] }
> = {
  problemArea: { column: 'primary_problem_area', values: PRIMARY_PROBLEM_AREAS },
  sessionBucket: { column: 'session_bucket', values: SESSION_BUCKETS },
  medication: { column: 'medication_group', values: MEDICATION_GROUPS },
  plannedSessions: { column: plannedBucketSql, values: PLANNED_SESSION_BUCKETS },
  startMonth: { column: 'toString(start_month)', values: [] },
};

const BOUND_ERROR = 'must be a month YYYY-MM or a date YYYY-MM-DD';
// Each option carries the message: a union reports one option's issue when both fail.
const isoDay = z.iso.date({ error: BOUND_ERROR });
const isoMonth = z.string({ error: BOUND_ERROR }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, {
  error: BOUND_ERROR,
});
/**
 * A bound of the period of episode start, as every surface takes it: a month `YYYY-MM` (the
 * filters are month-granular for protected readers and on the pages), read as its first day
 * for `startedFrom` and its last for `startedTo`, or a day `YYYY-MM-DD`.
 */
const periodBound = (end: 'first' | 'last') =>
  z.union(
    [isoMonth.transform((m) => (end === 'first' ? `${m}-01` : lastOfMonth(`${m}-01`))), isoDay],
    { error: BOUND_ERROR },
  );

export const OutcomeFilters = z
  .strictObject({
    clinic: z.array(clinicCode).min(1).optional(),
    condition: z.array(z.enum(CONDITIONS)).min(1).optional(),
    adaptation: z.array(z.enum(ADAPTATIONS)).min(1).optional(),
    ageBand: z.array(z.enum(AGE_BANDS)).min(1).optional(),
    sex: z.array(z.enum(SEXES)).min(1).optional(),
    modality: z.array(z.enum(MODALITIES)).min(1).optional(),
    baselineSeverity: z.array(z.enum(SEVERITY_BANDS)).min(1).optional(),
    problemArea: z.array(z.enum(PRIMARY_PROBLEM_AREAS)).min(1).optional(),
    medication: z.array(z.enum(MEDICATION_GROUPS)).min(1).optional(),
    startedFrom: periodBound('first').optional(),
    startedTo: periodBound('last').optional(),
  })
  .refine(
    // A period that ends before it starts holds no episode by construction: a mistake to name,
    // not an empty (or suppressed) answer.
    (f) => f.startedFrom === undefined || f.startedTo === undefined || f.startedFrom <= f.startedTo,
    {
      error: 'the period ends before it starts (startedTo is before startedFrom)',
      path: ['startedTo'],
    },
  );
export type OutcomeFilters = z.infer<typeof OutcomeFilters>;

export const CompareOutcomesInput = z.strictObject({
  groupBy: z
    .array(z.enum(OUTCOME_DIMENSIONS))
    .max(3, { error: 'group by at most three dimensions' })
    .refine((dims) => new Set(dims).size === dims.length, { error: 'a dimension is repeated' }),
  filters: OutcomeFilters,
});
export type CompareOutcomesInput = z.infer<typeof CompareOutcomesInput>;

/**
 * What a comparison may be adjusted for (docs/outcomes.md, "Adjusted comparisons"): episode
 * characteristics fixed at intake, each a column. The default set is baseline severity band x
 * age band x condition.
 */
export const ADJUSTMENT_FACTORS = {
  baselineSeverity: 'baseline_severity',
  ageBand: 'age_band',
  condition: 'condition',
  sex: 'sex',
  modality: 'modality',
  adaptation: 'adaptation',
} as const;
export type AdjustmentFactor = keyof typeof ADJUSTMENT_FACTORS;
export const ADJUSTMENT_FACTOR_NAMES = Object.keys(ADJUSTMENT_FACTORS) as AdjustmentFactor[];
export const DEFAULT_ADJUSTMENT: readonly AdjustmentFactor[] = [
  'baselineSeverity',
  'ageBand',
  'condition',
];
/**
 * Each adjustment factor's levels in vocabulary order: the first present is the logistic model's
 * reference level (which changes its coefficients, never the standardised rates).
 */
export const ADJUSTMENT_LEVELS: Record<AdjustmentFactor, readonly string[]> = {
  baselineSeverity: SEVERITY_BANDS,
  ageBand: AGE_BANDS,
  condition: CONDITIONS,
  sex: SEXES,
  modality: MODALITIES,
  adaptation: ADAPTATIONS,
};

export const AdjustedComparisonFields = z.strictObject({
  /** The groups compared: the values of one dimension (narrowed by its filter, if any). */
  compare: z.enum(OUTCOME_DIMENSIONS),
  adjustFor: z
    .array(z.enum(ADJUSTMENT_FACTOR_NAMES as [AdjustmentFactor, ...AdjustmentFactor[]]))
    .min(1, { error: 'adjust for at least one factor' })
    .max(4, { error: 'adjust for at most four factors' })
    .refine((f) => new Set(f).size === f.length, { error: 'a factor is repeated' })
    .default([...DEFAULT_ADJUSTMENT]),
  /**
   * A second dimension: the comparison is then also made inside each of its levels, with a
   * test of whether the effect differs between them (heterogeneity).
   */
  within: z.enum(OUTCOME_DIMENSIONS).optional(),
  filters: OutcomeFilters,
});
/** A comparison within the levels of the compared dimension itself would be no comparison. */
export function withinAnotherDimension<S extends z.ZodType<AdjustedComparisonFields>>(schema: S) {
  return schema.refine((input) => input.within !== input.compare, {
    error: 'within must be another dimension than the one compared',
    path: ['within'],
  });
}
export type AdjustedComparisonFields = z.infer<typeof AdjustedComparisonFields>;
export const AdjustedComparisonInput = withinAnotherDimension(AdjustedComparisonFields);
export type AdjustedComparisonInput = z.infer<typeof AdjustedComparisonInput>;

/** Time to reliable improvement: one dimension known at intake, or none (`null`: every episode). */
export const TimeToImprovementInput = z.strictObject({
  groupBy: z.enum(TIME_TO_IMPROVEMENT_DIMENSIONS).nullable(),
  filters: OutcomeFilters,
});
export type TimeToImprovementInput = z.infer<typeof TimeToImprovementInput>;

/** Columns filtered with `IN`, by filter name. */
export const LIST_FILTER_COLUMNS = {
  clinic: 'clinic_id',
  condition: 'condition',
  adaptation: 'adaptation',
  ageBand: 'age_band',
  sex: 'sex',
  modality: 'modality',
  baselineSeverity: 'baseline_severity',
  problemArea: 'primary_problem_area',
  medication: 'medication_group',
} as const satisfies Partial<Record<keyof OutcomeFilters, string>>;

/** The values a list filter can take (clinics have none: any clinic code). */
export const FILTER_VOCABULARIES: Partial<
  Record<keyof typeof LIST_FILTER_COLUMNS, readonly string[]>
> = {
  condition: CONDITIONS,
  adaptation: ADAPTATIONS,
  ageBand: AGE_BANDS,
  sex: SEXES,
  modality: MODALITIES,
  baselineSeverity: SEVERITY_BANDS,
  problemArea: PRIMARY_PROBLEM_AREAS,
  medication: MEDICATION_GROUPS,
};

/** A saved cohort's name: a short label, not free text (letters, digits, spaces, . _ -). */
/**
 * A cohort's name: any printable text of 1 to 64 characters, trimmed ("Ashdown – IPT alone",
 * "IPT + meds", names in any script). Control and format characters are refused (line breaks,
 * NUL, zero-width and bidirectional overrides): they hide or reorder a name where it is shown.
 * Names are shown escaped (React), and CSV cells keep their formula guard.
 */
export const CohortName = z
  .string()
  .trim()
  .regex(/^[^\p{C}\p{Zl}\p{Zp}]{1,64}$/u, {
    error: 'a cohort name is 1-64 printable characters, without line breaks or control characters',
  });

/**
 * The filters as URL query parameters (GET /v1/outcomes and the dashboard's URLs): list filters
 * are comma-separated values, date filters single `YYYY-MM-DD` values.
 */
export const LIST_FILTER_NAMES = Object.keys(LIST_FILTER_COLUMNS) as Array<
  keyof typeof LIST_FILTER_COLUMNS
>;
export const DATE_FILTER_NAMES = ['startedFrom', 'startedTo'] as const;
