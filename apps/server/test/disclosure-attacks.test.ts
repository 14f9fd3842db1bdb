/**
 * @fileoverview Attacks on protected numbers, over real HTTP, by a researcher against a server
 * holding a simulated network posted through POST /v1/events. The truth of every target is
 * known from folding the simulator's events with @ipt/protocol.
 *
 * Each attack is scored as an attacker would score it: the share of tries whose estimate equals
 * the truth exactly. It must be no better than what the noise distribution allows, computed
 * here from the published distribution (counts: e uniform on {-1, 0, 1} for D = 1, independent
 * between different sets of episodes; sums: u uniform on [-1, 1) times 27 per perturbed sum),
 * with three binomial standard deviations of slack for chance. Without noise every attack
 * below recovers its target in every try (the first wave of this product measured exactly
 * that), so each check can fail.
 *
 * Attacks: differencing by excluding one category value; adjacent day-granular periods;
 * one person's mean change and trajectory by subtraction; a one-person cohort's
 * dose-response; rows of a breakdown naming the combinations that exist; the audit naming small
 * units; complement subtraction across a breakdown and its total; averaging one question asked
 * many ways; averaging across many overlapping cohorts (bounded by the daily budget). The
 * differencing attack on the adjusted comparison needs cohorts one episode apart whose groups
 * are all released, which this network has too few of: it has its own network, built for it, in
 * packages/api/test/adjusted-attack.test.ts.
 */

import { foldAll } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { AGE_BANDS, type EpisodeSummary, lastOfMonth, PRIMARY_PROBLEM_AREAS } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, type Harness, postEvents, startHarness } from './harness.js';

const K = 11;
/** The default budget: a reader's distinct cohorts per day. */
const DEFAULT_BUDGET = 50;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 31, episodes: 3000, clinics: 8 })];
let h: Harness;
let summaries: EpisodeSummary[];

beforeAll(async () => {
  const clinics = [...new Set(events.map((e) => e.clinicId))];
  // The attacks ask hundreds of cohorts: the budget is raised here so the noise alone is
  // measured (the last attack and budget.test.ts hold the default budget to account).
  h = await startHarness({
    clinics,
    env: {
      COHORT_BUDGET_PER_DAY: '1000',
      READ_RATE_LIMIT_PER_SECOND: '1000',
      // A fixed secret (a test's, never a deployment's): the seeded network and this secret
      // fix every noise, so each run scores the same tries the same way, never by luck.
      RECORD_KEY_SECRET: Buffer.alloc(32, 9).toString('base64url'),
    },
  });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
  summaries = foldAll(events).filter((s) => s.started);
}, 300_000);
afterAll(async () => h.dispose());

type Filters = Record<string, string | string[]>;
interface Rate {
  count: number;
  denominator: number;
  rate: number;
}
interface Group {
  n: number | null;
  suppressed: boolean;
  reliableImprovement: Rate | null;
  meanChange: { mean: number } | null;
  [dimension: string]: unknown;
}

