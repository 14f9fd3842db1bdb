/**
 * The route groups of the HTTP surface. Which a process serves is its role's (apps/server,
 * roles.ts: one table of roles and their groups); `createApp` mounts exactly those given.
 */
export const ROUTE_GROUPS = {
  events: 'POST /v1/events',
  outcomes: 'GET /v1/outcomes (bearer read key)',
  dashboard: 'the pages, /sign-in, /auth/*, /api/trpc',
  schema: 'GET /v1/schema, GET /openapi.json',
  health: 'GET /healthz, /readyz, /metrics',
} as const;
export type RouteGroup = keyof typeof ROUTE_GROUPS;
