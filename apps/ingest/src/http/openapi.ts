import {
  ADJUSTMENT_FACTOR_NAMES,
  DEFAULT_ADJUSTMENT,
  LIST_FILTER_NAMES,
  OUTCOME_DIMENSIONS,
  TIME_TO_IMPROVEMENT_DIMENSIONS,
} from '@ipt/analytics';
import { batchJsonSchema, eventJsonSchema, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '@ipt/events';
import { DEFAULT_MIN_CELL_SIZE } from '@ipt/protocol';

/**
 * OpenAPI 3.1 description of the ingest contract (EVENTS.md) and the read API. The request and
 * event schemas are the generated JSON Schema, so the document cannot drift from validation.
 */
const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** The cohort filters every read endpoint takes. */
const FILTER_PARAMETERS = [
  ...LIST_FILTER_NAMES.map((name) => ({
    name,
    in: 'query',
    description: 'Comma list of values',
    schema: { type: 'string' },
  })),
  {
    name: 'startedFrom',
    in: 'query',
    description: 'First day of episode start; for protected numbers the first of a month',
    schema: { type: 'string', format: 'date' },
  },
  {
    name: 'startedTo',
    in: 'query',
    description: 'Last day of episode start; for protected numbers the last of a month',
    schema: { type: 'string', format: 'date' },
  },
];

/** The basis every analysis takes (OUTCOMES.md, "As of and releases"). */
const BASIS_PARAMETERS = [
  {
    name: 'asOf',
    in: 'query',
    description:
      "ISO 8601 timestamp with a zone: the answer from the events recorded up to then, folded by today's definitions (late events, corrections and retractions recorded after it do not count). Not in the future; not with release.",
    schema: { type: 'string', format: 'date-time' },
  },
  {
    name: 'release',
    in: 'query',
    description:
      'Name of a frozen release (GET /v1/releases): the answer from its rows, identical whatever arrives later. Every answer says its basis: `basis` {release, asOf, definitionsVersion} in JSON, three last columns in CSV.',
    schema: { type: 'string' },
  },
];

/** The refusals every read endpoint shares. */
const READ_REFUSALS = {
  '400': errorResponse(
    'Unknown parameter or value, or a period finer than whole months for protected numbers',
  ),
  '401': errorResponse('No or unknown read key'),
  '403': errorResponse("Outside the reader's scope (a clinic reader filtering by another clinic)"),
  '404': errorResponse('No release of that name (or it was deleted)'),
  '408': errorResponse('The question ran past the time limit of one query'),
  '413': errorResponse('The question needs more memory than one query may use'),
  '429': errorResponse(
    "Over the reader's rate limit (rate_limited), or its daily budget of distinct cohorts for protected numbers is used up (budget_exceeded)",
    retryAfter,
  ),
  '503': errorResponse('The warehouse is unavailable', retryAfter),
};

export function openApiDocument(): Record<string, unknown> {
  const { $schema: _s, $id: _i, ...event } = eventJsonSchema();
  const { $schema: _bs, $id: _bi, ...batch } = batchJsonSchema();
  return {
    openapi: '3.1.0',
    info: {
      title: 'IPT Outcomes ingest and read API',
      version: '1.0.0',
      description:
        'Sources POST de-identified IPT events for their own clinics (an episode stays with the clinic of its first event); named readers (steward, clinic, researcher) GET aggregate outcomes within their scope, with small-cell suppression, and every read is logged. Every error is JSON {"error": {"code", "message"}}.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An ingest key (POST /v1/events) or a read key with its role (the GET endpoints under /v1)',
        },
      },
      schemas: {
        Event: event,
        Batch: batch,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
        BatchResult: {
          type: 'object',
          required: ['accepted', 'rejected'],
          properties: {
            accepted: {
              type: 'integer',
              description:
                'Events accepted (durable before this response); a repeated id counts and is stored once',
            },
            rejected: {
              type: 'array',
              items: {
                type: 'object',
                required: ['index', 'id', 'errors'],
                properties: {
                  index: { type: 'integer', description: 'Position in the request' },
                  id: { type: ['string', 'null'] },
                  errors: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['path', 'message'],
                      properties: {
                        path: { type: 'string', examples: ['payload.items.3'] },
                        message: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      '/v1/events': {
        post: {
          summary: `Send a batch of 1 to ${MAX_BATCH_EVENTS} events (at most ${MAX_BODY_BYTES} bytes)`,
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Batch' } } },
          },
          responses: {
            '200': {
              description: 'Per-event result',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/BatchResult' } },
              },
            },
            '400': errorResponse('The body is not JSON or not {"events": [...]}'),
            '401': errorResponse('No or unknown API key'),
            '413': errorResponse('The body is larger than 1 MiB'),
            '415': errorResponse('The Content-Type is not application/json'),
            '429': errorResponse('Rate limited', retryAfter),
            '503': errorResponse(
              'The log or warehouse is unavailable: nothing was accepted',
              retryAfter,
            ),
          },
        },
      },
      '/v1/outcomes': {
        get: {
          summary:
            'Outcome rates by problem area, sessions attended and medication, with disclosure control',
          description:
            'Exact numbers (with the k rule) for the network data steward and for a clinic reader filtering by its own clinics; protected numbers for everyone else (`protected: true`): every count carries cell-key noise of at most DISCLOSURE_NOISE, tied to its set of episodes (the same question, however spelt, gives the same answer), sums and means noise scaled to 27 PHQ-9 points, rates from the protected counts with intervals widened by 2D/n, every combination of the grouped categories returned, periods in whole months, and a daily budget of distinct cohorts per reader. Numbers are full precision. See OUTCOMES.md, "Disclosure control".',
          security: [{ bearer: [] }],
          parameters: [
            {
              name: 'groupBy',
              in: 'query',
              description: `Comma list of up to three of ${OUTCOME_DIMENSIONS.join(', ')}`,
              schema: { type: 'string' },
            },
            {
              name: 'adjust',
              in: 'query',
              description:
                'caseMix: with groupBy naming one dimension, add `adjusted`: each outcome rate of the groups crude and directly standardised to the compared groups\' case mix over common support (share outside reported), differences from the first group, and with two groups the Mantel-Haenszel risk ratio (Greenland-Robins interval). With Accept: text/csv the CSV is the adjusted comparison, one row per rate and group. See OUTCOMES.md, "Adjusted comparisons".',
              schema: { type: 'string', enum: ['caseMix'] },
            },
            {
              name: 'adjustFor',
              in: 'query',
              description: `With adjust=caseMix: comma list of one to four of ${ADJUSTMENT_FACTOR_NAMES.join(', ')}; default ${DEFAULT_ADJUSTMENT.join(',')}`,
              schema: { type: 'string' },
            },
            ...FILTER_PARAMETERS,
            ...BASIS_PARAMETERS,
          ],
          responses: {
            '200': {
              description: `Every combination of the grouped categories with counts, rates (Wilson 95% intervals), mean change (t interval) and effect size, and \`protected\` (true: cell-key noise; the CSV has a \`protected\` column). Groups with fewer than minCellSize (default ${DEFAULT_MIN_CELL_SIZE}) episodes are suppressed, and so is a count inside a shown group below it.`,
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...READ_REFUSALS,
          },
        },
      },
      '/v1/time-to-improvement': {
        get: {
          summary: 'Time to reliable improvement by session, per group known at intake',
          description:
            'The cumulative incidence of reliable improvement by session number (Aalen-Johansen: ending without improvement is the competing event, open episodes are censored) with 95% delta-method intervals, per group of one dimension fixed at intake. A group of fewer than minCellSize episodes is suppressed; a curve stops at the first session whose risk set is below minCellSize. Protected readers get the curve from protected counts, with intervals that carry the noise, and no counts at a session (only the risk set). See OUTCOMES.md, "Time to reliable improvement".',
          security: [{ bearer: [] }],
          parameters: [
            {
              name: 'groupBy',
              in: 'query',
              description: `One of ${TIME_TO_IMPROVEMENT_DIMENSIONS.join(', ')}; omit for every episode as one group (\`all\`)`,
              schema: { type: 'string', enum: [...TIME_TO_IMPROVEMENT_DIMENSIONS] },
            },
            ...FILTER_PARAMETERS,
            ...BASIS_PARAMETERS,
          ],
          responses: {
            '200': {
              description:
                'Every group of the dimension, each with `suppressed`, `episodes` and its points (session, atRisk, events, competing, censored, incidence, ci), and `protected`. CSV: one row per group and session.',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...READ_REFUSALS,
          },
        },
      },
      '/v1/off-track': {
        get: {
          summary: "A clinic's open episodes off track now (pseudonyms only)",
          description:
            'Open episodes whose latest PHQ-9 at a session 3-8 lies above the 90th percentile of the network\'s expected curve for their baseline band (finished, paired episodes; R type 7; sessions with at least minCellSize scores). For the episode\'s own clinic readers and the network data steward only; researchers are refused (403). Pseudonyms only: the clinic maps them back to its local ids with its own secret (`reidentify` in @ipt/events/client). See OUTCOMES.md, "Expected recovery and off-track episodes".',
          security: [{ bearer: [] }],
          parameters: [
            {
              name: 'clinic',
              in: 'query',
              description:
                'Comma list of clinic codes; a clinic reader may name only its own. Default: every clinic the reader sees one by one.',
              schema: { type: 'string' },
            },
            ...BASIS_PARAMETERS,
          ],
          responses: {
            '200': {
              description:
                '`episodes` (episodeId, clinic, band, session, total, expected {p10, p50, p90}, lastSession) and `truncated` (more than 5,000). CSV: one row per episode.',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...READ_REFUSALS,
          },
        },
      },
      '/v1/releases': {
        get: {
          summary: 'The frozen releases, newest first',
          description:
            'Every release an analysis can be asked of with release=<name>: name, asOf, definitionsVersion, episodes, contentHash (SHA-256 over the sorted row hashes; `ipt release verify` recomputes it), createdBy, createdAt, note. For every reader; stewards make and delete them (dashboard, `ipt release`). See OUTCOMES.md, "As of and releases".',
          security: [{ bearer: [] }],
          responses: {
            '200': {
              description: '`releases`; CSV: one row per release.',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            '400': errorResponse('A parameter (the list takes none)'),
            '401': errorResponse('No or unknown read key'),
            '429': errorResponse("Over the reader's rate limit", retryAfter),
            '503': errorResponse('The warehouse is unavailable', retryAfter),
          },
        },
      },
      '/v1/schema': {
        get: {
          summary: 'JSON Schema of the event catalog',
          responses: { '200': { description: 'JSON Schema' } },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'Alive' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: the warehouse answers',
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'text/plain exposition format' } },
        },
      },
    },
  };
}
