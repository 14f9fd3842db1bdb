import { z } from 'zod';
import { eventSchema } from './catalog.js';
import { MAX_BATCH_EVENTS } from './limits.js';

/**
 * JSON Schema (draft 2020-12) of the catalog, generated from the zod schemas so it cannot drift.
 * Rules JSON Schema cannot state (a calendar-valid date within bounds, weeksAfterEnd only with
 * follow_up) are enforced by the ingest and named in the descriptions.
 */
export function eventJsonSchema(): Record<string, unknown> {
  return {
    $id: 'urn:ipt-outcomes:schema:events:v1',
    title: 'IPT Outcomes event (schema version 1)',
    ...z.toJSONSchema(eventSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
  };
}

/** The body of `POST /v1/events`. */
export function batchJsonSchema(): Record<string, unknown> {
  const { $schema, $id: _id, title: _title, ...event } = eventJsonSchema();
  return {
    $schema,
    $id: 'urn:ipt-outcomes:schema:batch:v1',
    title: 'POST /v1/events body',
    type: 'object',
    additionalProperties: false,
    required: ['events'],
    properties: {
      events: { type: 'array', minItems: 1, maxItems: MAX_BATCH_EVENTS, items: event },
    },
  };
}
