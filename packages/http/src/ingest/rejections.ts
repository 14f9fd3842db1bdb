import { storableError } from '@ipt/events';
import type { Warehouse } from '@ipt/warehouse';
import type { Logger } from '../infra/logger.js';

/**
 * Keeps why events were refused (first error's field and rule), for the data-quality page.
 * Never anything the source wrote: the response to the source names its own unknown fields and
 * clinic codes, but what is stored here is seen by others, so it keeps the catalog's field
 * names only (an unknown field becomes `(unknown field)`, see knownFieldPath) and messages that
 * are fixed text. A failure here is logged, not turned into an error for the source, whose
 * accepted events are already durable.
 */
export type RejectionRow = {
  received_at: string;
  source_id: string;
  /** Only when the refusal names a clinic the key may write (migration 008); else the default. */
  clinic_id?: string;
  path: string;
  message: string;
};

type FieldError = { readonly path: string; readonly message: string };

/** A refused event, as the route lists it. */
export interface Refused {
  readonly errors: ReadonlyArray<FieldError>;
  /**
   * The event's clinic, given only when the API key may write that clinic: then it is a code the
   * network assigned, not text of the source's, and the clinic's readers see the refusal. Leave
   * it out otherwise (a clinic code the key may not write is the source's own text).
   */
  readonly clinicId?: string | null;
}

/** The refusal of a clinic the key may not write names the clinic sent: stored without it. */
const CLINIC_NOT_ALLOWED = 'this API key may not write events for clinic ';
export const CLINIC_NOT_ALLOWED_STORED = 'this API key may not write events for this clinic';

/** Stored for an event with no error listed (never expected; the row still counts it). */
const NO_ERROR = 'rejected';

/** Column sizes of the `rejections` table's rows. */
const MAX_PATH = 120;
const MAX_MESSAGE = 300;

/**
 * The first error of a refused event as it may be stored: the path through knownFieldPath and,
 * for an unknown field, the fixed message (storableError); no text of the source's.
 */
export function storedRejection(errors: ReadonlyArray<FieldError>): {
  path: string;
  message: string;
} {
  const first = errors[0];
  if (first === undefined) return { path: '', message: NO_ERROR };
  const stored = storableError({ path: first.path, message: first.message });
  const message = stored.message.startsWith(CLINIC_NOT_ALLOWED)
    ? CLINIC_NOT_ALLOWED_STORED
    : stored.message;
  return {
    path: stored.path.slice(0, MAX_PATH),
    message: message.slice(0, MAX_MESSAGE),
  };
}

/** The rows of the `rejections` table for the events refused in one batch. */
export function rejectionRows(
  sourceId: string,
  at: string,
  rejected: ReadonlyArray<Refused>,
): RejectionRow[] {
  const receivedAt = at.replace('T', ' ').replace('Z', '');
  return rejected.map((r) => ({
    received_at: receivedAt,
    source_id: sourceId,
    ...(typeof r.clinicId === 'string' ? { clinic_id: r.clinicId } : {}),
    ...storedRejection(r.errors),
  }));
}

export async function recordRejections(
  warehouse: Warehouse,
  logger: Logger,
  sourceId: string,
  at: string,
  rejected: ReadonlyArray<Refused>,
): Promise<void> {
  if (rejected.length === 0) return;
  try {
    // Part of answering a write: ahead of queued reads, like the write itself.
    await warehouse.priority(() =>
      warehouse.insert({
        name: 'rejections.record',
        table: 'rejections',
        rows: rejectionRows(sourceId, at, rejected),
      }),
    );
  } catch (error) {
    logger.error('could not record rejections', { count: rejected.length, error: String(error) });
  }
}
