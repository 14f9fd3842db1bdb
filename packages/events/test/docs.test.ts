/**
 * @fileoverview docs/events.md, the contract document for integrators, against the code: every
 * event type and payload field, every enum value, the pseudonym pattern of each field and the
 * variety check's numbers appear in it, so the document cannot silently fall behind the schemas.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  eventJsonSchema,
  MAX_BATCH_EVENTS,
  PSEUDONYM_MAX_RUN,
  PSEUDONYM_MIN_DISTINCT,
  PSEUDONYM_PREFIXES,
  pseudonymPattern,
} from '../src/index.js';

const doc = readFileSync(
  fileURLToPath(new URL('../../../docs/events.md', import.meta.url)),
  'utf8',
);

type Schema = {
  title?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
};

describe('docs/events.md', () => {
  it('states the pseudonym pattern of each field and the variety check', () => {
    for (const field of Object.keys(PSEUDONYM_PREFIXES) as Array<keyof typeof PSEUDONYM_PREFIXES>) {
      expect(doc).toContain(`\`${pseudonymPattern(field)}\``);
    }
    expect(doc).toContain(`at least **${PSEUDONYM_MIN_DISTINCT} different characters**`);
    expect(doc).toContain(`**${PSEUDONYM_MAX_RUN + 1} or more times in a row**`);
    expect(doc).toContain(`1 to ${MAX_BATCH_EVENTS} events`);
  });

  it('documents every event type, payload field and enum value', () => {
    const schema = eventJsonSchema() as Schema;
    const variants = schema.oneOf ?? schema.anyOf ?? [];
    expect(variants.map((v) => v.title).sort()).toEqual([...EVENT_TYPES].sort());
    let values = 0;
    for (const variant of variants) {
      const section = doc.split(`### \`${variant.title}\``)[1]?.split('\n### ')[0];
      expect(section, `no section for ${variant.title}`).toBeDefined();
      for (const [name, field] of Object.entries(variant.properties?.payload?.properties ?? {})) {
        expect(section, `${variant.title}.${name}`).toContain(`\`${name}\``);
        for (const value of field.enum ?? []) {
          expect(section, `${variant.title}.${name} = ${value}`).toContain(`\`${value}\``);
          values++;
        }
      }
    }
    expect(values).toBeGreaterThan(50);
  });
});
