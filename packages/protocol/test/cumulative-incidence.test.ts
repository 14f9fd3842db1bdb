/**
 * @fileoverview The Aalen-Johansen cumulative incidence (time to reliable improvement) against
 * an independent computation, fixtures/cumulative_incidence.py, to 1e-9 for the incidence and
 * 1e-6 for the interval; ties of events, competing events and censoring at one session; and the
 * two special cases whose answers are known in closed form.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  aalenJohansen,
  aalenJohansenFromCounts,
  type CompetingObservation,
  type CompetingStatus,
  ProtocolError,
  quantileType7,
} from '../src/index.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/cumulative_incidence.py', import.meta.url));
type Row = [number, number, number, number, number, number, number];

function python(datasets: CompetingObservation[][]): Row[][] {
  const input = datasets.map((d) =>
    d.map((o) => (o.entry === undefined ? [o.time, o.status] : [o.time, o.status, o.entry])),
  );
  return JSON.parse(
    execFileSync('python3', [SCRIPT], { input: JSON.stringify(input) }).toString(),
  ) as Row[][];
}

const obs = (time: number, status: CompetingStatus): CompetingObservation => ({ time, status });

/** Ties at session 4: an improvement, an ending without it and a censoring, together. */
const TIES: CompetingObservation[] = [
  obs(2, 'event'),
  obs(3, 'competing'),
  obs(4, 'event'),
  obs(4, 'competing'),
  obs(4, 'censored'),
  obs(4, 'event'),
  obs(6, 'censored'),
  obs(7, 'event'),
  obs(9, 'competing'),
  obs(9, 'event'),
  obs(12, 'censored'),
  obs(12, 'event'),
];

function random(seed: number, count: number): CompetingObservation[][] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const statuses: CompetingStatus[] = ['event', 'competing', 'censored'];
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 80) }, () =>
      obs(Math.floor(next() * 20), statuses[Math.floor(next() * 3)] ?? 'event'),
    ),
  );
}

describe('the Aalen-Johansen cumulative incidence equals the independent computation', () => {
  it('with ties of events, competing events and censoring at one session', () => {
    const [expected] = python([TIES]);
    const actual = aalenJohansen(TIES);
    expect(actual.length).toBe(expected?.length);
    const at4 = actual.find((p) => p.time === 4);
    // At session 4 the episode censored there is still at risk: 10 at risk, 2 improved, 1 ended.
    expect(at4).toMatchObject({ atRisk: 10, events: 2, competing: 1, censored: 1 });
    actual.forEach((p, i) => {
      const [time, n, d1, d2, c, f, v] = expected?.[i] ?? [];
      expect([p.time, p.atRisk, p.events, p.competing, p.censored]).toEqual([time, n, d1, d2, c]);
      expect(Math.abs(p.incidence - (f ?? Number.NaN))).toBeLessThan(1e-9);
      const half = 1.96 * Math.sqrt(v ?? Number.NaN);
      expect(Math.abs(p.ci[1] - Math.min(1, (f ?? 0) + half))).toBeLessThan(1e-6);
      expect(Math.abs(p.ci[0] - Math.max(0, (f ?? 0) - half))).toBeLessThan(1e-6);
    });
  });

  it('from counts by session as from one record per episode', () => {
    for (const d of random(7, 20)) {
      const counts = d.map((o) => ({
        time: o.time,
        events: o.status === 'event' ? 1 : 0,
        competing: o.status === 'competing' ? 1 : 0,
        censored: o.status === 'censored' ? 1 : 0,
      }));
      expect(aalenJohansenFromCounts(counts)).toEqual(aalenJohansen(d));
    }
  });

  it('with delayed entry, on 200 random datasets (a landmark, entries at many times)', () => {
    const datasets = random(20261207, 200).map((d, k) =>
      d.map((o, i) => {
        // Half the datasets enter everyone at a landmark (session 3), the others at many times.
        const entry = k % 2 === 0 ? 3 : (i * 7) % 6;
        if (o.time <= entry) return o;
        return i % 3 === 0 ? o : { ...o, entry };
      }),
    );
    const expected = python(datasets);
    datasets.forEach((d, k) => {
      const actual = aalenJohansen(d);
      expect(actual.length).toBe(expected[k]?.length);
      actual.forEach((p, i) => {
        const row = expected[k]?.[i];
        expect(p.time).toBe(row?.[0]);
        expect(p.atRisk).toBe(row?.[1]);
        expect(Math.abs(p.incidence - (row?.[5] ?? Number.NaN))).toBeLessThan(1e-9);
        expect(Math.abs(p.variance - (row?.[6] ?? Number.NaN))).toBeLessThan(1e-9);
      });
      // From counts with entries, the same curve.
      const counts = d.flatMap((o) => [
        {
          time: o.time,
          events: o.status === 'event' ? 1 : 0,
          competing: o.status === 'competing' ? 1 : 0,
          censored: o.status === 'censored' ? 1 : 0,
        },
        ...(o.entry === undefined
          ? []
          : [{ time: o.entry, events: 0, competing: 0, censored: 0, entered: 1 }]),
      ]);
      expect(aalenJohansenFromCounts(counts)).toEqual(actual);
    });
    // Everyone entering at a landmark: the curve starts after it.
    expect(aalenJohansen([{ time: 5, status: 'event', entry: 3 }])[0]?.time).toBe(4);
  });

  it('refuses an entry at or after the time', () => {
    expect(() => aalenJohansen([{ time: 3, status: 'event', entry: 3 }])).toThrow(ProtocolError);
  });

  it('on 200 random datasets', () => {
    const datasets = random(20261202, 200);
    const expected = python(datasets);
    datasets.forEach((d, k) => {
      const actual = aalenJohansen(d);
      expect(actual.length).toBe(expected[k]?.length);
      actual.forEach((p, i) => {
        const row = expected[k]?.[i];
        expect(p.atRisk).toBe(row?.[1]);
        expect(Math.abs(p.incidence - (row?.[5] ?? Number.NaN))).toBeLessThan(1e-9);
        expect(Math.abs(p.variance - (row?.[6] ?? Number.NaN))).toBeLessThan(1e-9);
      });
    });
  });
});

