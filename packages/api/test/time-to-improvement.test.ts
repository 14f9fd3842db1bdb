/**
 * @fileoverview Time to reliable improvement through createCaller against embedded chDB: the
 * steward's curves equal the Aalen-Johansen estimate of fixtures/cumulative_incidence.py (in
 * packages/protocol) over the folded episodes, classified here from docs/outcomes.md, to 1e-9 for the
 * incidence and 1e-6 for the interval, up to the first risk set below k; a researcher's curves
 * are protected (no counts at a session, risk sets of at least k) and the same however asked.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { foldAll, testPrincipals } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import type { EpisodeSummary } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { describe, expect, it } from 'vitest';
import { loadedCallers } from './loaded-callers.js';

const K = 11;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 2211, episodes: 2000, clinics: 8 })];
const summaries = foldAll(events).filter((s) => s.started);
const SCRIPT = fileURLToPath(
  new URL('../../protocol/test/fixtures/cumulative_incidence.py', import.meta.url),
);
const { callerFor } = loadedCallers(events, 'time', { minCellSize: K, loadTimeout: 180_000 });

/** docs/outcomes.md's definition, written out here: [session, status] or null without a baseline. */
function observation(s: EpisodeSummary): [number, string] | null {
  const baseline = s.baseline;
  if (baseline === null) return null;
  const later = s.scores.filter((m) => m.eventId !== baseline.eventId);
  const improved = later.find((m) => baseline.total - m.total >= 6);
  if (improved !== undefined) return [improved.sessionNumber, 'event'];
  const last = Math.max(s.sessionsAttended, 0, ...s.scores.map((m) => m.sessionNumber));
  return [last, s.ended ? 'competing' : 'censored'];
}

type Row = [number, number, number, number, number, number, number];
function python(datasets: Array<Array<[number, string]>>): Row[][] {
  return JSON.parse(
    execFileSync('python3', [SCRIPT], { input: JSON.stringify(datasets) }).toString(),
  ) as Row[][];
}

/**
 * An episode's observations by group from its time zero (docs/outcomes.md, "Time zero"), written
 * out here: [group, session, status].
 */
type Observed = [string, number, string];
const LANDMARK = 3;
function byProblemArea(s: EpisodeSummary): Observed[] {
  const o = observation(s);
  // The landmark: only episodes still in treatment and not yet improved at session 3, in the
  // problem area known then.
  if (o === null || o[0] <= LANDMARK) return [];
  return [[s.problemAreaAtLandmark, o[0], o[1]]];
}
function byMedication(s: EpisodeSummary): Observed[] {
  const o = observation(s);
  if (o === null) return [];
  const start = s.medicationTiming === 'started_during' ? s.medicationStartedAtSession : null;
  if (start === null) return [[s.medicationGroup, o[0], o[1]]];
  // Improved or gone by the start: without medication throughout.
  if (o[0] <= start) return [['ipt_only', o[0], o[1]]];
  // Without medication until the start, with it from then on, its clock reset there.
  return [
    ['ipt_only', start, 'censored'],
    ['ipt_with_medication', o[0] - start, o[1]],
  ];
}

