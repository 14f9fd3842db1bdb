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
import {
  AGE_BANDS,
  CONDITIONS,
  type EpisodeSummary,
  OUTCOME_RATE_NAMES,
  PRIMARY_PROBLEM_AREAS,
  SEVERITY_BANDS,
} from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsmodelsPython } from '../../protocol/test/statsmodels.js';
import { createCaller } from '../src/index.js';

const K = 11;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 1202, episodes: 3000, clinics: 10 })];
const summaries = foldAll(events).filter((s) => s.started);
const SCRIPT = fileURLToPath(
  new URL('../../protocol/test/fixtures/adjustment.py', import.meta.url),
);
const REGRESSION = fileURLToPath(
  new URL('../../protocol/test/fixtures/regression_standardisation.py', import.meta.url),
);
const PYTHON = statsmodelsPython();
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

const LEVELS: Record<string, readonly string[]> = {
  baselineSeverity: SEVERITY_BANDS,
  ageBand: AGE_BANDS,
  condition: CONDITIONS,
  problemArea: PRIMARY_PROBLEM_AREAS,
};

interface Fitted {
  estimate: number;
  ci: [number, number];
}
/** statsmodels' fit, and what the regression standardisation computes from it. */
interface RegressionAnswer {
  error?: string;
  rates: Record<string, Fitted>;
  differences: Record<string, Fitted>;
  ratios: Record<string, Fitted>;
  heterogeneity?: { statistic: number; df: number; p: number };
}

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
): {
  adjusted: PythonAnswer;
  crude: PythonAnswer;
  likeWithLike: PythonAnswer;
  mantelHaenszel: Record<string, { estimate: number; ci: [number, number] } | null>;
  regression: object;
} {
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
  const stratumOf = (s: EpisodeSummary) => JSON.stringify(adjustFor.map((f) => FACTOR[f]?.(s)));
  const strata = table(stratumOf);
  const ask = (questions: object[]) =>
    JSON.parse(
      // Debian's python3 when found: pyenv's shim costs a third of a second a call.
      execFileSync(PYTHON ?? 'python3', [SCRIPT], { input: JSON.stringify(questions) }).toString(),
    ) as PythonAnswer[];
  const [adjusted, crude] = ask([
    { cells: strata, groups, ...two },
    { cells: table(() => 'all'), groups, ...two },
  ]);
  if (adjusted === undefined || crude === undefined) throw new Error('no answer from python');
  // Like with like: the supported episodes as one stratum; and each group's Mantel-Haenszel
  // ratio to the reference over the strata of common support of all compared groups.
  const supported = strata.filter((c) => adjusted.support.includes(c.stratum));
  const pairs = ask([
    { cells: supported.map((c) => ({ ...c, stratum: 'supported' })), groups },
    ...groups.slice(1).map((g) => ({
      cells: supported.filter((c) => c.group === g || c.group === groups[0]),
      groups: [groups[0], g],
      index: g,
      reference: groups[0],
    })),
  ]);
  const [likeWithLike, ...ratios] = pairs;
  return {
    adjusted,
    crude,
    likeWithLike: likeWithLike as PythonAnswer,
    mantelHaenszel: Object.fromEntries(
      groups.slice(1).map((g, i) => [g, ratios[i]?.riskRatio ?? null]),
    ),
    regression: regressionQuestion(eligible, groups, adjustFor, groupOf, m.hit),
  };
}

