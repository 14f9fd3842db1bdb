/**
 * @fileoverview Regression standardisation (docs/outcomes.md, "Adjusted comparisons") against an
 * independent fit: fixtures/regression_standardisation.py fits the logistic model with
 * statsmodels' GLM and computes the standardised rates and their delta-method intervals from
 * that fit with numpy. Coefficients, rates, differences, ratios and intervals agree to 1e-6 on
 * simulated networks with sparse strata; so does the likelihood-ratio test of heterogeneity.
 * Then what the method promises: every episode counts, it agrees with direct standardisation
 * under full support, it removes confounding, it says which level separates, and the noise
 * variance it reports for protected counts is the variance the noise causes.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type CategoricalFactor,
  chiSquareSurvival,
  directlyStandardise,
  type GroupStratumCount,
  interactionTest,
  regressionStandardise,
  type WithinCount,
} from '../src/index.js';
import { statsmodelsPython } from './statsmodels.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/regression_standardisation.py', import.meta.url));
const PYTHON = statsmodelsPython();
const TOLERANCE = 1e-6;

interface Fitted {
  estimate: number;
  variance: number;
  ci: [number, number];
}
interface Answer {
  coefficients: Record<string, number>;
  deviance: number;
  rates: Record<string, Fitted>;
  differences: Record<string, Fitted>;
  ratios: Record<string, Fitted>;
  heterogeneity?: { statistic: number; df: number; p: number };
  separated: Array<{ factor: string; level: string; rate: number }>;
}
interface Question {
  groups: string[];
  factors: CategoricalFactor[];
  counts: GroupStratumCount[];
  within?: CategoricalFactor | null;
  withinCounts?: WithinCount[];
}

function oracle(questions: Question[]): Answer[] {
  const out = execFileSync(PYTHON as string, [SCRIPT], {
    input: JSON.stringify(questions),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString()) as Answer[];
}

/** A deterministic generator (mulberry32), so every run sees the same networks. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEVERITY: CategoricalFactor = {
  name: 'baselineSeverity',
  levels: ['mild', 'moderate', 'moderately-severe', 'severe'],
};
const AGE: CategoricalFactor = {
  name: 'ageBand',
  levels: ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
};
const CONDITION: CategoricalFactor = {
  name: 'condition',
  levels: ['depression', 'perinatal-depression', 'other'],
};
const AREAS = ['grief', 'role-transition', 'role-dispute', 'interpersonal-deficits'];

interface Network {
  counts: GroupStratumCount[];
  withinCounts: WithinCount[];
  episodes: number;
}

/**
 * Episodes with skewed factor mixes (many strata empty or held by one group), a group whose
 * chance of the outcome is `effects[group]` on the logit scale and which depends on severity
 * (confounding), aggregated to counts by group x stratum (and by a second dimension `within`).
 */
