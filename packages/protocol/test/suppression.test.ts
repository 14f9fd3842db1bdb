/**
 * @fileoverview Small-cell suppression: the k floor, primary and complementary suppression in one
 * and two dimensions (including a cascade that needs several passes), zeros, ties, validation,
 * suppressRate, and properties over random sparse cross-tabs: every cell below k is suppressed,
 * no row is left with exactly one suppressed cell, and the result ignores input order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MIN_CELL_SIZE,
  MIN_CELL_SIZE_FLOOR,
  resolveMinCellSize,
  type SuppressionResult,
  suppressCells,
  suppressRate,
} from '../src/index.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});

interface Cell {
  readonly at: readonly string[];
  readonly n: number;
}

const options = (k = DEFAULT_MIN_CELL_SIZE) => ({
  k,
  count: (cell: Cell) => cell.n,
  dimensions: (cell: Cell) => cell.at,
});

/** One-dimensional cells from [label, count] pairs. */
function list(...pairs: ReadonlyArray<readonly [string, number]>): Cell[] {
  return pairs.map(([label, n]) => ({ at: [label], n }));
}

/** 'label:reason' for each cell, '-' for shown cells, in input order. */
function verdicts(results: readonly SuppressionResult<Cell>[]): string[] {
  return results.map(({ cell, reason }) => `${cell.at.join('/')}:${reason ?? '-'}`);
}

/** The rows along every dimension: cells sharing all coordinates but one. */
function rowsOf<T extends { readonly cell: Cell }>(items: readonly T[]): T[][] {
  const dimensions = items[0]?.cell.at.length ?? 0;
  const rows: T[][] = [];
  for (let d = 0; d < dimensions; d++) {
    const byRest = new Map<string, T[]>();
    for (const item of items) {
      const key = JSON.stringify(item.cell.at.filter((_, i) => i !== d));
      byRest.set(key, [...(byRest.get(key) ?? []), item]);
    }
    rows.push(...byRest.values());
  }
  return rows;
}

