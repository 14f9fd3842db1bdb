/**
 * @fileoverview Relapse after the end and follow-up completeness through the service, against a
 * hand-built network whose answer is known by construction (docs/outcomes.md, "Relapse after the
 * end"): 30 recovered courses, of which 20 have a follow-up within 52 weeks (6 of them at 10 or
 * more, one of those at exactly 52 weeks), 4 only at 60 weeks, 6 none; and 8 courses that did
 * not recover, followed up at 15, which count in neither rate.
 */
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import {
  builtEpisode,
  loadedWarehouse,
  testDisclosure,
  testPrincipals,
} from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { pseudonymFromToken, simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index.js';

const template = [...simulateNetwork({ seed: 3, episodes: 5, clinics: 1 })].find(
  (e) => e.type === 'episode.started',
);
let serial = 0;
const course = (
  totals: number[],
  followUps: Array<{ weeksAfterEnd: number; total: number }>,
): CatalogEvent[] => {
  serial += 1;
  return builtEpisode({
    clinicId: template?.clinicId ?? 'clinic-01',
    episodeId: pseudonymFromToken('episodeId', `relapse-${serial}`),
    clientId: pseudonymFromToken('clientId', `relapse-${serial}`),
    started: template?.payload,
    totals,
    ended: true,
    followUps,
  });
};
const RECOVERED = [16, 12, 8, 6];
const NOT_RECOVERED = [18, 16, 14, 12];
const events: CatalogEvent[] = [
  ...Array.from({ length: 5 }, () => course(RECOVERED, [{ weeksAfterEnd: 12, total: 14 }])),
  course(RECOVERED, [{ weeksAfterEnd: 52, total: 10 }]),
  ...Array.from({ length: 14 }, (_, i) =>
    course(RECOVERED, [{ weeksAfterEnd: [4, 12, 26][i % 3] as number, total: 5 }]),
  ),
  ...Array.from({ length: 4 }, () => course(RECOVERED, [{ weeksAfterEnd: 60, total: 16 }])),
  ...Array.from({ length: 6 }, () => course(RECOVERED, [])),
  ...Array.from({ length: 8 }, () => course(NOT_RECOVERED, [{ weeksAfterEnd: 12, total: 15 }])),
].flat();

let loaded: Awaited<ReturnType<typeof loadedWarehouse>>;
beforeAll(async () => {
  loaded = await loadedWarehouse(events, 'relapse');
}, 120_000);
afterAll(async () => loaded.dispose());

describe('relapse after the end', () => {
  it('is 6 of 20 followed up, with follow-up completeness 20 of 30 recovered', async () => {
    const caller = createCaller({
      warehouse: loaded.warehouse,
      disclosure: { ...testDisclosure, minCellSize: 5 },
      budget: createCohortBudget(loaded.warehouse, { perDay: 1000 }),
      principal: testPrincipals.steward,
      accessLog: createAccessLog(loaded.warehouse),
    });
    const { total } = await caller.outcomes.overview({ filters: {} });
    expect(total?.n).toBe(38);
    expect(total?.recovery).toMatchObject({ count: 30, denominator: 38 });
    expect(total?.relapse).toMatchObject({ count: 6, denominator: 20, rate: 0.3 });
    expect(total?.followUpCompleteness).toMatchObject({
      count: 20,
      denominator: 30,
      rate: 20 / 30,
    });
    // Wilson 95% for 6 of 20: 0.1455 to 0.5190.
    expect(total?.relapse?.ci[0]).toBeCloseTo(0.1455, 4);
    expect(total?.relapse?.ci[1]).toBeCloseTo(0.519, 3);
  });
});
