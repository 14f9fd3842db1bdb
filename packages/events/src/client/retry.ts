/**
 * When to retry a request and how long to wait first. Backoff uses "full jitter" (a uniformly
 * random wait below an exponentially growing ceiling) so that many clinics cut off by the same
 * outage do not all come back at the same instant; a server's `Retry-After` beats the guess.
 */

export interface BackoffOptions {
  /** Ceiling of the first retry's wait; it doubles with each further retry. */
  readonly baseDelayMs: number;
  /** No wait exceeds this, whether computed or asked for with `Retry-After`. */
  readonly maxDelayMs: number;
  /** Uniform source in [0, 1); injectable so tests are deterministic. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * The wait before retry number `retryNumber` (1 for the first retry): uniform in
 * [0, min(maxDelayMs, baseDelayMs * 2^(retryNumber - 1))].
 */
export function backoffDelayMs(retryNumber: number, options: BackoffOptions): number {
  if (!Number.isInteger(retryNumber) || retryNumber < 1) {
    throw new RangeError(`Retry number must be an integer of at least 1, got ${retryNumber}`);
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retryNumber - 1));
  const draw = (options.random ?? Math.random)();
  // Clamp a misbehaving random source rather than sleeping for NaN or a negative time.
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}

/**
 * The wait before retry number `retryNumber`: the server's `Retry-After` (in ms) when it sent
 * one, capped at `maxDelayMs` so a misconfigured header cannot stall a clinic for hours;
 * otherwise the jittered backoff.
 */
export function retryDelayMs(
  retryNumber: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, options.maxDelayMs);
  }
  return backoffDelayMs(retryNumber, options);
}

/**
 * Statuses worth retrying: 408 and 429 (try later) and every 5xx (the ingest's 503 means
 * nothing was accepted). Retrying is safe because the ingest stores each event `id` once.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}
