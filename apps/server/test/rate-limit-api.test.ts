/**
 * @fileoverview The per-key rate limit over real HTTP: a key past its burst gets 429 with
 * Retry-After and nothing stored, while another key is unaffected.
 */
import { randomUUID } from 'node:crypto';
import { SAMPLES } from '@ipt/events/testing';
import { eventLogStats } from '@ipt/warehouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  errorOf,
  getJson,
  type Harness,
  postEvents,
  startHarness,
  warehouseOf,
} from './harness.js';

let h: Harness;
beforeAll(async () => {
  // One request a second, bursts of two.
  h = await startHarness({ clinics: ['north-clinic-01'], env: { RATE_LIMIT_PER_SECOND: '1' } });
});
afterAll(async () => h.dispose());

it('answers 429 with Retry-After once a key is over its limit, storing nothing', async () => {
  const send = () =>
    postEvents(h, { events: [{ ...SAMPLES['session.attended'], id: randomUUID() }] });
  const statuses = [(await send()).status, (await send()).status];
  expect(statuses).toEqual([200, 200]);
  const before = await eventLogStats(warehouseOf(h));
  const limited = await send();
  expect(limited.status).toBe(429);
  expect(errorOf(limited).code).toBe('rate_limited');
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await eventLogStats(warehouseOf(h))).toEqual(before);
  // The read key has its own bucket.
  expect((await getJson(h, '/v1/outcomes')).status).toBe(200);
});
