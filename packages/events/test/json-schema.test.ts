/**
 * @fileoverview The generated JSON Schema: a sample of every type validates against it, the
 * batch schema bounds the batch, and the schema is strict (unknown keys, bad enums rejected),
 * using an independent validator (Ajv, draft 2020-12).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { batchJsonSchema, eventJsonSchema } from '../src/index.js';
import { FOLLOW_UP, SAMPLES } from '../src/testing/index.js';

function compile(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('eventJsonSchema', () => {
  const validate = compile(eventJsonSchema());

  it.each(Object.entries(SAMPLES))('accepts the %s sample', (_type, sample) => {
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts a follow-up sample', () => {
    expect(validate(FOLLOW_UP)).toBe(true);
  });

  it('rejects an unknown field, an unknown type, a bad enum and an all-digit pseudonym', () => {
    expect(validate({ ...SAMPLES['episode.ended'], notes: 'x' })).toBe(false);
    expect(validate({ ...SAMPLES['episode.ended'], type: 'episode.paused' })).toBe(false);
    expect(
      validate({
        ...SAMPLES['episode.ended'],
        payload: { reason: 'bored', relapsePreventionPlan: true },
      }),
    ).toBe(false);
    expect(validate({ ...SAMPLES['episode.ended'], clientId: '0012345678' })).toBe(false);
    expect(validate({ ...SAMPLES['episode.ended'], occurredOn: '2026-03-02T10:00:00Z' })).toBe(
      false,
    );
  });

  it('carries the pseudonym pattern of each field, in every event type', () => {
    const schema = eventJsonSchema() as {
      oneOf?: Variant[];
      anyOf?: Variant[];
    };
    type Variant = {
      title: string;
      properties: Record<
        string,
        { pattern?: string; properties?: Record<string, { pattern?: string }> }
      >;
    };
    const variants = schema.oneOf ?? schema.anyOf ?? [];
    expect(variants).toHaveLength(9);
    for (const variant of variants) {
      expect(variant.properties.clientId?.pattern).toBe('^c_[A-Za-z0-9_-]{30}$');
      expect(variant.properties.episodeId?.pattern).toBe('^e_[A-Za-z0-9_-]{30}$');
      const therapist = variant.properties.payload?.properties?.therapistId;
      if (['episode.started', 'session.attended'].includes(variant.title)) {
        expect(therapist?.pattern).toBe('^t_[A-Za-z0-9_-]{30}$');
      } else {
        expect(therapist).toBeUndefined();
      }
    }
  });

  it("rejects names, short values and another field's prefix in a pseudonym", () => {
    const sample = SAMPLES['episode.started'];
    for (const clientId of ['Jane_Doe', 'c_Jane_Doe', 'NHS9434765919', sample.episodeId]) {
      expect(validate({ ...sample, clientId })).toBe(false);
    }
    expect(validate({ ...sample, episodeId: sample.clientId })).toBe(false);
    expect(
      validate({ ...sample, payload: { ...sample.payload, therapistId: sample.clientId } }),
    ).toBe(false);
  });

  it('rejects nine items that are not 0-3', () => {
    const bad = {
      ...SAMPLES['phq9.recorded'],
      payload: { items: [0, 0, 0, 0, 0, 0, 0, 0, 5], timepoint: 'intake', sessionNumber: 0 },
    };
    expect(validate(bad)).toBe(false);
  });
});

describe('batchJsonSchema', () => {
  const validate = compile(batchJsonSchema());

  it('accepts a batch of every sample', () => {
    expect(validate({ events: Object.values(SAMPLES) }), JSON.stringify(validate.errors)).toBe(
      true,
    );
  });

  it('rejects an empty batch, more than 1000 events and extra top-level keys', () => {
    expect(validate({ events: [] })).toBe(false);
    expect(validate({ events: Array.from({ length: 1001 }, () => SAMPLES['episode.ended']) })).toBe(
      false,
    );
    expect(validate({ events: [SAMPLES['episode.ended']], source: 'x' })).toBe(false);
  });
});
