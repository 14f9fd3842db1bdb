/**
 * The utility of the mission's breakdowns (problem area, sessions attended, medication; two and
 * three dimensions) under docs/outcomes.md's "Disclosure control", measured against a network whose
 * truth the test knows (the simulator's events folded with @ipt/protocol):
 * - an exact reader (the steward over the network; a clinic reader over its own clinic) sees
 *   every cell of k or more episodes with its exact count, a small cell as "fewer than k", an
 *   empty cell as 0, and every number equal to the independent computation to 1e-9;
 * - a protected reader (a researcher) sees every cell of 2k or more episodes and at least 90% of
 *   the cells of k to 2k-1; no cell below k, empty or not, carries a number.
 * The figures are printed for the closing note. Shared by the two networks' test files (one
 * warehouse per file: chDB takes one data directory per process).
 */
import type { OutcomeGroup, Principal } from '@ipt/analytics';
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import {
  expectedOutcomes,
  foldAll,
  loadedWarehouse,
  testDisclosure,
  testPrincipals,
} from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import type { EpisodeSummary } from '@ipt/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index.js';

const K = 11;
/** The noise D of testDisclosure: a protected count lies within D of the exact one. */
const D = 1;

type Dim = 'problemArea' | 'sessionBucket' | 'medication';
const BREAKDOWNS: Dim[][] = [
  ['problemArea', 'sessionBucket'],
  ['problemArea', 'medication'],
  ['sessionBucket', 'medication'],
  ['problemArea', 'sessionBucket', 'medication'],
];

const dimensionValue = (s: EpisodeSummary, d: Dim) =>
  d === 'problemArea'
    ? s.primaryProblemArea
    : d === 'sessionBucket'
      ? s.sessionBucket
      : s.medicationGroup;
const cellKey = (groupBy: readonly Dim[], at: (d: Dim) => unknown) =>
  JSON.stringify(groupBy.map((d) => at(d)));

