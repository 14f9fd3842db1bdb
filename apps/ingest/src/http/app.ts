import express, { type Express, type RequestHandler } from 'express';
import { type Role, serves } from '../roles.js';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './infra/error-handler.js';
import { eventsRouter } from './routes/events.js';
import { healthRouter } from './routes/health.js';
import { readRoutes } from './routes/read-route.js';
import { schemaRouter } from './routes/schema.js';

/**
 * The HTTP surface of one process role: exactly the route groups ROLE_ROUTES declares for it,
 * then JSON 404 and JSON errors for everything else.
 */
export function createApp(
  ctx: AppContext,
  processRole: Role,
  extras: { dashboard?: RequestHandler | null } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (ctx.trustProxy) app.set('trust proxy', true);
  app.use(ctx.metrics.middleware);
  if (serves(processRole, 'events')) {
    if (ctx.ingestor === null)
      throw new Error(`the ${processRole} role serves events but has no ingestor`);
    app.use(eventsRouter(ctx, ctx.ingestor));
  }
  if (serves(processRole, 'outcomes')) {
    if (ctx.warehouse === null)
      throw new Error(`the ${processRole} role serves reads but has no warehouse`);
    app.use(readRoutes(ctx, ctx.warehouse));
  }
  if (serves(processRole, 'schema')) app.use(schemaRouter());
  if (serves(processRole, 'health')) app.use(healthRouter(ctx));
  if (serves(processRole, 'dashboard') && extras.dashboard) app.use(extras.dashboard);
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
