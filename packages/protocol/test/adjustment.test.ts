/**
 * @fileoverview Case-mix adjusted comparisons (docs/outcomes.md, "Adjusted comparisons") against an
 * independent computation: fixtures/adjustment.py, written from the formulas with Python's
 * standard library, run on the same tables. Estimates agree to 1e-9, intervals to 1e-6, over
 * hand-made tables (zero events, strata outside common support, certain outcomes) and random
 * ones; then the properties the method promises.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compareGroups,
  directlyStandardise,
  mantelHaenszelRiskRatio,
  noiseVarianceOfRate,
  ProtocolError,
  type StratumCell,
} from '../src/index.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/adjustment.py', import.meta.url));

interface Question {
  cells: StratumCell[];
  groups: string[];
  minimum?: number;
  reference?: string;
  index?: string;
}
interface PythonAnswer {
  support: string[];
  inside: number;
  outside: number;
  shareOutside: number;
  rates: Record<string, { rate: number; variance: number; ci: [number, number] }>;
  differences: Record<string, { estimate: number; ci: [number, number] }>;
  riskRatio: { estimate: number; ci: [number, number] } | null;
}

function python(questions: Question[]): PythonAnswer[] {
  const out = execFileSync('python3', [SCRIPT], { input: JSON.stringify(questions) });
  return JSON.parse(out.toString()) as PythonAnswer[];
}

const ESTIMATE = 1e-9;
const INTERVAL = 1e-6;

function expectSame(question: Question, expected: PythonAnswer): void {
  const result = compareGroups(question.cells, question.groups, {
    minimum: question.minimum ?? 1,
    ...(question.reference === undefined ? {} : { reference: question.reference }),
  });
  expect(result.support.strata).toEqual(expected.support);
  expect(result.support.inside).toBe(expected.inside);
  expect(result.support.outside).toBe(expected.outside);
  expect(Math.abs(result.support.shareOutside - expected.shareOutside)).toBeLessThan(ESTIMATE);
  expect(result.rates.length).toBe(Object.keys(expected.rates).length);
  for (const r of result.rates) {
    const e = expected.rates[r.group];
    if (e === undefined) throw new Error(`python has no rate for ${r.group}`);
    expect(Math.abs(r.rate - e.rate)).toBeLessThan(ESTIMATE);
    expect(Math.abs(r.variance - e.variance)).toBeLessThan(ESTIMATE);
    expect(Math.abs(r.ci[0] - e.ci[0])).toBeLessThan(INTERVAL);
    expect(Math.abs(r.ci[1] - e.ci[1])).toBeLessThan(INTERVAL);
  }
  expect(result.differences.length).toBe(Object.keys(expected.differences).length);
  for (const d of result.differences) {
    const e = expected.differences[d.group];
    if (e === undefined) throw new Error(`python has no difference for ${d.group}`);
    expect(Math.abs(d.estimate - e.estimate)).toBeLessThan(ESTIMATE);
    expect(Math.abs(d.ci[0] - e.ci[0])).toBeLessThan(INTERVAL);
    expect(Math.abs(d.ci[1] - e.ci[1])).toBeLessThan(INTERVAL);
  }
  if (expected.riskRatio === null) {
    expect(result.riskRatio).toBeNull();
  } else {
    const rr = result.riskRatio;
    if (rr === null) throw new Error('python has a risk ratio, TypeScript none');
    expect(Math.abs(rr.estimate - expected.riskRatio.estimate)).toBeLessThan(ESTIMATE);
    expect(Math.abs(rr.ci[0] - expected.riskRatio.ci[0])).toBeLessThan(INTERVAL);
    expect(Math.abs(rr.ci[1] - expected.riskRatio.ci[1])).toBeLessThan(INTERVAL);
  }
}

const cell = (stratum: string, group: string, events: number, n: number): StratumCell => ({
  stratum,
  group,
  events,
  n,
});

/** Hand-made: a zero-event stratum, a certain one, and two strata outside common support. */
const HAND: Question = {
  groups: ['ipt_only', 'ipt_with_medication'],
  index: 'ipt_with_medication',
  reference: 'ipt_only',
  cells: [
    cell('mild|25-34', 'ipt_only', 30, 60),
    cell('mild|25-34', 'ipt_with_medication', 8, 20),
    cell('moderate|25-34', 'ipt_only', 0, 15),
    cell('moderate|25-34', 'ipt_with_medication', 3, 25),
    cell('severe|25-34', 'ipt_only', 5, 5),
    cell('severe|25-34', 'ipt_with_medication', 12, 40),
    // Only one group: outside common support.
    cell('severe|65-74', 'ipt_with_medication', 4, 9),
    cell('minimal|12-17', 'ipt_only', 2, 7),
    cell('minimal|12-17', 'ipt_with_medication', 0, 0),
  ],
};

