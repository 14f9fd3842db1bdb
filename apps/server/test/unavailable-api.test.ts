/**
 * @fileoverview When the warehouse is unavailable, POST /v1/events answers 503 with Retry-After
 * and accepts nothing, reads (REST and tRPC) answer 503 with Retry-After, /readyz reports not
 * ready, and /healthz still answers (the process lives).
 */
import { randomUUID } from 'node:crypto';
import { SAMPLES } from '@ipt/events/testing';
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
  h = await startHarness({ clinics: ['north-clinic-01'] });
});
afterAll(async () => h.dispose());

it('answers 503 with Retry-After while the warehouse is away', async () => {
  await warehouseOf(h).close();
  const res = await postEvents(h, {
    events: [{ ...SAMPLES['session.attended'], id: randomUUID() }],
  });
  expect(res.status).toBe(503);
  expect(errorOf(res).code).toBe('unavailable');
  expect(errorOf(res).message).toMatch(/nothing was accepted/);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const ready = await getJson(h, '/readyz', { key: null });
  expect(ready.status).toBe(503);
  expect(ready.json).toEqual({ ready: false, checks: { warehouse: 'down' } });
  expect((await getJson(h, '/healthz', { key: null })).status).toBe(200);
});

it('answers reads with 503 and Retry-After too, on the REST API and on tRPC', async () => {
  const rest = await getJson(h, '/v1/outcomes?groupBy=medication', { key: h.stewardKey });
  expect(rest.status).toBe(503);
  expect(errorOf(rest).code).toBe('unavailable');
  expect(Number(rest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const input = encodeURIComponent(JSON.stringify({ filters: {} }));
  const trpc = await fetch(`${h.url}/api/trpc/outcomes.overview?input=${input}`, {
    headers: { authorization: `Bearer ${h.stewardKey}` },
  });
  expect(trpc.status).toBe(503);
  expect(await trpc.text()).not.toMatch(/at .*\.js:\d+/);
});
