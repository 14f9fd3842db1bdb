import type { RouteGroup } from '@ipt/http';

/**
 * What each process role serves, declared in one table (README, "Scaled mode: Kafka and a
 * ClickHouse server"). `createApp` mounts exactly these route groups; a test per role checks what it
 * answers and what it refuses.
 *
 * - `all` (`ipt start`): everything in ONE process; an embedded warehouse must live here.
 * - `ingest` (scaled): the write API producing to Kafka. No reads.
 * - `projector` (scaled): the consumer group writing the warehouse; health and metrics only.
 * - `dashboard` (scaled): the pages, sign-in, tRPC and the REST read API over a ClickHouse
 *   server. No write path.
 */
export { ROUTE_GROUPS, type RouteGroup } from '@ipt/http';

export const ROLES = ['all', 'ingest', 'projector', 'dashboard'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_ROUTES: Record<Role, readonly RouteGroup[]> = {
  all: ['events', 'outcomes', 'dashboard', 'schema', 'health'],
  ingest: ['events', 'schema', 'health'],
  projector: ['health'],
  dashboard: ['outcomes', 'dashboard', 'schema', 'health'],
};

export const serves = (role: Role, group: RouteGroup): boolean => ROLE_ROUTES[role].includes(group);
