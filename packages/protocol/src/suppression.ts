import { ProtocolError } from './errors.js';

/*
 * Small-cell suppression (OUTCOMES.md, "Small-cell suppression"). Every aggregate cell counts
 * distinct episodes; a cell below k is suppressed, and complementary suppression stops a
 * suppressed cell being recovered by subtracting the shown cells from a shown total. Pure: the
 * server applies it to every response (tRPC, JSON, CSV) before anything leaves it.
 */

/**
 * Default minimum cell size: counts from 1 to 10 are withheld, the threshold of the PCORnet and
 * CMS cell-size suppression policies (OUTCOMES.md).
 */
export const DEFAULT_MIN_CELL_SIZE = 11;

/**
 * The lowest k a deployment may configure: OHDSI, the most permissive of the policies OUTCOMES.md
 * cites, withholds counts below 5. NHS Digital's 1-7 sits between this and the default.
 */
export const MIN_CELL_SIZE_FLOOR = 5;

/**
 * Validates a configured minimum cell size k (cells with a count below k are suppressed).
 *
 * @param k the configured threshold; DEFAULT_MIN_CELL_SIZE (11) when not given
 * @returns k itself
 * @throws ProtocolError INVALID_ARGUMENT when k is not a whole number or is below
 *   MIN_CELL_SIZE_FLOOR (5)
 */
export function resolveMinCellSize(k: number = DEFAULT_MIN_CELL_SIZE): number {
  if (!Number.isInteger(k)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `The minimum cell size k must be a whole number (cells with fewer episodes are ` +
        `suppressed; default ${DEFAULT_MIN_CELL_SIZE}); got ${k}.`,
    );
  }
  if (k < MIN_CELL_SIZE_FLOOR) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `The minimum cell size k cannot be below ${MIN_CELL_SIZE_FLOOR}: that is OHDSI's ` +
        `threshold, the most permissive of the published policies (PCORnet and CMS use 11), ` +
        `and smaller cells can identify people; got ${k}.`,
    );
  }
  return k;
}

/** Why a cell is suppressed: below k itself, or withheld to protect another suppressed cell. */
export type SuppressionReason = 'small' | 'complementary';

/** One cell's verdict. Narrow on `suppressed` to get a non-null `reason`. */
export type SuppressionResult<C> =
  | { readonly cell: C; readonly suppressed: true; readonly reason: SuppressionReason }
  | { readonly cell: C; readonly suppressed: false; readonly reason: null };

export interface SuppressionOptions<C> {
  /** Minimum cell size; validated by `resolveMinCellSize`. */
  readonly k: number;
  /** The cell's number of distinct episodes: a whole number of 0 or more. */
  readonly count: (cell: C) => number;
  /**
   * The cell's coordinates in the breakdown, one value per dimension, in the same dimension order
   * for every cell (e.g. [clinicId, severityBand]). Each combination may appear once.
   */
  readonly dimensions: (cell: C) => readonly string[];
}

interface Entry<C> {
  readonly cell: C;
  readonly index: number;
  readonly count: number;
  readonly values: readonly string[];
  reason: SuppressionReason | null;
}

