/**
 * @fileoverview GET /v1/outcomes over real HTTP against embedded chDB, after a simulated network
 * was sent through POST /v1/events: for every grouping (none, and each combination of one to
 * three dimensions) the response equals an independent computation with @ipt/protocol over the
 * simulator's events (the steward's exact numbers); no response holds a group or metric below k;
 * CSV carries the same numbers and the `protected` marker;
 * filters narrow the cohort; bad queries get 400 and a missing key 401.
 */

import { expectedOutcomes, foldAll } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, getJson, type Harness, postEvents, startHarness } from './harness.js';

type Dim = 'problemArea' | 'sessionBucket' | 'medication';
const GROUPINGS: Dim[][] = [
  [],
  ['problemArea'],
  ['sessionBucket'],
  ['medication'],
  ['problemArea', 'sessionBucket'],
  ['problemArea', 'medication'],
  ['sessionBucket', 'medication'],
  ['problemArea', 'sessionBucket', 'medication'],
];
const K = 11;

let h: Harness;
const events: CatalogEvent[] = [...simulateNetwork({ seed: 77, episodes: 1500, clinics: 12 })];

beforeAll(async () => {
  const clinics = [...new Set(events.map((e) => e.clinicId))];
  h = await startHarness({ clinics });
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
    expect((res.json as { rejected: unknown[] }).rejected).toEqual([]);
  }
}, 120_000);
afterAll(async () => h.dispose());

type Group = Record<string, unknown> & { n: number | null; suppressed: boolean };

