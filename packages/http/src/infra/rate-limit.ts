import type { Request, RequestHandler } from 'express';
import { tooManyRequests } from './http-error.js';

/**
 * A token bucket per key: a key may burst up to `capacity` requests, then proceeds at
 * `refillPerSecond`. In memory, so per process: behind N replicas a key gets N times the rate,
 * which is acceptable for protecting each process from one runaway source.
 */

export interface RateLimiterOptions {
  /** Largest burst, and the largest cost one `take` may ask for. */
  capacity: number;
  refillPerSecond: number;
  /** Milliseconds; injectable for tests. Defaults to `Date.now`. */
  now?: () => number;
  /**
   * Hard bound on tracked keys. Past it the least recently used buckets are dropped, which
   * forgives their debt: better than growing without limit when keys are not a fixed set.
   */
  maxBuckets?: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(keyId: string, cost?: number): TakeResult;
  /** Buckets currently held in memory. */
  size(): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = positive('capacity', options.capacity);
  const refillPerMs = positive('refillPerSecond', options.refillPerSecond) / 1000;
  const maxBuckets = positive('maxBuckets', options.maxBuckets ?? 100_000);
  const now = options.now ?? Date.now;
  // Map order is insertion order; re-inserting on every take keeps it least recently used first.
  const buckets = new Map<string, Bucket>();
  // A bucket idle this long has refilled to full, which is the same as having no bucket; a
  // sweep at this interval keeps only keys active in the last refill period.
  const fullRefillMs = capacity / refillPerMs;
  let lastSweep = now();

  function tokensAt(bucket: Bucket, at: number): number {
    // max(0, ...): a clock stepped backwards must not drain the bucket.
    const elapsed = Math.max(0, at - bucket.updatedAt);
    return Math.min(capacity, bucket.tokens + elapsed * refillPerMs);
  }

  function sweep(at: number): void {
    if (at - lastSweep >= fullRefillMs) {
      lastSweep = at;
      for (const [keyId, bucket] of buckets) {
        if (tokensAt(bucket, at) >= capacity) buckets.delete(keyId);
      }
    }
    for (const keyId of buckets.keys()) {
      if (buckets.size <= maxBuckets) break;
      buckets.delete(keyId);
    }
  }

  return {
    take(keyId, cost = 1) {
      if (!(cost > 0 && cost <= capacity)) {
        // A cost above capacity could never be paid; waiting would not help the client.
        throw new RangeError(`cost must be in (0, ${capacity}], got ${cost}`);
      }
      const at = now();
      const previous = buckets.get(keyId);
      const tokens = previous === undefined ? capacity : tokensAt(previous, at);
      buckets.delete(keyId);
      if (tokens >= cost) {
        buckets.set(keyId, { tokens: tokens - cost, updatedAt: at });
        sweep(at);
        return { ok: true };
      }
      buckets.set(keyId, { tokens, updatedAt: at });
      sweep(at);
      const retryAfterSeconds = Math.max(1, Math.ceil((cost - tokens) / refillPerMs / 1000));
      return { ok: false, retryAfterSeconds };
    },
    size: () => buckets.size,
  };
}

/**
 * Limits requests by `keyOf(req)` (the authenticated key id). A request with no key passes:
 * authentication refuses it, and limiting unauthenticated callers is the proxy's job.
 */
export function rateLimit(
  limiter: RateLimiter,
  keyOf: (req: Request) => string | null,
): RequestHandler {
  return (req, _res, next) => {
    const keyId = keyOf(req);
    if (keyId === null) {
      next();
      return;
    }
    const result = limiter.take(keyId);
    next(result.ok ? undefined : tooManyRequests(result.retryAfterSeconds));
  };
}
