/**
 * The write path could not make a batch durable: the log or the warehouse is away. Nothing of
 * the batch is acknowledged; the HTTP layer answers 503 with Retry-After and the source's retry
 * is safe (ids make it idempotent).
 */
export class IngestUnavailableError extends Error {
  override readonly name = 'IngestUnavailableError';
  constructor(
    readonly what: 'log' | 'warehouse',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
