/**
 * @fileoverview The service's roles: each role answers exactly the route groups ROLE_ROUTES
 * declares and 404s the rest (the projector serves no reads, the dashboard no writes); the
 * dashboard role serves reads over the warehouse with no write path; the Kafka roles refuse to
 * start without KAFKA_BROKERS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccessLog, createCohortBudget } from '@ipt/analytics/server';
import { testDisclosure, testRecordKeys } from '@ipt/analytics/testing';
import { createKeyring, generateKey, ingestConfigEntry, readConfigEntry } from '@ipt/auth';
import { createEventValidator } from '@ipt/events';
import type { AppContext } from '@ipt/http';
import {
  createApp,
  createDashboard,
  createLogger,
  createMetrics,
  createRateLimiter,
} from '@ipt/http';
import { migrate, Warehouse } from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../src/env.js';
import { createEmbeddedIngestor } from '../src/ingest/embedded-ingestor.js';
import { ROLE_ROUTES, ROLES, type RouteGroup, serves } from '../src/roles.js';
import { startServer } from '../src/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ipt-roles-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const silent = createLogger({ level: 'silent' });

it('serves reads but no writes in the dashboard role', async () => {
  const read = generateKey('read');
  const env = loadEnv({
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DASHBOARD: 'false',
    READ_KEYS: JSON.stringify([
      readConfigEntry(read.keySha256, { name: 'role-test', role: 'researcher' }),
    ]),
  });
  const running = await startServer(env, silent, 'dashboard');
  try {
    const outcomes = await fetch(`${running.url}/v1/outcomes`, {
      headers: { authorization: `Bearer ${read.key}` },
    });
    expect(outcomes.status).toBe(200);
    const write = await fetch(`${running.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"events":[]}',
    });
    expect(write.status).toBe(404);
    expect(await write.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(running.projector).toBeNull();
  } finally {
    await running.stop();
  }
});

it.each(['ingest', 'projector'] as const)(
  'refuses to start the %s role without KAFKA_BROKERS',
  async (role) => {
    const env = loadEnv({ PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'false', DASHBOARD: 'false' });
    await expect(startServer(env, silent, role)).rejects.toThrow(ConfigError);
  },
);

describe('each role serves exactly the routes ROLE_ROUTES declares', () => {
  const roleDir = mkdtempSync(join(tmpdir(), 'ipt-role-table-'));
  let warehouse: Warehouse;
  const ingestKey = generateKey('ingest');
  const readKey = generateKey('read');
  beforeAll(async () => {
    warehouse = new Warehouse({ mode: 'embedded', dataDir: roleDir });
    await migrate(warehouse);
  });
  afterAll(async () => {
    await warehouse.close();
    rmSync(roleDir, { recursive: true, force: true });
  });

  const probes: Record<RouteGroup, { path: string; init?: RequestInit }> = {
    events: {
      path: '/v1/events',
      init: {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey.key}`, 'content-type': 'application/json' },
        body: '{"events":[]}',
      },
    },
    outcomes: {
      path: '/v1/outcomes',
      init: { headers: { authorization: `Bearer ${readKey.key}` } },
    },
    dashboard: {
      path: '/api/trpc/access.me',
      init: { headers: { authorization: `Bearer ${readKey.key}` } },
    },
    schema: { path: '/v1/schema' },
    health: { path: '/healthz' },
  };

  it.each(ROLES)('the %s role', async (role) => {
    const now = () => new Date();
    const limiter = createRateLimiter({ capacity: 100, refillPerSecond: 100 });
    const readKeys = createKeyring([
      readConfigEntry(readKey.keySha256, { name: 'role-reader', role: 'steward' }),
    ]);
    const accessLog = createAccessLog(warehouse);
    const budget = createCohortBudget(warehouse, { perDay: 1000 });
    const context: AppContext = {
      warehouse,
      ingestor: createEmbeddedIngestor(warehouse, testRecordKeys),
      readiness: [],
      ingestKeys: createKeyring([
        ingestConfigEntry(ingestKey.keySha256, { sourceId: 'role-source', clinics: ['role-01'] }),
      ]),
      readKeys,
      limiter,
      readLimiter: limiter,
      accessLog,
      trustProxy: false,
      metrics: createMetrics(),
      logger: silent,
      disclosure: testDisclosure,
      budget,
      now,
      validate: createEventValidator({ now }),
    };
    const dashboard = await createDashboard({
      warehouse,
      disclosure: testDisclosure,
      budget,
      readKeys,
      accessLog,
      limiter,
      allowedHosts: ['127.0.0.1', 'localhost'],
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      pagesDir: null,
      log: { info: () => undefined, warn: () => undefined },
    });
    const app = createApp(context, ROLE_ROUTES[role], { dashboard: dashboard.handler });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    try {
      for (const group of Object.keys(probes) as RouteGroup[]) {
        const { path, init } = probes[group];
        const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
        if (serves(role, group)) {
          // Served: any answer of its own (the empty batch is a 400), never the 404 of no route.
          expect(res.status, `${role} ${group}`).not.toBe(404);
        } else {
          expect(res.status, `${role} ${group}`).toBe(404);
          expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
        }
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await dashboard.close();
    }
  });

  it('declares no reads for the projector and no writes for the dashboard', () => {
    expect(ROLE_ROUTES.projector).toEqual(['health']);
    expect(ROLE_ROUTES.dashboard).not.toContain('events');
    expect(ROLE_ROUTES.ingest).not.toContain('outcomes');
    expect(ROLE_ROUTES.ingest).not.toContain('dashboard');
  });
});
