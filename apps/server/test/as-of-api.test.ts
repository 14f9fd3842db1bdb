/**
 * @fileoverview As of and releases over HTTP, with recorded time stamped by the ingest: a
 * network is posted, the moment T taken, then late events and retractions posted. The read API
 * asked `asOf=T`, and of a release frozen as of T, answers (JSON and CSV) what it answered at T;
 * every answer names its basis; the list of releases is for every reader; bad bases are refused
 * with the contract's error shape.
 */
import { createRelease } from '@ipt/analytics/server';
import { testPrincipals } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { DEFINITIONS_VERSION } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorOf,
  getJson,
  type Harness,
  postEvents,
  startHarness,
  warehouseOf,
} from './harness.js';

let h: Harness;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 1208, episodes: 900, clinics: 4 })];
const clinics = [...new Set(events.map((e) => e.clinicId))];
const BEFORE = Math.floor(events.length * 0.7);
const QUESTIONS = [
  '/v1/outcomes?groupBy=problemArea,medication',
  '/v1/outcomes?groupBy=medication&adjust=caseMix',
  '/v1/time-to-improvement?groupBy=plannedSessions',
  '/v1/off-track',
];
const KEYS = () => ({ steward: h.stewardKey, researcher: h.readKey, clinic: h.clinicReaderKey });
let T = '';
const atT = new Map<string, { json: unknown; csv: string }>();

const withBasis = (path: string, basis: string) =>
  `${path}${path.includes('?') ? '&' : '?'}${basis}`;
const withoutBasis = (json: unknown) => {
  const { basis: _b, ...rest } = json as { basis?: unknown };
  return rest;
};
/** The CSV without its three basis columns (release, asOf, definitionsVersion). */
const csvWithoutBasis = (csv: string) =>
  csv
    .split('\n')
    .map((line) => (line === '' ? line : line.split(',').slice(0, -3).join(',')))
    .join('\n');

async function post(batch: CatalogEvent[]): Promise<void> {
  for (let i = 0; i < batch.length; i += 1000) {
    const res = await postEvents(h, { events: batch.slice(i, i + 1000) });
    expect(res.status).toBe(200);
    expect((res.json as { rejected: unknown[] }).rejected).toEqual([]);
  }
}

