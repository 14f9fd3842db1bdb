/**
 * @fileoverview Outcome classification of a paired episode at every boundary: reliable change at
 * exactly 5 and 6 points both ways, response at exactly 50%, remission at 4/5, recovery at 9/10,
 * baseline caseness 9/10 (null flags below it), and totals outside 0-27.
 */
import { describe, expect, it } from 'vitest';
import { classifyOutcome, ProtocolError } from '../src/index.js';

describe('classifyOutcome', () => {
  it('reports change as endpoint minus baseline (negative is better)', () => {
    expect(classifyOutcome(18, 7).change).toBe(-11);
    expect(classifyOutcome(7, 18).change).toBe(11);
  });

  it('needs 6 points for reliable improvement: 5 is not enough', () => {
    const five = classifyOutcome(15, 10);
    expect(five.reliableImprovement).toBe(false);
    expect(five.noReliableChange).toBe(true);
    const six = classifyOutcome(15, 9);
    expect(six.reliableImprovement).toBe(true);
    expect(six.noReliableChange).toBe(false);
    expect(six.reliableDeterioration).toBe(false);
  });

  it('needs 6 points for reliable deterioration: 5 is not enough', () => {
    const five = classifyOutcome(10, 15);
    expect(five.reliableDeterioration).toBe(false);
    expect(five.noReliableChange).toBe(true);
    const six = classifyOutcome(10, 16);
    expect(six.reliableDeterioration).toBe(true);
    expect(six.reliableImprovement).toBe(false);
    expect(six.noReliableChange).toBe(false);
  });

  it('counts response at exactly a 50% reduction, not just above it', () => {
    expect(classifyOutcome(20, 10).response).toBe(true);
    expect(classifyOutcome(20, 11).response).toBe(false);
    expect(classifyOutcome(15, 7).response).toBe(true);
    expect(classifyOutcome(15, 8).response).toBe(false);
  });

  it('counts remission below 5: 4 remits, 5 does not', () => {
    expect(classifyOutcome(16, 4).remission).toBe(true);
    expect(classifyOutcome(16, 5).remission).toBe(false);
  });

  it('counts recovery when the endpoint falls below 10: 9 recovers, 10 does not', () => {
    expect(classifyOutcome(16, 9).recovery).toBe(true);
    expect(classifyOutcome(16, 10).recovery).toBe(false);
  });

  it('requires reliable improvement for reliable recovery', () => {
    const recoveredNotReliable = classifyOutcome(12, 9);
    expect(recoveredNotReliable.recovery).toBe(true);
    expect(recoveredNotReliable.reliableImprovement).toBe(false);
    expect(recoveredNotReliable.reliableRecovery).toBe(false);
    const reliable = classifyOutcome(15, 9);
    expect(reliable.reliableRecovery).toBe(true);
  });

  it('leaves the caseness-dependent flags null at a baseline of 9 and sets them at 10', () => {
    const nine = classifyOutcome(9, 2);
    expect(nine).toMatchObject({
      recovery: null,
      reliableRecovery: null,
      response: null,
      remission: null,
    });
    expect(nine.reliableImprovement).toBe(true);
    const ten = classifyOutcome(10, 2);
    expect(ten).toMatchObject({
      recovery: true,
      reliableRecovery: true,
      response: true,
      remission: true,
    });
  });

  it('classifies no change as no reliable change with nothing else', () => {
    expect(classifyOutcome(14, 14)).toEqual({
      change: 0,
      reliableImprovement: false,
      reliableDeterioration: false,
      noReliableChange: true,
      recovery: false,
      reliableRecovery: false,
      response: false,
      remission: false,
    });
  });

  it.each([
    [-1, 10],
    [28, 10],
    [10, -1],
    [10, 28],
    [10.5, 10],
    [10, Number.NaN],
  ])('throws INVALID_PHQ9_TOTAL for baseline %s and endpoint %s', (baseline, endpoint) => {
    let caught: unknown;
    try {
      classifyOutcome(baseline, endpoint);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).code).toBe('INVALID_PHQ9_TOTAL');
  });

  it('accepts the extremes 0 and 27', () => {
    expect(classifyOutcome(27, 0).change).toBe(-27);
    expect(classifyOutcome(0, 27).reliableDeterioration).toBe(true);
  });
});
