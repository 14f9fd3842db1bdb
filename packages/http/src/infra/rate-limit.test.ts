/**
 * @fileoverview The token-bucket limiter on a fake clock (burst, refill, whole-second
 * Retry-After, per-key isolation, bounded memory) and its middleware over real HTTP (429 JSON
 * with Retry-After).
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { createLogger } from './logger.js';
import { createRateLimiter, rateLimit } from './rate-limit.js';
import { listen, type TestServer } from './test-server.js';

function fakeClock(start = 1_000_000) {
  let at = start;
  return {
    now: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

describe('createRateLimiter', () => {
  it('allows a burst of capacity, then refuses', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 1, now: clock.now });
    expect([1, 2, 3].map(() => limiter.take('north').ok)).toEqual([true, true, true]);
    expect(limiter.take('north')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 2, now: clock.now });
    limiter.take('north');
    limiter.take('north');
    expect(limiter.take('north').ok).toBe(false);
    clock.advance(500);
    expect(limiter.take('north').ok).toBe(true);
    expect(limiter.take('north').ok).toBe(false);
  });

  it('rounds Retry-After up to whole seconds, never below 1', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 0.25, now: clock.now });
    expect(limiter.take('north', 10).ok).toBe(true);
    // 4 tokens at 0.25 per second: 16 s.
    expect(limiter.take('north', 4)).toEqual({ ok: false, retryAfterSeconds: 16 });
    clock.advance(15_500);
    // 3.875 tokens, 0.125 short: 0.5 s, rounded up to 1.
    expect(limiter.take('north', 4)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(limiter.take('north', 4).ok).toBe(true);
  });

  it('keeps each key to its own bucket', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, now: fakeClock().now });
    expect(limiter.take('north').ok).toBe(true);
    expect(limiter.take('north').ok).toBe(false);
    expect(limiter.take('south').ok).toBe(true);
  });

  it('forgets buckets that have refilled to full', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 10, now: clock.now });
    for (let i = 0; i < 50; i++) limiter.take(`idle-${i}`);
    expect(limiter.size()).toBe(50);
    clock.advance(1_000);
    limiter.take('active');
    expect(limiter.size()).toBe(1);
  });

  it('never holds more than maxBuckets, dropping the least recently used', () => {
    const limiter = createRateLimiter({
      capacity: 1,
      refillPerSecond: 0.001,
      maxBuckets: 3,
      now: fakeClock().now,
    });
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    limiter.take('a'); // refused, but now the most recently used
    limiter.take('d');
    expect(limiter.size()).toBe(3);
    expect(limiter.take('a').ok).toBe(false); // still limited: 'b' was dropped, not 'a'
    expect(limiter.take('b').ok).toBe(true);
  });

  it('refuses a cost it could never grant', () => {
    const limiter = createRateLimiter({ capacity: 5, refillPerSecond: 1 });
    expect(() => limiter.take('north', 6)).toThrow(RangeError);
    expect(() => limiter.take('north', 0)).toThrow(RangeError);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(
      'capacity must be a positive number, got 0',
    );
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: Number.NaN })).toThrow(
      RangeError,
    );
  });
});

describe('rateLimit middleware over HTTP', () => {
  let server: TestServer;
  const clock = fakeClock();

  beforeAll(async () => {
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 0.1, now: clock.now });
    const app = express();
    app.get(
      '/limited',
      rateLimit(limiter, (req) => req.get('x-key-id') ?? null),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    app.use(errorHandler(createLogger({ level: 'silent' })));
    server = await listen(app);
  });

  afterAll(() => server.close());

  const hit = (keyId?: string) =>
    fetch(`${server.url}/limited`, { headers: keyId === undefined ? {} : { 'x-key-id': keyId } });

  it('answers 429 JSON with Retry-After once the burst is spent', async () => {
    expect((await hit('north')).status).toBe(200);
    expect((await hit('north')).status).toBe(200);
    const refused = await hit('north');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await hit('south')).status).toBe(200);
  });

  it('lets a request without a key id through', async () => {
    for (let i = 0; i < 5; i++) expect((await hit()).status).toBe(200);
  });
});
