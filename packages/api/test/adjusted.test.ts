/**
 * @fileoverview Case-mix adjusted comparisons through createCaller against embedded chDB with a
 * simulated network: the steward's exact figures equal an independent computation (the events
 * folded with @ipt/protocol, grouped here, and standardised by the Python script of
 * packages/protocol/test/fixtures) to 1e-9 for estimates and 1e-6 for intervals; the crude
 * figures are the outcomes breakdown's; protected readers get consistent, protected numbers; bad
 * questions are refused.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AdjustedComparisonResult, OutcomeFilters, Principal } from '@ipt/analytics';
import { countCells, createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import {
  foldAll,
  INDEPENDENT_RATES,
  type IndependentRate,
  loadedWarehouse,
  testDisclosure,
  testPrincipals,
} from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { type EpisodeSummary, OUTCOME_RATE_NAMES } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../src/index.js';

const K = 11;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 1202, episodes: 3000, clinics: 10 })];
const summaries = foldAll(events).filter((s) => s.started);
const SCRIPT = fileURLToPath(
  new URL('../../protocol/test/fixtures/adjustment.py', import.meta.url),
);
let loaded: Awaited<ReturnType<typeof loadedWarehouse>>;
let accessLog: ReturnType<typeof createAccessLog>;
let budget: ReturnType<typeof createCohortBudget>;

const callerFor = (principal: Principal) =>
  createCaller({
    warehouse: loaded.warehouse,
    disclosure: { ...testDisclosure, minCellSize: K },
    budget,
    principal,
    accessLog,
  });
const steward = () => callerFor(testPrincipals.steward);
const researcher = () => callerFor(testPrincipals.researcher);

beforeAll(async () => {
  loaded = await loadedWarehouse(events, 'adjusted');
  accessLog = createAccessLog(loaded.warehouse);
  budget = createCohortBudget(loaded.warehouse, { perDay: 1000 });
}, 180_000);
afterAll(async () => {
  await accessLog.flush();
  await loaded.dispose();
});

/** The independent side: each outcome's denominator and numerator, written out in the oracle. */
const MEASURES: Record<string, IndependentRate> = INDEPENDENT_RATES;
const FACTOR: Record<string, (s: EpisodeSummary) => string> = {
  baselineSeverity: (s) => s.baseline?.severity ?? '',
  ageBand: (s) => s.ageBand ?? '',
  condition: (s) => s.condition ?? '',
};
const GROUP: Record<string, (s: EpisodeSummary) => string> = {
  medication: (s) => s.medicationGroup,
  problemArea: (s) => s.primaryProblemArea,
};

interface PythonAnswer {
  support: string[];
  inside: number;
  outside: number;
  shareOutside: number;
  rates: Record<string, { rate: number; ci: [number, number] }>;
  differences: Record<string, { estimate: number; ci: [number, number] }>;
  riskRatio: { estimate: number; ci: [number, number] } | null;
}

/** Python's answer for one measure, from the folded episodes: adjusted, or crude (one stratum). */
function independent(
  measure: string,
  compare: string,
  groups: string[],
  adjustFor: string[],
  keep: (s: EpisodeSummary) => boolean,
): { adjusted: PythonAnswer; crude: PythonAnswer } {
  const m = MEASURES[measure];
  const groupOf = GROUP[compare];
  if (m === undefined || groupOf === undefined) throw new Error(`no rule for ${measure}`);
  const eligible = summaries.filter((s) => keep(s) && m.of(s));
  const table = (stratum: (s: EpisodeSummary) => string) => {
    const cells = new Map<string, { stratum: string; group: string; events: number; n: number }>();
    for (const s of eligible) {
      const key = JSON.stringify([stratum(s), groupOf(s)]);
      const c = cells.get(key) ?? { stratum: stratum(s), group: groupOf(s), events: 0, n: 0 };
      c.n += 1;
      if (m.hit(s)) c.events += 1;
      cells.set(key, c);
    }
    return [...cells.values()];
  };
  const two = groups.length === 2 ? { index: groups[1], reference: groups[0] } : {};
  const questions = [
    { cells: table((s) => JSON.stringify(adjustFor.map((f) => FACTOR[f]?.(s)))), groups, ...two },
    { cells: table(() => 'all'), groups, ...two },
  ];
  const out = execFileSync('python3', [SCRIPT], { input: JSON.stringify(questions) });
  const [adjusted, crude] = JSON.parse(out.toString()) as PythonAnswer[];
  if (adjusted === undefined || crude === undefined) throw new Error('no answer from python');
  return { adjusted, crude };
}