describe('GET /v1/outcomes', () => {
  const summaries = () => foldAll(events);

  it.each(GROUPINGS.map((g) => [g.join(',') || '(none)', g] as const))(
    'equals the independent computation grouped by %s',
    async (_label, groupBy) => {
      // The steward's numbers are exact: they equal the independent computation to 1e-9
      // (full precision; the API rounds nothing).
      const res = await getJson(h, `/v1/outcomes?groupBy=${groupBy.join(',')}`, {
        key: h.stewardKey,
      });
      expect(res.status).toBe(200);
      const body = res.json as { minCellSize: number; protected: boolean; groups: Group[] };
      expect(body.minCellSize).toBe(K);
      expect(body.protected).toBe(false);
      const expected = expectedOutcomes(summaries(), groupBy, K);
      const key = (g: Record<string, unknown>) => JSON.stringify(groupBy.map((d) => g[d]));
      const actual = new Map(body.groups.map((g) => [key(g), g]));
      expect(actual.size).toBe(expected.length);
      for (const want of expected) {
        const got = actual.get(key(want));
        expect(got, key(want)).toBeDefined();
        expectClose(got, want, key(want));
      }
    },
  );

  it('suppresses some cells of a three-way breakdown and shows no number below k anywhere', async () => {
    const res = await getJson(h, '/v1/outcomes?groupBy=problemArea,sessionBucket,medication');
    const groups = (res.json as { groups: Group[] }).groups;
    expect(groups.some((g) => g.suppressed)).toBe(true);
    for (const group of groups) {
      if (group.suppressed) {
        expect(group.n).toBeNull();
        expect(
          Object.entries(group).filter(
            ([k, v]) =>
              !['problemArea', 'sessionBucket', 'medication', 'suppressed'].includes(k) &&
              v !== null,
          ),
        ).toEqual([]);
        continue;
      }
      expect(group.n).toBeGreaterThanOrEqual(K);
      for (const [, metric] of Object.entries(group)) {
        if (metric !== null && typeof metric === 'object' && 'denominator' in metric) {
          expect((metric as { denominator: number }).denominator).toBeGreaterThanOrEqual(K);
        }
      }
      for (const field of ['finished', 'paired'] as const) {
        if (group[field] !== null) expect(group[field]).toBeGreaterThanOrEqual(K);
      }
    }
  });

  it('gives the same numbers as CSV', async () => {
    const json = await getJson(h, '/v1/outcomes?groupBy=problemArea,medication');
    const csv = await getJson(h, '/v1/outcomes?groupBy=problemArea,medication', {
      accept: 'text/csv',
    });
    expect((json.json as { protected: boolean }).protected).toBe(true);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trim().split('\n');
    const columns = (header ?? '').split(',');
    const groups = (json.json as { groups: Group[] }).groups;
    expect(lines).toHaveLength(groups.length);
    lines.forEach((line, i) => {
      const row = Object.fromEntries(line.split(',').map((cell, j) => [columns[j], cell]));
      const group = groups[i] as Group & {
        reliableImprovement: { rate: number } | null;
        response: { ci: number[] } | null;
      };
      expect(row.problemArea).toBe(group.problemArea);
      expect(row.n).toBe(group.n === null ? '' : String(group.n));
      expect(row.reliableImprovement_rate).toBe(
        group.reliableImprovement === null ? '' : String(group.reliableImprovement.rate),
      );
      expect(row.response_ci_upper).toBe(
        group.response === null ? '' : String(group.response.ci[1]),
      );
      expect(row.protected).toBe('true');
    });
  });

  it('narrows the cohort with filters', async () => {
    const all = await getJson(h, '/v1/outcomes', { key: h.stewardKey });
    const clinic = events[0]?.clinicId ?? '';
    const one = await getJson(
      h,
      `/v1/outcomes?clinic=${clinic}&baselineSeverity=moderate,moderately_severe,severe&startedFrom=2024-06-01`,
      { key: h.stewardKey },
    );
    const total = ((all.json as { groups: Group[] }).groups[0]?.n ?? 0) as number;
    const part = (one.json as { groups: Group[] }).groups[0];
    const expected = foldAll(events).filter(
      (s) =>
        s.started &&
        s.clinicId === clinic &&
        ['moderate', 'moderately_severe', 'severe'].includes(s.baseline?.severity ?? '') &&
        (s.startedOn ?? '') >= '2024-06-01',
    ).length;
    expect(expected).toBeLessThan(total);
    expect(part?.suppressed ? null : part?.n).toBe(expected >= K ? expected : null);
  });

  it.each([
    ['an unknown dimension', '/v1/outcomes?groupBy=therapist'],
    ['four dimensions', '/v1/outcomes?groupBy=problemArea,sessionBucket,medication,problemArea'],
    ['a repeated dimension', '/v1/outcomes?groupBy=medication,medication'],
    ['an unknown parameter', '/v1/outcomes?name=jane'],
    ['an unknown filter value', '/v1/outcomes?condition=flu'],
    ['a bad date', '/v1/outcomes?startedFrom=2024-13-01'],
    [
      'a period that ends before it starts',
      '/v1/outcomes?startedFrom=2025-06-01&startedTo=2025-01-31',
    ],
  ])('answers 400 for %s', async (_label, path) => {
    const res = await getJson(h, path);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_query');
  });

  it('takes months YYYY-MM as the period, the same numbers as their first and last days', async () => {
    for (const key of [h.stewardKey, h.readKey]) {
      const months = await getJson(h, '/v1/outcomes?startedFrom=2024-03&startedTo=2024-05', {
        key,
      });
      const days = await getJson(h, '/v1/outcomes?startedFrom=2024-03-01&startedTo=2024-05-31', {
        key,
      });
      expect(months.status, months.text).toBe(200);
      expect((months.json as { groups: Group[] }).groups).toEqual(
        (days.json as { groups: Group[] }).groups,
      );
    }
    // February of a leap year ends on the 29th.
    const leap = await getJson(h, '/v1/outcomes?startedFrom=2024-02&startedTo=2024-02', {
      key: h.readKey,
    });
    expect(leap.status, leap.text).toBe(200);
  });

  it('refuses a day inside a month to a protected reader, in the words the dashboard uses', async () => {
    const res = await getJson(h, '/v1/outcomes?startedFrom=2025-01-15', { key: h.readKey });
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toBe(
      'periods are whole months: startedFrom 2025-01-15 must be a month (YYYY-MM) or the first day of one',
    );
    const month = await getJson(h, '/v1/outcomes?startedFrom=2025-13', { key: h.readKey });
    expect(month.status).toBe(400);
    expect(errorOf(month).message).toBe(
      'startedFrom: must be a month YYYY-MM or a date YYYY-MM-DD',
    );
  });

  it('names the reversed period in its refusal', async () => {
    const res = await getJson(h, '/v1/outcomes?startedFrom=2025-06-01&startedTo=2025-01-31', {
      key: h.stewardKey,
    });
    expect(errorOf(res).message).toBe(
      'startedTo: the period ends before it starts (startedTo is before startedFrom)',
    );
  });

  it('refuses a clinic the network does not have, naming it, instead of a suppressed group', async () => {
    const res = await getJson(h, '/v1/outcomes?clinic=nowhere-99', { key: h.stewardKey });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'invalid_query',
      message:
        'clinic: no clinic nowhere-99 in the network (clinic codes are lower case, e.g. north-01)',
    });
  });

  it('answers 401 without a read key, and for an ingest key', async () => {
    expect((await getJson(h, '/v1/outcomes', { key: null })).status).toBe(401);
    expect((await getJson(h, '/v1/outcomes', { key: h.ingestKey })).status).toBe(401);
  });
});

