/**
 * @fileoverview The dashboard's tRPC procedures through createCaller against embedded chDB
 * loaded with a simulated network: compare equals an independent computation with
 * @ipt/protocol for every grouping; overview totals and trend agree with it; and, for random
 * filter sets, no response holds a group or metric with a denominator below k.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import {
  expectedOutcomes,
  foldAll,
  testDisclosure,
  testPrincipals,
  testRecordKeys,
} from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { AGE_BANDS, CONDITIONS, type FindingCode, SEVERITY_BANDS } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { appendEvents, migrate, projectEpisodes, Warehouse } from '@ipt/warehouse';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsmodelsPython } from '../../protocol/test/statsmodels.js';
import { createCaller } from '../src/index.js';

const K = 11;
const PYTHON = statsmodelsPython();
const MODEL_EXPECTED = fileURLToPath(
  new URL('../../protocol/test/fixtures/model_expected.py', import.meta.url),
);
const events: CatalogEvent[] = [...simulateNetwork({ seed: 4242, episodes: 1200, clinics: 10 })];
let dataDir: string;
let warehouse: Warehouse;
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipt-api-'));
  warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const recordedAt = new Date().toISOString();
  for (let i = 0; i < events.length; i += 2000) {
    const batch = events.slice(i, i + 2000).map((e) => ({ ...e, recordedAt, sourceId: 'test' }));
    await appendEvents(warehouse, batch);
    await projectEpisodes(
      warehouse,
      batch.map((e) => e.episodeId),
      testRecordKeys,
    );
  }
  caller = createCaller({
    warehouse,
    disclosure: { ...testDisclosure, minCellSize: K },
    budget: createCohortBudget(warehouse, { perDay: 1000 }),
    principal: testPrincipals.steward,
    accessLog: createAccessLog(warehouse),
  });
}, 120_000);
afterAll(async () => {
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Dim = 'problemArea' | 'sessionBucket' | 'medication';

describe('outcomes.compare', () => {
  it.each([
    [['problemArea']],
    [['sessionBucket', 'medication']],
    [['problemArea', 'sessionBucket', 'medication']],
  ] as Dim[][][])('equals the independent computation grouped by %j', async (groupBy) => {
    const result = await caller.outcomes.compare({ groupBy, filters: {} });
    const expected = expectedOutcomes(foldAll(events), groupBy, K);
    const flat = result.groups.map(({ dimensions, ...numbers }) => ({ ...dimensions, ...numbers }));
    const key = (g: Record<string, unknown>) => JSON.stringify(groupBy.map((d) => g[d]));
    const byKey = new Map(flat.map((g) => [key(g), g as Record<string, unknown>]));
    expect(byKey.size).toBe(expected.length);
    for (const want of expected) {
      const got = byKey.get(key(want));
      expect(got?.n).toEqual(want.n);
      expect(got?.suppressed).toBe(want.suppressed);
      if ('response' in want && want.response !== null) {
        const response = got?.response as { rate: number; denominator: number } | null;
        expect(response?.denominator).toBe(want.response.denominator);
        expect(Math.abs((response?.rate ?? -1) - want.response.rate)).toBeLessThan(1e-12);
      }
    }
  });

  it('refuses four dimensions with a field error', async () => {
    await expect(
      caller.outcomes.compare({
        groupBy: ['problemArea', 'sessionBucket', 'medication', 'medication'],
        filters: {},
      }),
    ).rejects.toThrow(/at most three/);
  });
});

describe('outcomes.overview', () => {
  it('gives the network totals and a monthly trend that adds up where nothing is suppressed', async () => {
    const overview = await caller.outcomes.overview({ filters: {} });
    const started = foldAll(events).filter((s) => s.started);
    expect(overview.total?.n).toBe(started.length);
    const months = new Map<string, number>();
    for (const s of started)
      months.set(
        `${s.startedOn?.slice(0, 7)}-01`,
        (months.get(`${s.startedOn?.slice(0, 7)}-01`) ?? 0) + 1,
      );
    for (const point of overview.trend) {
      if (!point.suppressed) expect(point.n).toBe(months.get(point.month));
    }
    expect(overview.trend.map((p) => p.month)).toEqual(
      [...overview.trend.map((p) => p.month)].sort(),
    );
  });
});

describe('outcomes.trajectories and outcomes.doseResponse', () => {
  it('gives the mean PHQ-9 by session per medication group, as folding the events does', async () => {
    const result = await caller.outcomes.trajectories({ groupBy: 'medication', filters: {} });
    expect(result.series.map((s) => s.group)).toEqual(['ipt_only', 'ipt_with_medication']);
    const summaries = foldAll(events).filter((s) => s.started);
    for (const series of result.series) {
      for (const point of series.points) {
        const members = summaries.filter((s) => s.medicationGroup === series.group);
        const scores = members.flatMap((s) =>
          s.scores.filter((m) => m.sessionNumber === point.session),
        );
        const episodes = members.filter((s) =>
          s.scores.some((m) => m.sessionNumber === point.session),
        ).length;
        if (point.suppressed) {
          expect((episodes > 0 && episodes < K) || scores.length < 2).toBe(true);
          continue;
        }
        // The steward sees a session without scores as 0 episodes, with no mean.
        expect(point.episodes).toBe(episodes);
        if (point.mean === null) {
          expect(episodes).toBe(0);
          continue;
        }
        const mean = scores.reduce((sum, m) => sum + m.total, 0) / scores.length;
        expect(Math.abs(point.mean - mean)).toBeLessThan(1e-3);
        expect(point.lower).toBeLessThan(point.mean);
        expect(point.upper).toBeGreaterThan(point.mean);
      }
    }
    // Scores fall over the course, as the simulator calibrates them to.
    const first = result.series[0]?.points.find((p) => p.session === 0);
    const later = result.series[0]?.points.find((p) => p.session === 12);
    expect(
      first?.suppressed === false &&
        later?.suppressed === false &&
        later.mean !== null &&
        first.mean !== null &&
        later.mean < first.mean,
    ).toBe(true);
  });

  it('gives reliable improvement by sessions attended from the eligible episodes', async () => {
    const result = await caller.outcomes.doseResponse({ filters: {} });
    const eligible = foldAll(events).filter((s) => s.started && s.outcomeEligible);
    for (const point of result.points) {
      const at = eligible.filter((s) => s.sessionsAttended === point.sessions);
      if (at.length < K) {
        expect(point.reliableImprovement).toBeNull();
        continue;
      }
      expect(point.reliableImprovement?.denominator).toBe(at.length);
      expect(point.reliableImprovement?.count).toBe(
        at.filter((s) => s.outcome?.reliableImprovement).length,
      );
    }
    expect(result.points.some((p) => p.reliableImprovement !== null)).toBe(true);
  });
});

describe('outcomes.audit', () => {
  it.skipIf(PYTHON === null)(
    "expects each clinic's improvements from the network's model of severity, age band and condition (statsmodels)",
    async () => {
      const result = await caller.outcomes.audit({ level: 'clinic', filters: {} });
      // A minimal baseline (0-4) cannot fall 6 points: that band is predicted at 0, and said so.
      expect(result.caseMix).toEqual({
        adjustedFor: ['baselineSeverity', 'ageBand', 'condition'],
        note: 'baselineSeverity minimal (none improved) predicted at 0',
      });
      const eligible = foldAll(events).filter((s) => s.started && s.outcomeEligible);
      // statsmodels' fit over the episodes one by one, and each clinic's sum of predictions.
      const question = {
        factors: [
          { name: 'baselineSeverity', levels: SEVERITY_BANDS },
          { name: 'ageBand', levels: AGE_BANDS },
          { name: 'condition', levels: CONDITIONS },
        ],
        episodes: eligible.map((s) => ({
          unit: s.clinicId,
          levels: [s.baseline?.severity ?? '', s.ageBand ?? '', s.condition ?? ''],
          event: s.outcome?.reliableImprovement ? 1 : 0,
        })),
      };
      const [expected] = JSON.parse(
        execFileSync(PYTHON as string, [MODEL_EXPECTED], {
          input: JSON.stringify([question]),
          maxBuffer: 64 * 1024 * 1024,
        }).toString(),
      ) as Array<{
        networkRate: number;
        expected: Record<string, number>;
        separated: Array<{ factor: string; level: string; rate: number }>;
      }>;
      expect(expected?.separated).toEqual([
        { factor: 'baselineSeverity', level: 'minimal', rate: 0 },
      ]);
      expect(result.networkRate).toBeCloseTo(expected?.networkRate ?? Number.NaN, 12);
      let compared = 0;
      for (const unit of result.units) {
        if (unit.suppressed || unit.expected === null) continue;
        const truth = expected?.expected[unit.unit];
        expect(Math.abs(unit.expected - (truth ?? Number.NaN))).toBeLessThan(1e-6);
        expect(unit.ratio).toBeCloseTo((unit.reliableImprovement?.count ?? 0) / (truth ?? 1), 9);
        compared += 1;
      }
      expect(compared).toBeGreaterThan(3);
      const open = result.units.filter((u) => !u.suppressed);
      expect(open.length).toBeGreaterThan(3);
      for (const unit of open) {
        if (unit.suppressed || unit.ratio === null) continue;
        expect(['within', 'outside_95', 'outside_99.8']).toContain(unit.funnel);
      }
      expect(result.funnel.length).toBeGreaterThan(5);
      for (const point of result.funnel) expect(point.lower998).toBeLessThanOrEqual(point.lower95);
    },
  );

  it('suppresses therapists with fewer than k episodes whole', async () => {
    const result = await caller.outcomes.audit({ level: 'therapist', filters: {} });
    const byTherapist = new Map<string, number>();
    for (const s of foldAll(events).filter((x) => x.started))
      byTherapist.set(s.therapistId ?? '', (byTherapist.get(s.therapistId ?? '') ?? 0) + 1);
    for (const unit of result.units) {
      expect(unit.suppressed).toBe((byTherapist.get(unit.unit) ?? 0) < K);
      if (!unit.suppressed && unit.selfHarmFlags !== null)
        expect(unit.selfHarmFlags === 0 || unit.selfHarmFlags >= K).toBe(true);
    }
    expect(result.units.some((u) => u.suppressed)).toBe(true);
  });
});

describe('outcomes.dataQuality', () => {
  it('reports findings exactly and paired completeness by clinic as the fold does, below k withheld', async () => {
    const result = await caller.outcomes.dataQuality({ filters: {} });
    const started = foldAll(events).filter((s) => s.started);
    const missing = started.filter((s) =>
      s.findings.some((f) => f.code === 'phq9_missing_at_attended_session'),
    ).length;
    const reported = result.findings.find((f) => f.code === 'phq9_missing_at_attended_session');
    expect(reported?.episodes).toBe(missing);
    // Every finding count, small ones included, and the episodes behind it.
    for (const finding of result.findings) {
      const truth = started.filter((s) => s.findings.some((f) => f.code === finding.code));
      expect(finding.episodes, finding.code).toBe(truth.length);
      const listed = await caller.outcomes.findingEpisodes({
        filters: {},
        code: finding.code as FindingCode,
      });
      expect(listed.truncated).toBe(false);
      expect(listed.episodes.map((e) => e.episodeId).sort()).toEqual(
        truth.map((s) => s.episodeId).sort(),
      );
      for (const e of listed.episodes) {
        const sessions = (truth.find((s) => s.episodeId === e.episodeId)?.findings ?? [])
          .filter(
            (f) => f.code === finding.code && f.sessionNumber !== null && f.sessionNumber >= 0,
          )
          .map((f) => f.sessionNumber as number);
        expect(e.sessions, e.episodeId).toBe(
          [...new Set(sessions)].sort((a, b) => a - b).join(' '),
        );
      }
    }
    // One clinic at a time, where some findings concern fewer than k episodes: still exact.
    let small = 0;
    for (const clinic of [...new Set(started.map((s) => s.clinicId))].sort().slice(0, 4)) {
      const own = await caller.outcomes.dataQuality({ filters: { clinic: [clinic] } });
      for (const finding of own.findings) {
        const truth = started.filter(
          (s) => s.clinicId === clinic && s.findings.some((f) => f.code === finding.code),
        ).length;
        expect(finding.episodes, `${clinic} ${finding.code}`).toBe(truth);
        if (truth > 0 && truth < K) small += 1;
      }
    }
    expect(small).toBeGreaterThan(0);
    for (const row of result.pairedByClinic) {
      const members = started.filter((s) => s.clinicId === row.clinic);
      expect(row.suppressed).toBe(members.length < K);
      if (row.suppressed || row.completeness === null) continue;
      const finished = members.filter((s) => s.finishedCourse);
      expect(row.completeness.denominator).toBe(finished.length);
      expect(row.completeness.count).toBe(finished.filter((s) => s.paired).length);
    }
    expect(result.ingestByDay.reduce((sum, d) => sum + d.events, 0)).toBe(
      new Set(events.map((e) => e.id)).size,
    );
  });
});

describe('cohorts', () => {
  it('saves, lists, replaces and deletes named cohorts, and refuses bad names', async () => {
    await caller.cohorts.save({
      name: 'Perinatal on medication',
      filters: { condition: ['perinatal_depression'], medication: ['ipt_with_medication'] },
    });
    await caller.cohorts.save({
      name: 'Severe at baseline',
      filters: { baselineSeverity: ['severe'] },
    });
    // Saving over a name is a conflict unless the request says to replace it.
    await expect(
      caller.cohorts.save({
        name: 'Severe at baseline',
        filters: { baselineSeverity: ['severe', 'moderately_severe'] },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await caller.cohorts.save({
      name: 'Severe at baseline',
      filters: { baselineSeverity: ['severe', 'moderately_severe'] },
      replace: true,
    });
    const listed = await caller.cohorts.list();
    expect(listed.map((c) => [c.name, c.filters])).toEqual([
      [
        'Perinatal on medication',
        { condition: ['perinatal_depression'], medication: ['ipt_with_medication'] },
      ],
      ['Severe at baseline', { baselineSeverity: ['severe', 'moderately_severe'] }],
    ]);
    // A saved cohort's numbers are the overview of its filters.
    const severe = listed[1];
    const overview = await caller.outcomes.overview({ filters: severe?.filters ?? {} });
    const expected = foldAll(events).filter(
      (s) => s.started && ['severe', 'moderately_severe'].includes(s.baseline?.severity ?? ''),
    ).length;
    expect(overview.total?.n).toBe(expected);
    await caller.cohorts.delete({ name: 'Perinatal on medication' });
    expect((await caller.cohorts.list()).map((c) => c.name)).toEqual(['Severe at baseline']);
    await expect(caller.cohorts.save({ name: 'two\nlines', filters: {} })).rejects.toThrow(
      /^name: a cohort name is 1-64 printable characters/,
    );
  });
});

describe('the k rule', () => {
  const CLINICS = [...new Set(events.map((e) => e.clinicId))];
  const filters = fc.record(
    {
      clinic: fc.subarray(CLINICS, { minLength: 1 }),
      condition: fc.subarray(
        ['major_depression', 'perinatal_depression', 'bipolar_disorder', 'ptsd'] as const,
        { minLength: 1 },
      ),
      ageBand: fc.subarray(['18-24', '25-34', '35-44', '45-54'] as const, { minLength: 1 }),
      baselineSeverity: fc.subarray(['mild', 'moderate', 'moderately_severe', 'severe'] as const, {
        minLength: 1,
      }),
      medication: fc.subarray(['ipt_only', 'ipt_with_medication'] as const, { minLength: 1 }),
      startedFrom: fc.constantFrom('2024-01-01', '2024-07-01', '2025-01-01'),
    },
    { requiredKeys: [] },
  );
  const groupings = fc.subarray(['problemArea', 'sessionBucket', 'medication'] as Dim[]);

  it('never returns a group or a metric with a denominator below k, for random filters', async () => {
    await fc.assert(
      fc.asyncProperty(filters, groupings, async (f, groupBy) => {
        const result = await caller.outcomes.compare({ groupBy, filters: f });
        for (const group of result.groups) {
          if (group.suppressed) {
            expect(
              Object.entries(group).filter(
                ([k, v]) => k !== 'dimensions' && k !== 'suppressed' && v !== null,
              ),
            ).toEqual([]);
            continue;
          }
          // The steward's k rule: a shown count is 0 (an empty cell) or k and more.
          const shownCount = (n: number | null) => n === null || n === 0 || n >= K;
          expect(group.n).not.toBeNull();
          expect(shownCount(group.n), `n ${group.n}`).toBe(true);
          for (const value of Object.values(group)) {
            if (value !== null && typeof value === 'object' && 'denominator' in value) {
              expect(value.denominator).toBeGreaterThanOrEqual(K);
            }
          }
          expect(shownCount(group.finished), `finished ${group.finished}`).toBe(true);
          expect(shownCount(group.paired), `paired ${group.paired}`).toBe(true);
          if (group.n === 0)
            expect([group.finished, group.paired, group.meanChange]).toEqual([0, 0, null]);
        }
      }),
      { numRuns: 40, seed: 99 },
    );
  });

  it('never returns a number below k from the overview, trajectories, dose-response or audit', async () => {
    const belowK = (value: unknown, path: string, found: string[]) => {
      if (value === null || typeof value !== 'object') return;
      const record = value as Record<string, unknown>;
      for (const key of [
        'n',
        'denominator',
        'episodes',
        'eligible',
        'finished',
        'paired',
        'selfHarmFlags',
      ]) {
        const v = record[key];
        if (typeof v === 'number' && v > 0 && v < K) found.push(`${path}.${key}=${v}`);
      }
      for (const [key, child] of Object.entries(record)) belowK(child, `${path}.${key}`, found);
    };
    await fc.assert(
      fc.asyncProperty(filters, fc.constantFrom('clinic', 'therapist'), async (f, level) => {
        const found: string[] = [];
        belowK(await caller.outcomes.overview({ filters: f }), 'overview', found);
        belowK(
          await caller.outcomes.trajectories({ groupBy: 'problemArea', filters: f }),
          'trajectories',
          found,
        );
        belowK(await caller.outcomes.doseResponse({ filters: f }), 'doseResponse', found);
        belowK(await caller.outcomes.audit({ level, filters: f }), 'audit', found);
        // Data quality is operational and exact: its finding counts come with the episodes
        // behind them (findingEpisodes), so only its completeness follows the k rule.
        const { findings: _exact, ...quality } = await caller.outcomes.dataQuality({ filters: f });
        belowK(quality, 'dataQuality', found);
        expect(found).toEqual([]);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