const near = (actual: number | undefined, expected: number | undefined, tolerance: number) => {
  expect(actual).toBeDefined();
  expect(expected).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - (expected ?? Number.NaN))).toBeLessThan(tolerance);
};
const nearPair = (a: [number, number] | undefined, b: [number, number] | undefined) => {
  near(a?.[0], b?.[0], 1e-6);
  near(a?.[1], b?.[1], 1e-6);
};

function expectIndependent(
  result: AdjustedComparisonResult,
  keep: (s: EpisodeSummary) => boolean,
): number {
  let checked = 0;
  for (const m of result.measures) {
    // Groups whose crude rate is withheld (k rule) are not compared; the reference must be.
    const compared = m.groups.filter((g) => g.crude !== null).map((g) => g.group);
    if (m.measure !== 'relapse') expect(compared).toEqual(result.groups);
    if (compared.length < 2 || compared[0] !== result.reference) {
      expect(m.groups.every((g) => g.adjusted === null)).toBe(true);
      continue;
    }
    const truth = independent(m.measure, result.compare, compared, result.adjustFor, keep);
    expect(m.support?.strata).toBe(truth.adjusted.support.length);
    expect(m.support?.inside).toBe(truth.adjusted.inside);
    expect(m.support?.outside).toBe(truth.adjusted.outside);
    near(m.support?.shareOutside ?? undefined, truth.adjusted.shareOutside, 1e-9);
    for (const g of m.groups) {
      near(g.adjusted?.estimate, truth.adjusted.rates[g.group]?.rate, 1e-9);
      nearPair(g.adjusted?.ci, truth.adjusted.rates[g.group]?.ci);
      near(g.crude?.rate, truth.crude.rates[g.group]?.rate, 1e-9);
    }
    for (const d of m.differences) {
      near(d.adjusted?.estimate, truth.adjusted.differences[d.group]?.estimate, 1e-9);
      nearPair(d.adjusted?.ci, truth.adjusted.differences[d.group]?.ci);
      near(d.crude?.estimate, truth.crude.differences[d.group]?.estimate, 1e-9);
      nearPair(d.crude?.ci, truth.crude.differences[d.group]?.ci);
    }
    if (compared.length === 2) {
      near(m.riskRatio?.adjusted?.estimate, truth.adjusted.riskRatio?.estimate, 1e-9);
      nearPair(m.riskRatio?.adjusted?.ci, truth.adjusted.riskRatio?.ci);
      near(m.riskRatio?.crude?.estimate, truth.crude.riskRatio?.estimate, 1e-9);
      nearPair(m.riskRatio?.crude?.ci, truth.crude.riskRatio?.ci);
    } else {
      expect(m.riskRatio).toBeNull();
    }
    checked += 1;
  }
  return checked;
}

describe('exact adjusted comparisons equal the independent computation', () => {
  it('IPT alone against IPT with medication, adjusted for severity x age x condition', async () => {
    const result = await steward().outcomes.adjusted({ compare: 'medication', filters: {} });
    expect(result).toMatchObject({
      protected: false,
      reference: 'ipt_only',
      groups: ['ipt_only', 'ipt_with_medication'],
      adjustFor: ['baselineSeverity', 'ageBand', 'condition'],
    });
    // Every outcome rate of the registry is checked.
    expect(expectIndependent(result, () => true)).toBe(OUTCOME_RATE_NAMES.length);
    // The network's strata are sparse enough that some episodes fall outside common support.
    expect(result.measures[0]?.support?.outside).toBeGreaterThan(0);
  });

  it('five problem areas adjusted for severity alone, and two of them with a risk ratio', async () => {
    const all = await steward().outcomes.adjusted({
      compare: 'problemArea',
      adjustFor: ['baselineSeverity'],
      filters: {},
    });
    expect(all.groups.length).toBe(5);
    expect(expectIndependent(all, () => true)).toBe(OUTCOME_RATE_NAMES.length);
    const filters: OutcomeFilters = { problemArea: ['role_dispute', 'grief'] };
    const two = await steward().outcomes.adjusted({ compare: 'problemArea', filters });
    expect(two.groups).toEqual(['grief', 'role_dispute']);
    expect(
      expectIndependent(two, (s) => ['grief', 'role_dispute'].includes(s.primaryProblemArea)),
    ).toBe(OUTCOME_RATE_NAMES.length);
  });

  it('gives the crude rates of the outcomes breakdown', async () => {
    for (const caller of [steward(), researcher()]) {
      const adjusted = await caller.outcomes.adjusted({ compare: 'medication', filters: {} });
      const breakdown = await caller.outcomes.compare({ groupBy: ['medication'], filters: {} });
      for (const m of adjusted.measures) {
        for (const g of m.groups) {
          const group = breakdown.groups.find((b) => b.dimensions.medication === g.group);
          expect(g.crude).toEqual(group?.[m.measure]);
        }
      }
    }
  });
});

