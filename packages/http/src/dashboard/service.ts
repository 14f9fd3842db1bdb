import type { AccessLog, CohortBudget, DisclosureSettings } from '@ipt/analytics/server';
import type { ReadLimiter } from '@ipt/auth';
import {
  createOidc,
  createSessionStore,
  localPath,
  type OidcSettings,
  type ReadKeyring,
  resolvePrincipal,
  type SessionStore,
  sessionIdOf,
} from '@ipt/auth';
import type { Warehouse } from '@ipt/warehouse';
import { type RequestHandler, Router } from 'express';
import { authRoutes } from './auth-routes.js';
import { hostAllowList, sameOriginForCookies } from './guards.js';
import { loadNextPages, type NextPages } from './next-pages.js';
import { pageLabel } from './page-label.js';
import { trpcRoute } from './trpc-route.js';

/**
 * Everything the dashboard serves, as one express router for the process that hosts it (the
 * one process of `pnpm start`, or `ipt dashboard` when scaled): sign-in and sessions, the tRPC
 * endpoint, and the pages, which send a browser without a session to the sign-in page.
 *
 * Paths of the other APIs (/v1, /healthz, ...) pass through untouched.
 */
export interface DashboardOptions {
  warehouse: Warehouse;
  /** Disclosure control: k and the noise D of protected numbers. */
  disclosure: Required<DisclosureSettings>;
  budget: CohortBudget;
  readKeys: ReadKeyring;
  accessLog: AccessLog;
  limiter: ReadLimiter;
  /** Host names this dashboard answers for (DNS-rebinding guard). */
  allowedHosts: readonly string[];
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /**
   * The Next.js app whose build is served (apps/dashboard: the composition root knows where);
   * null: tRPC and sign-in only, e.g. in tests.
   */
  pagesDir: string | null;
  /** Sign-in through an OpenID Connect provider, besides read keys. */
  oidc?: OidcSettings | undefined;
  log: { info(message: string): void; warn(message: string): void };
  /** Each tRPC request's calls by procedure, for metrics. */
  onTrpcCalls?: (procedures: readonly string[]) => void;
}

export interface Dashboard {
  handler: RequestHandler;
  sessions: SessionStore;
  close(): Promise<void>;
}

/** Pages and files anyone may fetch: the sign-in page and the built scripts and styles. */
const PUBLIC_PAGE = /^\/(sign-in(\/.*)?|_next\/static\/.*|icon\.svg|favicon\.ico)$/;
const OWN_PREFIXES = ['/api/trpc', '/auth/'];
const OTHER_API = /^\/(v1\/|v1$|healthz$|readyz$|metrics$|openapi\.json$)/;

export async function createDashboard(options: DashboardOptions): Promise<Dashboard> {
  const sessions = createSessionStore({
    idleMs: options.sessionIdleMinutes * 60_000,
    absoluteMs: options.sessionMaxHours * 3_600_000,
    keyStillValid: (hash) => options.readKeys.hasHash(hash),
  });
  let pages: NextPages | null = null;
  if (options.pagesDir !== null) {
    const loaded = await loadNextPages(options.pagesDir);
    if ('missing' in loaded) {
      options.log.warn(
        `dashboard: not built (no ${loaded.missing}); run "pnpm build" for the web pages`,
      );
    } else {
      pages = loaded;
      options.log.info('dashboard: serving the Next.js build');
    }
  }

  const oidc =
    options.oidc === undefined
      ? null
      : await createOidc({
          settings: options.oidc,
          sessions,
          absoluteSeconds: options.sessionMaxHours * 3600,
          limiter: options.limiter,
        });
  if (oidc !== null)
    options.log.info(`dashboard: OpenID Connect sign-in via ${options.oidc?.issuer.href}`);

  const own = Router();
  own.use(hostAllowList(options.allowedHosts), sameOriginForCookies);
  // What the sign-in page offers: a read key always, a provider when one is configured.
  own.get('/auth/methods', (_req, res) => {
    res.json({ key: true, oidc: oidc === null ? null : { name: oidc.displayName } });
  });
  own.use(
    authRoutes({
      keys: options.readKeys,
      sessions,
      absoluteSeconds: options.sessionMaxHours * 3600,
    }),
  );
  if (oidc !== null) own.use(oidc.router);
  own.use(
    '/api/trpc',
    trpcRoute({
      context: {
        warehouse: options.warehouse,
        disclosure: options.disclosure,
        budget: options.budget,
        accessLog: options.accessLog,
      },
      resolve: (req) => resolvePrincipal(req, options.readKeys, sessions),
      limiter: options.limiter,
      warn: (message) => options.log.warn(message),
      onCalls: options.onTrpcCalls,
    }),
  );
  if (pages !== null) {
    const next = pages;
    own.use((req, res, nextMiddleware) => {
      // A path with dot segments (`/sign-in/../audit`, sent raw) is never public.
      const dotted = /(^|\/)\.|%2e/i.test(req.path);
      if (dotted || !PUBLIC_PAGE.test(req.path)) {
        const id = sessionIdOf(req);
        if (id === null || sessions.resolve(id) === null) {
          res.redirect(303, `/sign-in?next=${encodeURIComponent(localPath(req.originalUrl))}`);
          return;
        }
      }
      res.locals.metricsRoute = pageLabel(req.path);
      next.handle(req, res).catch(nextMiddleware);
    });
  }

  const handler: RequestHandler = (req, res, nextMiddleware) => {
    if (OTHER_API.test(req.path)) {
      nextMiddleware();
      return;
    }
    // Without pages, only the dashboard's own routes are answered here.
    if (pages === null && !OWN_PREFIXES.some((p) => req.path.startsWith(p))) {
      nextMiddleware();
      return;
    }
    own(req, res, nextMiddleware);
  };
  return {
    handler,
    sessions,
    close: async () => {
      await options.accessLog.flush();
      await pages?.close();
    },
  };
}
