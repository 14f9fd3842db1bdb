import { EPISODE_EVENT_TYPES } from '@ipt/protocol';
import type { z } from 'zod';
import { type CatalogEvent, type CatalogOptions, createCatalog, eventSchema } from './catalog.js';

export interface ValidationError {
  /** Dotted path into the event, e.g. `payload.items.3`; empty for the event itself. */
  path: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; event: CatalogEvent }
  | { ok: false; errors: ValidationError[] };

/**
 * Why some unknown keys are refused, in words a source's engineer can act on. Any other unknown
 * key gets the general message: the catalog is closed so free text cannot slip in.
 */
const KNOWN_MISTAKES: Record<string, string> = {
  recordedAt: 'is set by the ingest when it accepts the event; do not send it',
  sourceId: 'is set by the ingest from the API key; do not send it',
  total: 'is computed from the nine items; send items only',
  score: 'is computed from the nine items; send items only',
  name: 'would identify a person; the catalog never carries names',
  firstName: 'would identify a person; the catalog never carries names',
  lastName: 'would identify a person; the catalog never carries names',
  notes: 'is free text, which the catalog never carries (it can identify a person)',
  comment: 'is free text, which the catalog never carries (it can identify a person)',
  birthDate: 'would identify a person; send ageBand in episode.started instead',
  dateOfBirth: 'would identify a person; send ageBand in episode.started instead',
  dob: 'would identify a person; send ageBand in episode.started instead',
  email: 'would identify a person; the catalog never carries contact details',
  phone: 'would identify a person; the catalog never carries contact details',
  address: 'would identify a person; the catalog never carries contact details',
  postcode: 'would identify a person; the catalog never carries locations',
  zip: 'would identify a person; the catalog never carries locations',
};

const TYPE_MESSAGE = `must be one of: ${EPISODE_EVENT_TYPES.join(', ')}`;

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function dotted(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

function toErrors(input: unknown, issues: readonly z.core.$ZodIssue[]): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({
          path: dotted([...issue.path, key]),
          message: `unknown field: ${KNOWN_MISTAKES[key] ?? 'the v1 catalog has no such field, and objects are closed so that free text and identifying data cannot be sent'}`,
        });
      }
      continue;
    }
    const path = dotted(issue.path);
    if (issue.path.length === 1 && issue.path[0] === 'type') {
      errors.push({ path, message: TYPE_MESSAGE });
    } else if (issue.code === 'invalid_union' && issue.path.length === 0) {
      errors.push({ path: 'type', message: TYPE_MESSAGE });
    } else if (issue.code !== 'custom' && valueAt(input, issue.path) === undefined) {
      errors.push({ path, message: 'is required' });
    } else {
      errors.push({ path, message: issue.message });
    }
  }
  return errors;
}

/**
 * A validator bound to one catalog. Build it once (the ingest does, at start) and call it per
 * event: building the schemas costs far more than using them.
 */
export function createEventValidator(
  options: CatalogOptions = {},
): (input: unknown) => ValidationResult {
  const schema = options.now === undefined ? eventSchema : createCatalog(options).event;
  return (input) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { ok: false, errors: [{ path: '', message: 'an event must be a JSON object' }] };
    }
    const result = schema.safeParse(input);
    if (result.success) return { ok: true, event: result.data };
    return { ok: false, errors: toErrors(input, result.error.issues) };
  };
}

const validateWithSystemClock = createEventValidator();

/**
 * Validates one event against the v1 catalog. Never throws: every problem comes back with the
 * path of the field and a message a source's engineer can act on.
 */
export function validateEvent(input: unknown, options: CatalogOptions = {}): ValidationResult {
  return options.now === undefined
    ? validateWithSystemClock(input)
    : createEventValidator(options)(input);
}
