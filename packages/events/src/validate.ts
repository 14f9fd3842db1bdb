import { EPISODE_EVENT_TYPES } from '@ipt/protocol';
import { z } from 'zod';
import { type CatalogEvent, type CatalogOptions, createCatalog, eventSchema } from './catalog.js';

export interface ValidationError {
  /**
   * Dotted path into the event, e.g. `payload.items.3`; empty for the event itself. For an
   * unknown field it ends with the field's name as sent, which is the sender's own text: show it
   * to the sender only, and store or show `knownFieldPath(path)` anywhere else.
   */
  path: string;
  /**
   * What is wrong and what to send instead. Never quotes a value; for an unknown field, store
   * `storableError(error).message` (a fixed text) rather than this one.
   */
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

/** The prefix of every unknown-field message of the response. */
const UNKNOWN_FIELD_PREFIX = 'unknown field: ';

/**
 * The message stored (and shown on the data-quality page) for an unknown field, whatever its
 * name: fixed text, since the name is the sender's own and may identify someone.
 */
export const UNKNOWN_FIELD_STORED_MESSAGE = 'unknown field: objects are strict';

/** What `knownFieldPath` puts in place of a path segment that is not a field of the catalog. */
export const UNKNOWN_FIELD_SEGMENT = '(unknown field)';

/** Array indices are at most this many digits: 1 MiB of JSON cannot hold a longer array. */
const INDEX = /^(0|[1-9]\d{0,6})$/;

interface FieldTree {
  /** Fields of an object, by name. */
  readonly fields: Map<string, FieldTree>;
  /** Whether the value is an array, whose numeric indices are path segments too. */
  array: FieldTree | null;
}

const emptyTree = (): FieldTree => ({ fields: new Map(), array: null });

/**
 * Merges a zod schema's fields into a tree of known field names, so that the paths of every
 * event type share one tree (a payload field of any type is known under `payload`).
 */
function addFields(tree: FieldTree, schema: z.ZodType): void {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodObject) {
    for (const [name, field] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      const child = tree.fields.get(name) ?? emptyTree();
      tree.fields.set(name, child);
      addFields(child, field);
    }
  } else if (inner instanceof z.ZodArray) {
    tree.array ??= emptyTree();
    addFields(tree.array, inner.element as z.ZodType);
  } else if (inner instanceof z.ZodDiscriminatedUnion) {
    for (const option of inner.options) addFields(tree, option as z.ZodType);
  }
}

let catalogTree: FieldTree | null = null;

/** The field names of the catalog, from its schemas (built once, on first use). */
function fieldTree(): FieldTree {
  if (catalogTree === null) {
    catalogTree = emptyTree();
    addFields(catalogTree, eventSchema);
  }
  return catalogTree;
}

/**
 * The path with every segment that is not a field of the catalog replaced by `(unknown field)`:
 * what may be stored or shown to anyone but the event's sender. A known segment is an envelope
 * field at the top, a payload field of any event type under `payload`, or an array index where
 * the catalog has an array (`payload.items.3`). The name of an unknown field is the sender's own
 * text (`payload.Jane Doe 12 High St`), so it never leaves the response to its sender; what
 * follows an unknown segment is unknown too.
 */
export function knownFieldPath(path: string): string {
  if (path === '') return '';
  let tree: FieldTree | null = fieldTree();
  const out: string[] = [];
  for (const segment of path.split('.')) {
    let next: FieldTree | null = null;
    if (tree !== null) {
      next =
        tree.fields.get(segment) ??
        (tree.array !== null && INDEX.test(segment) ? tree.array : null);
    }
    out.push(next === null ? UNKNOWN_FIELD_SEGMENT : segment);
    tree = next;
  }
  return out.join('.');
}

/**
 * An error as it may be stored or shown to anyone but the event's sender: the path through
 * `knownFieldPath`, and for an unknown field the fixed `UNKNOWN_FIELD_STORED_MESSAGE`. Every
 * other message of `validateEvent` is fixed text of the catalog, which never quotes the input.
 */
export function storableError(error: ValidationError): ValidationError {
  const path = knownFieldPath(error.path);
  const unknown = path !== error.path || error.message.startsWith(UNKNOWN_FIELD_PREFIX);
  return { path, message: unknown ? UNKNOWN_FIELD_STORED_MESSAGE : error.message };
}

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
          message: `${UNKNOWN_FIELD_PREFIX}${(Object.hasOwn(KNOWN_MISTAKES, key) ? KNOWN_MISTAKES[key] : undefined) ?? 'the v1 catalog has no such field, and objects are closed so that free text and identifying data cannot be sent'}`,
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
