/**
 * @ipt/http: the HTTP surface. `createApp` mounts the route groups a process serves: the
 * events API (screened for ownership, rejections recorded), the reads made from their
 * definitions (@ipt/analytics), schema and OpenAPI, health and metrics, and the dashboard's
 * mount (sign-in, sessions, the tRPC route, the Next.js pages). The composition root
 * (apps/server) builds the context and decides the groups.
 */
export { createApp } from './app.js';
export { keyId, principalOf, readKeyOf, requireReadKey } from './auth.js';
export type { AppContext } from './context.js';
export {
  createDashboard,
  type Dashboard,
  type DashboardOptions,
} from './dashboard/service.js';
export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './infra/logger.js';
export { createMetrics, type Metrics } from './infra/metrics.js';
export { createRateLimiter, type RateLimiter } from './infra/rate-limit.js';
export { IngestUnavailableError } from './ingest/errors.js';
export type { Ingestor, IngestResult } from './ingest/ingestor.js';
export {
  FOREIGN_EPISODE_MESSAGE,
  FOREIGN_RETRACTION_MESSAGE,
  OTHER_EPISODE_RETRACTION_MESSAGE,
  ownershipScreen,
  type Refusal,
  type Screen,
  screenOwnership,
} from './ingest/ownership.js';
export { recordRejections } from './ingest/rejections.js';
export { openApiDocument } from './openapi/document.js';
export { ROUTE_GROUPS, type RouteGroup } from './route-groups.js';
export { REST_READS } from './routes/read-route.js';
