import type { Request, RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The ingest's Prometheus metrics, in a registry of its own rather than prom-client's global
 * one, so that tests (and an ingest and a projector in one process) never collide on names.
 */

export const INGEST_OUTCOMES = ['accepted', 'rejected', 'duplicate'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

type RequestLabel = 'method' | 'route' | 'status';

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<RequestLabel>;
  readonly httpRequestDuration: Histogram<RequestLabel>;
  /** Events by outcome; `duplicate` is an accepted event whose id was already stored. */
  readonly ingestEvents: Counter<'outcome'>;
  readonly ingestBatches: Counter;
  readonly projectorEpisodesProjected: Counter;
  /** Events in the log the projector has not applied yet. */
  readonly projectorLag: Gauge;
  /** Events the Kafka projector consumed, by outcome: stored, duplicate, dead_lettered. */
  readonly projectorEvents: Counter<'outcome'>;
  /** tRPC calls by procedure: a batch of the dashboard's counts each of its calls. */
  readonly trpcCalls: Counter<'procedure'>;
  /** Records each request's count and duration, labelled with its route pattern. */
  readonly middleware: RequestHandler;
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * `res.locals[ROUTE_LABEL_LOCAL]`: the label a `use`-mounted handler gives its request (the
 * dashboard sets it; the key is repeated there). Only from a closed list, never from the URL.
 */
export const ROUTE_LABEL_LOCAL = 'metricsRoute';

/** Label for requests no route matched: one series, whatever URLs scanners try. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Status label of a request whose client closed the connection before the response ended. */
export const CLIENT_CLOSED_REQUEST = '499';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route pattern (`/v1/episodes/:id`), never the URL (`/v1/episodes/abc123`): a label per
 * distinct URL would give Prometheus a series per episode. Read when the response finishes,
 * after routing, with the router's mount path in front of the route's own.
 */
export function routeLabel(req: Request, locals: Record<string, unknown> = {}): string {
  // A handler mounted with `use` (the dashboard's pages, tRPC) has no route pattern; it names
  // its request itself from a closed list (see ROUTE_LABEL_LOCAL).
  const named = locals[ROUTE_LABEL_LOCAL];
  if (typeof named === 'string') return named;
  const route: unknown = req.route;
  if (typeof route !== 'object' || route === null || !('path' in route)) return UNMATCHED_ROUTE;
  const path = route.path;
  return `${req.baseUrl}${typeof path === 'string' ? path : String(path)}`;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response',
    labelNames: ['method', 'route', 'status'] as const,
    // Up to 10 s: a 1 MiB batch that waits on a slow log or warehouse is the long tail.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const trpcCalls = new Counter({
    name: 'trpc_calls_total',
    help: "Calls to the dashboard's tRPC procedures, a batch's each counted",
    labelNames: ['procedure'] as const,
    registers,
  });
  const ingestEvents = new Counter({
    name: 'ingest_events_total',
    help: 'Events received by POST /v1/events, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  // Zero series from the start, so rate() and ratios work before the first rejection.
  for (const outcome of INGEST_OUTCOMES) ingestEvents.inc({ outcome }, 0);
  const ingestBatches = new Counter({
    name: 'ingest_batches_total',
    help: 'Batches answered 200 by POST /v1/events',
    registers,
  });
  const projectorEpisodesProjected = new Counter({
    name: 'projector_episodes_projected_total',
    help: 'Episode projections written to the warehouse',
    registers,
  });
  const projectorLag = new Gauge({
    name: 'projector_lag_events',
    help: 'Events in the log not yet applied by the projector',
    registers,
  });

  const projectorEvents = new Counter({
    name: 'projector_events_total',
    help: 'Events consumed from the log by the projector, by outcome (rate() is its throughput)',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of ['stored', 'duplicate', 'dead_lettered'])
    projectorEvents.inc({ outcome }, 0);

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    // 'close', not 'finish': 'finish' never fires for a client that hangs up mid-request, and
    // those (slow uploads given up on) are worth seeing. They count as nginx's 499.
    res.once('close', () => {
      const labels = {
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        route: routeLabel(req, res.locals),
        status: res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_REQUEST,
      };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  return {
    registry,
    httpRequests,
    httpRequestDuration,
    ingestEvents,
    ingestBatches,
    projectorEpisodesProjected,
    projectorLag,
    projectorEvents,
    trpcCalls,
    middleware,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
