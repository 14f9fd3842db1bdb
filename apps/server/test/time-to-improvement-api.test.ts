/**
 * @fileoverview GET /v1/time-to-improvement over real HTTP against embedded chDB, after a
 * simulated network was posted: the steward's JSON equals the analytics service's curves (whose
 * numbers packages/api's suite checks against the independent Aalen-Johansen script), the CSV
 * holds the JSON's numbers row for row, a researcher's answer is protected and charged to the
 * budget, refusals have their status and are logged, and no key gets 401.
 */

import type { TimeToImprovementResult } from '@ipt/analytics';
import { readAccessLog, timeToImprovement } from '@ipt/analytics/server';
import { stewardScope, testPrincipals } from '@ipt/analytics/testing';
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
const events: CatalogEvent[] = [...simulateNetwork({ seed: 4107, episodes: 1200, clinics: 6 })];
const clinics = [...new Set(events.map((e) => e.clinicId))];

beforeAll(async () => {
  h = await startHarness({ clinics });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
    expect((res.json as { rejected: unknown[] }).rejected).toEqual([]);
  }
}, 120_000);
afterAll(async () => h.dispose());

const PATH = '/v1/time-to-improvement';

describe('GET /v1/time-to-improvement', () => {
  it('answers 401 without a read key, and for an ingest key', async () => {
    expect((await getJson(h, PATH, { key: null })).status).toBe(401);
    expect((await getJson(h, PATH, { key: h.ingestKey })).status).toBe(401);
  });

  it.each(['problemArea', 'medication', 'plannedSessions'])(
    "gives the steward the service's exact curves by %s, and the same numbers as CSV",
    async (groupBy) => {
      const res = await getJson(h, `${PATH}?groupBy=${groupBy}`, { key: h.stewardKey });
      expect(res.status).toBe(200);
      const body = res.json as TimeToImprovementResult;
      const direct = await timeToImprovement(
        warehouseOf(h),
        stewardScope,
        { groupBy: groupBy as 'medication', filters: {} },
        h.running.context.disclosure,
      );
      expect(body).toEqual({
        ...JSON.parse(JSON.stringify(direct)),
        basis: { release: null, asOf: null, definitionsVersion: DEFINITIONS_VERSION },
      });
      expect(body.protected).toBe(false);
      const shown = body.series.filter((s) => !s.suppressed);
      expect(shown.length).toBeGreaterThanOrEqual(2);

      const csv = await getJson(h, `${PATH}?groupBy=${groupBy}`, {
        key: h.stewardKey,
        accept: 'text/csv',
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const [header, ...lines] = csv.text.trim().split('\n');
      const columns = header?.split(',') ?? [];
      expect(columns[0]).toBe(groupBy);
      const rows = lines.map((line) =>
        Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])),
      );
      const points = body.series.flatMap(
        (s): Array<Record<string, unknown>> =>
          s.suppressed
            ? [{ group: s.group, session: '' }]
            : s.points.map((p) => ({ group: s.group, ...p })),
      );
      expect(rows.length).toBe(points.length);
      rows.forEach((row, i) => {
        const p = points[i] ?? {};
        expect(row[groupBy]).toBe(p.group);
        if (p.session === '') {
          expect(row.suppressed).toBe('true');
          return;
        }
        expect(Number(row.session)).toBe(p.session);
        expect(Number(row.at_risk)).toBe(p.atRisk);
        expect(Number(row.improved)).toBe(p.events);
        expect(Number(row.incidence)).toBe(p.incidence);
        expect(Number(row.ci_lower)).toBe((p.ci as number[])[0]);
        expect(Number(row.ci_upper)).toBe((p.ci as number[])[1]);
        expect(row.protected).toBe('false');
      });
    },
  );

  it('gives a researcher protected curves, charged to the daily budget', async () => {
    const res = await getJson(h, `${PATH}?groupBy=medication&condition=major_depression`, {
      key: h.readKey,
    });
    expect(res.status).toBe(200);
    const body = res.json as TimeToImprovementResult;
    expect(body.protected).toBe(true);
    const points = body.series.flatMap((s) => s.points);
    expect(points.length).toBeGreaterThan(5);
    for (const p of points) {
      expect(p.atRisk).toBeGreaterThanOrEqual(body.minCellSize);
      expect([p.events, p.competing, p.censored]).toEqual([null, null, null]);
    }
    const csv = await getJson(h, `${PATH}?groupBy=medication&condition=major_depression`, {
      key: h.readKey,
      accept: 'text/csv',
    });
    const [header, first] = csv.text.trim().split('\n');
    const cells = Object.fromEntries(
      (first ?? '').split(',').map((v, i) => [header?.split(',')[i], v]),
    );
    expect(cells).toMatchObject({ improved: '', censored: '', protected: 'true' });
  });

  it('refuses what it cannot answer, with the reason', async () => {
    const cases: Array<[string, number, RegExp, string]> = [
      [`${PATH}?groupBy=sessionBucket`, 400, /groupBy/, 'invalid_query'],
      [`${PATH}?groupBy=medication,problemArea`, 400, /groupBy/, 'invalid_query'],
      [`${PATH}?by=medication`, 400, /unknown query parameter by/, 'invalid_query'],
      [`${PATH}?condition=flu`, 400, /condition/, 'invalid_query'],
      [`${PATH}?groupBy=medication&groupBy=problemArea`, 400, /given once/, 'invalid_query'],
    ];
    for (const [path, status, message, code] of cases) {
      const res = await getJson(h, path, { key: h.stewardKey });
      expect(res.status, path).toBe(status);
      expect(errorOf(res)).toMatchObject({ code });
      expect(errorOf(res).message).toMatch(message);
    }
    const other = await getJson(h, `${PATH}?clinic=${clinics[1]}`, { key: h.clinicReaderKey });
    expect(other.status).toBe(403);
  });

  it('logs every answer and refusal under its own procedure', async () => {
    await getJson(h, `${PATH}?groupBy=problemArea`, { key: h.stewardKey, accept: 'text/csv' });
    await getJson(h, `${PATH}?clinic=${clinics[2]}`, { key: h.clinicReaderKey });
    await h.running.context.accessLog?.flush();
    const rows = (
      await readAccessLog(warehouseOf(h), testPrincipals.steward, { limit: 500 })
    ).filter((r) => r.procedure === `GET ${PATH}`);
    const csv = rows.find((r) => r.principal === 'test-steward' && r.surface === 'csv');
    expect(csv).toMatchObject({ status: 200, role: 'steward' });
    expect(csv?.cellsReleased).toBeGreaterThan(0);
    expect(JSON.parse(csv?.filters ?? '{}')).toEqual({ groupBy: 'problemArea', filters: {} });
    const refused = rows.find((r) => r.principal === 'test-clinic-reader' && r.status === 403);
    expect(refused).toMatchObject({ surface: 'rest', cellsReleased: 0 });
  });
});