/** statsmodels' fits of many questions, in one process (its import takes a second or two). */
function statsmodels(questions: readonly object[]): RegressionAnswer[] {
  const out = execFileSync(PYTHON as string, [REGRESSION], {
    input: JSON.stringify(questions),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString()) as RegressionAnswer[];
}

/** The question for statsmodels: the same episodes, grouped here from the folded summaries. */
function regressionQuestion(
  eligible: readonly EpisodeSummary[],
  groups: readonly string[],
  adjustFor: readonly string[],
  groupOf: (s: EpisodeSummary) => string,
  hit: (s: EpisodeSummary) => boolean,
  within?: { name: string; of: (s: EpisodeSummary) => string },
): object {
  const counts = new Map<
    string,
    { group: string; within: string; stratum: string[]; events: number; n: number }
  >();
  for (const s of eligible) {
    const stratum = adjustFor.map((f) => FACTOR[f]?.(s) ?? '');
    const w = within?.of(s) ?? '';
    const key = JSON.stringify([groupOf(s), w, ...stratum]);
    const c = counts.get(key) ?? { group: groupOf(s), within: w, stratum, events: 0, n: 0 };
    c.n += 1;
    if (hit(s)) c.events += 1;
    counts.set(key, c);
  }
  const all = [...counts.values()];
  const question = {
    groups,
    factors: adjustFor.map((name) => ({ name, levels: LEVELS[name] })),
    counts: all,
    within: within === undefined ? null : { name: within.name, levels: LEVELS[within.name] },
    withinCounts: all,
  };
  return question;
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
  result: Pick<
    AdjustedComparisonResult,
    'measures' | 'groups' | 'reference' | 'compare' | 'adjustFor'
  >,
  keep: (s: EpisodeSummary) => boolean,
  allowUnfitted = false,
): number {
  let checked = 0;
  const asked = result.measures.flatMap((m) => {
    // Groups whose crude rate is withheld (k rule) are not compared; the reference must be.
    const compared = m.groups.filter((g) => g.crude !== null).map((g) => g.group);
    if (m.measure !== 'relapse') expect(compared).toEqual(result.groups);
    if (compared.length < 2 || compared[0] !== result.reference) {
      expect(m.groups.every((g) => g.adjusted === null)).toBe(true);
      return [];
    }
    const direct = independent(m.measure, result.compare, compared, result.adjustFor, keep);
    return [{ m, compared, direct }];
  });
  const fits = statsmodels(asked.map((a) => a.direct.regression));
  for (const [i, { m, compared, direct }] of asked.entries()) {
    const truth = { ...direct, regression: fits[i] as RegressionAnswer };
    if (truth.regression.error !== undefined && m.model?.fitted !== false) {
      throw new Error(
        `statsmodels: ${truth.regression.error}; ours: ${JSON.stringify(m.model)} for ${m.measure}`,
      );
    }
    // The primary adjusted figures: regression standardisation over every eligible episode.
    if (m.model?.fitted === false && allowUnfitted) {
      // A small stratum of a within comparison can separate; it must say where.
      expect(m.model.detail.length).toBeGreaterThan(0);
      expect(m.groups.every((g) => g.adjusted === null)).toBe(true);
      continue;
    }
    expect(m.model).toMatchObject({ fitted: true, aliased: [] });
    expect(m.model?.episodes).toBe(
      compared.reduce(
        (n, g) => n + (m.groups.find((x) => x.group === g)?.crude?.denominator ?? 0),
        0,
      ),
    );
    for (const g of m.groups) {
      near(g.adjusted?.estimate, truth.regression.rates[g.group]?.estimate, 1e-6);
      nearPair(g.adjusted?.ci, truth.regression.rates[g.group]?.ci);
      near(g.crude?.rate, truth.crude.rates[g.group]?.rate, 1e-9);
    }
    for (const d of m.differences) {
      near(d.adjusted?.estimate, truth.regression.differences[d.group]?.estimate, 1e-6);
      nearPair(d.adjusted?.ci, truth.regression.differences[d.group]?.ci);
      near(d.crude?.estimate, truth.crude.differences[d.group]?.estimate, 1e-9);
      nearPair(d.crude?.ci, truth.crude.differences[d.group]?.ci);
    }
    for (const r of m.ratios) {
      near(r.adjusted?.estimate, truth.regression.ratios[r.group]?.estimate, 1e-6);
      nearPair(r.adjusted?.ci, truth.regression.ratios[r.group]?.ci);
    }
    // The sensitivity analysis: direct standardisation over common support, and the crude rate
    // of the same supported episodes.
    expect(m.support?.strata).toBe(truth.adjusted.support.length);
    expect(m.support?.inside).toBe(truth.adjusted.inside);
    expect(m.support?.outside).toBe(truth.adjusted.outside);
    near(m.support?.shareOutside ?? undefined, truth.adjusted.shareOutside, 1e-9);
    for (const g of m.groups) {
      near(g.direct?.estimate, truth.adjusted.rates[g.group]?.rate, 1e-9);
      nearPair(g.direct?.ci, truth.adjusted.rates[g.group]?.ci);
      near(g.crudeInSupport?.estimate, truth.likeWithLike.rates[g.group]?.rate, 1e-9);
      nearPair(g.crudeInSupport?.ci, truth.likeWithLike.rates[g.group]?.ci);
    }
    for (const d of m.differences) {
      near(d.direct?.estimate, truth.adjusted.differences[d.group]?.estimate, 1e-9);
      nearPair(d.direct?.ci, truth.adjusted.differences[d.group]?.ci);
    }
    expect(m.ratios.map((r) => r.group)).toEqual(compared.slice(1));
    for (const r of m.ratios) {
      const mh = truth.mantelHaenszel[r.group];
      near(r.direct?.estimate, mh?.estimate, 1e-9);
      nearPair(r.direct?.ci, mh?.ci);
      if (compared.length === 2) {
        near(r.crude?.estimate, truth.crude.riskRatio?.estimate, 1e-9);
        nearPair(r.crude?.ci, truth.crude.riskRatio?.ci);
      }
    }
    checked += 1;
  }
  return checked;
}

describe.skipIf(PYTHON === null)(
  'exact adjusted comparisons equal the independent computation',
  () => {
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

    it('medication within each problem area, with the test of heterogeneity', async () => {
      const result = await steward().outcomes.adjusted({
        compare: 'medication',
        within: 'problemArea',
        filters: {},
      });
      const plain = await steward().outcomes.adjusted({ compare: 'medication', filters: {} });
      // The whole cohort's figures are the ones asked without `within`.
      expect(result.measures).toEqual(plain.measures);
      const within = result.within;
      if (within === null) throw new Error('no within comparison');
      expect(within.dimension).toBe('problemArea');
      // Every level, whether it holds episodes or not.
      expect(within.levels.map((l) => l.level)).toEqual([...PRIMARY_PROBLEM_AREAS]);
      let fitted = 0;
      for (const level of within.levels) {
        fitted += expectIndependent(
          { ...result, measures: level.measures },
          (s) => s.primaryProblemArea === level.level,
          true,
        );
      }
      // Most of the 5 x 9 comparisons have a model; the others said why.
      expect(fitted).toBeGreaterThan(within.levels.length * OUTCOME_RATE_NAMES.length * 0.6);
      for (const h of within.heterogeneity.filter((x) => x.test === null)) {
        expect(h.detail).toBeTruthy();
      }
      const tests = within.heterogeneity.filter((x) => x.test !== null);
      const answers = statsmodels(
        tests.map((h) => {
          const m = MEASURES[h.measure] as IndependentRate;
          return regressionQuestion(
            summaries.filter((s) => m.of(s)),
            result.groups,
            result.adjustFor,
            (s) => s.medicationGroup,
            m.hit,
            { name: 'problemArea', of: (s) => s.primaryProblemArea },
          );
        }),
      );
      let tested = 0;
      for (const [i, h] of tests.entries()) {
        if (h.test === null) continue;
        const truth = answers[i]?.heterogeneity;
        expect(h.test.df).toBe(truth?.df);
        near(h.test.statistic, truth?.statistic, 1e-6);
        near(h.test.p, truth?.p, 1e-6);
        tested += 1;
      }
      expect(tested).toBeGreaterThan(OUTCOME_RATE_NAMES.length / 2);
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
  },
);

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
      { compare: 'medication', within: 'medication', filters: {} },
      { compare: 'medication', within: 'clinic', filters: {} },
    ]) {
      await expect(ask(input)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });
});
