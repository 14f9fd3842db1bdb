import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The Next.js build of the dashboard app, loaded in the serving process: chDB binds the
 * warehouse to one process, so in the embedded mode the pages cannot run as a second server
 * beside it. `next` is resolved from the app's own directory, so this package needs no copy.
 */

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
export async function loadNextPages(appDir: string): Promise<NextPages | { missing: string }> {
  const buildId = join(appDir, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return { missing: join(appDir, '.next') };
  const require = createRequire(join(appDir, 'package.json'));
  const loaded = require('next') as CreateNext | { default: CreateNext };
  const createNext = typeof loaded === 'function' ? loaded : loaded.default;
  const next = createNext({ dev: false, dir: appDir, quiet: true });
  await next.prepare();
  const handle = next.getRequestHandler();
  return { handle: (req, res) => handle(req, res), close: () => next.close() };
}
