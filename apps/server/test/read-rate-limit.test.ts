/**
 * @fileoverview Per-reader rate limits over real HTTP: past its budget a reader gets 429 with
 * Retry-After on the REST API and on tRPC alike (one bucket per reader), another reader keeps
 * its own budget, and the smallest allowed rate still takes a full batch of 10 calls.
 */

import { readAccessLog } from '@ipt/analytics/server';
import { testPrincipals } from '@ipt/analytics/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, warehouseOf } from './harness.js';

const overviewInput = encodeURIComponent(JSON.stringify({ filters: {} }));

describe('per-reader rate limits', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({
      clinics: ['rate-clinic-01'],
      env: { READ_RATE_LIMIT_PER_SECOND: '5' },
    });
  });
  afterAll(async () => limited.dispose());

  it('answers 429 with Retry-After past the reader budget, on REST and tRPC alike', async () => {
    // 30 reads at once against a burst of 10 (rate 5/s): whatever the machine's load, the
    // tokens are taken on arrival, so most are refused, on both surfaces of the one bucket.
    const headers = { authorization: `Bearer ${limited.readKey}` };
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(
          i % 2 === 0
            ? `${limited.url}/v1/outcomes`
            : `${limited.url}/api/trpc/outcomes.overview?input=${overviewInput}`,
          { headers },
        ),
      ),
    );
    const byKind = (kind: number) =>
      responses.filter((_, i) => i % 2 === kind).map((r) => r.status);
    for (const kind of [0, 1]) {
      expect(byKind(kind)).toContain(429);
      expect(byKind(kind).every((s) => s === 200 || s === 429)).toBe(true);
    }
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(20);
    const refused = responses.find((r) => r.status === 429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused?.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Refusals for the rate are in the access log, under the reader.
    await limited.running.context.accessLog?.flush();
    await expect
      .poll(async () => {
        await limited.running.context.accessLog?.flush();
        const rows = await readAccessLog(warehouseOf(limited), testPrincipals.steward, {
          principal: 'test-reader',
        });
        return [...new Set(rows.filter((r) => r.status === 429).map((r) => r.surface))].sort();
      })
      .toEqual(['rest', 'trpc']);
    // Another reader has its own budget.
    const other = await fetch(`${limited.url}/v1/outcomes`, {
      headers: { authorization: `Bearer ${limited.stewardKey}` },
    });
    expect(other.status).toBe(200);
  });

  it('takes a batch of 10 calls within one burst', async () => {
    // A reader that has not read yet holds a full burst (10 at 5/s).
    const calls = Array.from({ length: 10 }, () => 'outcomes.doseResponse').join(',');
    const input = encodeURIComponent(
      JSON.stringify(
        Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, { filters: {} }])),
      ),
    );
    const res = await fetch(`${limited.url}/api/trpc/${calls}?batch=1&input=${input}`, {
      headers: { authorization: `Bearer ${limited.clinicReaderKey}` },
    });
    expect(res.status).toBe(200);
  });
});
