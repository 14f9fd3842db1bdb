/**
 * @ipt/events: the public event catalog v1 (shared/design/EVENTS.md). Strict zod schemas, the
 * de-identification rules, validation with actionable errors, and the JSON Schema export.
 * Pure: no I/O. The source-side client lives at `@ipt/events/client`.
 */
export { EPISODE_EVENT_TYPES as EVENT_TYPES } from '@ipt/protocol';
export * from './catalog.js';
export { batchJsonSchema, eventJsonSchema } from './json-schema.js';
export { MAX_BATCH_EVENTS, MAX_BODY_BYTES } from './limits.js';
export * from './primitives.js';
export * from './pseudonym-rule.js';
export {
  createEventValidator,
  knownFieldPath,
  storableError,
  UNKNOWN_FIELD_SEGMENT,
  UNKNOWN_FIELD_STORED_MESSAGE,
  type ValidationError,
  type ValidationResult,
  validateEvent,
} from './validate.js';
