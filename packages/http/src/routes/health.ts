import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireAcceptable } from '../infra/http-error.js';

/**
 * `/healthz`: the process is alive (for restarts). `/readyz`: it can do its work, the warehouse
 * answers (for load balancers: route traffic elsewhere while it does not). `/metrics`: Prometheus.
 */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (req, res) => {
    requireAcceptable((t) => req.accepts(t), ['application/json']);
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    requireAcceptable((t) => req.accepts(t), ['application/json']);
    const results = await Promise.all(
      ctx.readiness.map(async ({ name, check }) => [name, await check()] as const),
    );
    const ready = results.every(([, up]) => up);
    res.status(ready ? 200 : 503).json({
      ready,
      checks: Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down'])),
    });
  });
  router.get('/metrics', async (req, res) => {
    requireAcceptable((t) => req.accepts(t), ['text/plain', 'text/plain; version=0.0.4']);
    const { contentType, body } = await ctx.metrics.render();
    res.type(contentType).send(body);
  });
  return router;
}
