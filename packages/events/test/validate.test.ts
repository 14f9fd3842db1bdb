/**
 * @fileoverview validateEvent over the v1 catalog: every type's sample passes; stateless rules
 * (enums, ranges, formats, date bounds, weeksAfterEnd only with follow_up) reject with the field's
 * path and an actionable message; types agree with the domain's EpisodeEvent.
 */
import type { EpisodeEvent } from '@ipt/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CatalogEvent, EVENT_TYPES, validateEvent } from '../src/index.js';
import { FIXED_NOW, FOLLOW_UP, SAMPLES, variantOf } from '../src/testing/index.js';

const validate = (input: unknown) => validateEvent(input, { now: FIXED_NOW });

function errorsOf(input: unknown) {
  const result = validate(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.errors;
}

describe('validateEvent: valid events', () => {
  it.each(Object.entries(SAMPLES))('accepts a valid %s event unchanged', (_type, sample) => {
    const result = validate(sample);
    expect(result).toEqual({ ok: true, event: sample });
  });

  it('has a sample for every event type', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('accepts a follow-up score with weeksAfterEnd', () => {
    expect(validate(FOLLOW_UP).ok).toBe(true);
  });

  it('accepts optional fields left out', () => {
    const noSex = variantOf(SAMPLES['episode.started'], (d) => {
      delete d.payload.sex;
    });
    expect(validate(noSex).ok).toBe(true);
  });

  it('accepts dates from 2000-01-01 up to one day ahead of the clock', () => {
    for (const day of ['2000-01-01', '2026-06-15', '2026-06-16']) {
      expect(validate({ ...SAMPLES['session.attended'], occurredOn: day }).ok).toBe(true);
    }
  });

  it('gives catalog types that the domain fold accepts', () => {
    expectTypeOf<CatalogEvent>().toExtend<EpisodeEvent>();
    const typeOfCatalog: CatalogEvent['type'] = 'phq9.recorded';
    const typeOfDomain: EpisodeEvent['type'] = typeOfCatalog;
    expect(typeOfDomain).toBe('phq9.recorded');
  });
});

describe('validateEvent: stateless rules reject at the door', () => {
  it('refuses a non-object', () => {
    for (const input of [null, 42, 'event', [SAMPLES['episode.ended']]]) {
      expect(errorsOf(input)).toEqual([{ path: '', message: 'an event must be a JSON object' }]);
    }
  });

  it('names the valid types for an unknown type', () => {
    const errors = errorsOf({ ...SAMPLES['session.attended'], type: 'session.cancelled' });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe('type');
    expect(errors[0]?.message).toContain('session.attended');
  });

  it('refuses a schema version other than 1', () => {
    const errors = errorsOf({ ...SAMPLES['episode.ended'], schemaVersion: 2 });
    expect(errors).toEqual([
      { path: 'schemaVersion', message: expect.stringContaining('must be 1') },
    ]);
  });

  it('refuses an id that is not a UUID', () => {
    expect(errorsOf({ ...SAMPLES['episode.ended'], id: 'event-1' })[0]?.path).toBe('id');
  });

  it('says which field is missing', () => {
    const input = variantOf(SAMPLES['session.attended'], (d) => {
      delete d.payload.phase;
    });
    expect(errorsOf(input)).toEqual([{ path: 'payload.phase', message: 'is required' }]);
  });

  it('points at the exact PHQ-9 item out of range', () => {
    const input = variantOf(SAMPLES['phq9.recorded'], (d) => {
      d.payload.items = [0, 1, 2, 4, 0, 0, 0, 0, 0];
    });
    expect(errorsOf(input)).toEqual([
      { path: 'payload.items.3', message: 'must be an integer from 0 to 3' },
    ]);
  });

  it('refuses eight or ten PHQ-9 items and explains the total is computed', () => {
    for (const items of [
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]) {
      const input = variantOf(SAMPLES['phq9.recorded'], (d) => {
        d.payload.items = items;
      });
      const errors = errorsOf(input);
      expect(errors[0]?.path).toBe('payload.items');
      expect(errors[0]?.message).toMatch(/exactly 9/);
    }
  });

  it('refuses a PHQ-9 total sent by the source', () => {
    const input = variantOf(SAMPLES['phq9.recorded'], (d) => {
      d.payload.total = 13;
    });
    expect(errorsOf(input)).toEqual([
      { path: 'payload.total', message: expect.stringContaining('computed from the nine items') },
    ]);
  });

  it('requires weeksAfterEnd for a follow-up and forbids it otherwise', () => {
    const missing = variantOf(FOLLOW_UP, (d) => {
      delete d.payload.weeksAfterEnd;
    });
    expect(errorsOf(missing)).toEqual([
      { path: 'payload.weeksAfterEnd', message: 'is required when timepoint is follow_up' },
    ]);
    const extra = variantOf(SAMPLES['phq9.recorded'], (d) => {
      d.payload.weeksAfterEnd = 4;
    });
    expect(errorsOf(extra)).toEqual([
      { path: 'payload.weeksAfterEnd', message: 'is only allowed when timepoint is follow_up' },
    ]);
  });

  it.each([
    ['session.attended', 'sessionNumber', 0],
    ['session.attended', 'sessionNumber', 61],
    ['phase.changed', 'sessionNumber', -1],
    ['phase.changed', 'sessionNumber', 2.5],
    ['episode.started', 'plannedSessions', 53],
    ['episode.started', 'plannedSessions', 0],
    ['phq9.recorded', 'sessionNumber', '3'],
  ] as const)('refuses %s.%s = %s', (type, field, value) => {
    const input = variantOf(SAMPLES[type], (d) => {
      d.payload[field] = value;
    });
    expect(errorsOf(input)[0]?.path).toBe(`payload.${field}`);
  });

  it('refuses an enum value with the allowed values in the message', () => {
    const input = variantOf(SAMPLES['problem_area.identified'], (d) => {
      d.payload.area = 'loneliness';
    });
    const [error] = errorsOf(input);
    expect(error?.path).toBe('payload.area');
    expect(error?.message).toContain(
      'grief, role_transition, role_dispute, interpersonal_deficits',
    );
  });

  it('refuses dates before 2000 or more than a day ahead', () => {
    expect(errorsOf({ ...SAMPLES['episode.ended'], occurredOn: '1999-12-31' })[0]?.message).toMatch(
      /before 2000-01-01/,
    );
    expect(errorsOf({ ...SAMPLES['episode.ended'], occurredOn: '2026-06-17' })[0]?.message).toMatch(
      /in the future/,
    );
  });

  it('refuses impossible calendar dates', () => {
    for (const day of ['2025-02-29', '2026-13-01', '2026-04-31', '26-04-01']) {
      expect(errorsOf({ ...SAMPLES['episode.ended'], occurredOn: day })[0]?.message).toMatch(
        /calendar date/,
      );
    }
  });

  it('refuses the ingest-stamped fields from a source', () => {
    const errors = errorsOf({
      ...SAMPLES['episode.ended'],
      recordedAt: '2026-01-01T00:00:00Z',
      sourceId: 'x',
    });
    expect(errors.map((e) => e.path).sort()).toEqual(['recordedAt', 'sourceId']);
  });

  it('refuses a clinic code with capitals or spaces', () => {
    for (const clinicId of ['North Clinic', 'NORTH', 'a']) {
      expect(errorsOf({ ...SAMPLES['episode.ended'], clinicId })[0]?.path).toBe('clinicId');
    }
  });

  it('reports every problem of an event at once', () => {
    const input = variantOf(SAMPLES['session.attended'], (d) => {
      d.occurredOn = '2031-01-01';
      d.payload.phase = 'closing';
      d.payload.sessionNumber = 99;
    });
    expect(
      errorsOf(input)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['occurredOn', 'payload.phase', 'payload.sessionNumber']);
  });
});
