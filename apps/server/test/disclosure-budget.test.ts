/**
 * @fileoverview The daily budget of distinct cohorts and the deployment's record-key secret, over
 * real HTTP: a protected reader gets its budget of distinct cohorts (asking one again, or spelt
 * differently, or grouped differently, costs nothing), then 429 with a message and Retry-After on
 * REST and tRPC alike; exact readers are not charged; the steward sees each reader's use, and the
 * refusals are in the access log; a restart renews nothing, and the same question gives the same
 * protected numbers after it (the secret was generated once into DATA_DIR, mode 0600).
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readAccessLog } from '@ipt/analytics/server';
import { testPrincipals } from '@ipt/analytics/testing';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_KEY_SECRET_FILE } from '../src/disclosure/record-key-secret.js';
import {
  errorOf,
  getJson,
  type Harness,
  postEvents,
  startHarness,
  warehouseOf,
} from './harness.js';

const BUDGET = 3;
const events = [...simulateNetwork({ seed: 12, episodes: 600, clinics: 3 })];
const clinics = [...new Set(events.map((e) => e.clinicId))].sort();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clinics, env: { COHORT_BUDGET_PER_DAY: String(BUDGET) } });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
}, 180_000);
afterAll(async () => h.dispose());

const trpc = (procedure: string, input: unknown, key: string) =>
  fetch(`${h.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${key}` },
  });

describe('the daily budget of distinct cohorts', () => {
  it('answers a protected reader up to its budget, then refuses a new cohort with 429', async () => {
    // Three cohorts, each asked several ways: spelling and grouping do not make a new cohort.
    const cohorts = ['condition=ptsd', 'condition=major_depression', 'ageBand=18-24'];
    for (const cohort of cohorts) {
      expect((await getJson(h, `/v1/outcomes?${cohort}`)).status).toBe(200);
      expect((await getJson(h, `/v1/outcomes?${cohort}&groupBy=medication`)).status).toBe(200);
    }
    expect((await getJson(h, '/v1/outcomes?condition=ptsd,ptsd')).status).toBe(200);
    const [field, value] = (cohorts[1] ?? '').split('=');
    expect(
      (await trpc('outcomes.overview', { filters: { [field ?? '']: [value] } }, h.readKey)).status,
    ).toBe(200);

    const refused = await getJson(h, '/v1/outcomes?condition=perinatal_depression');
    expect(refused.status).toBe(429);
    expect(errorOf(refused).code).toBe('budget_exceeded');
    expect(errorOf(refused).message).toMatch(/daily budget of 3 distinct cohorts/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const viaTrpc = await trpc(
      'outcomes.trajectories',
      { groupBy: null, filters: { condition: ['perinatal_depression'] } },
      h.readKey,
    );
    expect(viaTrpc.status).toBe(429);
    expect(JSON.stringify(await viaTrpc.json())).toMatch(/daily budget/);
    // A cohort already asked today is still answered.
    expect((await getJson(h, '/v1/outcomes?condition=ptsd')).status).toBe(200);
  });

  it('does not charge exact readers', async () => {
    for (const condition of ['ptsd', 'major_depression', 'perinatal_depression']) {
      for (const sex of ['female', 'male']) {
        const res = await getJson(h, `/v1/outcomes?condition=${condition}&sex=${sex}`, {
          key: h.stewardKey,
        });
        expect(res.status).toBe(200);
        const own = await getJson(
          h,
          `/v1/outcomes?clinic=${clinics[0]}&condition=${condition}&sex=${sex}`,
          { key: h.clinicReaderKey },
        );
        expect(own.status).toBe(200);
        expect((own.json as { protected: boolean }).protected).toBe(false);
      }
    }
  });

  it("shows the steward each reader's use, and the refusals in the access log", async () => {
    const res = await trpc('access.budgets', {}, h.stewardKey);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      result: { data: { perDay: number; readers: Array<{ principal: string; used: number }> } };
    };
    expect(body.result.data.perDay).toBe(BUDGET);
    expect(body.result.data.readers).toEqual([
      expect.objectContaining({ principal: 'test-reader', used: BUDGET }),
    ]);
    expect((await trpc('access.budgets', {}, h.readKey)).status).toBe(403);
    await h.running.context.accessLog?.flush();
    const rows = await readAccessLog(warehouseOf(h), testPrincipals.steward, {
      principal: 'test-reader',
    });
    expect(
      rows
        .filter((r) => r.status === 429)
        .map((r) => r.surface)
        .sort(),
    ).toEqual(['rest', 'trpc']);
  });

  it('renews nothing at a restart, and gives the same protected numbers after it', async () => {
    const before = await getJson(h, '/v1/outcomes?condition=ptsd&groupBy=problemArea');
    await h.restart();
    const after = await getJson(h, '/v1/outcomes?condition=ptsd&groupBy=problemArea');
    expect(after.status).toBe(200);
    expect(after.json).toEqual(before.json);
    expect((await getJson(h, '/v1/outcomes?condition=perinatal_depression')).status).toBe(429);
    // The secret was made once, readable by its owner only.
    expect(statSync(join(h.dataDir, RECORD_KEY_SECRET_FILE)).mode & 0o777).toBe(0o600);
  });
});
