import express, { type Express } from 'express';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './infra/error-handler.js';
import { eventsRouter } from './routes/events.js';
import { healthRouter } from './routes/health.js';
import { outcomesRouter } from './routes/outcomes.js';
import { schemaRouter } from './routes/schema.js';

/** The HTTP API of the ingest service: routes, then JSON 404 and JSON errors for everything. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(ctx.metrics.middleware);
  if (ctx.ingestor !== null) app.use(eventsRouter(ctx, ctx.ingestor));
  if (ctx.warehouse !== null) app.use(outcomesRouter(ctx, ctx.warehouse));
  app.use(schemaRouter());
  app.use(healthRouter(ctx));
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
