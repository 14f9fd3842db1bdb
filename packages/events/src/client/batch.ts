/**
 * Splitting events into requests the ingest accepts: at most 1000 events and 1 MiB of body per
 * `POST /v1/events`. A batch that breaks either limit is refused whole (400/413), so the client
 * keeps under both before sending rather than discovering them one refusal at a time.
 */

import { MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '../limits.js';

export { MAX_BATCH_EVENTS, MAX_BODY_BYTES };

/** Splits items into consecutive batches of at most `size` (1 to 1000) items, order kept. */
export function chunk<T>(items: readonly T[], size: number = MAX_BATCH_EVENTS): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_EVENTS) {
    throw new RangeError(
      `Batch size must be an integer from 1 to ${MAX_BATCH_EVENTS}, got ${size}`,
    );
  }
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    batches.push(items.slice(start, start + size));
  }
  return batches;
}

/** One request body ready to send, with where its events sit in the caller's list. */
export interface PreparedBatch<E> {
  /** Index in the caller's list of this batch's first event. */
  readonly start: number;
  readonly events: readonly E[];
  /** `{"events":[...]}`, serialized once so every retry sends the very same bytes. */
  readonly body: string;
}

const BODY_PREFIX = '{"events":[';
const BODY_SUFFIX = ']}';

/**
 * Packs events, in order, into request bodies of at most `maxEvents` events and `maxBytes`
 * UTF-8 bytes. Everything is serialized before anything is sent, so an event that cannot be
 * serialized or is too large on its own fails the whole call up front.
 */
export function prepareBatches<E>(
  events: readonly E[],
  maxEvents: number = MAX_BATCH_EVENTS,
  maxBytes: number = MAX_BODY_BYTES,
): PreparedBatch<E>[] {
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_BATCH_EVENTS) {
    throw new RangeError(
      `Batch size must be an integer from 1 to ${MAX_BATCH_EVENTS}, got ${maxEvents}`,
    );
  }
  const overhead = Buffer.byteLength(BODY_PREFIX) + Buffer.byteLength(BODY_SUFFIX);
  const batches: PreparedBatch<E>[] = [];
  let start = 0;
  let parts: string[] = [];
  let bytes = overhead;
  const flush = (): void => {
    if (parts.length > 0) {
      batches.push({
        start,
        events: events.slice(start, start + parts.length),
        body: `${BODY_PREFIX}${parts.join(',')}${BODY_SUFFIX}`,
      });
    }
    start += parts.length;
    parts = [];
    bytes = overhead;
  };
  for (const [index, event] of events.entries()) {
    const json: unknown = JSON.stringify(event);
    if (typeof json !== 'string') {
      throw new TypeError(`Event at index ${index} cannot be serialized to JSON`);
    }
    const size = Buffer.byteLength(json);
    if (overhead + size > maxBytes) {
      throw new RangeError(
        `Event at index ${index} is ${size} bytes of JSON, more than one request may carry`,
      );
    }
    if (parts.length >= maxEvents || bytes + separatorBytes(parts) + size > maxBytes) {
      flush();
    }
    bytes += separatorBytes(parts) + size;
    parts.push(json);
  }
  flush();
  return batches;
}

/** The comma that joins the next event to those already in the batch. */
function separatorBytes(parts: readonly string[]): number {
  return parts.length > 0 ? 1 : 0;
}