const query = (filters: Filters, groupBy: string[] = []) => {
  const params = new URLSearchParams();
  if (groupBy.length > 0) params.set('groupBy', groupBy.join(','));
  for (const [name, value] of Object.entries(filters)) {
    params.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  return `/v1/outcomes?${params.toString()}`;
};

/** A researcher's question over REST. */
async function ask(filters: Filters, groupBy: string[] = []): Promise<Group[]> {
  const res = await getJson(h, query(filters, groupBy));
  expect(res.status, res.text).toBe(200);
  const body = res.json as { protected: boolean; groups: Group[] };
  expect(body.protected).toBe(true);
  return body.groups;
}

/** A researcher's question over tRPC. */
async function trpc<T>(procedure: string, input: unknown): Promise<T> {
  const res = await fetch(
    `${h.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
    { headers: { authorization: `Bearer ${h.readKey}` } },
  );
  const body = (await res.json()) as { result?: { data: T } };
  expect(res.status).toBe(200);
  return body.result?.data as T;
}

const month = (start: string) => ({ startedFrom: start, startedTo: lastOfMonth(start) });
const monthOf = (s: EpisodeSummary) => `${(s.startedOn ?? '').slice(0, 7)}-01`;
const months = () => [...new Set(summaries.map(monthOf))].sort();

/**
 * The largest number of exact recoveries chance allows: the expected count under the noise
 * distribution plus three binomial standard deviations (for independent tries with success
 * probabilities p_i).
 */
function chanceBound(probabilities: readonly number[]): number {
  const mean = probabilities.reduce((a, p) => a + p, 0);
  const variance = probabilities.reduce((a, p) => a + p * (1 - p), 0);
  return mean + 3 * Math.sqrt(variance);
}

/** P(e1 = e2) for two independent count noises, e uniform on {-1, 0, 1}: 3 x (1/3)^2. */
const P_EQUAL_NOISE = 1 / 3;
/** The pmf of the sum of m independent whole numbers, each uniform on -bound..bound. */
function uniformSumPmf(bound: number, m: number): Map<number, number> {
  let pmf = new Map<number, number>([[0, 1]]);
  for (let i = 0; i < m; i++) {
    const next = new Map<number, number>();
    for (const [value, p] of pmf) {
      for (let e = -bound; e <= bound; e++) {
        next.set(value + e, (next.get(value + e) ?? 0) + p / (2 * bound + 1));
      }
    }
    pmf = next;
  }
  return pmf;
}
/**
 * A protected sum is the exact sum plus a whole number uniform on -27..27: the difference of two
 * is exact when their noises are equal, 1/55.
 */
const P_SUM_EXACT = uniformSumPmf(27, 2).get(0) ?? 0;
/** The same for the difference of two such differences (four sums): about 1/97. */
const P_DIFFERENCE_EXACT = uniformSumPmf(27, 4).get(0) ?? 0;

/** The pmf of the sum of m independent count noises, each uniform on {-1, 0, 1}. */
const noiseSumPmf = (m: number) => uniformSumPmf(1, m);

interface SmallCell {
  start: string;
  /** The cohort the cell is part of: a month, a condition, and for some cells a sex. */
  base: Filters;
  ageBand: string;
  members: EpisodeSummary[];
}

/**
 * Cells (month, condition[, sex], age band) of 1..k-1 episodes whose cohort without them has
 * at least k + 2 episodes (so both questions of a difference are answered).
 */
function smallCells(select: (cell: SmallCell) => boolean): SmallCell[] {
  const cells = new Map<string, SmallCell & { cohort: number }>();
  const cohorts = new Map<string, number>();
  for (const s of summaries) {
    for (const withSex of [false, true]) {
      const base: Filters = { ...month(monthOf(s)), condition: String(s.condition) };
      if (withSex) base.sex = String(s.sex);
      const cohortKey = JSON.stringify(base);
      cohorts.set(cohortKey, (cohorts.get(cohortKey) ?? 0) + 1);
      const key = `${cohortKey}|${s.ageBand}`;
      const cell = cells.get(key) ?? {
        start: monthOf(s),
        base,
        ageBand: String(s.ageBand),
        members: [],
        cohort: 0,
      };
      cell.members.push(s);
      cells.set(key, cell);
    }
  }
  return [...cells.entries()]
    .filter(([key, c]) => {
      const cohort = cohorts.get(key.slice(0, key.lastIndexOf('|'))) ?? 0;
      return c.members.length < K && cohort - c.members.length >= K + 2;
    })
    .map(([, c]) => c)
    .filter(select)
    .sort((a, b) =>
      JSON.stringify([a.base, a.ageBand]) < JSON.stringify([b.base, b.ageBand]) ? -1 : 1,
    );
}

/** REST filters as tRPC takes them: list filters as arrays, dates as they are. */
const trpcFilters = (filters: Filters) =>
  Object.fromEntries(
    Object.entries(filters).map(([k, v]) => [k, k.startsWith('started') ? v : [v].flat()]),
  );
const others = (band: string) => AGE_BANDS.filter((b) => b !== band);
const results: string[] = [];
afterAll(() => {
  // The figures of the closing note.
  console.info(`disclosure attacks:\n${results.join('\n')}`);
});

describe('attacks on protected numbers', () => {
  it('differencing by excluding one category value recovers a small count no better than chance', async () => {
    const targets = smallCells(() => true).slice(0, 60);
    expect(targets.length).toBeGreaterThanOrEqual(40);
    let exact = 0;
    for (const t of targets) {
      const [all] = await ask(t.base);
      const [rest] = await ask({
        ...t.base,
        ageBand: others(t.ageBand),
      });
      if (all?.n == null || rest?.n == null) continue;
      if (all.n - rest.n === t.members.length) exact += 1;
    }
    const bound = chanceBound(targets.map(() => P_EQUAL_NOISE));
    results.push(
      `excluding one value: ${exact}/${targets.length} exact (chance ${(targets.length * P_EQUAL_NOISE).toFixed(1)}, bound ${bound.toFixed(1)})`,
    );
    expect(exact).toBeLessThanOrEqual(bound);
  }, 300_000);

  it('refuses periods a day apart: protected periods are whole months', async () => {
    let refused = 0;
    const tries = 40;
    for (let i = 0; i < tries; i++) {
      const from = new Date(Date.UTC(2024, 0, 2 + i));
      const to = new Date(from.getTime() + 29 * 86_400_000);
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const res = await getJson(h, query({ startedFrom: day(from), startedTo: day(to) }));
      if (res.status === 400 && /whole months/.test(res.text)) refused += 1;
    }
    results.push(`adjacent day-granular periods: ${refused}/${tries} refused (400), 0 answered`);
    expect(refused).toBe(tries);
  }, 300_000);

  it("recovers one person's mean change by subtraction no better than the noise allows", async () => {
    const targets = smallCells(
      (c) => c.members.filter((s) => s.outcomeEligible).length === 1,
    ).slice(0, 40);
    expect(targets.length).toBeGreaterThanOrEqual(20);
    let exact = 0;
    for (const t of targets) {
      const person = t.members.find((s) => s.outcomeEligible);
      const [all] = await ask(t.base);
      const [rest] = await ask({
        ...t.base,
        ageBand: others(t.ageBand),
      });
      const sum = (g: Group | undefined) =>
        g?.meanChange == null || g.reliableImprovement == null
          ? null
          : g.meanChange.mean * g.reliableImprovement.denominator;
      const a = sum(all);
      const b = sum(rest);
      if (a === null || b === null) continue;
      // A protected sum is a whole number, like a sum of whole scores: its fraction carries no
      // trace of the noise (a fractional noise would betray itself, and the exact sum with it).
      for (const value of [a, b]) expect(Math.abs(value - Math.round(value))).toBeLessThan(1e-6);
      if (Math.round(a - b) === person?.outcome?.change) exact += 1;
    }
    const bound = chanceBound(targets.map(() => P_SUM_EXACT));
    results.push(
      `one person's mean change: ${exact}/${targets.length} exact (chance ${(targets.length * P_SUM_EXACT).toFixed(2)}, bound ${bound.toFixed(1)})`,
    );
    expect(exact).toBeLessThanOrEqual(bound);
  }, 300_000);

  it("recovers one person's score at each session by subtracting trajectories no better than the noise allows", async () => {
    const targets = smallCells((c) => c.members.length === 1).slice(0, 25);
    expect(targets.length).toBeGreaterThanOrEqual(10);
    interface Point {
      session: number;
      suppressed: boolean;
      episodes?: number;
      mean?: number;
    }
    type Series = { series: Array<{ points: Point[] }> };
    let tries = 0;
    let exact = 0;
    // The change between two sessions: differencing the sessions of one cohort first would
    // cancel their noise if a cohort's sessions shared it (they must not).
    let changeTries = 0;
    let changeExact = 0;
    for (const t of targets) {
      const person = t.members[0];
      const estimates = new Map<number, { estimate: number; truth: number }>();
      const filters = trpcFilters(t.base);
      const all = await trpc<Series>('outcomes.trajectories', { groupBy: null, filters });
      const rest = await trpc<Series>('outcomes.trajectories', {
        groupBy: null,
        filters: { ...filters, ageBand: others(t.ageBand) },
      });
      const a = all.series[0]?.points ?? [];
      const b = rest.series[0]?.points ?? [];
      for (const score of person?.scores ?? []) {
        const same = (person?.scores ?? []).filter((s) => s.sessionNumber === score.sessionNumber);
        if (same.length !== 1 || score.sessionNumber > 20) continue;
        const p = a.find((x) => x.session === score.sessionNumber);
        const q = b.find((x) => x.session === score.sessionNumber);
        tries += 1;
        if (p?.mean === undefined || q?.mean === undefined) continue;
        const estimate = p.mean * (p.episodes ?? 0) - q.mean * (q.episodes ?? 0);
        if (Math.round(estimate) === score.total) exact += 1;
        estimates.set(score.sessionNumber, { estimate, truth: score.total });
      }
      for (const [session, later] of estimates) {
        const earlier = estimates.get(session - 1);
        if (earlier === undefined) continue;
        changeTries += 1;
        if (Math.round(later.estimate - earlier.estimate) === later.truth - earlier.truth) {
          changeExact += 1;
        }
      }
    }
    expect(tries).toBeGreaterThanOrEqual(40);
    const bound = chanceBound(Array.from({ length: tries }, () => P_SUM_EXACT));
    results.push(
      `one person's trajectory: ${exact}/${tries} session scores exact (chance ${(tries * P_SUM_EXACT).toFixed(2)}, bound ${bound.toFixed(1)})`,
    );
    expect(exact).toBeLessThanOrEqual(bound);
    expect(changeTries).toBeGreaterThanOrEqual(30);
    const changeBound = chanceBound(Array.from({ length: changeTries }, () => P_DIFFERENCE_EXACT));
    results.push(
      `one person's change between sessions: ${changeExact}/${changeTries} exact (chance ${(changeTries * P_DIFFERENCE_EXACT).toFixed(2)}, bound ${changeBound.toFixed(1)})`,
    );
    expect(changeExact).toBeLessThanOrEqual(changeBound);
  }, 300_000);

  it("gives a one-person cohort's dose-response no numbers at all", async () => {
    const targets = smallCells((c) => c.members.length === 1).slice(0, 10);
    let disclosed = 0;
    for (const t of targets) {
      const answer = await trpc<{
        points: Array<{ reliableImprovement: unknown; recovery: unknown }>;
      }>('outcomes.doseResponse', {
        filters: { ...trpcFilters(t.base), ageBand: [t.ageBand] },
      });
      expect(answer.points).toHaveLength(21);
      if (answer.points.some((p) => p.reliableImprovement !== null || p.recovery !== null))
        disclosed += 1;
    }
    results.push(`one-person dose-response: ${disclosed}/${targets.length} with any number`);
    expect(disclosed).toBe(0);
  }, 300_000);

  it('returns the same rows for every small cohort: a row says nothing about who is in it', async () => {
    const targets = smallCells(() => true).slice(0, 6);
    const grids = new Set<string>();
    let revealing = 0;
    for (const t of targets) {
      const groups = await ask({ ...t.base, ageBand: t.ageBand }, [
        'problemArea',
        'sessionBucket',
        'medication',
      ]);
      expect(groups).toHaveLength(PRIMARY_PROBLEM_AREAS.length * 6 * 2);
      if (groups.some((g) => !g.suppressed || g.n !== null)) revealing += 1;
      grids.add(JSON.stringify(groups));
    }
    results.push(
      `breakdown rows of small cohorts: ${revealing}/${targets.length} reveal a combination; ${grids.size} distinct answer(s)`,
    );
    expect(revealing).toBe(0);
    expect(grids.size).toBe(1);
  }, 300_000);

  it('never names a clinic below k in the audit', async () => {
    let named = 0;
    let small = 0;
    for (const start of months().slice(0, 12)) {
      const audit = await trpc<{ units: Array<{ unit: string }> }>('outcomes.audit', {
        level: 'clinic',
        filters: month(start),
      });
      const size = (clinic: string) =>
        summaries.filter((s) => monthOf(s) === start && s.clinicId === clinic).length;
      small +=
        new Set(summaries.filter((s) => monthOf(s) === start).map((s) => s.clinicId)).size -
        audit.units.length;
      for (const unit of audit.units) if (size(unit.unit) < K) named += 1;
    }
    results.push(
      `audit by month: ${named} clinics below k named (${small} clinic-months left unnamed)`,
    );
    expect(named).toBe(0);
  }, 300_000);

  it('recovers suppressed cells from a total and its shown cells no better than chance', async () => {
    const probabilities: number[] = [];
    let exact = 0;
    for (const start of months()) {
      const [total] = await ask(month(start));
      const cells = await ask(month(start), ['problemArea']);
      const hidden = cells.filter((c) => c.suppressed);
      if (total?.n == null || hidden.length === 0) continue;
      const truth = hidden
        .map(
          (c) =>
            summaries.filter((s) => monthOf(s) === start && s.primaryProblemArea === c.problemArea)
              .length,
        )
        .reduce((a, b) => a + b, 0);
      if (truth === 0) continue;
      const shown = cells.filter((c) => !c.suppressed);
      const estimate = total.n - shown.reduce((a, c) => a + (c.n ?? 0), 0);
      // The estimate's error is the total's noise minus each shown cell's: a sum of
      // shown + 1 independent noises; exact when it is 0.
      probabilities.push(noiseSumPmf(shown.length + 1).get(0) ?? 0);
      if (estimate === truth) exact += 1;
    }
    expect(probabilities.length).toBeGreaterThanOrEqual(10);
    const bound = chanceBound(probabilities);
    results.push(
      `complement subtraction: ${exact}/${probabilities.length} exact (chance ${probabilities.reduce((a, p) => a + p, 0).toFixed(1)}, bound ${bound.toFixed(1)})`,
    );
    expect(exact).toBeLessThanOrEqual(bound);
  }, 300_000);

  it.each([
    [
      'two',
      [
        ['problemArea', 'sessionBucket'],
        ['problemArea', 'medication'],
        ['sessionBucket', 'medication'],
      ],
    ],
    ['three', [['problemArea', 'sessionBucket', 'medication']]],
  ] as const)(
    'recovers hidden cells of %s-dimension breakdowns from their margins no better than chance',
    async (label, breakdowns) => {
      // Without complementary suppression, a hidden cell of a breakdown sits in a row whose
      // margin is a shown cell of the breakdown one dimension smaller (the row's other values).
      // Margin minus the row's shown cells is the hidden cells' total plus the margin's noise
      // minus each shown cell's: a sum of shown + 1 independent noises, exact when it is 0.
      const value = (s: EpisodeSummary, d: string) =>
        d === 'problemArea'
          ? s.primaryProblemArea
          : d === 'sessionBucket'
            ? s.sessionBucket
            : s.medicationGroup;
      const probabilities: number[] = [];
      let exact = 0;
      let hiddenLarge = 0;
      for (const start of months()) {
        const members = summaries.filter((s) => monthOf(s) === start);
        for (const groupBy of breakdowns) {
          const cells = await ask(month(start), [...groupBy]);
          for (const varied of groupBy) {
            const fixed = groupBy.filter((d) => d !== varied);
            const margins = await ask(month(start), fixed);
            for (const margin of margins) {
              if (margin.n === null) continue;
              const row = cells.filter((c) => fixed.every((d) => c[d] === margin[d]));
              const hidden = row.filter((c) => c.suppressed);
              if (hidden.length === 0) continue;
              const inRow = (s: EpisodeSummary) => fixed.every((d) => value(s, d) === margin[d]);
              const truthOf = (c: Group) =>
                members.filter((s) => inRow(s) && value(s, varied) === c[varied]).length;
              const truth = hidden.reduce((a, c) => a + truthOf(c), 0);
              // Hidden cells that are all empty leave the margin the same set of episodes as
              // the shown cells: nothing of anyone is learned but that the cells are empty.
              if (truth === 0) continue;
              if (hidden.some((c) => truthOf(c) >= K)) hiddenLarge += 1;
              const shown = row.filter((c) => !c.suppressed);
              const estimate = margin.n - shown.reduce((a, c) => a + (c.n ?? 0), 0);
              probabilities.push(noiseSumPmf(shown.length + 1).get(0) ?? 0);
              if (estimate === truth) exact += 1;
            }
          }
        }
      }
      expect(probabilities.length).toBeGreaterThanOrEqual(50);
      const bound = chanceBound(probabilities);
      results.push(
        `complement subtraction, ${label} dimensions: ${exact}/${probabilities.length} exact (chance ${probabilities.reduce((a, p) => a + p, 0).toFixed(1)}, bound ${bound.toFixed(1)}; ${hiddenLarge} rows with a hidden cell of k or more)`,
      );
      expect(exact).toBeLessThanOrEqual(bound);
    },
    600_000,
  );

  it('gains nothing by asking one question many ways: every spelling gives the same numbers', async () => {
    const targets = smallCells(() => true).slice(60, 80);
    expect(targets.length).toBeGreaterThanOrEqual(15);
    let exact = 0;
    let asked = 0;
    for (const t of targets) {
      const rest = others(t.ageBand);
      const spell = (bands: string[]): Filters[] => [
        { ...t.base, ageBand: bands },
        {
          ...t.base,
          condition: [String(t.base.condition), String(t.base.condition)],
          ageBand: [...bands].reverse(),
        },
        {
          ...t.base,
          ageBand: bands,
          modality: ['in_person', 'online', 'mixed'],
        },
        { ...t.base, ageBand: [...bands, ...bands] },
      ];
      const estimates: number[] = [];
      const wholes = await Promise.all(spell([...AGE_BANDS]).map((f) => ask(f)));
      const rests = await Promise.all(spell(rest).map((f) => ask(f)));
      asked += wholes.length + rests.length;
      // Consistency: one cohort, one answer.
      for (const w of wholes) expect(w).toEqual(wholes[0]);
      for (const r of rests) expect(r).toEqual(rests[0]);
      for (let i = 0; i < wholes.length; i++) {
        const a = wholes[i]?.[0]?.n;
        const b = rests[i]?.[0]?.n;
        if (a != null && b != null) estimates.push(a - b);
      }
      if (estimates.length === 0) continue;
      const mean = estimates.reduce((x, y) => x + y, 0) / estimates.length;
      if (Math.round(mean) === t.members.length) exact += 1;
    }
    const bound = chanceBound(targets.map(() => P_EQUAL_NOISE));
    results.push(
      `one question asked ${asked / targets.length} ways, averaged: ${exact}/${targets.length} exact (chance ${(targets.length * P_EQUAL_NOISE).toFixed(1)}, bound ${bound.toFixed(1)})`,
    );
    expect(exact).toBeLessThanOrEqual(bound);
  }, 300_000);

  it('averaging across overlapping cohorts is bounded by the daily budget', async () => {
    // Each pair (S, S without the target's age band) is two distinct cohorts, so a budget of B
    // cohorts a day buys B/2 independent looks at the target's count. The attacker here stops
    // at what the default budget allows; its success is then what the noise allows for that
    // many looks: P(|sum of m differences| < m/2).
    const pairs = DEFAULT_BUDGET / 2;
    const targets = smallCells(() => true).slice(100, 110);
    expect(targets.length).toBeGreaterThanOrEqual(8);
    const probabilities: number[] = [];
    let exact = 0;
    for (const t of targets) {
      const rest = others(t.ageBand);
      const subsets: string[][] = [];
      for (let mask = 1; mask < 1 << rest.length; mask++) {
        const picked = rest.filter((_, i) => mask & (1 << i));
        if (picked.length >= 2) subsets.push(picked);
      }
      const differences: number[] = [];
      for (const subset of subsets.sort((a, b) => b.length - a.length).slice(0, pairs)) {
        const [a] = await ask({
          ...t.base,
          ageBand: [...subset, t.ageBand],
        });
        const [b] = await ask({ ...t.base, ageBand: subset });
        if (a?.n != null && b?.n != null) differences.push(a.n - b.n);
      }
      if (differences.length === 0) continue;
      const m = differences.length;
      // The sum of m differences of two noises is the sum of 2m noises.
      const pmf = noiseSumPmf(2 * m);
      probabilities.push(
        [...pmf].filter(([s]) => Math.abs(s) < m / 2).reduce((x, [, p]) => x + p, 0),
      );
      const mean = differences.reduce((x, y) => x + y, 0) / m;
      if (Math.round(mean) === t.members.length) exact += 1;
    }
    const chance = probabilities.reduce((a, p) => a + p, 0);
    results.push(
      `averaging ${pairs} overlapping pairs (the default budget): ${exact}/${probabilities.length} exact (chance ${chance.toFixed(1)}, bound ${chanceBound(probabilities).toFixed(1)})`,
    );
    expect(exact).toBeLessThanOrEqual(chanceBound(probabilities));
  }, 600_000);
});
