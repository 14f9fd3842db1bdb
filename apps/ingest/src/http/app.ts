import express, { type Express, type RequestHandler } from 'express';
import { type Role, serves } from '../roles.js';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './infra/error-handler.js';
import { eventsRouter } from './routes/events.js';
import { healthRouter } from './routes/health.js';
import { offTrackRouter } from './routes/off-track.js';
import { outcomesRouter } from './routes/outcomes.js';
import { releasesRouter } from './routes/releases.js';
import { schemaRouter } from './routes/schema.js';
import { timeToImprovementRouter } from './routes/time-to-improvement.js';

/**
 * The HTTP surface of one process role: exactly the route groups ROLE_ROUTES declares for it,
 * then JSON 404 and JSON errors for everything else.
 */
export function createApp(
  ctx: AppContext,
  role: Role,
  extras: { dashboard?: RequestHandler | null } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (ctx.trustProxy) app.set('trust proxy', true);
  app.use(ctx.metrics.middleware);
  if (serves(role, 'events')) {
    if (ctx.ingestor === null)
      throw new Error(`the ${role} role serves events but has no ingestor`);
    app.use(eventsRouter(ctx, ctx.ingestor));
  }
  if (serves(role, 'outcomes')) {
    if (ctx.warehouse === null)
      throw new Error(`the ${role} role serves reads but has no warehouse`);
    app.use(outcomesRouter(ctx, ctx.warehouse));
    app.use(timeToImprovementRouter(ctx, ctx.warehouse));
    app.use(offTrackRouter(ctx, ctx.warehouse));
    app.use(releasesRouter(ctx, ctx.warehouse));
  }
  if (serves(role, 'schema')) app.use(schemaRouter());
  if (serves(role, 'health')) app.use(healthRouter(ctx));
  if (serves(role, 'dashboard') && extras.dashboard) app.use(extras.dashboard);
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