/** Lexicographic order of coordinate tuples by UTF-16 code units: the same in every locale. */
function compareValues(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Complement candidates first: the smallest count, ties broken by the coordinates. */
function compareEntries(a: Entry<unknown>, b: Entry<unknown>): number {
  return a.count - b.count || compareValues(a.values, b.values);
}

/**
 * Whether a row needs (another) complement: it has suppressed cells, but fewer than two of them
 * have a positive count. See `suppressCells` for why zeros neither protect nor go unprotected.
 */
function isExposed(row: readonly Entry<unknown>[]): boolean {
  let suppressed = 0;
  let positive = 0;
  for (const entry of row) {
    if (entry.reason === null) continue;
    suppressed += 1;
    if (entry.count > 0) positive += 1;
  }
  return suppressed > 0 && positive < 2;
}

/**
 * Small-cell suppression with complementary suppression, as OUTCOMES.md defines it.
 *
 * 1. Primary: every cell with count < k is suppressed ('small'). That includes count 0, because
 *    0 < k and OUTCOMES.md makes no exception for zeros.
 * 2. Complementary: a "row" is the set of cells that share the values of all dimensions but one
 *    (with one dimension, all cells form one row), i.e. the cells that add up to a total the
 *    breakdown may show. For every row of two or more cells that is exposed (see below), the
 *    smallest unsuppressed cell of the row is suppressed too ('complementary'). Repeated until
 *    nothing changes, because a complement can leave its other rows exposed (the cascade of a
 *    cross-tab).
 *
 * Exposed: the row's total minus its shown cells gives R, the sum of its suppressed cells. The
 * row is exposed when it has suppressed cells but fewer than two with a positive count. That is
 * OUTCOMES.md's "exactly one suppressed cell gets a partner", with zeros handled conservatively:
 *
 * - Zeros are never complements: they are always suppressed already (0 < k, k >= 5), so every
 *   complement has a count of at least k.
 * - A zero is not a partner that protects a positive cell: with suppressed cells x and 0,
 *   R = x + 0 = x, so whoever knows or guesses the zero has x. Zeros are the values most easily
 *   known from outside (structural zeros: a clinic without that service, a session number never
 *   reached), so a positive cell needs a positive partner.
 * - A zero needs protection itself: if every suppressed cell of a row is zero, R = 0 derives
 *   them all, and a derived zero discloses too ("none of clinic X's 12 episodes recovered" tells
 *   anyone who knows a patient of clinic X how that patient did). The price: a row whose only
 *   suppressed cell is a zero gets two complements (after the first, one positive suppressed
 *   cell is left alone).
 * - A row with nothing left to suppress (its other cells are suppressed zeros) stays as it is:
 *   every cell in it is suppressed and only its total can give it away. That total is below k
 *   and must itself be withheld (`suppressRate(total, total, k)`).
 *
 * Deterministic: rows are visited by dimension, then by their coordinates; within a row the
 * complement is the smallest count, ties broken by the cell's coordinates (in UTF-16 code-unit
 * order, not locale order). The result does not depend on the order of the input.
 *
 * This is the usual greedy row-by-row heuristic, not an optimal or audited pattern: finding the
 * fewest complements is NP-hard, and an attacker who solves all the totals' equations together
 * can in some patterns still narrow a suppressed cell to a short range (Cox, L. H. 1980,
 * "Suppression methodology and statistical disclosure control", JASA 75:377-385; Hundepool, A. et
 * al. 2012, "Statistical Disclosure Control", Wiley, ch. 4).
 *
 * @returns one verdict per cell, in input order
 * @throws ProtocolError INVALID_ARGUMENT for a bad k (see `resolveMinCellSize`), a count that is
 *   not a whole number of 0 or more, cells with different numbers of dimensions, or two cells with
 *   the same coordinates
 */
export function suppressCells<C>(
  cells: readonly C[],
  options: SuppressionOptions<C>,
): SuppressionResult<C>[] {
  const k = resolveMinCellSize(options.k);
  const entries = cells.map((cell, index): Entry<C> => {
    const count = options.count(cell);
    const values = [...options.dimensions(cell)];
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `A cell count must be a whole number of episodes, 0 or more; cell ${index + 1} ` +
          `(${JSON.stringify(values)}) has ${count}.`,
      );
    }
    return { cell, index, count, values, reason: count < k ? 'small' : null };
  });

  const rows = rowsOf(entries);
  let changed = true;
  while (changed) {
    changed = false;
    for (const row of rows) {
      if (row.length < 2 || !isExposed(row)) continue;
      const complement = row.find((entry) => entry.reason === null);
      if (complement !== undefined) {
        complement.reason = 'complementary';
        changed = true;
      }
    }
  }

  return entries.map(
    ({ cell, reason }): SuppressionResult<C> =>
      reason === null
        ? { cell, suppressed: false, reason: null }
        : { cell, suppressed: true, reason },
  );
}

/**
 * The rows along every dimension, each sorted as complement candidates, in a fixed order: by
 * dimension, then by the coordinates the row's cells share.
 */
function rowsOf<C>(entries: readonly Entry<C>[]): Entry<C>[][] {
  const first = entries[0];
  if (first === undefined) return [];
  const dimensionCount = first.values.length;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.values.length !== dimensionCount) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `Every cell needs the same dimensions: cell 1 has ${dimensionCount} ` +
          `(${JSON.stringify(first.values)}), cell ${entry.index + 1} has ` +
          `${entry.values.length} (${JSON.stringify(entry.values)}).`,
      );
    }
    const key = JSON.stringify(entry.values);
    if (seen.has(key)) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `Two cells have the same coordinates ${key}; each combination may appear once ` +
          `(cell ${entry.index + 1} repeats an earlier one).`,
      );
    }
    seen.add(key);
  }

  const rows: Entry<C>[][] = [];
  for (let dimension = 0; dimension < dimensionCount; dimension++) {
    const byRest = new Map<string, { rest: string[]; members: Entry<C>[] }>();
    for (const entry of entries) {
      const rest = entry.values.filter((_, i) => i !== dimension);
      const key = JSON.stringify(rest);
      const row = byRest.get(key);
      if (row === undefined) byRest.set(key, { rest, members: [entry] });
      else row.members.push(entry);
    }
    const sorted = [...byRest.values()].sort((a, b) => compareValues(a.rest, b.rest));
    for (const row of sorted) rows.push(row.members.sort(compareEntries));
  }
  return rows;
}

/**
 * Withholds a metric whose denominator is a small cell: `null` when the denominator (the number
 * of episodes the rate, mean or interval is computed over) is below k, else the value unchanged.
 * OUTCOMES.md: a cell below k shows "no count, no rate, no mean". It also withholds totals: a
 * row total below k, passed as both value and denominator, gives null.
 *
 * @param value whatever would be shown: a count, a rate, an interval object
 * @param denominator number of distinct episodes behind the value, a whole number of 0 or more
 * @param k minimum cell size; validated by `resolveMinCellSize`
 * @throws ProtocolError INVALID_ARGUMENT for a bad k or denominator
 */
export function suppressRate<T>(value: T, denominator: number, k: number): T | null {
  const minimum = resolveMinCellSize(k);
  if (!(Number.isInteger(denominator) && denominator >= 0)) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `A denominator must be a whole number of episodes, 0 or more; got ${denominator}.`,
    );
  }
  return denominator < minimum ? null : value;
}
