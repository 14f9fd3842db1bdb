/**
 * @ipt/api: the dashboard's tRPC router over the analytics service. Server-only; the browser
 * imports `type AppRouter` and nothing else.
 */

export { AuditInput, OverviewInput, TrajectoriesInput } from '@ipt/analytics/server';
export { type AppRouter, appRouter, createCaller } from './root.js';
export { DeleteCohortInput, SaveCohortInput } from './routers/cohorts.js';
export type { ApiContext } from './trpc.js';
export { readProcedure } from './trpc.js';
