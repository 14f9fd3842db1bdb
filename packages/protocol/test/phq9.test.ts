/**
 * @fileoverview PHQ-9 scoring (Kroenke 2001): totals, every severity band boundary, caseness at
 * 9/10, the item-9 self-harm flag, and the typed error for anything but nine integers 0-3.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError, phq9Severity, scorePhq9 } from '../src/index.js';
import { itemsFor } from './episode-factory.js';

describe('scorePhq9', () => {
  it('sums the nine items', () => {
    expect(scorePhq9([0, 1, 2, 3, 0, 1, 2, 3, 0]).total).toBe(12);
    expect(scorePhq9([0, 0, 0, 0, 0, 0, 0, 0, 0]).total).toBe(0);
    expect(scorePhq9([3, 3, 3, 3, 3, 3, 3, 3, 3]).total).toBe(27);
  });

  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ] as const)('puts a total of %i in the %s band', (total, band) => {
    expect(scorePhq9(itemsFor(total)).severity).toBe(band);
    expect(phq9Severity(total)).toBe(band);
  });

  it('marks caseness from a total of 10, not 9', () => {
    expect(scorePhq9(itemsFor(9)).caseness).toBe(false);
    expect(scorePhq9(itemsFor(10)).caseness).toBe(true);
  });

  it('flags item 9 above zero whatever the total', () => {
    expect(scorePhq9(itemsFor(1, 1)).selfHarmFlag).toBe(true);
    expect(scorePhq9(itemsFor(1, 1)).severity).toBe('minimal');
    expect(scorePhq9(itemsFor(24, 0)).selfHarmFlag).toBe(false);
    expect(scorePhq9(itemsFor(27, 3)).selfHarmFlag).toBe(true);
  });

  it.each([
    ['eight items', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['ten items', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['no items', []],
    ['an item of 4', [0, 0, 0, 4, 0, 0, 0, 0, 0]],
    ['a negative item', [0, -1, 0, 0, 0, 0, 0, 0, 0]],
    ['a fractional item', [0, 1.5, 0, 0, 0, 0, 0, 0, 0]],
    ['NaN', [0, Number.NaN, 0, 0, 0, 0, 0, 0, 0]],
  ])('throws INVALID_PHQ9_ITEMS for %s', (_label, items) => {
    expect(() => scorePhq9(items)).toThrow(ProtocolError);
    try {
      scorePhq9(items);
    } catch (error) {
      expect((error as ProtocolError).code).toBe('INVALID_PHQ9_ITEMS');
    }
  });

  it('rejects a non-array with a typed error', () => {
    expect(() => scorePhq9('000000000' as unknown as number[])).toThrow(/exactly 9 item scores/);
  });

  it('names the offending item in the message', () => {
    expect(() => scorePhq9([0, 0, 0, 0, 0, 0, 7, 0, 0])).toThrow(
      /item 7 must be an integer from 0 to 3/,
    );
  });
});
