/**
 * Reading the ingest's answers. A 200 body is checked against the contract before it is
 * trusted, because a proxy or a broken deployment answering 200 with something else must not be
 * reported to the clinic as "all accepted".
 */
import type { FieldError, RejectedEvent } from './report.js';

/** The `{accepted, rejected}` of one batch; `index` is still within the batch. */
export interface BatchAcceptance {
  readonly accepted: number;
  readonly rejected: RejectedEvent[];
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

/**
 * Parses and checks a 200 body for a batch whose event ids are `batchIds`: `accepted` is a
 * count no larger than the batch, and each rejection names an index inside the batch together
 * with the id of the event at that index. Unknown extra keys are ignored, for forward
 * compatibility.
 */
export function parseAcceptance(
  text: string,
  batchIds: readonly string[],
): Parsed<BatchAcceptance> {
  const json = parseJson(text);
  if (json === undefined) return fail('not valid JSON');
  if (!isRecord(json)) return fail('expected a JSON object');
  const { accepted, rejected } = json;
  if (!isCount(accepted) || accepted > batchIds.length) {
    return fail(`"accepted" must be an integer from 0 to ${batchIds.length}`);
  }
  if (!Array.isArray(rejected)) return fail('"rejected" must be an array');
  const entries: RejectedEvent[] = [];
  for (const [position, entry] of rejected.entries()) {
    const where = `"rejected[${position}]"`;
    if (!isRecord(entry)) return fail(`${where} must be an object`);
    const { index, id, errors } = entry;
    if (!isCount(index) || index >= batchIds.length) {
      return fail(`${where}.index must be an integer from 0 to ${batchIds.length - 1}`);
    }
    if (typeof id !== 'string' || id !== batchIds[index]) {
      return fail(`${where}.id must be the id of the event at index ${index}`);
    }
    if (!Array.isArray(errors)) return fail(`${where}.errors must be an array`);
    const fieldErrors: FieldError[] = [];
    for (const error of errors) {
      if (!isRecord(error) || typeof error.path !== 'string' || typeof error.message !== 'string') {
        return fail(`${where}.errors must hold {path, message} strings`);
      }
      fieldErrors.push({ path: error.path, message: error.message });
    }
    entries.push({ index, id, errors: fieldErrors });
  }
  return { ok: true, value: { accepted, rejected: entries } };
}

/** `error.code` and `error.message` of a `{"error": {...}}` body; empty when not that shape. */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  const json = parseJson(text);
  if (!isRecord(json) || !isRecord(json.error)) return {};
  const { code, message } = json.error;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** The parsed value, or `undefined` (which JSON itself cannot express) when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function fail(problem: string): { readonly ok: false; readonly problem: string } {
  return { ok: false, problem };
}
