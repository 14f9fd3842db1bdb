// Covers the retry policy: full-jitter exponential backoff (ceiling doubling and capping, the
// injected random source), Retry-After taking precedence and being capped, which statuses are
// retried, and parsing Retry-After as delta-seconds or any of the three HTTP-date forms.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, retryDelayMs } from './retry.js';
import { parseHttpDate, parseRetryAfter } from './retry-after.js';

const options = (random: () => number) => ({ baseDelayMs: 100, maxDelayMs: 1000, random });

describe('backoffDelayMs', () => {
  it('draws below a ceiling that doubles per retry and stops at maxDelayMs', () => {
    const top = options(() => 0.999_999);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  it('scales the ceiling by the random draw (full jitter)', () => {
    expect(
      backoffDelayMs(
        3,
        options(() => 0),
      ),
    ).toBe(0);
    expect(
      backoffDelayMs(
        3,
        options(() => 0.5),
      ),
    ).toBe(200);
    expect(
      backoffDelayMs(
        3,
        options(() => 0.25),
      ),
    ).toBe(100);
  });

  it('stays finite for very high retry numbers', () => {
    expect(
      backoffDelayMs(
        5000,
        options(() => 0.5),
      ),
    ).toBe(500);
  });

  it('clamps a random source that leaves [0, 1)', () => {
    expect(
      backoffDelayMs(
        1,
        options(() => 7),
      ),
    ).toBe(100);
    expect(
      backoffDelayMs(
        1,
        options(() => -3),
      ),
    ).toBe(0);
    expect(
      backoffDelayMs(
        1,
        options(() => Number.NaN),
      ),
    ).toBe(0);
  });

  it('rejects a retry number below 1', () => {
    expect(() =>
      backoffDelayMs(
        0,
        options(() => 0.5),
      ),
    ).toThrow(/at least 1/);
  });
});

describe('retryDelayMs', () => {
  it('prefers the server Retry-After over the computed backoff', () => {
    expect(
      retryDelayMs(
        1,
        700,
        options(() => 0),
      ),
    ).toBe(700);
    expect(
      retryDelayMs(
        1,
        0,
        options(() => 0.9),
      ),
    ).toBe(0);
  });

  it('caps Retry-After at maxDelayMs', () => {
    expect(
      retryDelayMs(
        1,
        3_600_000,
        options(() => 0),
      ),
    ).toBe(1000);
  });

  it('falls back to backoff without a Retry-After', () => {
    expect(
      retryDelayMs(
        2,
        undefined,
        options(() => 0.5),
      ),
    ).toBe(100);
  });
});

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([200, 301, 400, 401, 403, 404, 413, 415, 422])('does not retry %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 10, 6, 8, 49, 30);

  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an IMF-fixdate as the time left until it', () => {
    expect(parseRetryAfter('Wed, 06 Nov 2024 08:49:37 GMT', now)).toBe(7000);
  });

  it('reads the obsolete RFC 850 and asctime forms in UTC', () => {
    expect(parseRetryAfter('Wednesday, 06-Nov-24 08:49:40 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed Nov  6 08:49:45 2024', now)).toBe(15_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Tue, 05 Nov 2024 08:49:37 GMT', now)).toBe(0);
  });

  it.each([
    null,
    undefined,
    '',
    '-5',
    '1.5',
    'soon',
    '2024-11-06T08:49:37Z',
    'Wed, 31 Feb 2024 08:49:37 GMT',
    'Wed, 06 Nov 2024 25:49:37 GMT',
    'Wed, 06 Nov 2024 08:49:37 CET',
  ])('ignores the unusable value %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('parseHttpDate', () => {
  it('puts a two-digit RFC 850 year more than 50 years ahead in the past century', () => {
    const now = Date.UTC(2024, 0, 1);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(
      Date.UTC(1994, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Monday, 06-Nov-30 08:49:37 GMT', now)).toBe(
      Date.UTC(2030, 10, 6, 8, 49, 37),
    );
  });
});