describe('time to reliable improvement', () => {
  /** The groups of each dimension, written out here from the vocabulary and docs/outcomes.md. */
  const GROUPINGS = {
    medication: {
      groups: ['ipt_only', 'ipt_with_medication'],
      observed: byMedication,
      timeZero: 'exposure',
    },
    problemArea: {
      groups: ['grief', 'role_transition', 'role_dispute', 'interpersonal_deficits', 'unspecified'],
      observed: byProblemArea,
      timeZero: 'landmark',
    },
    // The plan's sessions: brief up to 11, standard 12-16, extended 17 or more.
    plannedSessions: {
      groups: ['1-11', '12-16', '17+'],
      observed: (s: EpisodeSummary): Observed[] => {
        const o = observation(s);
        if (o === null || s.plannedSessions === null) return [];
        const group = s.plannedSessions <= 11 ? '1-11' : s.plannedSessions <= 16 ? '12-16' : '17+';
        return [[group, o[0], o[1]]];
      },
      timeZero: 'intake',
    },
  } as const;

  it.each(Object.keys(GROUPINGS) as Array<keyof typeof GROUPINGS>)(
    "equals the independent Aalen-Johansen estimate, for the steward's exact curves by %s",
    async (groupBy) => {
      const grouping = GROUPINGS[groupBy];
      const result = await callerFor(testPrincipals.steward).outcomes.timeToImprovement({
        groupBy,
        filters: {},
      });
      expect(result.protected).toBe(false);
      expect(result.timeZero.kind).toBe(grouping.timeZero);
      const groups = result.series.map((s) => s.group);
      expect(groups).toEqual(grouping.groups);
      const observed = summaries.flatMap(grouping.observed);
      // At a landmark everyone enters there: at risk from the session after it.
      const entry = grouping.timeZero === 'landmark' ? [LANDMARK] : [];
      const datasets = groups.map((g) =>
        observed
          .filter(([group]) => group === g)
          .map(([, time, status]) => [time, status, ...entry] as [number, string]),
      );
      // Every group has episodes: the comparison below is not of empty curves.
      for (const d of datasets) expect(d.length).toBeGreaterThan(30);
      const expected = python(datasets);
      let compared = 0;
      result.series.forEach((series, i) => {
        expect(series.episodes).toBe(datasets[i]?.length);
        const truth = expected[i] ?? [];
        // The curve runs until the first risk set below k, and no further.
        const cut = truth.findIndex((r) => r[1] < K);
        expect(series.points.length).toBe(cut === -1 ? truth.length : cut);
        series.points.forEach((p, j) => {
          const [time, n, d1, d2, c, f, v] = truth[j] ?? [];
          expect([p.session, p.atRisk, p.events, p.competing, p.censored]).toEqual([
            time,
            n,
            d1,
            d2,
            c,
          ]);
          expect(Math.abs(p.incidence - (f ?? Number.NaN))).toBeLessThan(1e-9);
          const half = 1.96 * Math.sqrt(v ?? Number.NaN);
          expect(Math.abs(p.ci[0] - Math.max(0, (f ?? 0) - half))).toBeLessThan(1e-6);
          expect(Math.abs(p.ci[1] - Math.min(1, (f ?? 0) + half))).toBeLessThan(1e-6);
          compared += 1;
        });
      });
      expect(compared).toBeGreaterThan(20);
      // Improvement happens, and the curve rises.
      const last = result.series[0]?.points.at(-1);
      expect(last?.incidence).toBeGreaterThan(0.3);
    },
  );

  it('refuses sessions attended as a grouping: it would condition on the time measured', async () => {
    await expect(
      callerFor(testPrincipals.steward).outcomes.timeToImprovement({
        // @ts-expect-error: not a dimension known at intake
        groupBy: 'sessionBucket',
        filters: {},
      }),
    ).rejects.toThrow(/groupBy/);
  });

  it.each([
    // Groups known at intake, large enough to compare with the exact curve at many sessions;
    // and the problem area from its landmark, whose groups start smaller.
    ['plannedSessions', ['1-11', '12-16', '17+'], 200, 5],
    [
      'problemArea',
      ['grief', 'role_transition', 'role_dispute', 'interpersonal_deficits', 'unspecified'],
      100,
      3,
    ],
  ] as const)(
    'is protected for a researcher by %s: no counts at a session, risk sets of at least k',
    async (groupBy, groups, large, compared) => {
      const researcher = callerFor(testPrincipals.researcher);
      const first = await researcher.outcomes.timeToImprovement({
        groupBy,
        filters: { condition: ['major_depression', 'ptsd'] },
      });
      const again = await researcher.outcomes.timeToImprovement({
        groupBy,
        filters: { condition: ['ptsd', 'major_depression'] },
      });
      expect(first.protected).toBe(true);
      expect(again).toEqual(first);
      expect(first.series.map((s) => s.group)).toEqual(groups);
      const exact = await callerFor(testPrincipals.steward).outcomes.timeToImprovement({
        groupBy,
        filters: { condition: ['major_depression', 'ptsd'] },
      });
      expect(first.timeZero).toEqual(exact.timeZero);
      let points = 0;
      for (const series of first.series) {
        if (series.suppressed) {
          expect(series.points).toEqual([]);
          continue;
        }
        expect(series.episodes).toBeGreaterThanOrEqual(K);
        const truth = exact.series.find((s) => s.group === series.group);
        for (const p of series.points) {
          expect(p.atRisk).toBeGreaterThanOrEqual(K);
          expect([p.events, p.competing, p.censored]).toEqual([null, null, null]);
          // Near the exact curve, whose value the widened interval holds.
          const t = truth?.points.find((x) => x.session === p.session);
          // From the landmark on: the clock starts after session 3.
          if (first.timeZero.kind === 'landmark') expect(p.session).toBeGreaterThan(3);
          if (t !== undefined && t.atRisk >= large) {
            expect(Math.abs(p.incidence - t.incidence)).toBeLessThan(0.02);
            expect(p.ci[0]).toBeLessThanOrEqual(t.incidence);
            expect(p.ci[1]).toBeGreaterThanOrEqual(t.incidence);
            points += 1;
          }
        }
      }
      expect(points).toBeGreaterThan(compared);
    },
  );
});
