/**
 * @fileoverview Sessions-attended buckets at each edge, and the typed error for impossible counts.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError, SESSION_BUCKETS, sessionBucket } from '../src/index.js';

describe('sessionBucket', () => {
  it.each([
    [0, '0'],
    [1, '1-3'],
    [3, '1-3'],
    [4, '4-7'],
    [7, '4-7'],
    [8, '8-11'],
    [11, '8-11'],
    [12, '12-16'],
    [16, '12-16'],
    [17, '17+'],
    [60, '17+'],
  ] as const)('puts %i sessions in bucket %s', (attended, bucket) => {
    expect(sessionBucket(attended)).toBe(bucket);
  });

  it('covers every bucket of the vocabulary in order', () => {
    const seen = [...new Set(Array.from({ length: 40 }, (_, i) => sessionBucket(i)))];
    expect(seen).toEqual([...SESSION_BUCKETS]);
  });

  it.each([-1, 2.5, Number.NaN])('throws INVALID_SESSION_COUNT for %s', (attended) => {
    expect(() => sessionBucket(attended)).toThrow(ProtocolError);
    expect(() => sessionBucket(attended)).toThrow(/non-negative integer/);
  });
});