describe('the special cases known in closed form', () => {
  it('without competing events is 1 - Kaplan-Meier, with the Greenwood variance', () => {
    const data = [1, 2, 2, 3, 5, 5, 8].map((t) => obs(t, 'event'));
    data.push(obs(2, 'censored'), obs(4, 'censored'), obs(6, 'censored'));
    let survival = 1;
    let greenwood = 0;
    for (const p of aalenJohansen(data)) {
      if (p.events > 0) {
        survival *= 1 - p.events / p.atRisk;
        greenwood += p.events / (p.atRisk * (p.atRisk - p.events) || Number.POSITIVE_INFINITY);
      }
      expect(p.incidence).toBeCloseTo(1 - survival, 12);
      if (p.time < 8) expect(p.variance).toBeCloseTo(survival * survival * greenwood, 12);
    }
  });

  it('without censoring is the share with the event by t, with the binomial variance', () => {
    const data = [
      ...[1, 1, 3, 4, 4, 4].map((t) => obs(t, 'event')),
      ...[2, 3, 3, 5].map((t) => obs(t, 'competing')),
    ];
    for (const p of aalenJohansen(data)) {
      const share = data.filter((o) => o.status === 'event' && o.time <= p.time).length / 10;
      expect(p.incidence).toBeCloseTo(share, 12);
      expect(p.variance).toBeCloseTo((share * (1 - share)) / 10, 12);
    }
  });

  it('refuses a time that is not a whole number of at least 0', () => {
    expect(() => aalenJohansen([obs(-1, 'event')])).toThrow(ProtocolError);
    expect(() => aalenJohansen([obs(1.5, 'event')])).toThrow(ProtocolError);
    expect(aalenJohansen([])).toEqual([]);
  });
});

describe('quantiles of type 7', () => {
  it("equal R's quantile(type = 7)", () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(0, .1, .5, .9, 1)) -> 1.0 1.4 3.0 7.6 10.0
    const x = [10, 3, 1, 4, 2];
    const r = [1, 1.4, 3, 7.6, 10];
    [0, 0.1, 0.5, 0.9, 1].forEach((p, i) => {
      expect(quantileType7(x, p)).toBeCloseTo(r[i] ?? Number.NaN, 12);
    });
    // R: quantile(c(5, 7), .25) -> 5.5; a single value is every quantile.
    expect(quantileType7([7, 5], 0.25)).toBe(5.5);
    expect(quantileType7([4], 0.9)).toBe(4);
    expect(() => quantileType7([], 0.5)).toThrow(ProtocolError);
    expect(() => quantileType7([1], 1.5)).toThrow(ProtocolError);
  });
});
