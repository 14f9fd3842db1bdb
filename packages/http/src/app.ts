import express, { type Express, type RequestHandler } from 'express';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './infra/error-handler.js';
import type { RouteGroup } from './route-groups.js';
import { eventsRouter } from './routes/events.js';
import { healthRouter } from './routes/health.js';
import { readRoutes } from './routes/read-route.js';
import { schemaRouter } from './routes/schema.js';

/**
 * The HTTP surface of one process: exactly the route groups given (its role's: ROLE_ROUTES in
 * apps/server), then JSON 404 and JSON errors for everything else.
 */
export function createApp(
  ctx: AppContext,
  /** The route groups this process serves (its role's, apps/server roles.ts). */
  groups: readonly RouteGroup[],
  extras: { dashboard?: RequestHandler | null } = {},
): Express {
  const serves = (group: RouteGroup) => groups.includes(group);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (ctx.trustProxy) app.set('trust proxy', true);
  app.use(ctx.metrics.middleware);
  if (serves('events')) {
    if (ctx.ingestor === null) throw new Error('a process that serves events needs an ingestor');
    app.use(eventsRouter(ctx, ctx.ingestor));
  }
  if (serves('outcomes')) {
    if (ctx.warehouse === null) throw new Error('a process that serves reads needs a warehouse');
    app.use(readRoutes(ctx, ctx.warehouse));
  }
  if (serves('schema')) app.use(schemaRouter());
  if (serves('health')) app.use(healthRouter(ctx));
  if (serves('dashboard') && extras.dashboard) app.use(extras.dashboard);
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
