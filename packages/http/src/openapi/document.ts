/**
 * OpenAPI 3.1 description of the ingest contract (EVENTS.md) and the read API, generated from
 * zod by zod-to-openapi: the event and batch schemas are the validators themselves, so the
 * document cannot drift from validation. `@redocly/cli lint` (recommended rules) passes with
 * no error and no warning (test/openapi-lint.test.ts).
 */
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { CAPABILITIES, can, READ_ROLES } from '@ipt/analytics';
import type { AnyRead, RestForm } from '@ipt/analytics/server';
import { MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '@ipt/events';
import { z } from 'zod';
import { REST_READS } from '../routes/read-route.js';
import { Batch, BatchResult, ErrorBody, Health, Ready } from './components.js';
import { READ_DOCS } from './read-docs.js';

const error = (description: string, retry = false): ResponseConfig => ({
  description,
  ...(retry
    ? {
        headers: z.object({
          'Retry-After': z.int().min(1).meta({ description: 'Seconds to wait before retrying' }),
        }),
      }
    : {}),
  content: { 'application/json': { schema: ErrorBody } },
});

/** The refusals every analysis shares. */
const READ_REFUSALS = {
  400: error(
    'Unknown parameter or value, or a period finer than whole months for protected numbers',
  ),
  401: error('No or unknown read key'),
  403: error("Outside the reader's scope (a clinic reader filtering by another clinic)"),
  404: error('No release of that name (or it was deleted)'),
  408: error('The question ran past the time limit of one query'),
  413: error('The question needs more memory than one query may use'),
  429: error(
    "Over the reader's rate limit (rate_limited), or its daily budget of distinct cohorts for protected numbers is used up (budget_exceeded)",
    true,
  ),
  503: error('The warehouse is unavailable', true),
};

const NOT_ACCEPTABLE = {
  406: error('The Accept header allows no type this endpoint answers with'),
};

const answer = (description: string, schema: z.ZodType): ResponseConfig => ({
  description,
  content: {
    'application/json': { schema },
    'text/csv': { schema: z.string().meta({ description: 'The same numbers, one row per line' }) },
  },
});

/** Refusals of a read that is not an analysis (a list of names): no basis, no heavy query. */
const LIST_REFUSALS = {
  400: error('A parameter (the list takes none)'),
  401: error('No or unknown read key'),
  429: error("Over the reader's rate limit", true),
  503: error('The warehouse is unavailable', true),
};

/** The path of one read with a REST form: its definition's path and refusals, READ_DOCS' words. */
function registerRead(
  r: OpenAPIRegistry,
  read: AnyRead & { rest: RestForm },
  security: Array<Record<string, string[]>>,
): void {
  const doc = READ_DOCS[read.name];
  if (doc === undefined) throw new Error(`the read ${read.name} has a REST form but no READ_DOCS`);
  const capability = typeof read.capability === 'string' ? read.capability : null;
  // Refused to some role whatever it asks: 403 says which capability.
  const forbidden =
    capability !== null && READ_ROLES.some((role) => !can({ role }, capability))
      ? {
          403: error(
            `Without ${capability} (${CAPABILITIES[capability]}), or outside the reader's scope`,
          ),
        }
      : {};
  r.registerPath({
    method: 'get',
    path: read.rest.path,
    operationId: doc.operationId,
    tags: ['read'],
    summary: doc.summary,
    description: doc.description,
    security,
    ...(Object.keys(doc.parameters.shape).length === 0
      ? {}
      : { request: { query: doc.parameters } }),
    responses: {
      200: answer(doc.answer.description, doc.answer.schema),
      ...(read.basis === false ? LIST_REFUSALS : { ...READ_REFUSALS, ...forbidden }),
    },
  });
}

function registry(): OpenAPIRegistry {
  const r = new OpenAPIRegistry();
  const bearer = r.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A source key (POST /v1/events) or a read key with its role (the GET endpoints under /v1)',
  });
  const secured = [{ [bearer.name]: [] }];

  r.registerPath({
    method: 'post',
    path: '/v1/events',
    operationId: 'sendEvents',
    tags: ['ingest'],
    summary: `Send a batch of 1 to ${MAX_BATCH_EVENTS} events (at most ${MAX_BODY_BYTES} bytes)`,
    description:
      'Sources send de-identified events for the clinics their key may write. Each event is accepted or rejected on its own (`rejected` says why, by path); accepted events are durable before the answer. An event id is stored once however often it is sent, so a retry is safe.',
    security: secured,
    request: { body: { required: true, content: { 'application/json': { schema: Batch } } } },
    responses: {
      200: {
        description: 'Per-event result',
        content: { 'application/json': { schema: BatchResult } },
      },
      400: error('The body is not JSON or not {"events": [...]}'),
      401: error('No or unknown source key'),
      413: error('The body is larger than 1 MiB'),
      415: error('The Content-Type is not application/json'),
      429: error('Rate limited', true),
      503: error('The log or warehouse is unavailable: nothing was accepted', true),
    },
  });

  // The read API: one path per read with a REST form, made from its definition (its path,
  // parameters and refusals) and the words of READ_DOCS.
  for (const read of REST_READS) registerRead(r, read, secured);

  r.registerPath({
    method: 'get',
    path: '/v1/schema',
    operationId: 'getEventSchema',
    tags: ['contract'],
    summary: 'JSON Schema of the event catalog',
    description: 'Draft 2020-12, generated from the validators the ingest uses.',
    security: [],
    responses: {
      200: {
        description: 'The JSON Schema whose instances are the events of the catalog',
        content: {
          'application/schema+json': {
            schema: z.object({ $schema: z.string(), $id: z.string() }).catchall(z.unknown()).meta({
              description: 'JSON Schema draft 2020-12 (the Event component, as a document)',
            }),
          },
        },
      },
      ...NOT_ACCEPTABLE,
    },
  });

  r.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tags: ['contract'],
    summary: 'This document',
    security: [],
    responses: {
      200: {
        description: 'OpenAPI 3.1',
        content: {
          'application/json': {
            schema: z.object({ openapi: z.string() }).catchall(z.unknown()),
          },
        },
      },
      ...NOT_ACCEPTABLE,
    },
  });

  r.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    tags: ['operations'],
    summary: 'Liveness: the process answers',
    security: [],
    responses: {
      200: { description: 'Alive', content: { 'application/json': { schema: Health } } },
      ...NOT_ACCEPTABLE,
    },
  });

  r.registerPath({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tags: ['operations'],
    summary: 'Readiness: the warehouse answers',
    security: [],
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: Ready } } },
      ...NOT_ACCEPTABLE,
      503: { description: 'Not ready', content: { 'application/json': { schema: Ready } } },
    },
  });

  r.registerPath({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['operations'],
    summary: 'Prometheus metrics',
    security: [],
    responses: {
      200: {
        description: 'The text exposition format',
        content: { 'text/plain': { schema: z.string() } },
      },
      ...NOT_ACCEPTABLE,
    },
  });
  return r;
}

const TAGS = [
  { name: 'ingest', description: 'What sources send' },
  { name: 'read', description: 'Aggregates for named readers, within their scope, logged' },
  { name: 'contract', description: 'The machine-readable contract' },
  { name: 'operations', description: 'For load balancers and monitoring' },
];

let generated: ReturnType<OpenApiGeneratorV31['generateDocument']> | undefined;

/** The document, for a server at `serverUrl` (the origin it is served from). */
export function openApiDocument(serverUrl = 'http://127.0.0.1:3000'): Record<string, unknown> {
  generated ??= new OpenApiGeneratorV31(registry().definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'IPT Outcomes ingest and read API',
      version: '1.0.0',
      description:
        'Sources POST de-identified IPT events for their own clinics (an episode stays with the clinic of its first event); named readers (steward, clinic, researcher) GET aggregate outcomes within their scope, with small-cell suppression, and every read is logged. Every error is JSON {"error": {"code", "message"}}.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: serverUrl }],
    tags: TAGS,
  });
  return { ...generated, servers: [{ url: serverUrl, description: 'This server' }] };
}
