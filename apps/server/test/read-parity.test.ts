/**
 * @fileoverview One read, two surfaces: every read with a REST form, asked the same question
 * by REST and by tRPC over real HTTP (embedded chDB, a simulated network), gives the same
 * answer, the same status (refusals included) and the same access-log entry (question, status,
 * cells released and withheld), for each role. Both surfaces are made from the read's
 * definition and go through the one governed read; this test keeps it so.
 */
import { READS, readAccessLog } from '@ipt/analytics/server';
import { testPrincipals } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { REST_READS } from '@ipt/http';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, type Harness, postEvents, startHarness, warehouseOf } from './harness.js';

let h: Harness;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 2718, episodes: 400, clinics: 3 })];
const clinics = [...new Set(events.map((e) => e.clinicId))].sort();
const other = clinics.find((c) => c !== clinics[0]) ?? '';

beforeAll(async () => {
  h = await startHarness({ clinics });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
}, 120_000);
afterAll(async () => h.dispose());

/** The same question in each form: a REST query string and the procedure's input. */
const QUESTIONS: Array<{ read: string; rest: string; input: unknown }> = [
  {
    read: 'outcomes.breakdown',
    rest: '/v1/outcomes?groupBy=medication',
    input: { groupBy: ['medication'], filters: {} },
  },
  {
    read: 'outcomes.breakdown',
    rest: '/v1/outcomes?groupBy=problemArea&adjust=caseMix&adjustFor=baselineSeverity',
    input: {
      groupBy: ['problemArea'],
      adjust: 'caseMix',
      adjustFor: ['baselineSeverity'],
      filters: {},
    },
  },
  {
    read: 'outcomes.breakdown',
    rest: `/v1/outcomes?groupBy=problemArea&clinic=${other}`,
    input: { groupBy: ['problemArea'], filters: { clinic: [other] } },
  },
  {
    read: 'outcomes.timeToImprovement',
    rest: '/v1/time-to-improvement?groupBy=medication&startedFrom=2025-01',
    input: { groupBy: 'medication', filters: { startedFrom: '2025-01' } },
  },
  { read: 'care.offTrack', rest: '/v1/off-track', input: {} },
  { read: 'care.offTrack', rest: `/v1/off-track?clinic=${other}`, input: { clinic: [other] } },
  { read: 'releases.list', rest: '/v1/releases', input: undefined },
  {
    read: 'outcomes.findingEpisodes',
    rest: '/v1/finding-episodes?code=no_baseline',
    input: { code: 'no_baseline', filters: {} },
  },
];

async function trpc(procedure: string, input: unknown, key: string) {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${h.url}/api/trpc/${procedure}${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = (await res.json()) as {
    result?: { data: unknown };
    error?: { message: string; data: { httpStatus: number } };
  };
  return { status: res.status, data: body.result?.data, message: body.error?.message };
}

const latest = async (name: string, procedure: string) => {
  await h.running.context.accessLog?.flush();
  const log = await readAccessLog(warehouseOf(h), testPrincipals.steward, { principal: name });
  const entry = log.find((e) => e.procedure === procedure);
  if (entry === undefined) throw new Error(`no entry of ${procedure} for ${name}`);
  const { at: _at, durationMs: _d, surface: _s, procedure: _p, ...rest } = entry;
  return rest;
};

describe('REST and tRPC, one read', () => {
  it('cover every read with a REST form', () => {
    expect(new Set(QUESTIONS.map((q) => q.read))).toEqual(new Set(REST_READS.map((r) => r.name)));
    expect(REST_READS.every((r) => READS.includes(r))).toBe(true);
  });

  const READERS = [
    { role: 'steward', key: () => h.stewardKey, name: 'test-steward' },
    { role: 'clinic reader', key: () => h.clinicReaderKey, name: 'test-clinic-reader' },
    { role: 'researcher', key: () => h.readKey, name: 'test-reader' },
  ];
  for (const reader of READERS) {
    it(`give the ${reader.role} the same answer, status and log entry`, async () => {
      for (const q of QUESTIONS) {
        const rest = await getJson(h, q.rest, { key: reader.key() });
        const restEntry = await latest(reader.name, `GET ${q.rest.split('?')[0]}`);
        const viaTrpc = await trpc(q.read, q.input, reader.key());
        const trpcEntry = await latest(reader.name, q.read);
        expect(viaTrpc.status, `${q.rest} status`).toBe(rest.status);
        if (rest.status === 200) {
          expect(viaTrpc.data, q.rest).toEqual(rest.json);
        } else {
          expect(viaTrpc.message, q.rest).toBe(
            (rest.json as { error: { message: string } }).error.message,
          );
        }
        expect(trpcEntry, `${q.rest} log`).toEqual(restEntry);
      }
    }, 120_000);
  }
});
