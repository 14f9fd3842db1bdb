import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { assertDistinctKeys, parseIngestKeys, parseReadKeys } from '@ipt/auth';
import type { AppContext } from '@ipt/http';
import {
  createApp,
  createDashboard,
  createLogger,
  createMetrics,
  type Dashboard,
  type Logger,
} from '@ipt/http';
import { createNetwork } from '@ipt/simulator';
import { loadOrCreateDemoKeys } from './demo/demo-keys.js';
import { startDemo } from './demo/start-demo.js';
import { allowedHosts, ConfigError, type Env, oidcSettings } from './env.js';
import type { Projector } from './kafka/projector.js';
import { ROLE_ROUTES, type Role, serves } from './roles.js';
import { buildContext } from './start/context.js';
import { prepareRecordKeys } from './start/record-keys.js';
import { openWarehouse } from './start/warehouse.js';
import { startWritePath } from './start/write-path.js';

/**
 * One entry point for every way the service runs; what each role serves is declared in
 * ROLE_ROUTES (roles.ts). Without KAFKA_BROKERS the write path appends to the warehouse
 * directly; with it, the process produces to Kafka and a consumer projects. An embedded
 * warehouse lives in the `all` role: chDB binds its directory to one process.
 */
export type { Role } from './roles.js';

/**
 * The dashboard app whose Next.js build this process serves: apps/dashboard, beside this app
 * (from src/ in tests and dist/ when built alike). A path, not an import: apps do not import apps.
 */
const DASHBOARD_APP = fileURLToPath(new URL('../../dashboard/', import.meta.url));

export interface RunningServer {
  url: string;
  server: Server;
  context: AppContext;
  projector: Projector | null;
  /** Resolves when demo loading is finished (or at once when there is none). */
  demo: Promise<void>;
  /** Stop accepting, finish in-flight batches, commit, close the log and the warehouse. */
  stop(): Promise<void>;
}

/** The warehouse of a run, embedded or a server (also for the CLI's commands). */
export { warehouseTarget } from './start/warehouse.js';

export async function startServer(
  env: Env,
  logger: Logger = createLogger({ level: env.LOG_LEVEL }),
  processRole: Role = 'all',
): Promise<RunningServer> {
  const keys = { ingest: parseIngestKeys(env.INGEST_KEYS), read: parseReadKeys(env.READ_KEYS) };
  assertDistinctKeys(keys.ingest, keys.read);
  if (
    (processRole === 'ingest' || processRole === 'projector') &&
    env.KAFKA_BROKERS === undefined
  ) {
    throw new ConfigError(
      `the ${processRole} role needs KAFKA_BROKERS; without Kafka, run everything in one process with "ipt start"`,
    );
  }
  const dashboardSettings = serves(processRole, 'dashboard')
    ? { hosts: allowedHosts(env), oidc: oidcSettings(env) }
    : { hosts: [], oidc: undefined };
  const warehouse = await openWarehouse(env, processRole, logger);
  const { recordKeys, draw } = await prepareRecordKeys(
    env,
    warehouse,
    {
      projects: processRole === 'all' || processRole === 'projector',
      reads: serves(processRole, 'outcomes'),
    },
    logger,
  );
  const metrics = createMetrics();
  const { ingestor, projector, kafkaReady } = await startWritePath({
    env,
    processRole,
    warehouse,
    recordKeys,
    metrics,
    logger,
  });
  const demoKeys =
    env.SEED_DEMO && processRole === 'all'
      ? loadOrCreateDemoKeys(
          env.DATA_DIR,
          createNetwork(env.DEMO_SEED, env.DEMO_CLINICS).map((c) => c.clinicId),
        )
      : null;
  const context = buildContext({
    env,
    processRole,
    warehouse,
    ingestor,
    kafkaReady,
    keys,
    demoKeys,
    draw,
    metrics,
    logger,
  });

  // The dashboard reads the warehouse, so it lives where the warehouse is.
  let dashboard: Dashboard | null = null;
  if (
    serves(processRole, 'dashboard') &&
    warehouse !== null &&
    context.accessLog !== null &&
    context.budget !== null
  ) {
    dashboard = await createDashboard({
      warehouse,
      disclosure: context.disclosure,
      budget: context.budget,
      readKeys: context.readKeys,
      accessLog: context.accessLog,
      limiter: context.readLimiter,
      allowedHosts: dashboardSettings.hosts,
      sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
      sessionMaxHours: env.SESSION_MAX_HOURS,
      pagesDir: env.DASHBOARD ? DASHBOARD_APP : null,
      oidc: dashboardSettings.oidc,
      log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
      onTrpcCalls: (procedures) => {
        for (const procedure of procedures) context.metrics.trpcCalls.inc({ procedure });
      },
    });
  }
  const app = createApp(context, ROLE_ROUTES[processRole], {
    dashboard: dashboard?.handler ?? null,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;

  const abort = new AbortController();
  const demo =
    demoKeys !== null && warehouse !== null
      ? (await startDemo({ env, demoKeys, warehouse, url, signal: abort.signal, logger })).loaded
      : Promise.resolve();

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      abort.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // In-flight requests finish; a client that holds a connection open past this is cut.
      const deadline = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(deadline);
      await demo;
      await ingestor?.drain();
      await ingestor?.close();
      await projector?.stop();
      await dashboard?.close();
      await context.accessLog?.flush();
      await warehouse?.close();
    })();
    return stopping;
  };

  return { url, server, context, projector, demo, stop };
}
