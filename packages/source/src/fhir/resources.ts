/**
 * The parts of FHIR R4 resources the mapping reads, as loose zod schemas: other elements are
 * allowed and ignored (a FHIR resource always has more), a wrong type where we read is an error
 * that names the element.
 */
import { z } from 'zod';

const reference = z.looseObject({ reference: z.string().optional() });
const coding = z.looseObject({ system: z.string().optional(), code: z.string().optional() });
const codeableConcept = z.looseObject({
  coding: z.array(coding).optional(),
  text: z.string().optional(),
});
const extension = z.looseObject({
  url: z.string(),
  valueCode: z.string().optional(),
  valueInteger: z.number().optional(),
  valueBoolean: z.boolean().optional(),
  valueDecimal: z.number().optional(),
});
const period = z.looseObject({ start: z.string().optional(), end: z.string().optional() });
const id = z
  .string()
  .regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a FHIR id (1-64 of A-Z a-z 0-9 - .)');
const extensions = z.array(extension).optional();
const meta = z.looseObject({ versionId: z.string().optional() }).optional();

export const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id,
  birthDate: z.string().optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
});

export const conditionSchema = z.looseObject({
  resourceType: z.literal('Condition'),
  id,
  code: codeableConcept.optional(),
});

export const episodeOfCareSchema = z.looseObject({
  resourceType: z.literal('EpisodeOfCare'),
  id,
  status: z.string(),
  patient: reference,
  period: period.optional(),
  careManager: reference.optional(),
  diagnosis: z
    .array(z.looseObject({ condition: reference, rank: z.number().optional() }))
    .optional(),
  extension: extensions,
});

export const encounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  id,
  meta,
  status: z.string(),
  class: coding.optional(),
  subject: reference.optional(),
  episodeOfCare: z.array(reference).optional(),
  period: period.optional(),
  participant: z.array(z.looseObject({ individual: reference.optional() })).optional(),
  extension: extensions,
});

interface AnswerShape {
  valueCoding?: z.infer<typeof coding> & { extension?: z.infer<typeof extension>[] };
  valueInteger?: number;
  valueDecimal?: number;
  item?: ItemShape[];
}
interface ItemShape {
  linkId: string;
  definition?: string;
  answer?: AnswerShape[];
  item?: ItemShape[];
}
const item: z.ZodType<ItemShape> = z.lazy(() =>
  z.looseObject({
    linkId: z.string(),
    definition: z.string().optional(),
    answer: z
      .array(
        z.looseObject({
          valueCoding: coding.extend({ extension: extensions }).optional(),
          valueInteger: z.number().optional(),
          valueDecimal: z.number().optional(),
          item: z.array(item).optional(),
        }),
      )
      .optional(),
    item: z.array(item).optional(),
  }),
);
export type QuestionnaireResponseItem = ItemShape;

export const questionnaireResponseSchema = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  id,
  meta,
  status: z.string(),
  questionnaire: z.string().optional(),
  subject: reference.optional(),
  encounter: reference.optional(),
  authored: z.string().optional(),
  item: z.array(item).optional(),
});

export const medicationStatementSchema = z.looseObject({
  resourceType: z.literal('MedicationStatement'),
  id,
  status: z.string(),
  medicationCodeableConcept: codeableConcept.optional(),
  subject: reference,
  context: reference.optional(),
  effectiveDateTime: z.string().optional(),
  effectivePeriod: period.optional(),
  dateAsserted: z.string().optional(),
});

export type Patient = z.infer<typeof patientSchema>;
export type ConditionResource = z.infer<typeof conditionSchema>;
export type EpisodeOfCare = z.infer<typeof episodeOfCareSchema>;
export type Encounter = z.infer<typeof encounterSchema>;
export type QuestionnaireResponse = z.infer<typeof questionnaireResponseSchema>;
export type MedicationStatement = z.infer<typeof medicationStatementSchema>;
export type Extension = z.infer<typeof extension>;

/** The resource types the mapping reads; any other is reported once and skipped. */
export const RESOURCE_SCHEMAS = {
  Patient: patientSchema,
  Condition: conditionSchema,
  EpisodeOfCare: episodeOfCareSchema,
  Encounter: encounterSchema,
  QuestionnaireResponse: questionnaireResponseSchema,
  MedicationStatement: medicationStatementSchema,
} as const;
export type MappedResourceType = keyof typeof RESOURCE_SCHEMAS;