describe('protected adjusted comparisons', () => {
  it('are protected, the same however asked, and near the exact ones', async () => {
    const question = {
      compare: 'medication' as const,
      adjustFor: ['baselineSeverity' as const],
      filters: { condition: ['major_depression' as const, 'ptsd' as const] },
    };
    const first = await researcher().outcomes.adjusted(question);
    const again = await researcher().outcomes.adjusted({
      ...question,
      filters: { condition: ['ptsd', 'major_depression', 'ptsd'] },
    });
    expect(first.protected).toBe(true);
    expect(again).toEqual(first);
    const exact = await steward().outcomes.adjusted(question);
    const improvement = (r: AdjustedComparisonResult) =>
      r.measures.find((m) => m.measure === 'reliableImprovement');
    const p = improvement(first);
    const e = improvement(exact);
    // Severity bands of 2 groups hold at least k each: the same strata, protected and exact.
    expect(p?.support?.strata).toBe(e?.support?.strata);
    for (const g of p?.groups ?? []) {
      const truth = e?.groups.find((x) => x.group === g.group)?.adjusted;
      expect(truth).toBeDefined();
      expect(g.adjusted).not.toBeNull();
      // Within the utility target, and the widened interval holds the exact figure.
      expect(Math.abs((g.adjusted?.estimate ?? 0) - (truth?.estimate ?? 0))).toBeLessThan(0.01);
      expect(g.adjusted?.ci[0]).toBeLessThan(truth?.estimate ?? 0);
      expect(g.adjusted?.ci[1]).toBeGreaterThan(truth?.estimate ?? 0);
      // Wider than the exact interval: the noise is accounted for.
      expect((g.adjusted?.ci[1] ?? 0) - (g.adjusted?.ci[0] ?? 0)).toBeGreaterThan(
        (truth?.ci[1] ?? 0) - (truth?.ci[0] ?? 0),
      );
    }
  });

  it('compare only groups whose crude rate is released, and no count below k', async () => {
    // One clinic's perinatal episodes: groups fall below k.
    const result = await researcher().outcomes.adjusted({
      compare: 'problemArea',
      filters: { condition: ['perinatal_depression'] },
    });
    // The access log counts each group of each rate as a cell, released or withheld.
    const groups = result.measures.flatMap((m) => m.groups);
    expect(countCells(result)).toEqual({
      released: groups.filter((g) => !g.suppressed).length,
      withheld: groups.filter((g) => g.suppressed).length,
    });
    expect(groups.some((g) => g.suppressed)).toBe(true);
    for (const m of result.measures) {
      for (const g of m.groups) {
        expect(g.suppressed).toBe(g.crude === null);
        if (g.crude === null) expect(g.adjusted).toBeNull();
        else {
          expect(g.crude.denominator).toBeGreaterThanOrEqual(K);
          expect(g.crude.count).toBeGreaterThanOrEqual(K);
        }
      }
      for (const n of [m.support?.inside, m.support?.outside]) {
        if (n !== null && n !== undefined) expect(n).toBeGreaterThanOrEqual(K);
      }
    }
  });
});

describe('bad questions', () => {
  it('are refused with a reason', async () => {
    const ask = (input: unknown) =>
      steward().outcomes.adjusted(
        input as Parameters<ReturnType<typeof steward>['outcomes']['adjusted']>[0],
      );
    for (const input of [
      { compare: 'clinic', filters: {} },
      { compare: 'medication', adjustFor: [], filters: {} },
      { compare: 'medication', adjustFor: ['ageBand', 'ageBand'], filters: {} },
      { compare: 'medication', adjustFor: ['postcode'], filters: {} },
      { compare: 'medication', filters: {}, extra: 1 },
    ]) {
      await expect(ask(input)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });
});
