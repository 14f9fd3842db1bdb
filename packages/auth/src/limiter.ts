/**
 * What sign-in needs of a rate limiter: a token bucket per reader (the HTTP layer's RateLimiter
 * is one). Declared here, where it is needed, so that auth does not depend on the HTTP layer.
 */
export interface ReadLimiter {
  take(id: string, cost?: number): { ok: true } | { ok: false; retryAfterSeconds: number };
}