describe('resolveMinCellSize', () => {
  it('defaults to 11 and never goes below 5', () => {
    expect(DEFAULT_MIN_CELL_SIZE).toBe(11);
    expect(MIN_CELL_SIZE_FLOOR).toBe(5);
    expect(resolveMinCellSize()).toBe(11);
    expect(resolveMinCellSize(5)).toBe(5);
    expect(resolveMinCellSize(11)).toBe(11);
    expect(resolveMinCellSize(30)).toBe(30);
  });

  it('rejects k below the floor, naming the floor and OHDSI', () => {
    for (const k of [4, 1, 0, -11]) {
      expect(() => resolveMinCellSize(k)).toThrow(invalidArgument);
    }
    expect(() => resolveMinCellSize(4)).toThrow(/cannot be below 5: that is OHDSI's threshold/);
  });

  it('rejects a k that is not a whole number', () => {
    for (const k of [7.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveMinCellSize(k)).toThrow(invalidArgument);
    }
    expect(() => resolveMinCellSize(7.5)).toThrow(/whole number/);
  });
});

describe('suppressCells, one dimension', () => {
  it('suppresses nothing when every cell reaches k', () => {
    const results = suppressCells(list(['a', 11], ['b', 30], ['c', 12]), options());
    expect(results.every((r) => !r.suppressed && r.reason === null)).toBe(true);
  });

  it('suppresses a small cell and, as its complement, the next smallest cell', () => {
    const results = suppressCells(list(['a', 40], ['b', 3], ['c', 15], ['d', 22]), options());
    expect(verdicts(results)).toEqual(['a:-', 'b:small', 'c:complementary', 'd:-']);
  });

  it('needs no complement when two cells are small', () => {
    const results = suppressCells(list(['a', 40], ['b', 3], ['c', 7], ['d', 22]), options());
    expect(verdicts(results)).toEqual(['a:-', 'b:small', 'c:small', 'd:-']);
  });

  it('returns the cells themselves, in input order', () => {
    const cells = list(['z', 50], ['a', 2], ['m', 20]);
    const results = suppressCells(cells, options());
    expect(results.map((r) => r.cell)).toEqual(cells);
    results.forEach((r, i) => {
      expect(r.cell).toBe(cells[i]);
    });
  });

  it('uses the configured k: 5 shows a count of 5 but not 4', () => {
    const results = suppressCells(list(['a', 4], ['b', 5], ['c', 20]), options(5));
    expect(verdicts(results)).toEqual(['a:small', 'b:complementary', 'c:-']);
  });

  it('leaves a single small cell alone when there is nothing to pair it with', () => {
    expect(verdicts(suppressCells(list(['a', 3]), options()))).toEqual(['a:small']);
    expect(suppressCells([], options())).toEqual([]);
  });

  it('breaks ties by the coordinates, whatever the input order', () => {
    const cells = list(['c', 20], ['a', 3], ['b', 20]);
    expect(verdicts(suppressCells(cells, options()))).toEqual([
      'c:-',
      'a:small',
      'b:complementary',
    ]);
    const reversed = [...cells].reverse();
    expect(verdicts(suppressCells(reversed, options()))).toEqual([
      'b:complementary',
      'a:small',
      'c:-',
    ]);
  });

  it('orders ties by code units, not locale: "B" before "a"', () => {
    const results = suppressCells(list(['x', 2], ['a', 30], ['B', 30]), options());
    expect(verdicts(results)).toEqual(['x:small', 'a:-', 'B:complementary']);
  });
});

describe('suppressCells, zeros', () => {
  it('suppresses a zero as small (0 < k) and never uses one as a complement', () => {
    const results = suppressCells(list(['a', 0], ['b', 3], ['c', 50], ['d', 60]), options());
    // 0 and 3 are both suppressed, but 3 + 0 = R would show 3 to anyone who knows the zero.
    expect(verdicts(results)).toEqual(['a:small', 'b:small', 'c:complementary', 'd:-']);
  });

  it('protects a lone zero too, with two positive complements', () => {
    const results = suppressCells(list(['a', 0], ['b', 50], ['c', 60], ['d', 70]), options());
    expect(verdicts(results)).toEqual(['a:small', 'b:complementary', 'c:complementary', 'd:-']);
  });

  it('stops when nothing is left to suppress', () => {
    expect(verdicts(suppressCells(list(['a', 3], ['b', 0]), options()))).toEqual([
      'a:small',
      'b:small',
    ]);
    expect(verdicts(suppressCells(list(['a', 0], ['b', 0], ['c', 40]), options()))).toEqual([
      'a:small',
      'b:small',
      'c:complementary',
    ]);
  });
});

describe('suppressCells, two dimensions', () => {
  const grid = (rows: Record<string, Record<string, number>>): Cell[] =>
    Object.entries(rows).flatMap(([clinic, bands]) =>
      Object.entries(bands).map(([band, n]) => ({ at: [clinic, band], n })),
    );

  // Clinic x severity band, k = 11. A/mild (3) is small. Pass 1, rows along clinic (one per band):
  // mild gets C/mild (25 < 30). Rows along band (one per clinic): A gets A/moderate (40), C gets
  // C/severe (55). Pass 2: the moderate and severe columns now hold one suppressed cell each, so
  // moderate gets B/moderate (35) and severe gets B/severe (45). Pass 3 changes nothing: every row
  // and column holds 0 or 2 suppressed cells.
  it('cascades across rows and columns until every row and column is protected', () => {
    const cells = grid({
      A: { mild: 3, moderate: 40, severe: 50 },
      B: { mild: 30, moderate: 35, severe: 45 },
      C: { mild: 25, moderate: 60, severe: 55 },
    });
    expect(verdicts(suppressCells(cells, options()))).toEqual([
      'A/mild:small',
      'A/moderate:complementary',
      'A/severe:-',
      'B/mild:-',
      'B/moderate:complementary',
      'B/severe:complementary',
      'C/mild:complementary',
      'C/moderate:-',
      'C/severe:complementary',
    ]);
  });

  it('needs no complement where the small cells already pair up in a rectangle', () => {
    const cells = grid({
      A: { mild: 3, moderate: 4, severe: 50 },
      B: { mild: 6, moderate: 8, severe: 45 },
      C: { mild: 25, moderate: 60, severe: 55 },
    });
    const suppressed = suppressCells(cells, options()).filter((r) => r.suppressed);
    expect(suppressed.map((r) => `${r.cell.at.join('/')}:${r.reason}`)).toEqual([
      'A/mild:small',
      'A/moderate:small',
      'B/mild:small',
      'B/moderate:small',
    ]);
  });

  it('treats the cells of a sparse cross-tab that share a coordinate as a row', () => {
    // B has only one band: clinic B's row holds one cell and needs nothing, but the mild column
    // (A/mild, B/mild) needs a partner for B/mild, and that partner then needs one in A's row.
    const cells = grid({ A: { mild: 30, moderate: 40 }, B: { mild: 2 } });
    expect(verdicts(suppressCells(cells, options()))).toEqual([
      'A/mild:complementary',
      'A/moderate:complementary',
      'B/mild:small',
    ]);
  });
});

describe('suppressCells, validation', () => {
  it('rejects a bad k', () => {
    expect(() => suppressCells(list(['a', 20]), options(3))).toThrow(invalidArgument);
    expect(() => suppressCells(list(['a', 20]), options(10.5))).toThrow(invalidArgument);
  });

  it('rejects counts that are not whole numbers of 0 or more', () => {
    for (const n of [-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => suppressCells(list(['a', 20], ['b', n]), options())).toThrow(invalidArgument);
    }
    expect(() => suppressCells(list(['a', 20], ['b', -1]), options())).toThrow(/cell 2/);
  });

  it('rejects cells with different numbers of dimensions', () => {
    const cells: Cell[] = [
      { at: ['A', 'mild'], n: 20 },
      { at: ['B'], n: 20 },
    ];
    expect(() => suppressCells(cells, options())).toThrow(invalidArgument);
    expect(() => suppressCells(cells, options())).toThrow(/same dimensions/);
  });

  it('rejects two cells with the same coordinates', () => {
    expect(() => suppressCells(list(['a', 20], ['a', 30]), options())).toThrow(invalidArgument);
    expect(() => suppressCells(list(['a', 20], ['a', 30]), options())).toThrow(/same coordinates/);
  });
});

describe('suppressRate', () => {
  it('withholds the value when the denominator is below k', () => {
    expect(suppressRate(0.5, 10, 11)).toBeNull();
    expect(suppressRate(0.5, 0, 11)).toBeNull();
    expect(suppressRate(0.5, 11, 11)).toBe(0.5);
    expect(suppressRate(3, 4, 5)).toBeNull();
    expect(suppressRate(3, 5, 5)).toBe(3);
  });

  it('passes any value through, an interval included', () => {
    const interval = { rate: 0.42, lower: 0.3, upper: 0.55 };
    expect(suppressRate(interval, 120, 11)).toBe(interval);
    expect(suppressRate(interval, 7, 11)).toBeNull();
  });

  it('rejects a bad k or denominator', () => {
    expect(() => suppressRate(1, 20, 4)).toThrow(invalidArgument);
    expect(() => suppressRate(1, -1, 11)).toThrow(invalidArgument);
    expect(() => suppressRate(1, 12.5, 11)).toThrow(invalidArgument);
  });
});

/** Random sparse cross-tabs: 1-3 dimensions of 1-4 levels, some combinations absent. */
const crossTab = fc
  .record({
    levels: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    k: fc.integer({ min: MIN_CELL_SIZE_FLOOR, max: 15 }),
  })
  .chain(({ levels, k }) => {
    let coordinates: string[][] = [[]];
    levels.forEach((count, d) => {
      coordinates = coordinates.flatMap((at) =>
        Array.from({ length: count }, (_, level) => [...at, `d${d}-${level}`]),
      );
    });
    const count = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 200 }));
    return fc
      .array(fc.option(count, { nil: undefined }), {
        minLength: coordinates.length,
        maxLength: coordinates.length,
      })
      .map((counts) => ({
        k,
        cells: coordinates.flatMap((at, i): Cell[] => {
          const n = counts[i];
          return n === undefined ? [] : [{ at, n }];
        }),
      }));
  });

