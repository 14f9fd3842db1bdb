import { accessRouter } from './routers/access.js';
import { careRouter } from './routers/care.js';
import { cohortsRouter } from './routers/cohorts.js';
import { outcomesRouter } from './routers/outcomes.js';
import { releasesRouter } from './routers/releases.js';
import { createCallerFactory, router } from './trpc.js';

export const appRouter = router({
  outcomes: outcomesRouter,
  care: careRouter,
  cohorts: cohortsRouter,
  access: accessRouter,
  releases: releasesRouter,
});

/** The router's type: the only thing the browser imports from this package. */
export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP (tests, server components). */
export const createCaller = createCallerFactory(appRouter);