beforeAll(async () => {
  h = await startHarness({ clinics });
  await post(events.slice(0, BEFORE));
  T = new Date().toISOString();
  for (const [who, key] of Object.entries(KEYS())) {
    for (const path of QUESTIONS) {
      if (who === 'researcher' && path === '/v1/off-track') continue;
      const json = await getJson(h, path, { key });
      const csv = await getJson(h, path, { key, accept: 'text/csv' });
      expect(json.status, `${who} ${path}`).toBe(200);
      atT.set(`${who} ${path}`, { json: json.json, csv: csv.text });
    }
  }
  // Strictly after T: the ingest stamps each batch when it accepts it.
  while (Date.now() <= Date.parse(T)) await new Promise((r) => setTimeout(r, 5));
  const retractions = events
    .slice(0, BEFORE)
    .filter((e) => e.type === 'phq9.recorded')
    .filter((_, i) => i % 50 === 0)
    .map(
      (score, i) =>
        ({
          ...score,
          id: `7c1e0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          type: 'event.retracted',
          schemaVersion: 1,
          payload: { eventId: score.id, reason: 'entered_in_error' },
        }) as unknown as CatalogEvent,
    );
  await post([...retractions, ...events.slice(BEFORE)]);
}, 180_000);
afterAll(async () => h.dispose());

describe('asOf over HTTP', () => {
  it('answers what was answered at T, JSON and CSV, for every reader, while live has moved', async () => {
    let moved = 0;
    for (const [who, key] of Object.entries(KEYS())) {
      for (const path of QUESTIONS) {
        const before = atT.get(`${who} ${path}`);
        if (before === undefined) continue;
        const json = await getJson(h, withBasis(path, `asOf=${T}`), { key });
        expect(json.status, `${who} ${path}`).toBe(200);
        expect(withoutBasis(json.json), `${who} ${path}`).toEqual(withoutBasis(before.json));
        expect((json.json as { basis: unknown }).basis).toEqual({
          release: null,
          asOf: T,
          definitionsVersion: DEFINITIONS_VERSION,
        });
        const csv = await getJson(h, withBasis(path, `asOf=${T}`), { key, accept: 'text/csv' });
        expect(csvWithoutBasis(csv.text), `${who} ${path}`).toEqual(csvWithoutBasis(before.csv));
        const [header, first] = csv.text.split('\n');
        expect(header?.endsWith(',release,asOf,definitionsVersion')).toBe(true);
        if (first !== undefined && first !== '') {
          expect(first.endsWith(`,,${T},${DEFINITIONS_VERSION}`)).toBe(true);
        }
        const live = await getJson(h, path, { key });
        if (JSON.stringify(withoutBasis(live.json)) !== JSON.stringify(withoutBasis(before.json)))
          moved++;
      }
    }
    expect(moved).toBeGreaterThanOrEqual(6);
  });

  it('refuses a malformed moment, one in the future, one given twice, and both bases', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    for (const query of [
      'asOf=last-tuesday',
      `asOf=${future}`,
      `asOf=${T}&asOf=${T}`,
      `asOf=${T}&release=anything`,
    ]) {
      const res = await getJson(h, `/v1/outcomes?${query}`, { key: h.stewardKey });
      expect(res.status, query).toBe(400);
      expect(errorOf(res).code, query).toBe('invalid_query');
    }
  });

  it('refuses a caller without a key', async () => {
    expect((await getJson(h, `/v1/outcomes?asOf=${T}`, { key: null })).status).toBe(401);
    expect((await getJson(h, '/v1/releases', { key: null })).status).toBe(401);
  });
});

describe('releases over HTTP', () => {
  beforeAll(async () => {
    await createRelease(warehouseOf(h), testPrincipals.steward, { name: 'http-2026', asOf: T });
  });

  it('lists them for every reader, JSON and CSV, and refuses parameters', async () => {
    for (const key of Object.values(KEYS())) {
      const res = await getJson(h, '/v1/releases', { key });
      expect(res.status).toBe(200);
      expect((res.json as { releases: unknown[] }).releases).toEqual([
        expect.objectContaining({
          name: 'http-2026',
          asOf: T,
          definitionsVersion: DEFINITIONS_VERSION,
        }),
      ]);
    }
    const csv = await getJson(h, '/v1/releases', { key: h.readKey, accept: 'text/csv' });
    expect(csv.text.split('\n')[0]).toBe(
      'name,asOf,definitionsVersion,episodes,contentHash,createdBy,createdAt,note',
    );
    const refused = await getJson(h, `/v1/releases?asOf=${T}`, { key: h.readKey });
    expect(refused.status).toBe(400);
    expect(errorOf(refused).code).toBe('invalid_query');
  });

  it('answers what was answered at T, and says which release', async () => {
    for (const [who, key] of Object.entries(KEYS())) {
      for (const path of QUESTIONS) {
        const before = atT.get(`${who} ${path}`);
        if (before === undefined) continue;
        const json = await getJson(h, withBasis(path, 'release=http-2026'), { key });
        expect(withoutBasis(json.json), `${who} ${path}`).toEqual(withoutBasis(before.json));
        expect((json.json as { basis: unknown }).basis).toEqual({
          release: 'http-2026',
          asOf: T,
          definitionsVersion: DEFINITIONS_VERSION,
        });
        const csv = await getJson(h, withBasis(path, 'release=http-2026'), {
          key,
          accept: 'text/csv',
        });
        expect(csvWithoutBasis(csv.text)).toEqual(csvWithoutBasis(before.csv));
      }
    }
  });

  it('answers 404 for a release that does not exist, with the error shape', async () => {
    const res = await getJson(h, '/v1/outcomes?release=no-such-thing', { key: h.readKey });
    expect(res.status).toBe(404);
    // In a reader's words: no route or internal name to decode.
    expect(errorOf(res).message).toBe(
      'there is no release named "no-such-thing"; the list of releases names those there are',
    );
    const bad = await getJson(h, '/v1/outcomes?release=Not%20A%20Name', { key: h.readKey });
    expect(bad.status).toBe(400);
  });
});
