/**
 * `@ipt/events/client`: what a clinic runs to send events. Pseudonymize and date-shift at the
 * source, then send in contract-sized batches with safe retries.
 */

export {
  isPseudonym,
  PSEUDONYM_PREFIXES,
  type PseudonymField,
  pseudonymPattern,
} from '../pseudonym-rule.js';
export { chunk, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from './batch.js';
export {
  IngestError,
  type IngestErrorContext,
  IngestRequestError,
  IngestResponseError,
  IngestUnavailableError,
} from './errors.js';
export {
  createPseudonymizer,
  MIN_SECRET_BYTES,
  type Pseudonymizer,
  type PseudonymizerOptions,
} from './pseudonym.js';
export {
  type PseudonymousRow,
  type Reidentified,
  reidentify,
} from './reidentify.js';
export type { FieldError, RejectedEvent, SendReport } from './report.js';
export { type BackoffOptions, backoffDelayMs, isRetryableStatus, retryDelayMs } from './retry.js';
export { parseHttpDate, parseRetryAfter } from './retry-after.js';
export { createEventSender, type EventSender, type EventSenderOptions } from './sender.js';
