import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Next.js build of this app, loaded in the serving process: chDB binds the warehouse to one
 * process, so in the embedded mode the pages cannot run as a second server beside it.
 */
const APP_DIR = fileURLToPath(new URL('../', import.meta.url));

interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  close(): Promise<void>;
}
type CreateNext = (options: { dev: boolean; dir: string; quiet?: boolean }) => NextServer;

export interface NextPages {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/** The pages, or null (with the reason) when the app has not been built. */
export async function loadNextPages(): Promise<NextPages | { missing: string }> {
  const buildId = join(APP_DIR, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return { missing: join(APP_DIR, '.next') };
  const require = createRequire(join(APP_DIR, 'package.json'));
  const loaded = require('next') as CreateNext | { default: CreateNext };
  const createNext = typeof loaded === 'function' ? loaded : loaded.default;
  const next = createNext({ dev: false, dir: APP_DIR, quiet: true });
  await next.prepare();
  const handle = next.getRequestHandler();
  return { handle: (req, res) => handle(req, res), close: () => next.close() };
}

export const DASHBOARD_DIR = APP_DIR;
