/**
 * @fileoverview Protected numbers through createCaller against embedded chDB with a simulated
 * network whose truth the test knows (the steward's exact answers, which equal the independent
 * computation in procedures.test.ts):
 * - consistency: the same question twice, or spelt differently (values reordered or repeated, a
 *   list of every value, dimensions in another order), gives identical numbers;
 * - utility: over groups of 200 or more episodes, protected counts within 2% and rates within
 *   1 percentage point of the exact ones, and each widened interval holds the exact rate;
 * - a property over random principals, procedures and filters: no protected answer carries a
 *   count below k, names a unit below k, or covers a period finer than a month.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutcomeFilters, Principal } from '@ipt/analytics';
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import { testDisclosure, testPrincipals, testRecordKeys } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { AGE_BANDS } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import {
  appendEvents,
  keyUnkeyedEpisodes,
  migrate,
  projectEpisodes,
  Warehouse,
} from '@ipt/warehouse';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCaller } from '../src/index.js';

const K = 11;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 909, episodes: 4000, clinics: 10 })];
const CLINICS = [...new Set(events.map((e) => e.clinicId))].sort();
let dataDir: string;
let warehouse: Warehouse;
let accessLog: ReturnType<typeof createAccessLog>;
let budget: ReturnType<typeof createCohortBudget>;

const callerFor = (principal: Principal) =>
  createCaller({
    warehouse,
    disclosure: { ...testDisclosure, minCellSize: K },
    budget,
    principal,
    accessLog,
  });
const steward = () => callerFor(testPrincipals.steward);
const researcher = () => callerFor(testPrincipals.researcher);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipt-disclosure-'));
  warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  accessLog = createAccessLog(warehouse);
  budget = createCohortBudget(warehouse, { perDay: 1000 });
  const recordedAt = new Date().toISOString();
  for (let i = 0; i < events.length; i += 5000) {
    const batch = events.slice(i, i + 5000).map((e) => ({ ...e, recordedAt, sourceId: 'test' }));
    await appendEvents(warehouse, batch);
    await projectEpisodes(
      warehouse,
      batch.map((e) => e.episodeId),
      testRecordKeys,
    );
  }
}, 180_000);
afterAll(async () => {
  await accessLog.flush();
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Dim = 'problemArea' | 'sessionBucket' | 'medication';
const GROUPINGS: Dim[][] = [
  [],
  ['problemArea'],
  ['sessionBucket'],
  ['medication'],
  ['problemArea', 'medication'],
  ['sessionBucket', 'medication'],
];
const RATES = [
  'reliableImprovement',
  'reliableDeterioration',
  'recovery',
  'reliableRecovery',
  'response',
  'remission',
] as const;

describe('consistency', () => {
  it('gives identical numbers to the same question asked again', async () => {
    const filters: OutcomeFilters = { condition: ['major_depression'] };
    const first = await researcher().outcomes.compare({ groupBy: ['problemArea'], filters });
    const again = await researcher().outcomes.compare({ groupBy: ['problemArea'], filters });
    expect(first.protected).toBe(true);
    expect(again).toEqual(first);
  });

  it('gives identical numbers to one cohort spelt differently', async () => {
    const spellings: OutcomeFilters[] = [
      { condition: ['major_depression', 'ptsd'] },
      { condition: ['ptsd', 'major_depression'] },
      { condition: ['ptsd', 'major_depression', 'ptsd'] },
      { condition: ['major_depression', 'ptsd'], ageBand: [...AGE_BANDS] },
      { condition: ['major_depression', 'ptsd'], ageBand: [...AGE_BANDS].reverse() },
    ];
    const answers = await Promise.all(
      spellings.map((filters) =>
        researcher().outcomes.compare({ groupBy: ['sessionBucket'], filters }),
      ),
    );
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it('withholds the same cells whatever the order of the dimensions', async () => {
    for (const caller of [steward(), researcher()]) {
      const a = await caller.outcomes.compare({
        groupBy: ['problemArea', 'sessionBucket', 'medication'],
        filters: { condition: ['perinatal_depression'] },
      });
      const b = await caller.outcomes.compare({
        groupBy: ['medication', 'problemArea', 'sessionBucket'],
        filters: { condition: ['perinatal_depression'] },
      });
      const byCell = (groups: typeof a.groups) =>
        new Map(
          groups.map((g) => [
            `${g.dimensions.problemArea}/${g.dimensions.sessionBucket}/${g.dimensions.medication}`,
            g,
          ]),
        );
      const left = byCell(a.groups);
      const right = byCell(b.groups);
      expect(a.groups.some((g) => g.suppressed)).toBe(true);
      expect(left.size).toBe(5 * 6 * 2);
      for (const [cell, group] of left) expect(right.get(cell)).toEqual(group);
    }
  });
});

describe('utility', () => {
  it('keeps counts within 2% and rates within 1 point over groups of 200 or more', async () => {
    let groups = 0;
    let rates = 0;
    let worstCount = 0;
    let worstRate = 0;
    for (const groupBy of GROUPINGS) {
      const exact = await steward().outcomes.compare({ groupBy, filters: {} });
      const shown = await researcher().outcomes.compare({ groupBy, filters: {} });
      expect(shown.groups).toHaveLength(exact.groups.length);
      exact.groups.forEach((truth, i) => {
        const got = shown.groups[i];
        if (truth.n === null || truth.n < 200 || got === undefined) return;
        expect(got.dimensions).toEqual(truth.dimensions);
        groups += 1;
        const n = got.n ?? Number.NaN;
        worstCount = Math.max(worstCount, Math.abs(n - truth.n) / truth.n);
        expect(Math.abs(n - truth.n)).toBeLessThanOrEqual(0.02 * truth.n);
        for (const name of RATES) {
          const t = truth[name];
          const g = got[name];
          if (t === null || t.denominator < 200) continue;
          // A count inside a shown cell below k is withheld too, and so is the rest of the
          // cell (a numerator or rest of k exactly may fall below k with its noise).
          if (g === null) {
            expect(Math.min(t.count, t.denominator - t.count)).toBeLessThanOrEqual(K);
            continue;
          }
          rates += 1;
          worstRate = Math.max(worstRate, Math.abs(g.rate - t.rate));
          expect(Math.abs(g.rate - t.rate)).toBeLessThanOrEqual(0.01);
          // The widened interval holds the exact rate.
          expect(g.ci[0]).toBeLessThanOrEqual(t.rate);
          expect(g.ci[1]).toBeGreaterThanOrEqual(t.rate);
        }
      });
    }
    // Enough groups to mean something; the figures go to the closing note.
    expect(groups).toBeGreaterThanOrEqual(15);
    expect(rates).toBeGreaterThanOrEqual(40);
    console.info(
      `utility: ${groups} groups >= 200 (worst count error ${(worstCount * 100).toFixed(2)}%), ` +
        `${rates} rates over >= 200 (worst ${(worstRate * 100).toFixed(2)} points)`,
    );
  });
});

describe('the audit of a small cohort', () => {
  it('gives a protected reader no network rate, no unit and no funnel below k', async () => {
    // A cohort far below k: one month of one condition in one age band.
    const sizes = new Map<string, number>();
    for (const e of events) {
      if (e.type !== 'episode.started') continue;
      const key = JSON.stringify([
        e.occurredOn.slice(0, 7),
        e.payload.condition,
        e.payload.ageBand,
      ]);
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    const small = [...sizes].find(([, n]) => n > 0 && n < 4);
    expect(small).toBeDefined();
    const [monthOf, condition, ageBand] = JSON.parse(small?.[0] ?? '[]') as [
      string,
      string,
      string,
    ];
    const filters = {
      startedFrom: `${monthOf}-01`,
      startedTo: new Date(Date.UTC(Number(monthOf.slice(0, 4)), Number(monthOf.slice(5, 7)), 0))
        .toISOString()
        .slice(0, 10),
      condition: [condition],
      ageBand: [ageBand],
    } as OutcomeFilters;
    const audit = await researcher().outcomes.audit({ level: 'clinic', filters });
    expect(audit).toMatchObject({ protected: true, networkRate: null, units: [], funnel: [] });
  });
});

describe('no protected answer discloses', () => {
  const COUNT_KEYS = new Set([
    'n',
    'finished',
    'paired',
    'count',
    'denominator',
    'episodes',
    'eligible',
    'selfHarmFlags',
    'inside',
    'outside',
    'atRisk',
    'events',
    'competing',
    'censored',
  ]);
  /** Every count in an answer, wherever it sits. */
  const countsIn = (value: unknown, found: number[]): number[] => {
    if (Array.isArray(value)) for (const v of value) countsIn(v, found);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (COUNT_KEYS.has(key) && typeof v === 'number') found.push(v);
        else countsIn(v, found);
      }
    }
    return found;
  };

  const PROCEDURES = {
    overview: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.overview({ filters }),
    compare: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.compare({ groupBy: ['problemArea', 'sessionBucket'], filters }),
    trajectories: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.trajectories({ groupBy: 'problemArea', filters }),
    doseResponse: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.doseResponse({ filters }),
    clinicAudit: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.audit({ level: 'clinic', filters }),
    therapistAudit: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.audit({ level: 'therapist', filters }),
    adjusted: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.adjusted({ compare: 'medication', filters }),
    timeToImprovement: (p: Principal, filters: OutcomeFilters) =>
      callerFor(p).outcomes.timeToImprovement({ groupBy: 'problemArea', filters }),
  } as const;
  const NAMES = Object.keys(PROCEDURES) as Array<keyof typeof PROCEDURES>;

  const principal = fc.oneof(
    fc.constant<Principal>(testPrincipals.researcher),
    fc.subarray(CLINICS, { minLength: 1, maxLength: 2 }).map((c) => testPrincipals.clinic(c)),
  );
  const day = fc
    .record({
      year: fc.constantFrom(2024, 2025),
      month: fc.integer({ min: 1, max: 12 }),
      date: fc.integer({ min: 1, max: 28 }),
      whole: fc.boolean(),
    })
    .map(({ year, month, date, whole }) => ({ year, month, date: whole ? 1 : date }));
  const iso = (year: number, month: number, date: number) =>
    `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  const filters = fc
    .record(
      {
        condition: fc.subarray(['major_depression', 'perinatal_depression', 'ptsd'] as const, {
          minLength: 1,
        }),
        ageBand: fc.subarray([...AGE_BANDS], { minLength: 1 }),
        medication: fc.subarray(['ipt_only', 'ipt_with_medication'] as const, { minLength: 1 }),
        from: day,
        to: day,
      },
      { requiredKeys: [] },
    )
    .map(({ from, to, ...rest }): OutcomeFilters => {
      const f: OutcomeFilters = { ...rest };
      if (from !== undefined) f.startedFrom = iso(from.year, from.month, from.date);
      if (to !== undefined) {
        // A whole month ends on its last day; otherwise a day inside it.
        const last = new Date(Date.UTC(to.year, to.month, 0)).getUTCDate();
        f.startedTo = iso(to.year, to.month, to.date === 1 ? last : to.date);
      }
      return f;
    });

  it('holds for random principals, procedures and filters', async () => {
    let protectedAnswers = 0;
    let refusedPeriods = 0;
    await fc.assert(
      fc.asyncProperty(principal, fc.constantFrom(...NAMES), filters, async (who, name, f) => {
        const finer =
          (f.startedFrom !== undefined && !f.startedFrom.endsWith('-01')) ||
          (f.startedTo !== undefined &&
            new Date(`${f.startedTo}T00:00:00Z`).getUTCDate() !==
              new Date(
                Date.UTC(Number(f.startedTo.slice(0, 4)), Number(f.startedTo.slice(5, 7)), 0),
              ).getUTCDate());
        const outcome = await PROCEDURES[name](who, f).then(
          (value) => ({ ok: true as const, value }),
          (error: { code?: string; message?: string }) => ({ ok: false as const, error }),
        );
        if (
          f.startedFrom !== undefined &&
          f.startedTo !== undefined &&
          f.startedTo < f.startedFrom
        ) {
          // A period that ends before it starts is a mistake, refused with the reason.
          expect(outcome.ok ? null : outcome.error.code).toBe('BAD_REQUEST');
          if (!outcome.ok) expect(outcome.error.message).toMatch(/ends before it starts/);
          return;
        }
        if (finer) {
          // Protected views cover whole months: a finer period is refused, with the reason.
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) {
            expect(outcome.error.code).toBe('BAD_REQUEST');
            expect(outcome.error.message).toMatch(/whole months/);
          }
          refusedPeriods += 1;
          return;
        }
        if (who.role === 'researcher' && name === 'therapistAudit') {
          expect(outcome.ok ? null : outcome.error.code).toBe('FORBIDDEN');
          return;
        }
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const value = outcome.value as { protected: boolean };
        expect(value.protected).toBe(true);
        protectedAnswers += 1;
        // A clinic reader's own units are exact (and may be named below k to it); everything
        // else in the answer is protected: no count below k.
        const own = who.role === 'clinic' ? who.clinics : [];
        const audit = value as {
          units?: Array<{ clinic: string; unit: string; suppressed: boolean }>;
        };
        const foreign = { ...value, units: audit.units?.filter((u) => !own.includes(u.clinic)) };
        for (const count of countsIn(foreign, [])) expect(count).toBeGreaterThanOrEqual(K);
        if (audit.units !== undefined && name.endsWith('Audit')) {
          // A unit named to a protected reader has at least k episodes in truth.
          const truth = await PROCEDURES[name](testPrincipals.steward, f);
          const exact = new Map(
            (
              truth as {
                units: Array<{ clinic: string; unit: string; suppressed: boolean; n?: number }>;
              }
            ).units.map((u) => [`${u.clinic}/${u.unit}`, u]),
          );
          for (const unit of audit.units) {
            if (own.includes(unit.clinic)) continue;
            expect(unit.suppressed).toBe(false);
            const t = exact.get(`${unit.clinic}/${unit.unit}`);
            expect(t?.suppressed).toBe(false);
            expect(t?.n ?? 0).toBeGreaterThanOrEqual(K);
          }
        }
        if (name === 'overview') {
          for (const point of (outcome.value as { trend: Array<{ month: string }> }).trend) {
            expect(point.month).toMatch(/^\d{4}-\d{2}-01$/);
          }
        }
      }),
      { numRuns: 80, seed: 909 },
    );
    // The property saw both kinds of question.
    expect(protectedAnswers).toBeGreaterThan(10);
    expect(refusedPeriods).toBeGreaterThan(5);
  });
});

describe('an episode without a record key', () => {
  it('stops protected answers (503) until it is keyed; exact answers go on', async () => {
    const rows = await warehouse.query(
      {
        name: 'test.one_episode',
        sql: 'SELECT * EXCEPT (version, projected_at, record_key) FROM episodes FINAL WHERE started = 1 LIMIT 1',
        params: z.object({}),
        row: z.record(z.string(), z.unknown()),
      },
      {},
    );
    // As a projector from before record keys would have written it.
    await warehouse.insert({
      name: 'test.unkeyed_episode',
      table: 'episodes',
      rows: rows.map((row) => ({
        ...row,
        version: Date.now() * 1000 - 1,
        projected_at: '2026-01-01 00:00:00.000',
      })),
    });
    await expect(researcher().outcomes.overview({ filters: {} })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/1 episodes have no record key/),
    });
    expect((await steward().outcomes.overview({ filters: {} })).protected).toBe(false);
    expect(await keyUnkeyedEpisodes(warehouse, testRecordKeys)).toBe(1);
    expect((await researcher().outcomes.overview({ filters: {} })).protected).toBe(true);
  });
});

describe('paired-data completeness', () => {
  it('is never above 100%, exact or protected, for random cohorts', async () => {
    const cohort = fc.record(
      {
        condition: fc.subarray(['major_depression', 'perinatal_depression', 'ptsd'] as const, {
          minLength: 1,
        }),
        ageBand: fc.subarray([...AGE_BANDS], { minLength: 1 }),
        medication: fc.subarray(['ipt_only', 'ipt_with_medication'] as const, { minLength: 1 }),
        startedFrom: fc.constantFrom('2024-01-01', '2024-07-01', '2025-01-01', '2025-06-01'),
      },
      { requiredKeys: [] },
    );
    let shown = 0;
    await fc.assert(
      fc.asyncProperty(cohort, fc.boolean(), async (filters, exact) => {
        const caller = exact ? steward() : researcher();
        const answer = await caller.outcomes.compare({ groupBy: ['problemArea'], filters });
        for (const group of answer.groups) {
          const c = group.pairedCompleteness;
          if (c === null) continue;
          shown += 1;
          expect(c.count).toBeLessThanOrEqual(c.denominator);
          expect(c.rate).toBeLessThanOrEqual(1);
          expect(c.ci[1]).toBeLessThanOrEqual(1);
          // Its denominator is the finished courses of the group.
          if (exact) expect(c.denominator).toBe(group.finished);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
    expect(shown).toBeGreaterThan(20);
  });
});