/** The cells of one CSV line: commas inside double quotes belong to the cell. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

describe('GET /v1/outcomes?adjust=caseMix', () => {
  type Adjusted = {
    protected: boolean;
    compare: string;
    reference: string;
    adjustFor: string[];
    measures: Array<{
      measure: string;
      support: { shareOutside: number | null } | null;
      groups: Array<{
        group: string;
        crude: { rate: number } | null;
        adjusted: { estimate: number; ci: [number, number] } | null;
      }>;
      model: { fitted: boolean; episodes: number | null } | null;
      ratios: Array<{ group: string; adjusted: { estimate: number } | null }>;
    }>;
    within: {
      dimension: string;
      levels: Array<{ level: string; measures: unknown[] }>;
      heterogeneity: Array<{ measure: string; test: { p: number } | null }>;
    } | null;
  };

  it('adds the adjusted comparison, at full precision, beside the breakdown', async () => {
    const res = await getJson(h, '/v1/outcomes?groupBy=medication&adjust=caseMix', {
      key: h.stewardKey,
    });
    expect(res.status).toBe(200);
    const body = res.json as { groups: Group[]; adjusted: Adjusted };
    expect(body.groups).toHaveLength(2);
    expect(body.adjusted).toMatchObject({
      protected: false,
      compare: 'medication',
      reference: 'ipt_only',
      adjustFor: ['baselineSeverity', 'ageBand', 'condition'],
    });
    const improvement = body.adjusted.measures.find((m) => m.measure === 'reliableImprovement');
    expect(improvement?.ratios.map((r) => r.group)).toEqual(['ipt_with_medication']);
    expect(improvement?.model?.fitted).toBe(true);
    expect(improvement?.groups.every((g) => g.adjusted !== null)).toBe(true);
    expect(body.adjusted.within).toBeNull();
    // The crude rate is the breakdown's, unrounded.
    const crude = improvement?.groups.find((g) => g.group === 'ipt_only')?.crude?.rate;
    const group = body.groups.find((g) => g.medication === 'ipt_only') as Group & {
      reliableImprovement: { rate: number };
    };
    expect(crude).toBe(group.reliableImprovement.rate);
  });

  it('takes another adjustment set, and gives a CSV of the adjusted comparison', async () => {
    const url = '/v1/outcomes?groupBy=medication&adjust=caseMix&adjustFor=baselineSeverity,sex';
    const json = await getJson(h, url, { key: h.stewardKey });
    const adjusted = (json.json as { adjusted: Adjusted }).adjusted;
    expect(adjusted.adjustFor).toEqual(['baselineSeverity', 'sex']);
    const csv = await getJson(h, url, { key: h.stewardKey, accept: 'text/csv' });
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text.trim().split('\n');
    const columns = (header ?? '').split(',');
    expect(columns.slice(0, 5)).toEqual([
      'measure',
      'within',
      'within_level',
      'medication',
      'reference',
    ]);
    for (const column of [
      'direct_rate',
      'crude_in_support_rate',
      'share_outside_support',
      'direct_risk_ratio',
      'model_episodes',
      'heterogeneity_p',
    ]) {
      expect(columns).toContain(column);
    }
    expect(columns).toContain('adjusted_risk_ratio_ci_upper');
    // One row per outcome rate and group.
    expect(lines).toHaveLength(adjusted.measures.length * 2);
    // Notes are text and may hold commas, quoted as CSV quotes them.
    const rows = lines.map((line) =>
      Object.fromEntries(csvCells(line).map((cell, j) => [columns[j], cell])),
    );
    for (const m of adjusted.measures) {
      for (const g of m.groups) {
        const row = rows.find((r) => r.measure === m.measure && r.medication === g.group);
        expect(row?.adjusted_rate).toBe(g.adjusted === null ? '' : String(g.adjusted.estimate));
        expect(row?.adjusted_for).toBe('baselineSeverity x sex');
      }
    }
  });

  it('compares within each level of another dimension, with the test of heterogeneity', async () => {
    const url = '/v1/outcomes?groupBy=medication&within=problemArea&adjust=caseMix';
    const json = await getJson(h, url, { key: h.stewardKey });
    expect(json.status).toBe(200);
    const adjusted = (json.json as { adjusted: Adjusted }).adjusted;
    const within = adjusted.within;
    expect(within?.dimension).toBe('problemArea');
    expect(within?.levels.length).toBeGreaterThan(1);
    expect(within?.heterogeneity.map((x) => x.measure)).toEqual(
      adjusted.measures.map((m) => m.measure),
    );
    const tested = within?.heterogeneity.find((x) => x.measure === 'reliableImprovement');
    expect(tested?.test?.p).toBeGreaterThanOrEqual(0);
    expect(tested?.test?.p).toBeLessThanOrEqual(1);
    const csv = await getJson(h, url, { key: h.stewardKey, accept: 'text/csv' });
    const lines = csv.text.trim().split('\n');
    // The whole cohort's rows, then each level's: every rate x both groups.
    expect(lines.length - 1).toBe(
      adjusted.measures.length * 2 * (1 + (within?.levels.length ?? 0)),
    );
  });

  it('is protected for a researcher', async () => {
    const res = await getJson(h, '/v1/outcomes?groupBy=problemArea&adjust=caseMix');
    expect(res.status).toBe(200);
    expect((res.json as { adjusted: Adjusted }).adjusted.protected).toBe(true);
  });

  it.each([
    ['adjust=crude&groupBy=medication', /only adjustment is caseMix/],
    ['adjustFor=ageBand&groupBy=medication', /adjustFor needs adjust=caseMix/],
    ['within=problemArea&groupBy=medication', /within needs adjust=caseMix/],
    ['adjust=caseMix&groupBy=medication&within=medication', /another dimension/],
    ['adjust=caseMix&groupBy=medication&within=clinic', /within/],
    ['adjust=caseMix', /one dimension/],
    ['adjust=caseMix&groupBy=medication,problemArea', /one dimension/],
    ['adjust=caseMix&groupBy=medication&adjustFor=postcode', /adjustFor/],
    ['adjust=caseMix&groupBy=medication&adjustFor=sex,sex', /repeated/],
    ['adjust=caseMix&adjust=caseMix&groupBy=medication', /once/],
  ])('refuses %s with a reason', async (query, message) => {
    const res = await getJson(h, `/v1/outcomes?${query}`, { key: h.stewardKey });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_query');
    expect(errorOf(res).message).toMatch(message);
  });

  it('answers 401 without a read key', async () => {
    const res = await getJson(h, '/v1/outcomes?groupBy=medication&adjust=caseMix', { key: null });
    expect(res.status).toBe(401);
  });
});

function expectClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    expect(
      Math.abs((actual as number) - expected),
      `${where}: ${String(actual)} vs ${expected}`,
    ).toBeLessThan(1e-9);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, where).toEqual(expected);
    return;
  }
  expect(actual !== null && typeof actual === 'object', where).toBe(true);
  for (const [key, value] of Object.entries(expected)) {
    expectClose((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
  }
}
