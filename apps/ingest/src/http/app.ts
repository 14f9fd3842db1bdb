import express, { type Express, type RequestHandler } from 'express';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './infra/error-handler.js';
import { eventsRouter } from './routes/events.js';
import { healthRouter } from './routes/health.js';
import { outcomesRouter } from './routes/outcomes.js';
import { schemaRouter } from './routes/schema.js';
import { trpcHandler } from './trpc.js';

/**
 * The HTTP surface of the service: the APIs, the dashboard's tRPC endpoint and pages where this
 * process serves them, then JSON 404 and JSON errors for everything else.
 */
export function createApp(
  ctx: AppContext,
  extras: { dashboard?: RequestHandler | null } = {},
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(ctx.metrics.middleware);
  if (ctx.ingestor !== null) app.use(eventsRouter(ctx, ctx.ingestor));
  if (ctx.warehouse !== null) {
    app.use(outcomesRouter(ctx, ctx.warehouse));
    app.use('/api/trpc', trpcHandler(ctx.warehouse, ctx.minCellSize));
  }
  app.use(schemaRouter());
  app.use(healthRouter(ctx));
  if (extras.dashboard) app.use(extras.dashboard);
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
