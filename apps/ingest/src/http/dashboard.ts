import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import type { Logger } from './infra/logger.js';

/**
 * The Next.js dashboard, mounted in this process: chDB binds the warehouse to one process, so
 * the dashboard cannot run beside it as a second server in the embedded mode. Next is loaded
 * from the dashboard's own directory (its dependencies, its build); paths of the APIs are never
 * handed to it, so they keep their JSON errors.
 */
const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));
const API_PREFIXES = ['/v1/', '/api/', '/healthz', '/readyz', '/metrics', '/openapi.json'];

interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  close(): Promise<void>;
}
type CreateNext = (options: { dev: boolean; dir: string; quiet?: boolean }) => NextServer;

export async function loadDashboard(
  logger: Logger,
): Promise<{ handler: RequestHandler; close: () => Promise<void> } | null> {
  if (!existsSync(join(DASHBOARD_DIR, '.next', 'BUILD_ID'))) {
    logger.warn(
      `dashboard: not built (no ${join(DASHBOARD_DIR, '.next')}); run "pnpm build" for the web pages`,
    );
    return null;
  }
  const require = createRequire(join(DASHBOARD_DIR, 'package.json'));
  const loaded = require('next') as CreateNext | { default: CreateNext };
  const createNext = typeof loaded === 'function' ? loaded : loaded.default;
  const next = createNext({ dev: false, dir: DASHBOARD_DIR, quiet: true });
  await next.prepare();
  const handle = next.getRequestHandler();
  logger.info(`dashboard: serving the Next.js build in ${DASHBOARD_DIR}`);
  return {
    handler: (req, res, nextMiddleware) => {
      if (
        API_PREFIXES.some(
          (prefix) => req.path === prefix.replace(/\/$/, '') || req.path.startsWith(prefix),
        )
      ) {
        nextMiddleware();
        return;
      }
      handle(req, res).catch(nextMiddleware);
    },
    close: () => next.close(),
  };
}