/** A deterministic generator (a 32-bit LCG) so the random tables are the same every run. */
function tables(seed: number, count: number): Question[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const questions: Question[] = [];
  for (let q = 0; q < count; q++) {
    const groups = ['a', 'b', 'c', 'd', 'e'].slice(0, 2 + Math.floor(next() * 4));
    const cells: StratumCell[] = [];
    const strata = 1 + Math.floor(next() * 40);
    for (let s = 0; s < strata; s++) {
      for (const g of groups) {
        if (next() < 0.15) continue; // a group missing from the stratum
        const n = Math.floor(next() * 60);
        const risk = next() < 0.2 ? 0 : next();
        cells.push(cell(`s${s}`, g, Math.min(n, Math.round(n * risk)), n));
      }
    }
    questions.push({
      cells,
      groups,
      minimum: next() < 0.5 ? 1 : 11,
      ...(groups.length === 2 ? { index: 'b', reference: 'a' } : {}),
    });
  }
  return questions;
}

describe('case-mix adjusted comparisons equal the independent Python computation', () => {
  it('on a hand-made table with zero events, certain outcomes and strata outside support', () => {
    const [expected] = python([HAND]);
    if (expected === undefined) throw new Error('no answer from python');
    // The table is what it says: two strata outside, one group with no events in a stratum.
    expect(expected.support).toEqual(['mild|25-34', 'moderate|25-34', 'severe|25-34']);
    expect(expected.outside).toBe(16);
    expectSame(HAND, expected);
  });

  it('on 300 random tables of 2-5 groups, with and without a minimum of 11 per cell', () => {
    const questions = tables(20261202, 300);
    const answers = python(questions);
    expect(answers.length).toBe(300);
    // The generator reaches the cases that matter.
    expect(answers.some((a) => a.shareOutside > 0)).toBe(true);
    expect(answers.some((a) => a.support.length === 0)).toBe(true);
    expect(answers.some((a) => a.riskRatio !== null)).toBe(true);
    questions.forEach((q, i) => {
      const a = answers[i];
      if (a === undefined) throw new Error(`no answer for table ${i}`);
      expectSame(q, a);
    });
  });
});

