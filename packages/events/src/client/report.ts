/**
 * What a send returns. Indexes refer to the caller's full list, not to a batch, so the caller
 * can point at its own record without knowing how the list was split.
 */

/** One reason the ingest refused an event: `path` is into the event, e.g. `payload.items.3`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface RejectedEvent {
  /** Position of the event in the list passed to `send`. */
  readonly index: number;
  readonly id: string;
  readonly errors: FieldError[];
}

export interface SendReport {
  /** Events the ingest durably accepted (a repeated `id` counts again but is stored once). */
  accepted: number;
  rejected: RejectedEvent[];
  /** Requests that got a 200 answer. */
  batches: number;
  /** HTTP requests made, retries included. */
  attempts: number;
}
