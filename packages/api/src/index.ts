/**
 * @ipt/api: the dashboard's tRPC router over the analytics service. Server-only; the browser
 * imports `type AppRouter` and nothing else.
 */
export { type AppRouter, appRouter, createCaller } from './root.js';
export { DeleteCohortInput, SaveCohortInput } from './routers/cohorts.js';
export { AuditInput, OverviewInput, TrajectoriesInput } from './routers/outcomes.js';
export type { ApiContext } from './trpc.js';