describe('suppressCells, properties', () => {
  it('suppresses every cell below k as small, and only those', () => {
    fc.assert(
      fc.property(crossTab, ({ k, cells }) => {
        for (const { cell, suppressed, reason } of suppressCells(cells, options(k))) {
          if (cell.n < k)
            expect({ suppressed, reason }).toEqual({ suppressed: true, reason: 'small' });
          else expect(reason).not.toBe('small');
        }
      }),
    );
  });

  it('leaves no row along any dimension with exactly one suppressed cell', () => {
    fc.assert(
      fc.property(crossTab, ({ k, cells }) => {
        for (const row of rowsOf(suppressCells(cells, options(k)))) {
          if (row.length < 2) continue;
          expect(row.filter((r) => r.suppressed).length).not.toBe(1);
        }
      }),
    );
  });

  it('gives every row with suppressed cells two positive ones, unless none is left to take', () => {
    fc.assert(
      fc.property(crossTab, ({ k, cells }) => {
        for (const row of rowsOf(suppressCells(cells, options(k)))) {
          const suppressed = row.filter((r) => r.suppressed);
          if (row.length < 2 || suppressed.length === 0) continue;
          const positive = suppressed.filter((r) => r.cell.n > 0).length;
          const shown = row.length - suppressed.length;
          expect(positive >= 2 || shown === 0).toBe(true);
        }
      }),
    );
  });

  it('returns the input cells in order and does not depend on that order', () => {
    fc.assert(
      fc.property(
        crossTab.chain(({ k, cells }) =>
          fc
            .shuffledSubarray(cells, { minLength: cells.length, maxLength: cells.length })
            .map((shuffled) => ({ k, cells, shuffled })),
        ),
        ({ k, cells, shuffled }) => {
          const results = suppressCells(cells, options(k));
          expect(results.map((r) => r.cell)).toEqual(cells);
          const key = (rs: readonly SuppressionResult<Cell>[]) =>
            verdicts(rs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(key(suppressCells(shuffled, options(k)))).toEqual(key(results));
        },
      ),
    );
  });
});
