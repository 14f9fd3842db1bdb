/**
 * @fileoverview What of a validation error may be stored or shown to anyone but its sender:
 * knownFieldPath keeps the catalog's field names and array indices and replaces anything else
 * (an unknown field's name is the sender's own text); storableError also fixes the message of an
 * unknown field. Over the identifying corpus, nothing the sender wrote survives.
 */
import { describe, expect, it } from 'vitest';
import {
  createEventValidator,
  knownFieldPath,
  storableError,
  UNKNOWN_FIELD_SEGMENT,
  UNKNOWN_FIELD_STORED_MESSAGE,
} from '../src/index.js';
import {
  FIXED_NOW,
  IDENTIFYING_CORPUS,
  PSEUDONYM_CORPUS,
  SAMPLE_THERAPIST_ID,
  SAMPLES,
  variantOf,
} from '../src/testing/index.js';

const validate = createEventValidator({ now: FIXED_NOW });
const U = UNKNOWN_FIELD_SEGMENT;

describe('knownFieldPath', () => {
  it.each([
    '',
    'id',
    'type',
    'schemaVersion',
    'clinicId',
    'clientId',
    'episodeId',
    'occurredOn',
    'payload',
    'payload.therapistId',
    'payload.ageBand',
    'payload.plannedSessions',
    'payload.area',
    'payload.primary',
    'payload.phase',
    'payload.reason',
    'payload.items',
    'payload.items.0',
    'payload.items.3',
    'payload.items.8',
    'payload.items.12',
    'payload.timepoint',
    'payload.weeksAfterEnd',
    'payload.to',
    'payload.action',
    'payload.medicationClass',
    'payload.relapsePreventionPlan',
    'payload.eventId',
  ])('keeps the catalog path %j', (path) => {
    expect(knownFieldPath(path)).toBe(path);
  });

  it.each([
    ['payload.Jane Doe 12 High St', `payload.${U}`],
    ['Jane Doe', U],
    ['name', U],
    ['payload.notes', `payload.${U}`],
    ['payload.birthDate', `payload.${U}`],
    ['recordedAt', U],
    ['Jane.Doe', `${U}.${U}`],
    ['payload.notes.x', `payload.${U}.${U}`],
    // A payload field is known under payload only, an envelope field at the top only.
    ['therapistId', U],
    ['payload.clientId', `payload.${U}`],
    ['payload.payload', `payload.${U}`],
    // Indices only where the catalog has an array, and only as plain numbers.
    ['payload.9434765919', `payload.${U}`],
    ['payload.items.9434765919', `payload.items.${U}`],
    ['payload.items.03', `payload.items.${U}`],
    ['payload.items.-1', `payload.items.${U}`],
    ['payload.items.3.x', `payload.items.3.${U}`],
    ['payload.sessionNumber.3', `payload.sessionNumber.${U}`],
    ['3', U],
    // Names on Object.prototype are not fields.
    ['constructor', U],
    ['payload.__proto__', `payload.${U}`],
    ['payload.toString', `payload.${U}`],
    // Empty segments are not fields either.
    ['payload.', `payload.${U}`],
    ['.clientId', `${U}.${U}`],
  ])('replaces the unknown segments of %j', (path, expected) => {
    expect(knownFieldPath(path)).toBe(expected);
  });
});

describe('storableError', () => {
  it('keeps a catalog error as it is', () => {
    const error = { path: 'payload.items.3', message: 'must be an integer from 0 to 3' };
    expect(storableError(error)).toEqual(error);
  });

  it('stores a fixed message for an unknown field, whatever its name', () => {
    const input = variantOf(SAMPLES['episode.started'], (d) => {
      d.payload['Jane Doe 12 High St'] = 'lost her husband in March';
      d.payload.notes = 'x';
    });
    const result = validate(input);
    if (result.ok) throw new Error('expected a rejection');
    // The sender is told the name of its own field.
    expect(result.errors.map((e) => e.path).sort()).toEqual([
      'payload.Jane Doe 12 High St',
      'payload.notes',
    ]);
    for (const error of result.errors) {
      expect(storableError(error)).toEqual({
        path: `payload.${U}`,
        message: UNKNOWN_FIELD_STORED_MESSAGE,
      });
    }
    expect(UNKNOWN_FIELD_STORED_MESSAGE).toBe('unknown field: objects are strict');
  });

  it('stores the fixed message for a field of another event type sent where it is unknown', () => {
    const input = variantOf(SAMPLES['session.missed'], (d) => {
      d.payload.therapistId = SAMPLE_THERAPIST_ID;
    });
    const result = validate(input);
    if (result.ok) throw new Error('expected a rejection');
    expect(result.errors.map(storableError)).toEqual([
      { path: 'payload.therapistId', message: UNKNOWN_FIELD_STORED_MESSAGE },
    ]);
  });

  it('keeps nothing the sender wrote, over the whole identifying corpus', () => {
    const refused = new Map<unknown, string>(PSEUDONYM_CORPUS.map((c) => [c.event, c.value]));
    for (const [label, input] of IDENTIFYING_CORPUS) {
      const result = validate(input);
      if (result.ok) throw new Error(`${label} was accepted`);
      const stored = JSON.stringify(result.errors.map(storableError));
      expect(stored, label).not.toContain('Jane');
      expect(stored, label).not.toContain('husband');
      const value = refused.get(input);
      if (value !== undefined) expect(stored, label).not.toContain(value);
    }
  });
});
