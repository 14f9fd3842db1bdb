/**
 * @fileoverview Per-reader rate limits over real HTTP: past its budget a reader gets 429 with
 * Retry-After on the REST API and on tRPC alike (one bucket per reader), and another reader
 * keeps its own budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

const overviewInput = encodeURIComponent(JSON.stringify({ filters: {} }));

describe('per-reader rate limits', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({
      clinics: ['rate-clinic-01'],
      env: { READ_RATE_LIMIT_PER_SECOND: '1' },
    });
  });
  afterAll(async () => limited.dispose());

  it('answers 429 with Retry-After past the reader budget, on REST and tRPC alike', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${limited.url}/v1/outcomes`, {
        headers: { authorization: `Bearer ${limited.readKey}` },
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const trpc = await fetch(`${limited.url}/api/trpc/outcomes.overview?input=${overviewInput}`, {
      headers: { authorization: `Bearer ${limited.readKey}` },
    });
    expect(trpc.status).toBe(429);
    expect(await trpc.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another reader has its own budget.
    const other = await fetch(`${limited.url}/v1/outcomes`, {
      headers: { authorization: `Bearer ${limited.stewardKey}` },
    });
    expect(other.status).toBe(200);
  });
});
