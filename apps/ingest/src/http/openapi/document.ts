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
import { MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '@ipt/events';
import { DEFAULT_MIN_CELL_SIZE } from '@ipt/protocol';
import { z } from 'zod';
import {
  Batch,
  BatchResult,
  ErrorBody,
  Health,
  OffTrackAnswer,
  OutcomesAnswer,
  Ready,
  ReleasesAnswer,
  TimeToImprovementAnswer,
} from './components.js';
import {
  OffTrackParameters,
  OutcomesParameters,
  TimeToImprovementParameters,
} from './parameters.js';

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

  r.registerPath({
    method: 'get',
    path: '/v1/outcomes',
    operationId: 'getOutcomes',
    tags: ['read'],
    summary:
      'Outcome rates by problem area, sessions attended and medication, with disclosure control',
    description:
      'Exact numbers (with the k rule) for the network data steward and for a clinic reader filtering by its own clinics; protected numbers for everyone else (`protected: true`): every count carries cell-key noise, tied to its set of episodes (the same question, however spelt, gives the same answer), rates from the protected counts with intervals widened for the noise, every combination of the grouped categories returned, periods in whole months, and a daily budget of distinct cohorts per reader. See docs/outcomes.md, "Disclosure control". Logged.',
    security: secured,
    request: { query: OutcomesParameters },
    responses: {
      200: answer(
        `Every combination of the grouped categories with counts, rates (Wilson 95% intervals), mean change (t interval) and effect size. Every cell is judged alone (no complementary suppression): a group of 1 to minCellSize - 1 (default ${DEFAULT_MIN_CELL_SIZE}) episodes reads as suppressed, with no numbers. Exact readers (the steward; a clinic reader for its own clinics) see an empty group as 0; protected readers see an empty group as suppressed, like a small one, and a count inside a shown group below minCellSize is withheld too. CSV: one row per group, the basis in its last three columns.`,
        OutcomesAnswer,
      ),
      ...READ_REFUSALS,
    },
  });

  r.registerPath({
    method: 'get',
    path: '/v1/time-to-improvement',
    operationId: 'getTimeToImprovement',
    tags: ['read'],
    summary: 'Time to reliable improvement by session, per group known at intake',
    description:
      'The cumulative incidence of reliable improvement by session number (Aalen-Johansen: ending without improvement is the competing event, open episodes are censored) with 95% delta-method intervals. A group of fewer than minCellSize episodes is suppressed; a curve stops at the first session whose risk set is below minCellSize. Protected readers get no counts at a session (only the risk set). See docs/outcomes.md, "Time to reliable improvement". Logged.',
    security: secured,
    request: { query: TimeToImprovementParameters },
    responses: {
      200: answer(
        'One curve per group. CSV: one row per group and session.',
        TimeToImprovementAnswer,
      ),
      ...READ_REFUSALS,
    },
  });

  r.registerPath({
    method: 'get',
    path: '/v1/off-track',
    operationId: 'getOffTrackEpisodes',
    tags: ['read'],
    summary: "A clinic's open episodes off track now (pseudonyms only)",
    description:
      'Open episodes whose latest PHQ-9 at a session 3-8 lies above the 90th percentile of the network\'s expected curve for their baseline band. For the episode\'s own clinic readers and the network data steward only; researchers are refused (403). Pseudonyms only: the clinic maps them back with its own secret (`reidentify` in @ipt-outcomes/source). See docs/outcomes.md, "Expected recovery and off-track episodes". Logged.',
    security: secured,
    request: { query: OffTrackParameters },
    responses: {
      200: answer('The episodes off track; CSV: one row per episode.', OffTrackAnswer),
      ...READ_REFUSALS,
    },
  });

  r.registerPath({
    method: 'get',
    path: '/v1/releases',
    operationId: 'listReleases',
    tags: ['read'],
    summary: 'The frozen releases, newest first',
    description:
      'Every release an analysis can be asked of with release=<name>. For every reader; stewards make and delete them (dashboard, `ipt release`). See docs/outcomes.md, "As of and releases". Logged.',
    security: secured,
    responses: {
      200: answer('The releases; CSV: one row per release.', ReleasesAnswer),
      400: error('A parameter (the list takes none)'),
      401: error('No or unknown read key'),
      429: error("Over the reader's rate limit", true),
      503: error('The warehouse is unavailable', true),
    },
  });

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