/** Distinct started episodes per cell of a breakdown, from the folded events. */
function truthOf(summaries: readonly EpisodeSummary[], groupBy: readonly Dim[]) {
  const counts = new Map<string, number>();
  for (const s of summaries) {
    const key = cellKey(groupBy, (d) => dimensionValue(s, d));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Every difference between two answers beyond 1e-9, as paths; [] when they agree. */
function mismatches(actual: unknown, expected: unknown, where: string): string[] {
  if (typeof expected === 'number') {
    return typeof actual === 'number' && Math.abs(actual - expected) < 1e-9
      ? []
      : [`${where}: ${String(actual)} vs ${expected}`];
  }
  if (expected === null || typeof expected !== 'object') {
    return actual === expected ? [] : [`${where}: ${String(actual)} vs ${String(expected)}`];
  }
  if (actual === null || typeof actual !== 'object') return [`${where}: ${String(actual)}`];
  return Object.entries(expected).flatMap(([key, value]) =>
    mismatches((actual as Record<string, unknown>)[key], value, `${where}.${key}`),
  );
}

const flat = (g: OutcomeGroup) => ({ ...g.dimensions, ...g });

/**
 * An exact reader's answer against the truth: every number equal to the independent
 * computation to 1e-9, every cell of k or more shown with its count, a small cell withheld and
 * an empty one read as 0. Returns the figures for the closing note.
 */
function checkExact(
  result: { protected: boolean; groups: OutcomeGroup[] },
  summaries: readonly EpisodeSummary[],
  groupBy: readonly Dim[],
): { eligible: number; shown: number; empty: number } {
  expect(result.protected).toBe(false);
  const truth = truthOf(summaries, groupBy);
  const expected = expectedOutcomes(summaries, [...groupBy], K);
  const got = new Map(result.groups.map((g) => [cellKey(groupBy, (d) => g.dimensions[d]), g]));
  expect(got.size).toBe(expected.length);
  let eligible = 0;
  let shown = 0;
  let empty = 0;
  const wrong: string[] = [];
  for (const want of expected) {
    const key = cellKey(groupBy, (d) => (want as Record<string, unknown>)[d]);
    const group = got.get(key);
    if (group === undefined) throw new Error(`no cell ${key}`);
    wrong.push(...mismatches(flat(group), want, key));
    const n = truth.get(key) ?? 0;
    if (n >= K) {
      eligible += 1;
      if (!group.suppressed && group.n === n) shown += 1;
    } else if (n === 0) {
      empty += 1;
      expect(group, key).toMatchObject({ suppressed: false, n: 0 });
    } else {
      expect(group, key).toMatchObject({ suppressed: true, n: null });
    }
  }
  expect(wrong).toEqual([]);
  expect(shown).toBe(eligible);
  expect(eligible).toBeGreaterThan(0);
  return { eligible, shown, empty };
}

export function describeBreakdownUtility(network: string, makeEvents: () => CatalogEvent[]): void {
  const events = makeEvents();
  const summaries = foldAll(events).filter((s) => s.started);
  const clinicSizes = new Map<string, number>();
  for (const s of summaries) clinicSizes.set(s.clinicId, (clinicSizes.get(s.clinicId) ?? 0) + 1);
  // The clinic reader reads its largest clinic: the most cells of k or more to be shown.
  const [ownClinic] = [...clinicSizes.entries()].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  )[0] ?? [''];
  let loaded: Awaited<ReturnType<typeof loadedWarehouse>>;
  let callerFor: (principal: Principal) => ReturnType<typeof createCaller>;
  const figures: string[] = [];

  beforeAll(async () => {
    loaded = await loadedWarehouse(events, 'utility');
    const accessLog = createAccessLog(loaded.warehouse);
    const budget = createCohortBudget(loaded.warehouse, { perDay: 1000 });
    callerFor = (principal) =>
      createCaller({
        warehouse: loaded.warehouse,
        disclosure: { ...testDisclosure, minCellSize: K },
        budget,
        principal,
        accessLog,
      });
  }, 600_000);
  afterAll(async () => {
    console.info(
      `breakdown utility, ${network} (${summaries.length} episodes, ${clinicSizes.size} clinics, k = ${K}):\n${figures.join('\n')}`,
    );
    await loaded?.dispose();
  });

  describe(`breakdown utility on ${network}`, () => {
    it.each(BREAKDOWNS.map((g) => [g.join(' x '), g] as const))(
      'shows the steward every cell of k or more, exactly, equal to the independent computation (%s)',
      async (label, groupBy) => {
        const result = await callerFor(testPrincipals.steward).outcomes.compare({
          groupBy,
          filters: {},
        });
        const { eligible, shown, empty } = checkExact(result, summaries, groupBy);
        figures.push(
          `  ${label}: steward ${shown}/${eligible} cells of k or more shown exactly (${empty} empty cells read 0)`,
        );
      },
    );

    it.each(BREAKDOWNS.map((g) => [g.join(' x '), g] as const))(
      'shows a clinic reader every cell of k or more of its own clinic, exactly (%s)',
      async (label, groupBy) => {
        const reader = callerFor(testPrincipals.clinic([ownClinic]));
        const result = await reader.outcomes.compare({ groupBy, filters: { clinic: [ownClinic] } });
        const own = summaries.filter((s) => s.clinicId === ownClinic);
        const { eligible, shown, empty } = checkExact(result, own, groupBy);
        figures.push(
          `  ${label}: clinic reader (${ownClinic}, ${own.length} episodes) ${shown}/${eligible} cells of k or more shown exactly (${empty} empty cells read 0)`,
        );
      },
    );

    // The network, and one clinic's episodes (smaller cells: more of them between k and 2k-1).
    it.each(
      BREAKDOWNS.flatMap((g) => [
        [g.join(' x '), g, 'network'] as const,
        [g.join(' x '), g, 'clinic'] as const,
      ]),
    )(
      'shows a researcher every cell of 2k or more and 90%% of those of k to 2k-1, perturbed (%s, %s)',
      async (label, groupBy, cohort) => {
        const filters = cohort === 'network' ? {} : { clinic: [ownClinic] };
        const result = await callerFor(testPrincipals.researcher).outcomes.compare({
          groupBy,
          filters,
        });
        expect(result.protected).toBe(true);
        const truth = truthOf(
          cohort === 'network' ? summaries : summaries.filter((s) => s.clinicId === ownClinic),
          groupBy,
        );
        let large = 0;
        let largeShown = 0;
        let middle = 0;
        let middleShown = 0;
        let small = 0;
        for (const group of result.groups) {
          const key = cellKey(groupBy, (d) => group.dimensions[d]);
          const n = truth.get(key) ?? 0;
          if (n < K) {
            // Empty or small: "fewer than k", no number of any kind.
            small += 1;
            expect(group, key).toMatchObject({ suppressed: true, n: null, finished: null });
            continue;
          }
          if (group.n !== null) expect(Math.abs(group.n - n), key).toBeLessThanOrEqual(D);
          if (n >= 2 * K) {
            large += 1;
            if (group.n !== null) largeShown += 1;
          } else {
            middle += 1;
            if (group.n !== null) middleShown += 1;
          }
        }
        figures.push(
          `  ${label}: researcher, ${cohort === 'network' ? 'the network' : ownClinic}: ${largeShown}/${large} cells of 2k or more, ${middleShown}/${middle} of k to 2k-1 shown (${largeShown + middleShown}/${large + middle} of k or more); ${small} cells below k or empty withheld`,
        );
        expect(largeShown).toBe(large);
        expect(middleShown).toBeGreaterThanOrEqual(Math.ceil(0.9 * middle));
        expect(large).toBeGreaterThan(0);
      },
    );
  });
}
