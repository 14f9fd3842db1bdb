/**
 * `@ipt-outcomes/source`: what a clinic runs to send events to an IPT Outcomes network.
 * De-identify at the source (keyed pseudonyms, one date shift per client), check events against
 * the v1 contract before they leave, send them in contract-sized batches with safe retries, and
 * map FHIR R4 resources to v1 events. Everything here runs inside the clinic.
 */

export {
  batchJsonSchema,
  type CatalogEvent,
  type CatalogEventOf,
  EVENT_TYPES,
  eventJsonSchema,
  eventSchema,
  SCHEMA_VERSION,
  type ValidationError,
  type ValidationResult,
  validateEvent,
} from '@ipt/events';
export {
  chunk,
  createEventSender,
  createPseudonymizer,
  type EventSender,
  type EventSenderOptions,
  type FieldError,
  IngestError,
  type IngestErrorContext,
  IngestRequestError,
  IngestResponseError,
  IngestUnavailableError,
  isPseudonym,
  MAX_BATCH_EVENTS,
  MAX_BODY_BYTES,
  MIN_SECRET_BYTES,
  type Pseudonymizer,
  type PseudonymizerOptions,
  type PseudonymousRow,
  type Reidentified,
  type RejectedEvent,
  reidentify,
  type SendReport,
} from '@ipt/events/client';
export {
  FHIR_EXTENSIONS,
  type FhirEntry,
  FhirInputError,
  type FhirMapping,
  type FhirMappingOptions,
  type FhirProblem,
  mapFhir,
  PHQ9_LOINC,
  parseFhirInput,
} from './fhir/index.js';