function network(
  seed: number,
  episodes: number,
  groups: readonly string[],
  options: {
    effects?: Record<string, number>;
    withinLevels?: readonly string[];
    interaction?: number;
    confounding?: number;
  } = {},
): Network {
  const random = generator(seed);
  const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
    const total = weights.reduce((s, w) => s + w, 0);
    let u = random() * total;
    for (let i = 0; i < items.length; i++) {
      u -= weights[i] as number;
      if (u <= 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  };
  const cells = new Map<string, WithinCount>();
  for (let i = 0; i < episodes; i++) {
    const severity = pick(SEVERITY.levels, [4, 3, 2, 1]);
    const s = SEVERITY.levels.indexOf(severity);
    const age = pick(AGE.levels, [1, 5, 4, 3, 2, 0.5]);
    const condition = pick(CONDITION.levels, [10, 2, 1]);
    const confounding = options.confounding ?? 0.6;
    const group = pick(
      groups,
      groups.map((_, g) => Math.exp(confounding * g * (s - 1.5))),
    );
    const within =
      options.withinLevels === undefined
        ? ''
        : pick(
            options.withinLevels,
            options.withinLevels.map(() => 1),
          );
    const w = options.withinLevels?.indexOf(within) ?? 0;
    const logit =
      0.4 -
      0.5 * s +
      0.1 * AGE.levels.indexOf(age) -
      0.3 * CONDITION.levels.indexOf(condition) +
      (options.effects?.[group] ?? 0) +
      (options.interaction ?? 0) * w * groups.indexOf(group);
    const event = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const id = JSON.stringify([group, within, severity, age, condition]);
    const cell = cells.get(id) ?? {
      group,
      within,
      stratum: [severity, age, condition],
      events: 0,
      n: 0,
    };
    cells.set(id, { ...cell, events: cell.events + event, n: cell.n + 1 });
  }
  const withinCounts = [...cells.values()];
  const merged = new Map<string, GroupStratumCount>();
  for (const c of withinCounts) {
    const id = JSON.stringify([c.group, ...c.stratum]);
    const m = merged.get(id) ?? { group: c.group, stratum: c.stratum, events: 0, n: 0 };
    merged.set(id, { ...m, events: m.events + c.events, n: m.n + c.n });
  }
  return { counts: [...merged.values()], withinCounts, episodes };
}

const FACTORS = [SEVERITY, AGE, CONDITION];

function expectClose(actual: number, expected: number | undefined, what: string): void {
  if (expected === undefined) throw new Error(`the oracle has no ${what}`);
  expect(Math.abs(actual - expected), what).toBeLessThan(TOLERANCE);
}

describe.skipIf(PYTHON === null)('regression standardisation against statsmodels', () => {
  const questions: Array<Question & { name: string; separated?: number }> = [
    {
      name: '4 problem areas, 1,200 episodes over 72 strata',
      groups: AREAS,
      factors: FACTORS,
      counts: network(1, 1200, AREAS).counts,
    },
    {
      name: 'medication, 400 episodes, most strata held by one group',
      groups: ['ipt-only', 'ipt-with-medication'],
      factors: FACTORS,
      counts: network(2, 400, ['ipt-only', 'ipt-with-medication'], { confounding: 1.5 }).counts,
    },
    {
      name: 'a rare outcome: levels without events are predicted at 0, the rest fitted',
      groups: AREAS,
      factors: FACTORS,
      counts: network(4, 900, AREAS).counts.map((c) => ({
        ...c,
        // No event at all among the oldest and in the rarest condition.
        events: c.stratum[1] === '65+' || c.stratum[2] === 'other' ? 0 : Math.floor(c.events / 2),
      })),
      separated: 2,
    },
    {
      name: 'one factor, 3 groups, 5,000 episodes',
      groups: AREAS.slice(0, 3),
      factors: [SEVERITY],
      counts: network(3, 5000, AREAS.slice(0, 3), {
        effects: { 'role-transition': 0.4 },
      }).counts.map((c) => ({ ...c, stratum: c.stratum.slice(0, 1) })),
    },
  ];
  const answers =
    PYTHON === null ? [] : oracle(questions.map(({ name: _, separated: __, ...q }) => q));

  questions.forEach((question, q) => {
    it(question.name, () => {
      const expected = answers[q] as Answer;
      const result = regressionStandardise(question.counts, question);
      if (!result.ok) throw new Error(`no fit: ${result.detail}`);
      // Sparse on purpose: some strata have a single group.
      const held = new Map<string, Set<string>>();
      for (const c of question.counts) {
        const id = JSON.stringify(c.stratum);
        held.set(id, (held.get(id) ?? new Set()).add(c.group));
      }
      if (question.factors.length > 1) {
        expect([...held.values()].some((g) => g.size < question.groups.length)).toBe(true);
      }
      expect(result.fit.aliased).toEqual([]);
      expect(result.separated.length).toBe(question.separated ?? 0);
      expect(result.separated.map((l) => [l.factor, l.level, l.rate]).sort()).toEqual(
        expected.separated.map((l) => [l.factor, l.level, l.rate]).sort(),
      );
      expect(result.fit.columns.map((c) => c.name).sort()).toEqual(
        Object.keys(expected.coefficients).sort(),
      );
      result.fit.columns.forEach((column, j) => {
        expectClose(
          result.fit.coefficients[j] as number,
          expected.coefficients[column.name],
          column.name,
        );
      });
      expectClose(result.fit.deviance, expected.deviance, 'deviance');
      for (const r of result.rates) {
        const e = expected.rates[r.group];
        expectClose(r.estimate, e?.estimate, `rate of ${r.group}`);
        expectClose(r.variance, e?.variance, `variance of ${r.group}`);
        expectClose(r.ci[0], e?.ci[0], `lower limit of ${r.group}`);
        expectClose(r.ci[1], e?.ci[1], `upper limit of ${r.group}`);
        expect(r.noiseVariance).toBe(0);
      }
      expect(result.differences.map((d) => d.group)).toEqual(question.groups.slice(1));
      for (const [kind, list] of [
        ['difference', result.differences],
        ['ratio', result.ratios],
      ] as const) {
        for (const d of list) {
          const e = (kind === 'difference' ? expected.differences : expected.ratios)[d.group];
          expectClose(d.estimate, e?.estimate, `${kind} of ${d.group}`);
          expectClose(d.variance, e?.variance, `variance of the ${kind} of ${d.group}`);
          expectClose(d.ci[0], e?.ci[0], `lower limit of the ${kind} of ${d.group}`);
          expectClose(d.ci[1], e?.ci[1], `upper limit of the ${kind} of ${d.group}`);
        }
      }
      // Every eligible episode is in it, the strata one group lacks included.
      expect(result.episodes).toBe(question.counts.reduce((s, c) => s + c.n, 0));
    });
  });

  it('the likelihood-ratio test of heterogeneity, with and without an interaction', () => {
    const groups = ['ipt-only', 'ipt-with-medication'];
    const within: CategoricalFactor = { name: 'problemArea', levels: AREAS };
    const cases = [0, 0.8].map((interaction, i) => {
      const net = network(10 + i, 3000, groups, { withinLevels: AREAS, interaction });
      return {
        groups,
        factors: [SEVERITY, AGE],
        within,
        withinCounts: net.withinCounts.map((c) => ({ ...c, stratum: c.stratum.slice(0, 2) })),
      };
    });
    const expected = oracle(
      cases.map((c) => ({
        ...c,
        counts: c.withinCounts.map(({ within: _, ...rest }) => rest),
      })),
    );
    cases.forEach((c, i) => {
      const test = interactionTest(c.withinCounts, c);
      if (!test.ok) throw new Error(test.detail);
      const e = expected[i]?.heterogeneity;
      expect(test.df).toBe(e?.df);
      expect(test.df).toBe(3);
      expectClose(test.statistic, e?.statistic, 'LR statistic');
      expectClose(test.p, e?.p, 'p');
    });
    // The simulated interaction is found; its absence is not.
    const [none, some] = cases.map((c) => interactionTest(c.withinCounts, c));
    expect(none?.ok && none.p).toBeGreaterThan(0.01);
    expect(some?.ok && some.p).toBeLessThan(0.001);
  });

  it('the chi-square tail against scipy', () => {
    const points = [
      [0.001, 1],
      [0.5, 1],
      [3.84, 1],
      [12, 3],
      [2.5, 7],
      [40, 10],
      [150, 30],
      [0, 4],
    ] as const;
    const out = execFileSync(PYTHON as string, [
      '-c',
      `import json, scipy.stats; print(json.dumps([scipy.stats.chi2.sf(x, d) for x, d in ${JSON.stringify(points)}]))`,
    ]);
    const expected = JSON.parse(out.toString()) as number[];
    points.forEach(([x, df], i) => {
      const e = expected[i] as number;
      expect(Math.abs(chiSquareSurvival(x, df) - e)).toBeLessThan(1e-12 + 1e-9 * e);
    });
  });
});

describe('what regression standardisation promises', () => {
  it('agrees with direct standardisation within 0.5 points under full support', () => {
    const groups = ['ipt-only', 'ipt-with-medication'];
    const { counts } = network(21, 60_000, groups, { effects: { 'ipt-with-medication': 0.3 } });
    const severityOnly = new Map<string, GroupStratumCount>();
    for (const c of counts) {
      const id = JSON.stringify([c.group, c.stratum[0]]);
      const m = severityOnly.get(id) ?? {
        group: c.group,
        stratum: [c.stratum[0] as string],
        events: 0,
        n: 0,
      };
      severityOnly.set(id, { ...m, events: m.events + c.events, n: m.n + c.n });
    }
    const cells = [...severityOnly.values()];
    const direct = directlyStandardise(
      cells.map((c) => ({
        stratum: c.stratum.join('|'),
        group: c.group,
        events: c.events,
        n: c.n,
      })),
      groups,
    );
    expect(direct.support.shareOutside).toBe(0);
    const regression = regressionStandardise(cells, { groups, factors: [SEVERITY] });
    if (!regression.ok) throw new Error(regression.detail);
    for (const group of groups) {
      const d = direct.rates.find((r) => r.group === group)?.rate as number;
      const r = regression.rates.find((x) => x.group === group)?.estimate as number;
      expect(Math.abs(d - r)).toBeLessThan(0.005);
    }
  });

  it('covers every eligible episode where direct standardisation leaves most out', () => {
    const groups = AREAS;
    const { counts, episodes } = network(22, 800, groups, { confounding: 1.2 });
    const direct = directlyStandardise(
      counts.map((c) => ({
        stratum: c.stratum.join('|'),
        group: c.group,
        events: c.events,
        n: c.n,
      })),
      groups,
    );
    expect(direct.support.shareOutside).toBeGreaterThan(0.5);
    const regression = regressionStandardise(counts, { groups, factors: FACTORS });
    if (!regression.ok) throw new Error(regression.detail);
    expect(regression.episodes).toBe(episodes);
  });

  it('removes confounding: medication without effect, given to milder cases', () => {
    const groups = ['ipt-only', 'ipt-with-medication'];
    // Medication goes to the milder (confounding < 0: lower severity, higher chance of it).
    const { counts } = network(23, 6000, groups, { confounding: -1.2 });
    const crude = groups.map((g) => {
      const mine = counts.filter((c) => c.group === g);
      return mine.reduce((s, c) => s + c.events, 0) / mine.reduce((s, c) => s + c.n, 0);
    });
    const crudeDifference = (crude[1] as number) - (crude[0] as number);
    const regression = regressionStandardise(counts, { groups, factors: FACTORS });
    if (!regression.ok) throw new Error(regression.detail);
    const difference = regression.differences[0];
    if (difference === undefined) throw new Error('no difference');
    expect(crudeDifference).toBeGreaterThan(0.08);
    expect(difference.ci[0]).toBeLessThan(0);
    expect(difference.ci[1]).toBeGreaterThan(0);
  });

  it('keeps a separated level of an adjustment factor at its observed rate, and names it', () => {
    const groups = ['a', 'b'];
    const counts: GroupStratumCount[] = [
      { group: 'a', stratum: ['mild'], events: 3, n: 10 },
      { group: 'b', stratum: ['mild'], events: 5, n: 10 },
      { group: 'a', stratum: ['severe'], events: 0, n: 7 },
      { group: 'b', stratum: ['severe'], events: 0, n: 4 },
    ];
    const result = regressionStandardise(counts, { groups, factors: [SEVERITY] });
    if (!result.ok) throw new Error(result.detail);
    expect(result.separated).toEqual([
      { factor: 'baselineSeverity', level: 'severe', episodes: 11, rate: 0 },
    ]);
    expect(result.episodes).toBe(31);
    // The mild stratum is fitted exactly (3/10 and 5/10); the severe one predicts 0 in both.
    expect(result.rates.map((r) => r.estimate)).toEqual([
      expect.closeTo((20 / 31) * 0.3, 12),
      expect.closeTo((20 / 31) * 0.5, 12),
    ]);
  });

  it('says which group separates, and fits nothing', () => {
    const counts: GroupStratumCount[] = [
      { group: 'a', stratum: ['mild'], events: 3, n: 10 },
      { group: 'b', stratum: ['mild'], events: 0, n: 10 },
      { group: 'a', stratum: ['severe'], events: 2, n: 7 },
      { group: 'b', stratum: ['severe'], events: 0, n: 4 },
    ];
    const result = regressionStandardise(counts, { groups: ['a', 'b'], factors: [SEVERITY] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('separation');
    expect(result.detail).toContain('group "b"');
    expect(result.episodes).toBe(31);
  });

  it('reports a group the adjustment factors cannot tell apart', () => {
    const counts: GroupStratumCount[] = [
      { group: 'a', stratum: ['mild'], events: 3, n: 10 },
      { group: 'b', stratum: ['severe'], events: 5, n: 10 },
    ];
    const result = regressionStandardise(counts, { groups: ['a', 'b'], factors: [SEVERITY] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('confounded');
  });

  it('reports the variance protected counts add, as the noise makes it', () => {
    const groups = ['ipt-only', 'ipt-with-medication'];
    const { counts } = network(24, 3000, groups);
    const severityAge = new Map<string, GroupStratumCount>();
    for (const c of counts) {
      const stratum = c.stratum.slice(0, 2);
      const id = JSON.stringify([c.group, ...stratum]);
      const m = severityAge.get(id) ?? { group: c.group, stratum, events: 0, n: 0 };
      severityAge.set(id, { ...m, events: m.events + c.events, n: m.n + c.n });
    }
    const exact = [...severityAge.values()].filter((c) => c.n >= 8);
    const noise = 2;
    const factors = [SEVERITY, AGE];
    const predicted = regressionStandardise(exact, { groups, factors, noise });
    if (!predicted.ok) throw new Error(predicted.detail);
    // Draw the noise many times: each count ± a whole number uniform on -2..2.
    const random = generator(99);
    const draw = () => Math.floor(random() * (2 * noise + 1)) - noise;
    const differences: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const noisy = exact.map((c) => {
        const n = c.n + draw();
        return { ...c, n, events: Math.min(n, Math.max(0, c.events + draw())) };
      });
      const r = regressionStandardise(noisy, { groups, factors });
      if (r.ok) differences.push(r.differences[0]?.estimate as number);
    }
    expect(differences.length).toBe(1500);
    const mean = differences.reduce((s, d) => s + d, 0) / differences.length;
    const observed =
      differences.reduce((s, d) => s + (d - mean) ** 2, 0) / (differences.length - 1);
    const expected = predicted.differences[0]?.noiseVariance as number;
    expect(expected).toBeGreaterThan(0);
    // 1,500 draws estimate a variance to about ±7% (sd of a sample variance: √(2/n)).
    expect(observed / expected).toBeGreaterThan(0.8);
    expect(observed / expected).toBeLessThan(1.25);
  });
});