describe('what the adjustment promises', () => {
  it('one stratum is the crude comparison: rates, Wald difference, Katz risk ratio', () => {
    const a = 30;
    const n1 = 80;
    const c = 20;
    const n0 = 100;
    const result = compareGroups([cell('all', 'x', c, n0), cell('all', 'y', a, n1)], ['x', 'y']);
    expect(result.rates.map((r) => r.rate)).toEqual([c / n0, a / n1]);
    const diff = result.differences[0];
    const wald = Math.sqrt(((a / n1) * (1 - a / n1)) / n1 + ((c / n0) * (1 - c / n0)) / n0);
    expect(diff?.estimate).toBeCloseTo(a / n1 - c / n0, 12);
    expect(diff?.ci[1]).toBeCloseTo(a / n1 - c / n0 + 1.96 * wald, 12);
    const katz = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0);
    const rr = a / n1 / (c / n0);
    expect(result.riskRatio?.estimate).toBeCloseTo(rr, 12);
    expect(result.riskRatio?.ci[0]).toBeCloseTo(rr * Math.exp(-1.96 * katz), 10);
    expect(result.riskRatio?.ci[1]).toBeCloseTo(rr * Math.exp(1.96 * katz), 10);
  });

  it('removes pure confounding: equal risks within strata give RR 1 and no difference', () => {
    // Treated clients are mostly severe; risk depends on severity only.
    const cells = [
      cell('mild', 'untreated', 60, 100),
      cell('mild', 'treated', 6, 10),
      cell('severe', 'untreated', 4, 20),
      cell('severe', 'treated', 40, 200),
    ];
    const result = compareGroups(cells, ['untreated', 'treated']);
    const crude = compareGroups(
      cells.map((x) => ({ ...x, stratum: 'all' })),
      ['untreated', 'treated'],
    );
    expect(crude.riskRatio?.estimate).toBeLessThan(0.5);
    expect(result.riskRatio?.estimate).toBeCloseTo(1, 12);
    expect(result.differences[0]?.estimate).toBeCloseTo(0, 12);
  });

  it('adds the variance of the noise of protected counts to every interval', () => {
    const cells = [cell('s', 'x', 20, 50), cell('s', 'y', 25, 50), cell('t', 'x', 5, 40)];
    const both = [...cells, cell('t', 'y', 9, 30)];
    const exact = directlyStandardise(both, ['x', 'y']);
    const noisy = directlyStandardise(both, ['x', 'y'], { noise: 1 });
    // D = 1: each count's noise has variance 2/3; a rate p of n gets 2/3 (1 + p^2) / n^2.
    expect(noiseVarianceOfRate(0.4, 50, 1)).toBeCloseTo(((2 / 3) * 1.16) / 2500, 15);
    const w = exact.weights;
    const expected =
      (w.get('s') ?? 0) ** 2 * noiseVarianceOfRate(0.4, 50, 1) +
      (w.get('t') ?? 0) ** 2 * noiseVarianceOfRate(5 / 40, 40, 1);
    const x = noisy.rates[0];
    expect(x?.noiseVariance).toBeCloseTo(expected, 15);
    expect(x?.rate).toBe(exact.rates[0]?.rate);
    const half = 1.96 * Math.sqrt((x?.variance ?? 0) + expected);
    expect(x?.ci[1]).toBeCloseTo((x?.rate ?? 0) + half, 12);
    // The risk ratio: the same noise on the log scale, by the delta method.
    const strata = [
      { a: 25, n1: 50, c: 20, n0: 50 },
      { a: 9, n1: 30, c: 5, n0: 40 },
    ];
    const rr = mantelHaenszelRiskRatio(strata);
    const wide = mantelHaenszelRiskRatio(strata, 2);
    expect(wide?.estimate).toBe(rr?.estimate);
    expect(rr?.lnNoiseVariance).toBe(0);
    expect(wide?.lnNoiseVariance).toBeGreaterThan(0);
    expect(wide?.ci[0]).toBeLessThan(rr?.ci[0] ?? 0);
    expect(wide?.ci[1]).toBeGreaterThan(rr?.ci[1] ?? 0);
  });

  it('has no risk ratio without events in a group, and refuses impossible cells', () => {
    expect(mantelHaenszelRiskRatio([{ a: 0, n1: 10, c: 3, n0: 10 }])).toBeNull();
    expect(() => directlyStandardise([cell('s', 'x', 5, 4)], ['x'])).toThrow(ProtocolError);
    expect(() => mantelHaenszelRiskRatio([{ a: 1.5, n1: 10, c: 3, n0: 10 }])).toThrow(
      ProtocolError,
    );
  });
});
