/**
 * @fileoverview The k rule: the floor of k, and an exact reader's counts (0 for an empty cell,
 * "fewer than k" from 1 to k-1, the count from k on), over every count a property can draw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MIN_CELL_SIZE,
  exactCount,
  MIN_CELL_SIZE_FLOOR,
  resolveMinCellSize,
} from '../src/index.js';

const invalidArgument = expect.objectContaining({
  name: 'ProtocolError',
  code: 'INVALID_ARGUMENT',
});

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

describe('exactCount', () => {
  it('reads 0 for an empty cell, withholds 1 to k-1 and gives the count from k on', () => {
    expect(exactCount(0, 11)).toBe(0);
    expect(exactCount(1, 11)).toBeNull();
    expect(exactCount(10, 11)).toBeNull();
    expect(exactCount(11, 11)).toBe(11);
    expect(exactCount(351, 11)).toBe(351);
    expect(exactCount(4, 5)).toBeNull();
    expect(exactCount(5, 5)).toBe(5);
  });

  it('holds for every count and every k a deployment may set', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: MIN_CELL_SIZE_FLOOR, max: 50 }),
        (count, k) => {
          const shown = exactCount(count, k);
          if (count > 0 && count < k) expect(shown).toBeNull();
          else expect(shown).toBe(count);
        },
      ),
    );
  });

  it('rejects a bad k or count', () => {
    expect(() => exactCount(20, 4)).toThrow(invalidArgument);
    expect(() => exactCount(-1, 11)).toThrow(invalidArgument);
    expect(() => exactCount(12.5, 11)).toThrow(/whole number/);
    expect(() => exactCount(Number.NaN, 11)).toThrow(invalidArgument);
  });
});
